use sea_orm::entity::prelude::*;

/// A member working through one version of a lesson.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub lesson_id: Uuid,
    pub lesson_version_id: Uuid,
    pub lesson_version: i32,
    pub started_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    /// 0..100, set at completion.
    pub score: Option<i16>,
    pub xp_awarded: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
