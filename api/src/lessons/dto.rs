//! Bodies of the lessons routes. Authors write exercises with their answers;
//! members only ever receive `ExerciseView`, which has none.

use chrono::{DateTime, NaiveDate, Utc};
use entity::lesson::LessonStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::grading::{Answer, MAX_TEXT_CHARS};
use super::streak::Streak;

/// A choice as a facilitator writes it.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct ChoiceInput {
    #[validate(length(min = 1, max = 300))]
    pub text: String,
    pub correct: bool,
}

/// Texts of a list each at most `max` characters; how many there may be is a
/// rule of the exercise kind (see `authoring::prepare`).
fn texts_within(texts: &[String], max: usize) -> Result<(), ValidationError> {
    if texts.iter().all(|t| t.chars().count() <= max) {
        Ok(())
    } else {
        let mut error = ValidationError::new("length").with_message("field.exercise_text_too_long".into());
        error.add_param("max".into(), &max);
        Err(error)
    }
}

fn item_texts(items: &[String]) -> Result<(), ValidationError> {
    texts_within(items, 300)
}

fn accepted_texts(answers: &[String]) -> Result<(), ValidationError> {
    texts_within(answers, MAX_TEXT_CHARS)
}

/// An exercise as a facilitator writes it; which fields are required depends on `kind`.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct ExerciseInput {
    /// `single_choice`, `multiple_choice`, `true_false`, `ordering` or `text_input`.
    #[schema(value_type = entity::exercise::ExerciseKind)]
    pub kind: String,
    #[validate(length(min = 1, max = 1000))]
    pub prompt: String,
    /// Shown after answering, right or wrong.
    #[validate(length(min = 1, max = 2000))]
    pub explanation: String,
    #[validate(length(min = 1, max = 500))]
    pub hint: Option<String>,
    /// single_choice (exactly one correct) and multiple_choice (at least one correct).
    #[validate(nested)]
    pub choices: Option<Vec<ChoiceInput>>,
    /// true_false.
    pub statement_is_true: Option<bool>,
    /// ordering: the items in the right order, each at most 300 characters.
    #[validate(custom(function = "item_texts"))]
    pub items: Option<Vec<String>>,
    /// text_input, each at most 500 characters (no longer answer is accepted).
    #[validate(custom(function = "accepted_texts"))]
    pub accepted_answers: Option<Vec<String>>,
    /// text_input: typos allowed (0..2).
    #[validate(range(min = 0, max = 2))]
    pub tolerance: Option<u8>,
    #[validate(url, length(max = 500))]
    #[schema(format = "uri")]
    pub image_url: Option<String>,
    /// Required with `image_url`: what the image shows, for screen readers.
    #[validate(length(min = 1, max = 300))]
    pub image_alt: Option<String>,
    #[validate(url, length(max = 500))]
    #[schema(format = "uri")]
    pub audio_url: Option<String>,
    /// Logit scale of the 1-parameter logistic model, −4..4.
    #[validate(range(min = -4.0, max = 4.0))]
    pub difficulty: Option<f64>,
}

/// A lesson as a facilitator writes it (POST /lessons).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct LessonInput {
    #[validate(length(min = 1, max = 120))]
    pub title: String,
    #[validate(length(min = 1, max = 300))]
    pub summary: String,
    pub skill_id: Uuid,
    #[validate(range(min = 1, max = 8))]
    pub level: i16,
    /// Place in the learning path; after the last lesson when absent.
    #[validate(range(min = 0, max = 100000))]
    pub position: Option<i32>,
    #[validate(range(min = 1, max = 120))]
    pub estimated_minutes: i16,
    pub easy_read: bool,
    #[validate(length(min = 1, max = 30), nested)]
    pub exercises: Vec<ExerciseInput>,
}

/// PATCH /lessons/{id}: the fields to change; `exercises`, when given, replaces them all.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct LessonPatch {
    #[validate(length(min = 1, max = 120))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 300))]
    pub summary: Option<String>,
    pub skill_id: Option<Uuid>,
    #[validate(range(min = 1, max = 8))]
    pub level: Option<i16>,
    #[validate(range(min = 0, max = 100000))]
    pub position: Option<i32>,
    #[validate(range(min = 1, max = 120))]
    pub estimated_minutes: Option<i16>,
    pub easy_read: Option<bool>,
    #[validate(length(min = 1, max = 30), nested)]
    pub exercises: Option<Vec<ExerciseInput>>,
}

/// A lesson in the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LessonSummary {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub skill_id: Uuid,
    pub level: i16,
    pub position: i32,
    pub estimated_minutes: i16,
    pub exercise_count: i32,
    pub easy_read: bool,
    /// Always `published` for members; authors also see drafts.
    pub status: LessonStatus,
    pub version: i32,
}

/// `{id, text}`: a choice or an ordering item.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub struct ChoiceView {
    pub id: Uuid,
    pub text: String,
}

/// An exercise as a member sees it: nothing that reveals the answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExerciseView {
    pub id: Uuid,
    pub kind: entity::exercise::ExerciseKind,
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<ChoiceView>>,
    /// Ordering items, scrambled (never in the right order; the same order at every request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ChoiceView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = "uri")]
    pub image_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_alt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = "uri")]
    pub audio_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f64>,
}

/// A lesson with its exercises, without answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonDetail {
    #[serde(flatten)]
    pub lesson: LessonSummary,
    pub exercises: Vec<ExerciseView>,
}

/// A lesson as its authors see it: the exercises as written, answers included.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorLessonDetail {
    #[serde(flatten)]
    pub lesson: LessonSummary,
    pub exercises: Vec<AuthorExercise>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorExercise {
    pub id: Uuid,
    #[serde(flatten)]
    pub exercise: ExerciseInput,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LessonsFilter {
    pub skill_id: Option<Uuid>,
    pub level: Option<i16>,
    /// Words of the title or summary; accents and case do not matter.
    /// At most 100 characters and 8 words (422 otherwise).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only lessons written in easy-to-read French (`true`), or only the others (`false`).
    pub easy_read: Option<bool>,
    /// Only lessons with at least one recorded exercise (`true`), or only those without (`false`).
    pub has_audio: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub lesson_version: i32,
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    pub exercise_id: Uuid,
    pub answer: Answer,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerResult {
    pub correct: bool,
    /// A kind sentence, right or wrong.
    pub feedback: String,
    pub explanation: String,
    /// Given once the answer is right, or after two tries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_answer: Option<Answer>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mastery {
    pub skill_id: Uuid,
    /// Highest DigComp level of the lessons of this skill completed with every exercise
    /// eventually answered right (and not lapsed since in review).
    pub level: i16,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionResult {
    /// Share of exercises answered right, 0..100.
    pub score: i16,
    pub xp_awarded: i32,
    pub streak: Streak,
    pub mastery: Vec<Mastery>,
    pub next_lessons: Vec<LessonSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub xp_total: i64,
    pub streak: Streak,
    pub today_xp: i32,
    pub daily_goal_xp: i32,
    pub mastery: Vec<Mastery>,
    pub lessons_completed: i64,
    /// The member's day, in their time zone.
    pub today: NaiveDate,
}

/// An exercise due for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueReview {
    pub exercise: ExerciseView,
    pub lesson_id: Uuid,
    pub skill_id: Uuid,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResult {
    pub correct: bool,
    pub feedback: String,
    pub explanation: String,
    /// When this exercise comes back.
    pub next_due_at: DateTime<Utc>,
}
