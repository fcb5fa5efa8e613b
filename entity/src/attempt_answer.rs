use sea_orm::entity::prelude::*;

/// Where a learner stands on one exercise of an attempt: wrong answers only add
/// a try, they never cost anything.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attempt_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub exercise_id: Uuid,
    pub tries: i32,
    /// Answered correctly at some try.
    pub correct: bool,
    pub first_try_correct: bool,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
