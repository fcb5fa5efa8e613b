use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A skill an offer targets (`level` reached at the end) or asks first
/// (`level` at least).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_offer_skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub offer_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: OfferSkillKind,
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: Uuid,
    pub level: i16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum OfferSkillKind {
    #[sea_orm(string_value = "targeted")]
    Targeted,
    #[sea_orm(string_value = "prerequisite")]
    Prerequisite,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
