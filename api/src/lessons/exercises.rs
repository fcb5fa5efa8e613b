//! A stored exercise: as members see it (nothing that reveals the answer), as
//! its authors wrote it, and graded against its stored key — shared by
//! attempts, reviews and the placement test. Calls `authoring` and `grading`
//! (pure) only.

use entity::exercise::{self, ExerciseKind};
use sha2::{Digest, Sha256};

use super::authoring::author_input;
use super::dto::{AuthorExercise, ChoiceView, ExerciseInput, ExerciseView};
use super::grading::{Answer, AnswerKey, grade};
use crate::error::ApiError;
use crate::i18n;

fn stored_options(row: &exercise::Model) -> Option<Vec<ChoiceView>> {
    row.options.clone().and_then(|value| serde_json::from_value(value).ok())
}

fn stored_key(row: &exercise::Model) -> Result<AnswerKey, ApiError> {
    serde_json::from_value(row.answer_key.clone()).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!("exercise {} has an unreadable answer key: {e}", row.id))
    })
}

fn kind_name(kind: ExerciseKind) -> &'static str {
    match kind {
        ExerciseKind::SingleChoice => "single_choice",
        ExerciseKind::MultipleChoice => "multiple_choice",
        ExerciseKind::TrueFalse => "true_false",
        ExerciseKind::Ordering => "ordering",
        ExerciseKind::TextInput => "text_input",
    }
}

pub(super) fn author_exercise(row: &exercise::Model) -> Result<AuthorExercise, ApiError> {
    let base = ExerciseInput {
        kind: kind_name(row.kind).into(),
        prompt: row.prompt.clone(),
        explanation: row.explanation.clone(),
        hint: row.hint.clone(),
        choices: None,
        statement_is_true: None,
        items: None,
        accepted_answers: None,
        tolerance: None,
        image_url: row.image_url.clone(),
        image_alt: row.image_alt.clone(),
        audio_url: row.audio_url.clone(),
        difficulty: row.difficulty,
    };
    let input = author_input(base, stored_options(row).as_deref(), &stored_key(row)?);
    Ok(AuthorExercise { id: row.id, exercise: input })
}

/// Ordering items in an order that says nothing about the right one, yet the
/// same at every request so that a lesson's ETag holds: sorted by a hash of
/// the exercise and item ids, and never the right order itself.
fn scrambled(row: &exercise::Model, mut items: Vec<ChoiceView>) -> Vec<ChoiceView> {
    items.sort_by_cached_key(|item| Sha256::new().chain_update(row.id).chain_update(item.id).finalize());
    if let Ok(AnswerKey::Ordering { items: right }) = stored_key(row)
        && items.iter().map(|item| item.id).eq(right)
    {
        items.rotate_left(1);
    }
    items
}

/// An exercise without anything that reveals its answer.
pub fn member_exercise(row: &exercise::Model) -> ExerciseView {
    let options = stored_options(row);
    let (choices, items) = match row.kind {
        ExerciseKind::SingleChoice | ExerciseKind::MultipleChoice => (options, None),
        ExerciseKind::Ordering => (None, options.map(|items| scrambled(row, items))),
        ExerciseKind::TrueFalse | ExerciseKind::TextInput => (None, None),
    };
    ExerciseView {
        id: row.id,
        kind: row.kind,
        prompt: row.prompt.clone(),
        choices,
        items,
        hint: row.hint.clone(),
        image_url: row.image_url.clone(),
        image_alt: row.image_alt.clone(),
        audio_url: row.audio_url.clone(),
        difficulty: row.difficulty,
    }
}

/// The right answer in the shape the learner sends.
pub fn correct_answer(key: &AnswerKey) -> Answer {
    match key {
        AnswerKey::SingleChoice { correct } => Answer::SingleChoice { choice_id: *correct },
        AnswerKey::MultipleChoice { correct } => Answer::MultipleChoice { choice_ids: correct.clone() },
        AnswerKey::TrueFalse { value } => Answer::TrueFalse { value: *value },
        AnswerKey::Ordering { items } => Answer::Ordering { item_ids: items.clone() },
        AnswerKey::TextInput { accepted, .. } => {
            Answer::TextInput { text: accepted.first().cloned().unwrap_or_default() }
        }
    }
}

/// Grades an answer of `exercise`; the shape must match its kind (422).
pub fn grade_exercise(exercise: &exercise::Model, answer: &Answer) -> Result<(bool, AnswerKey), ApiError> {
    let key = stored_key(exercise)?;
    let correct = grade(&key, answer).map_err(|e| {
        let (id, (name, value)) = e.message();
        ApiError::invalid_field("answer", e.code(), id, &[(name, &value)])
    })?;
    Ok((correct, key))
}

/// What a graded answer tells the learner, in their language.
pub fn feedback(correct: bool) -> String {
    i18n::t(if correct { "feedback.answer_correct" } else { "feedback.answer_wrong" })
}
