use sea_orm::entity::prelude::*;

/// An achievement awarded to a member: the source of one Open Badges
/// credential. `status_index` is its bit in the revocation status list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "awards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// The achievement's stable key, e.g. `digcomp.1.1.level-2`.
    pub achievement: String,
    pub awarded_at: DateTimeUtc,
    pub status_index: i32,
    /// Salt of the hashed email the member may add to the credential.
    pub identity_salt: String,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
