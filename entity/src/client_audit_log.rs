use sea_orm::entity::prelude::*;

/// One read of a member's personal data by an organisation's API client:
/// which client, whose data, what, when. Kept after the member's erasure, as
/// `audit_log` is.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "client_audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub api_client_id: Uuid,
    pub member_id: Uuid,
    pub action: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
