use sea_orm::entity::prelude::*;

/// The FSRS memory state of one exercise for one member: when it is due for
/// review again, and how well it is retained.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "review_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub exercise_id: Uuid,
    pub due: DateTimeUtc,
    pub stability: f64,
    pub difficulty: f64,
    pub elapsed_days: i32,
    pub scheduled_days: i32,
    pub reps: i32,
    pub lapses: i32,
    /// FSRS state: 0 new, 1 learning, 2 review, 3 relearning.
    pub state: i16,
    /// Rating of the last review: 1 again (a lapse) .. 4 easy.
    pub last_rating: i16,
    pub last_review: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::exercise::Entity",
        from = "Column::ExerciseId",
        to = "super::exercise::Column::Id"
    )]
    Exercise,
}

impl Related<super::exercise::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Exercise.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
