//! Turning exercises as facilitators write them into what the server stores
//! (the member-facing options and a separate answer key), and back. Pure.

use entity::exercise::ExerciseKind;
use password_hash::rand_core::{OsRng, RngCore};

use super::dto::{ChoiceInput, ChoiceView, ExerciseInput};
use super::grading::{AnswerKey, normalise_text};
use crate::error::FieldError;
use crate::i18n;

/// An exercise ready to store: what members may see, and its answer key.
#[derive(Debug, Clone)]
pub struct PreparedExercise {
    pub kind: ExerciseKind,
    pub options: Option<Vec<ChoiceView>>,
    pub key: AnswerKey,
    pub input: ExerciseInput,
}

/// Ordering items get random ids, not time-ordered ones like every other id:
/// sorting the items by id must not give the right order away.
fn random_item_id() -> uuid::Uuid {
    let mut bytes = [0; 16];
    OsRng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn kind_of(name: &str) -> Option<ExerciseKind> {
    Some(match name {
        "single_choice" => ExerciseKind::SingleChoice,
        "multiple_choice" => ExerciseKind::MultipleChoice,
        "true_false" => ExerciseKind::TrueFalse,
        "ordering" => ExerciseKind::Ordering,
        "text_input" => ExerciseKind::TextInput,
        _ => return None,
    })
}

/// Checks the rules that depend on the kind and assigns ids to choices and
/// items; every problem is reported with its field path (`exercises[2].choices`).
pub fn prepare(exercises: Vec<ExerciseInput>) -> Result<Vec<PreparedExercise>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut prepared = Vec::new();
    for (index, input) in exercises.into_iter().enumerate() {
        let mut fail = |field: &str, code: &str, message: &str| {
            errors.push(FieldError {
                field: format!("exercises[{index}].{field}"),
                code: code.into(),
                message: i18n::t(message),
            })
        };
        if input.image_url.is_some() && input.image_alt.as_deref().is_none_or(|alt| alt.trim().is_empty()) {
            fail("image_alt", "required", "field.exercise_image_alt_required");
        }
        let Some(kind) = kind_of(&input.kind) else {
            fail("kind", "unknown_kind", "field.exercise_kind_unknown");
            continue;
        };
        let unexpected: [(&str, bool); 4] = [
            (
                "choices",
                input.choices.is_some()
                    && !matches!(kind, ExerciseKind::SingleChoice | ExerciseKind::MultipleChoice),
            ),
            ("statement_is_true", input.statement_is_true.is_some() && kind != ExerciseKind::TrueFalse),
            ("items", input.items.is_some() && kind != ExerciseKind::Ordering),
            ("accepted_answers", input.accepted_answers.is_some() && kind != ExerciseKind::TextInput),
        ];
        for (field, present) in unexpected {
            if present {
                fail(field, "not_allowed", "field.exercise_field_not_allowed");
            }
        }
        let built = match kind {
            ExerciseKind::SingleChoice | ExerciseKind::MultipleChoice => {
                let choices = input.choices.clone().unwrap_or_default();
                let correct = choices.iter().filter(|c| c.correct).count();
                let single = kind == ExerciseKind::SingleChoice;
                if choices.len() < 2 || choices.len() > 8 {
                    fail("choices", "length", "field.exercise_choices_count");
                    None
                } else if single && correct != 1 {
                    fail("choices", "one_correct", "field.exercise_one_correct_choice");
                    None
                } else if !single && correct == 0 {
                    fail("choices", "one_correct", "field.exercise_some_correct_choice");
                    None
                } else {
                    let options: Vec<ChoiceView> = choices
                        .iter()
                        .map(|c| ChoiceView { id: uuid::Uuid::now_v7(), text: c.text.clone() })
                        .collect();
                    let right = options.iter().zip(&choices).filter(|(_, c)| c.correct).map(|(o, _)| o.id);
                    let key = if single {
                        right.clone().next().map(|correct| AnswerKey::SingleChoice { correct })
                    } else {
                        Some(AnswerKey::MultipleChoice { correct: right.collect() })
                    };
                    key.map(|key| (Some(options), key))
                }
            }
            ExerciseKind::TrueFalse => match input.statement_is_true {
                Some(value) => Some((None, AnswerKey::TrueFalse { value })),
                None => {
                    fail("statement_is_true", "required", "field.exercise_statement_truth_required");
                    None
                }
            },
            ExerciseKind::Ordering => {
                let items = input.items.clone().unwrap_or_default();
                if items.len() < 2 || items.len() > 10 || items.iter().any(|i| i.trim().is_empty()) {
                    fail("items", "length", "field.exercise_items_count");
                    None
                } else {
                    let options: Vec<ChoiceView> = items
                        .iter()
                        .map(|text| ChoiceView { id: random_item_id(), text: text.clone() })
                        .collect();
                    let key = AnswerKey::Ordering { items: options.iter().map(|o| o.id).collect() };
                    Some((Some(options), key))
                }
            }
            ExerciseKind::TextInput => {
                let accepted = input.accepted_answers.clone().unwrap_or_default();
                if accepted.is_empty()
                    || accepted.len() > 10
                    || accepted.iter().any(|a| normalise_text(a).is_empty())
                {
                    fail("accepted_answers", "length", "field.exercise_accepted_answers_count");
                    None
                } else {
                    Some((None, AnswerKey::TextInput { accepted, tolerance: input.tolerance.unwrap_or(0) }))
                }
            }
        };
        if let Some((options, key)) = built {
            prepared.push(PreparedExercise { kind, options, key, input });
        }
    }
    if errors.is_empty() { Ok(prepared) } else { Err(errors) }
}

/// The exercise as its author wrote it, rebuilt from what is stored.
pub fn author_input(base: ExerciseInput, options: Option<&[ChoiceView]>, key: &AnswerKey) -> ExerciseInput {
    let mut input = ExerciseInput {
        choices: None,
        statement_is_true: None,
        items: None,
        accepted_answers: None,
        tolerance: None,
        ..base
    };
    let texts = || options.unwrap_or_default().iter().map(|o| o.text.clone());
    match key {
        AnswerKey::SingleChoice { correct } => {
            input.choices = Some(
                options
                    .unwrap_or_default()
                    .iter()
                    .map(|o| ChoiceInput { text: o.text.clone(), correct: o.id == *correct })
                    .collect(),
            )
        }
        AnswerKey::MultipleChoice { correct } => {
            input.choices = Some(
                options
                    .unwrap_or_default()
                    .iter()
                    .map(|o| ChoiceInput { text: o.text.clone(), correct: correct.contains(&o.id) })
                    .collect(),
            )
        }
        AnswerKey::TrueFalse { value } => input.statement_is_true = Some(*value),
        AnswerKey::Ordering { .. } => input.items = Some(texts().collect()),
        AnswerKey::TextInput { accepted, tolerance } => {
            input.accepted_answers = Some(accepted.clone());
            input.tolerance = Some(*tolerance);
        }
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(kind: &str) -> ExerciseInput {
        ExerciseInput {
            kind: kind.into(),
            prompt: "Question ?".into(),
            explanation: "Parce que.".into(),
            hint: None,
            choices: None,
            statement_is_true: None,
            items: None,
            accepted_answers: None,
            tolerance: None,
            image_url: None,
            image_alt: None,
            audio_url: None,
            difficulty: None,
        }
    }

    fn choices(flags: &[bool]) -> Option<Vec<ChoiceInput>> {
        Some(
            flags
                .iter()
                .enumerate()
                .map(|(i, c)| ChoiceInput { text: format!("choix {i}"), correct: *c })
                .collect(),
        )
    }

    #[test]
    fn every_kind_prepares_and_round_trips_to_the_author_form() {
        let mut single = exercise("single_choice");
        single.choices = choices(&[false, true, false]);
        let mut multiple = exercise("multiple_choice");
        multiple.choices = choices(&[true, false, true]);
        let mut truth = exercise("true_false");
        truth.statement_is_true = Some(false);
        let mut ordering = exercise("ordering");
        ordering.items = Some(vec!["un".into(), "deux".into(), "trois".into()]);
        let mut text = exercise("text_input");
        text.accepted_answers = Some(vec!["arobase".into()]);
        text.tolerance = Some(1);
        let inputs = vec![single, multiple, truth, ordering, text];
        let prepared = prepare(inputs.clone()).unwrap();
        for (exercise, original) in prepared.iter().zip(inputs) {
            let rebuilt = author_input(exercise.input.clone(), exercise.options.as_deref(), &exercise.key);
            assert_eq!(
                serde_json::to_value(&rebuilt).unwrap(),
                serde_json::to_value(original.clone()).unwrap()
            );
        }
    }

    #[test]
    fn invalid_exercises_are_reported_with_their_paths() {
        let mut no_alt = exercise("true_false");
        no_alt.statement_is_true = Some(true);
        no_alt.image_url = Some("https://example.org/a.png".into());
        let mut two_right = exercise("single_choice");
        two_right.choices = choices(&[true, true]);
        let mut empty = exercise("multiple_choice");
        empty.choices = Some(vec![]);
        let mut stray = exercise("text_input");
        stray.accepted_answers = Some(vec!["ok".into()]);
        stray.items = Some(vec!["x".into()]);
        let errors =
            prepare(vec![exercise("essay"), no_alt, two_right, empty, exercise("true_false"), stray])
                .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "exercises[0].kind",
                "exercises[1].image_alt",
                "exercises[2].choices",
                "exercises[3].choices",
                "exercises[4].statement_is_true",
                "exercises[5].items"
            ]
        );
    }
}
