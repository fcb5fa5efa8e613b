use sea_orm::entity::prelude::*;

/// A member's offer to mentor. What they mentor is what they declared with
/// `kind = offer` in `member_skills`; the profile says how, in which
/// languages and how many people at once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mentor_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub bio: String,
    pub offers_remote: bool,
    pub offers_in_person: bool,
    pub offers_phone: bool,
    /// French postcode, for in-person proximity.
    pub postcode: Option<String>,
    /// Derived from the postcode (2 characters, 3 overseas).
    pub departement: Option<String>,
    pub max_active_matches: i16,
    pub accepting: bool,
    /// Sum and count of the ratings learners gave after completed matches.
    pub rating_sum: i32,
    pub rating_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
