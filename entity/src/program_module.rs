use sea_orm::entity::prelude::*;

/// One module of a programme; `prerequisite_module_id` must have been attended
/// before enrolling in a session of this one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_modules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub program_id: Uuid,
    /// Stable machine name, e.g. `impose_toi.se_reveler`.
    #[sea_orm(unique)]
    pub code: String,
    /// Order in the programme, from 1.
    pub position: i32,
    pub title: String,
    pub summary: String,
    pub prerequisite_module_id: Option<Uuid>,
    /// Codes of the `impose_toi` soft skills the module builds (JSON array of strings).
    pub skill_codes: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
