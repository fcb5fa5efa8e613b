use sea_orm::entity::prelude::*;

use crate::mentor_match::MatchStatus;

/// One transition of a match: who (none for the expiry sweep), when, from
/// which status to which, and the optional reason they gave.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub match_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub from_status: Option<MatchStatus>,
    pub to_status: MatchStatus,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
