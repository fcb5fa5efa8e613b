use sea_orm::entity::prelude::*;

/// A key the issuer signs credentials with, published in its JWKS. The
/// private part is kept only for the development key the service generated
/// itself; a configured key's private part stays in the configuration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_keys")]
pub struct Model {
    /// The RFC 7638 thumbprint of the public key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    pub public_jwk: Json,
    pub private_pem: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
