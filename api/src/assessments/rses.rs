//! The Rosenberg Self-Esteem Scale: 10 statements answered from 1 (strongly
//! disagree) to 4 (strongly agree). Items 2, 5, 6, 8 and 9 are worded
//! negatively and reverse-scored (5 − answer), so the score runs from 10 (low
//! self-esteem) to 40 (high).

use crate::error::FieldError;
use crate::i18n;

pub const ITEMS: usize = 10;
pub const MIN_ANSWER: i32 = 1;
pub const MAX_ANSWER: i32 = 4;
/// 1-based numbers of the reverse-scored items.
pub const REVERSED: [usize; 5] = [2, 5, 6, 8, 9];

/// Checks the answers, with one error per wrong item (`answers[3]`).
pub fn check(answers: &[i32]) -> Result<(), Vec<FieldError>> {
    if answers.len() != ITEMS {
        return Err(vec![FieldError {
            field: "answers".into(),
            code: "length".into(),
            message: i18n::t_with("field.rses_answer_count", &[("count", &ITEMS.to_string())]),
        }]);
    }
    let errors: Vec<FieldError> = answers
        .iter()
        .enumerate()
        .filter(|(_, answer)| !(MIN_ANSWER..=MAX_ANSWER).contains(*answer))
        .map(|(index, _)| FieldError {
            field: format!("answers[{index}]"),
            code: "range".into(),
            message: i18n::t("field.rses_answer_range"),
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The score of valid answers (see [`check`]), 10..40.
pub fn score(answers: &[i32]) -> i16 {
    answers
        .iter()
        .enumerate()
        .map(|(index, answer)| if REVERSED.contains(&(index + 1)) { 5 - answer } else { *answer })
        .sum::<i32>() as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_computed_cases() {
        // Positive items at their best, negative items at their best: 5×4 + 5×(5−1).
        assert_eq!(score(&[4, 1, 4, 4, 1, 1, 4, 1, 1, 4]), 40);
        assert_eq!(score(&[1, 4, 1, 1, 4, 4, 1, 4, 4, 1]), 10);
        // The same answer everywhere: 5×4 + 5×1 = 25, and 5×1 + 5×4 = 25.
        assert_eq!(score(&[4; 10]), 25);
        assert_eq!(score(&[1; 10]), 25);
        // 3+3+3+4+3 on items 1,3,4,7,10 = 16; (5−2)+(5−2)+(5−1)+(5−2)+(5−1) = 17.
        assert_eq!(score(&[3, 2, 3, 3, 2, 1, 4, 2, 1, 3]), 33);
        assert_eq!(score(&[2, 3, 2, 2, 3, 3, 2, 3, 3, 2]), 20);
    }

    #[test]
    fn answers_are_checked_item_by_item() {
        assert!(check(&[1, 2, 3, 4, 1, 2, 3, 4, 1, 2]).is_ok());
        let errors = check(&[1, 0, 3, 5, 1, 2, 3, 4, 1, 2]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["answers[1]", "answers[3]"]);
        assert_eq!(check(&[1; 9]).unwrap_err()[0].field, "answers");
        assert_eq!(check(&[1; 11]).unwrap_err()[0].code, "length");
    }
}
