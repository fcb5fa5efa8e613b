use sea_orm::entity::prelude::*;

/// An organisation's API client (OAuth 2.0 client credentials). `id` is the
/// `client_id`; only the SHA-256 of the secret is kept. `scopes` are the
/// granted scopes, space-separated as in OAuth. A revoked client (and every
/// token it holds) is refused from `revoked_at` on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub scopes: String,
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
