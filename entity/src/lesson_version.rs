use sea_orm::entity::prelude::*;

/// One immutable version of a lesson's content.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub skill_id: Uuid,
    pub level: i16,
    pub position: i32,
    pub estimated_minutes: i16,
    pub easy_read: bool,
    pub exercise_count: i32,
    /// `search_key` of title and summary.
    pub search_text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
