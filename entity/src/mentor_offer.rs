use sea_orm::entity::prelude::*;

/// One skill an accepting mentor offers, with what suggestions filter and
/// rank on: a copy of `member_skills`, `mentor_profiles` and
/// `mentor_languages`, rebuilt by the service whenever they change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentor_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub level: i16,
    pub offers_remote: bool,
    pub offers_in_person: bool,
    pub offers_phone: bool,
    /// The mentor's languages, each between spaces: `" ar fr "`.
    pub languages: String,
    pub postcode: Option<String>,
    pub departement: Option<String>,
    pub max_active_matches: i16,
    pub rating_sum: i32,
    pub rating_count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
