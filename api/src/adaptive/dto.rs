//! Bodies of the reviews, placement and recommendations routes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::lessons::dto::{DueReview, ExerciseView, LessonSummary};
use crate::lessons::grading::Answer;
use crate::schema::string_set;

/// The DigComp areas, in the order the placement test walks them.
pub const AREAS: [&str; 5] = ["digcomp.1", "digcomp.2", "digcomp.3", "digcomp.4", "digcomp.5"];

const AREA_MEANINGS: [&str; 5] = [
    "Information and data literacy.",
    "Communication and collaboration.",
    "Digital content creation.",
    "Safety.",
    "Problem solving.",
];

string_set!(
    /// `PlacementExercise.area`, `AreaLevel.area` (see `AREAS`).
    PlacementArea,
    "A DigComp 2.2 competence area, as the placement test walks them.",
    AREAS.iter().zip(AREA_MEANINGS).map(|(area, meaning)| (*area, meaning)).collect::<Vec<_>>()
);

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewAnswer {
    pub exercise_id: Uuid,
    pub answer: Answer,
}

/// A placement exercise: which area it measures, and the exercise without its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementExercise {
    /// `digcomp.1` .. `digcomp.5`.
    #[schema(value_type = PlacementArea)]
    pub area: String,
    pub area_name: String,
    pub exercise: ExerciseView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementStarted {
    pub id: Uuid,
    pub next_exercise: PlacementExercise,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlacementAnswerRequest {
    pub exercise_id: Uuid,
    pub answer: Answer,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AreaLevel {
    #[schema(value_type = PlacementArea)]
    pub area: String,
    pub area_name: String,
    /// DigComp level 1..8.
    pub level: i16,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlacementResult {
    pub levels: Vec<AreaLevel>,
    /// Lessons to start with: the weakest areas first.
    pub recommended_lessons: Vec<LessonSummary>,
    /// The estimated autonomy is low: better not to learn alone (a mentor, a workshop).
    pub suggest_accompaniment: bool,
}

/// After an answer: the next exercise, or the result when the test is over.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementStep {
    /// Whether the last answer was right (no more detail during a placement test).
    pub correct: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_exercise: Option<PlacementExercise>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PlacementResult>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewRecommendation {
    pub due_count: u64,
    pub next_due: Vec<DueReview>,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LessonRecommendation {
    pub lesson: LessonSummary,
    /// One short sentence saying why, in the member's language.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentorRecommendation {
    pub skill_id: Uuid,
    pub skill_name: String,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkshopRecommendation {
    pub workshop_id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub reason: String,
}

/// What to do next, across the three programmes; each with its reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recommendations {
    /// Due reviews come first.
    pub reviews: Option<ReviewRecommendation>,
    pub lessons: Vec<LessonRecommendation>,
    /// A mentor request suggested when the placement or repeated lapses say so (Enchanté).
    pub mentor_requests: Vec<MentorRecommendation>,
    /// Upcoming workshops of Impose-toi ! when accompaniment is suggested.
    pub workshops: Vec<WorkshopRecommendation>,
}
