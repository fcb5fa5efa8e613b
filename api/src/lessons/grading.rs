//! Server-side grading of NumériZen exercises: pure functions, no I/O.
//!
//! The server stores an [`AnswerKey`] per exercise and never sends it before the learner has
//! answered; the learner sends an [`Answer`] whose shape depends on the exercise kind.
//! Text answers are compared after [`normalise_text`] with a small, length-capped
//! edit-distance tolerance ("Learning is serene": a near miss on a long word is still right,
//! a short answer such as `@` or `non` must be exact).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use utoipa::ToSchema;
use uuid::Uuid;

/// Longest text answer accepted, in Unicode scalar values (before normalisation).
pub const MAX_TEXT_CHARS: usize = 500;
/// Most ids accepted in a multiple-choice or ordering answer.
pub const MAX_IDS: usize = 50;
/// Largest edit-distance tolerance an exercise may allow.
pub const MAX_TOLERANCE: u8 = 2;

/// The right answer of an exercise, as the server stores it (never sent to the learner
/// before they answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerKey {
    SingleChoice {
        correct: Uuid,
    },
    /// Set semantics: order and duplicates in `correct` do not matter.
    MultipleChoice {
        correct: Vec<Uuid>,
    },
    TrueFalse {
        value: bool,
    },
    /// The items in the right order.
    Ordering {
        items: Vec<Uuid>,
    },
    /// `tolerance` is the maximum edit distance (0..=2), capped by the accepted answer's length.
    TextInput {
        accepted: Vec<String>,
        tolerance: u8,
    },
}

impl AnswerKey {
    /// The exercise kind, as the API spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            AnswerKey::SingleChoice { .. } => "single_choice",
            AnswerKey::MultipleChoice { .. } => "multiple_choice",
            AnswerKey::TrueFalse { .. } => "true_false",
            AnswerKey::Ordering { .. } => "ordering",
            AnswerKey::TextInput { .. } => "text_input",
        }
    }
}

/// What the learner sends to be graded; the shape depends on the exercise kind:
/// `{choice_id}` · `{choice_ids:[...]}` · `{value:bool}` · `{item_ids:[...]}` (in the order the
/// learner chose) · `{text}`. Unknown fields are rejected, so two shapes cannot be mixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum Answer {
    /// `single_choice`
    SingleChoice { choice_id: Uuid },
    /// `multiple_choice`: every choice the learner ticked, in any order.
    MultipleChoice {
        #[schema(max_items = 50)]
        choice_ids: Vec<Uuid>,
    },
    /// `true_false`
    TrueFalse { value: bool },
    /// `ordering`: the item ids in the order the learner chose.
    Ordering {
        #[schema(max_items = 50)]
        item_ids: Vec<Uuid>,
    },
    /// `text_input`, at most 500 characters.
    TextInput {
        #[schema(max_length = 500)]
        text: String,
    },
}

impl Answer {
    /// The exercise kind this shape answers.
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::SingleChoice { .. } => "single_choice",
            Answer::MultipleChoice { .. } => "multiple_choice",
            Answer::TrueFalse { .. } => "true_false",
            Answer::Ordering { .. } => "ordering",
            Answer::TextInput { .. } => "text_input",
        }
    }
}

/// An answer that cannot be graded at all (the HTTP layer answers 422). A wrong answer is not
/// an error: it is `Ok(false)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeError {
    /// The answer's shape is not the one of the exercise kind (`expected` is that kind).
    WrongShape { expected: &'static str },
    /// A text answer longer than [`MAX_TEXT_CHARS`].
    TextTooLong { max: usize },
    /// More than [`MAX_IDS`] ids.
    TooManyIds { max: usize },
}

impl GradeError {
    /// Stable machine code for the problem document.
    pub fn code(&self) -> &'static str {
        match self {
            GradeError::WrongShape { .. } => "answer_wrong_shape",
            GradeError::TextTooLong { .. } => "answer_too_long",
            GradeError::TooManyIds { .. } => "answer_too_many_items",
        }
    }

    /// The catalogue id of the field message a person reads, with the value
    /// of its one placeholder.
    pub fn message(&self) -> (&'static str, (&'static str, String)) {
        match self {
            GradeError::WrongShape { expected } => {
                ("field.answer_wrong_shape", ("kind", (*expected).to_owned()))
            }
            GradeError::TextTooLong { max } => ("field.answer_too_long", ("max", max.to_string())),
            GradeError::TooManyIds { max } => ("field.answer_too_many_items", ("max", max.to_string())),
        }
    }
}

/// Grades `answer` against `key`: `Ok(true)` when right, `Ok(false)` when wrong, an error when
/// the answer cannot be graded (wrong shape for the kind, too long, too many ids).
///
/// Duplicate ids in a multiple-choice or ordering answer make it wrong, not invalid.
pub fn grade(key: &AnswerKey, answer: &Answer) -> Result<bool, GradeError> {
    match (key, answer) {
        (AnswerKey::SingleChoice { correct }, Answer::SingleChoice { choice_id }) => Ok(choice_id == correct),
        (AnswerKey::MultipleChoice { correct }, Answer::MultipleChoice { choice_ids }) => {
            check_ids(choice_ids)?;
            let Some(given) = distinct(choice_ids) else {
                return Ok(false);
            };
            let expected: HashSet<Uuid> = correct.iter().copied().collect();
            Ok(given == expected)
        }
        (AnswerKey::TrueFalse { value: correct }, Answer::TrueFalse { value }) => Ok(value == correct),
        (AnswerKey::Ordering { items }, Answer::Ordering { item_ids }) => {
            check_ids(item_ids)?;
            if distinct(item_ids).is_none() {
                return Ok(false);
            }
            Ok(item_ids == items)
        }
        (AnswerKey::TextInput { accepted, tolerance }, Answer::TextInput { text }) => {
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(GradeError::TextTooLong { max: MAX_TEXT_CHARS });
            }
            Ok(text_matches(accepted, *tolerance, text))
        }
        (key, _) => Err(GradeError::WrongShape { expected: key.kind() }),
    }
}

fn check_ids(ids: &[Uuid]) -> Result<(), GradeError> {
    if ids.len() > MAX_IDS { Err(GradeError::TooManyIds { max: MAX_IDS }) } else { Ok(()) }
}

/// The ids as a set, or `None` when one is repeated.
fn distinct(ids: &[Uuid]) -> Option<HashSet<Uuid>> {
    let mut set = HashSet::with_capacity(ids.len());
    ids.iter().all(|id| set.insert(*id)).then_some(set)
}

/// True when the normalised `text` is within the effective tolerance of some normalised
/// accepted answer. An empty answer is never right; an accepted answer that normalises to
/// nothing never matches.
fn text_matches(accepted: &[String], tolerance: u8, text: &str) -> bool {
    let given: Vec<char> = normalise_text(text).chars().collect();
    if given.is_empty() {
        return false;
    }
    let tolerance = usize::from(tolerance.min(MAX_TOLERANCE));
    accepted.iter().any(|candidate| {
        let candidate: Vec<char> = normalise_text(candidate).chars().collect();
        if candidate.is_empty() {
            return false;
        }
        // Short answers stay strict: one edit per four characters at most.
        let allowed = tolerance.min(candidate.len() / 4);
        given.len().abs_diff(candidate.len()) <= allowed && levenshtein_chars(&given, &candidate) <= allowed
    })
}

/// Normalises a text answer for comparison (Pix): Unicode NFC, every Unicode space (including
/// no-break and narrow no-break spaces) → space, trim, lowercase, accents and other diacritics
/// removed (NFD, combining marks dropped), then every whitespace removed.
///
/// Typography is folded too: ’ ‘ ʼ ‛ → `'`; “ ” „ « » → `"`; ‐ ‑ ‒ – — − → `-`; the ligatures
/// œ and æ → `oe` and `ae` (so `cœur` = `coeur`); zero-width characters are dropped.
pub fn normalise_text(s: &str) -> String {
    let spaced: String = s.nfc().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let lowered = spaced.trim().to_lowercase();
    let mut folded = String::with_capacity(lowered.len());
    for c in lowered.nfd() {
        if is_combining_mark(c) || c.is_whitespace() {
            continue;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{201B}' => folded.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => folded.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => folded.push('-'),
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            // Zero-width space, non-joiner, joiner, word joiner, byte-order mark.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            other => folded.push(other),
        }
    }
    // Recompose what NFD split without a combining mark (e.g. Hangul syllables).
    folded.nfc().collect()
}

/// The Levenshtein distance between two strings, counted on Unicode scalar values
/// (insertions, deletions and substitutions all cost 1).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein_chars(&a, &b)
}

/// Two-row dynamic programme, O(|a|·|b|) time and O(|b|) memory.
fn levenshtein_chars(a: &[char], b: &[char]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current[j + 1] = substitution.min(deletion).min(insertion);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn text_key(accepted: &[&str], tolerance: u8) -> AnswerKey {
        AnswerKey::TextInput { accepted: accepted.iter().map(|s| (*s).to_owned()).collect(), tolerance }
    }

    fn text(s: &str) -> Answer {
        Answer::TextInput { text: s.to_owned() }
    }

    fn grade_text(accepted: &[&str], tolerance: u8, given: &str) -> bool {
        grade(&text_key(accepted, tolerance), &text(given)).unwrap()
    }

    // --- single choice, true/false ---------------------------------------------------------

    #[test]
    fn single_choice_right_and_wrong() {
        let key = AnswerKey::SingleChoice { correct: id(1) };
        assert_eq!(grade(&key, &Answer::SingleChoice { choice_id: id(1) }), Ok(true));
        assert_eq!(grade(&key, &Answer::SingleChoice { choice_id: id(2) }), Ok(false));
    }

    #[test]
    fn true_false_right_and_wrong() {
        let key = AnswerKey::TrueFalse { value: false };
        assert_eq!(grade(&key, &Answer::TrueFalse { value: false }), Ok(true));
        assert_eq!(grade(&key, &Answer::TrueFalse { value: true }), Ok(false));
        let key = AnswerKey::TrueFalse { value: true };
        assert_eq!(grade(&key, &Answer::TrueFalse { value: true }), Ok(true));
    }

    // --- multiple choice -------------------------------------------------------------------

    #[test]
    fn multiple_choice_is_a_set_and_order_insensitive() {
        let key = AnswerKey::MultipleChoice { correct: vec![id(1), id(3)] };
        let answer =
            |ids: &[u128]| Answer::MultipleChoice { choice_ids: ids.iter().map(|n| id(*n)).collect() };
        assert_eq!(grade(&key, &answer(&[1, 3])), Ok(true));
        assert_eq!(grade(&key, &answer(&[3, 1])), Ok(true));
        assert_eq!(grade(&key, &answer(&[1])), Ok(false), "a missing choice");
        assert_eq!(grade(&key, &answer(&[1, 2, 3])), Ok(false), "an extra choice");
        assert_eq!(grade(&key, &answer(&[])), Ok(false));
        assert_eq!(grade(&key, &answer(&[2])), Ok(false));
    }

    #[test]
    fn multiple_choice_duplicates_are_wrong_not_errors() {
        let key = AnswerKey::MultipleChoice { correct: vec![id(1), id(3)] };
        let answer = Answer::MultipleChoice { choice_ids: vec![id(1), id(3), id(1)] };
        assert_eq!(grade(&key, &answer), Ok(false));
    }

    #[test]
    fn multiple_choice_key_duplicates_do_not_matter() {
        let key = AnswerKey::MultipleChoice { correct: vec![id(3), id(1), id(3)] };
        assert_eq!(grade(&key, &Answer::MultipleChoice { choice_ids: vec![id(1), id(3)] }), Ok(true));
    }

    // --- ordering --------------------------------------------------------------------------

    #[test]
    fn ordering_needs_the_exact_sequence() {
        let key = AnswerKey::Ordering { items: vec![id(1), id(2), id(3)] };
        let answer = |ids: &[u128]| Answer::Ordering { item_ids: ids.iter().map(|n| id(*n)).collect() };
        assert_eq!(grade(&key, &answer(&[1, 2, 3])), Ok(true));
        assert_eq!(grade(&key, &answer(&[1, 3, 2])), Ok(false));
        assert_eq!(grade(&key, &answer(&[1, 2])), Ok(false), "an item left out");
        assert_eq!(grade(&key, &answer(&[1, 2, 3, 4])), Ok(false), "an extra item");
        assert_eq!(grade(&key, &answer(&[1, 2, 3, 3])), Ok(false), "a duplicate is wrong");
        assert_eq!(grade(&key, &answer(&[])), Ok(false));
    }

    #[test]
    fn ordering_with_duplicate_ids_is_wrong_even_if_the_key_repeats_them() {
        let key = AnswerKey::Ordering { items: vec![id(1), id(1)] };
        assert_eq!(grade(&key, &Answer::Ordering { item_ids: vec![id(1), id(1)] }), Ok(false));
    }

    // --- invalid answers -------------------------------------------------------------------

    #[test]
    fn wrong_shape_names_the_expected_kind() {
        let single = AnswerKey::SingleChoice { correct: id(1) };
        assert_eq!(
            grade(&single, &Answer::TrueFalse { value: true }),
            Err(GradeError::WrongShape { expected: "single_choice" })
        );
        let multiple = AnswerKey::MultipleChoice { correct: vec![id(1)] };
        assert_eq!(
            grade(&multiple, &Answer::SingleChoice { choice_id: id(1) }),
            Err(GradeError::WrongShape { expected: "multiple_choice" })
        );
        let ordering = AnswerKey::Ordering { items: vec![id(1)] };
        assert_eq!(
            grade(&ordering, &Answer::MultipleChoice { choice_ids: vec![id(1)] }),
            Err(GradeError::WrongShape { expected: "ordering" })
        );
        assert_eq!(
            grade(&text_key(&["oui"], 0), &Answer::TrueFalse { value: true }),
            Err(GradeError::WrongShape { expected: "text_input" })
        );
        assert_eq!(
            grade(&AnswerKey::TrueFalse { value: true }, &text("vrai")),
            Err(GradeError::WrongShape { expected: "true_false" })
        );
    }

    #[test]
    fn every_shape_mismatch_is_an_error() {
        let keys = [
            AnswerKey::SingleChoice { correct: id(1) },
            AnswerKey::MultipleChoice { correct: vec![id(1)] },
            AnswerKey::TrueFalse { value: true },
            AnswerKey::Ordering { items: vec![id(1)] },
            text_key(&["oui"], 0),
        ];
        let answers = [
            Answer::SingleChoice { choice_id: id(1) },
            Answer::MultipleChoice { choice_ids: vec![id(1)] },
            Answer::TrueFalse { value: true },
            Answer::Ordering { item_ids: vec![id(1)] },
            text("oui"),
        ];
        for (i, key) in keys.iter().enumerate() {
            for (j, answer) in answers.iter().enumerate() {
                let graded = grade(key, answer);
                if i == j {
                    assert_eq!(graded, Ok(true), "{} with its own shape", key.kind());
                    assert_eq!(key.kind(), answer.kind());
                } else {
                    assert_eq!(graded, Err(GradeError::WrongShape { expected: key.kind() }));
                }
            }
        }
    }

    #[test]
    fn the_documented_schema_states_the_same_limits() {
        let schema = serde_json::to_string(&<Answer as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema.matches(&format!("\"maxItems\":{MAX_IDS}")).count(), 2, "{schema}");
        assert!(schema.contains(&format!("\"maxLength\":{MAX_TEXT_CHARS}")), "{schema}");
    }

    #[test]
    fn too_long_text_and_too_many_ids_are_errors() {
        let long = "a".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(grade(&text_key(&["a"], 0), &text(&long)), Err(GradeError::TextTooLong { max: 500 }));
        // The limit counts characters, not bytes.
        let accented = "é".repeat(MAX_TEXT_CHARS);
        assert_eq!(grade(&text_key(&["a"], 0), &text(&accented)), Ok(false));

        let many: Vec<Uuid> = (0..=MAX_IDS as u128).map(id).collect();
        let fifty: Vec<Uuid> = (0..MAX_IDS as u128).map(id).collect();
        let key = AnswerKey::MultipleChoice { correct: fifty.clone() };
        assert_eq!(grade(&key, &Answer::MultipleChoice { choice_ids: fifty.clone() }), Ok(true));
        assert_eq!(
            grade(&key, &Answer::MultipleChoice { choice_ids: many.clone() }),
            Err(GradeError::TooManyIds { max: 50 })
        );
        let key = AnswerKey::Ordering { items: fifty.clone() };
        assert_eq!(grade(&key, &Answer::Ordering { item_ids: fifty }), Ok(true));
        assert_eq!(
            grade(&key, &Answer::Ordering { item_ids: many }),
            Err(GradeError::TooManyIds { max: 50 })
        );
    }

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(GradeError::WrongShape { expected: "ordering" }.code(), "answer_wrong_shape");
        assert_eq!(GradeError::TextTooLong { max: 500 }.code(), "answer_too_long");
        assert_eq!(GradeError::TooManyIds { max: 50 }.code(), "answer_too_many_items");
    }

    // --- normalisation ---------------------------------------------------------------------

    #[test]
    fn normalise_folds_case_accents_spaces_and_typography() {
        assert_eq!(normalise_text("Mot de passe"), "motdepasse");
        assert_eq!(normalise_text("  SÉCURITÉ "), "securite");
        assert_eq!(normalise_text("l’identifiant"), normalise_text("l'identifiant"));
        assert_eq!(normalise_text("l‘identifiant"), "l'identifiant");
        assert_eq!(normalise_text("lʼidentifiant"), "l'identifiant");
        assert_eq!(normalise_text("mot\u{00A0}de\u{202F}passe\u{2009}!"), "motdepasse!");
        assert_eq!(normalise_text("\tmot\nde passe\r\n"), "motdepasse");
        assert_eq!(normalise_text("e–mail"), "e-mail");
        assert_eq!(normalise_text("e—mail"), "e-mail");
        assert_eq!(normalise_text("« oui »"), "\"oui\"");
        assert_eq!(normalise_text("Œuvre, cœur, ÆTHER"), "oeuvre,coeur,aether");
        assert_eq!(normalise_text("Ça, où, naïve, Noël, garçon"), "ca,ou,naive,noel,garcon");
        assert_eq!(normalise_text("mot\u{200B}de\u{FEFF}passe"), "motdepasse");
        assert_eq!(normalise_text(""), "");
        assert_eq!(normalise_text(" \u{00A0} \u{3000} "), "");
    }

    #[test]
    fn normalise_is_independent_of_the_input_normal_form() {
        let composed = "s\u{00E9}curit\u{00E9}";
        let decomposed = "se\u{0301}curite\u{0301}";
        assert_eq!(normalise_text(composed), "securite");
        assert_eq!(normalise_text(decomposed), "securite");
    }

    #[test]
    fn normalise_is_idempotent() {
        for s in ["  L’Été — Noël ", "Mot\u{00A0}de passe", "Œ", "İstanbul", "한국어", "@"] {
            let once = normalise_text(s);
            assert_eq!(normalise_text(&once), once, "{s:?}");
        }
    }

    #[test]
    fn normalised_answers_match_exactly_with_tolerance_zero() {
        assert!(grade_text(&["motdepasse"], 0, "Mot de passe"));
        assert!(grade_text(&["Mot de passe"], 0, "motdepasse"));
        assert!(grade_text(&["sécurité"], 0, "  SÉCURITÉ "));
        assert!(grade_text(&["securite"], 0, "  SÉCURITÉ "));
        assert!(grade_text(&["l'identifiant"], 0, "l’identifiant"));
        assert!(grade_text(&["mot de passe"], 0, "mot\u{00A0}de\u{00A0}passe"));
        assert!(!grade_text(&["mot de passe"], 0, "mot de passes"));
    }

    // --- Levenshtein -----------------------------------------------------------------------

    #[test]
    fn levenshtein_known_distances() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", "abc"), 0);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("flaw", "lawn"), 2);
        assert_eq!(levenshtein("identifiant", "identifiamt"), 1);
        assert_eq!(levenshtein("identifiant", "identfiant"), 1, "a deletion");
        assert_eq!(levenshtein("identifiant", "identifiants"), 1, "an insertion");
        assert_eq!(levenshtein("ab", "ba"), 2, "a transposition is two edits");
        // Counted on characters, not bytes.
        assert_eq!(levenshtein("été", "ete"), 2);
        assert_eq!(levenshtein("é", "e"), 1);
    }

    /// A slow, obviously correct reference: the full matrix.
    fn levenshtein_reference(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn levenshtein_matches_the_full_matrix_and_is_a_metric_on_random_strings() {
        let alphabet = ['a', 'b', 'c', 'é', '\''];
        let mut seed: u64 = 0x5EED;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let random_string = |next: &mut dyn FnMut() -> usize| {
            let len = next() % 8;
            (0..len).map(|_| alphabet[next() % alphabet.len()]).collect::<String>()
        };
        for _ in 0..500 {
            let a = random_string(&mut next);
            let b = random_string(&mut next);
            let c = random_string(&mut next);
            let ab = levenshtein(&a, &b);
            assert_eq!(ab, levenshtein_reference(&a, &b), "{a:?} {b:?}");
            assert_eq!(ab, levenshtein(&b, &a), "symmetric");
            assert_eq!(ab == 0, a == b, "zero iff equal");
            assert!(ab <= a.chars().count().max(b.chars().count()));
            assert!(ab >= a.chars().count().abs_diff(b.chars().count()));
            assert!(levenshtein(&a, &c) <= ab + levenshtein(&b, &c), "triangle inequality");
        }
    }

    // --- tolerance -------------------------------------------------------------------------

    #[test]
    fn tolerance_zero_one_and_two() {
        assert!(grade_text(&["identifiant"], 1, "identifiamt"));
        assert!(!grade_text(&["identifiant"], 0, "identifiamt"));
        assert!(grade_text(&["identifiant"], 0, "Identifiant"));
        // Two typos: tolerance 2 only (11 chars → at most 2 edits).
        assert!(!grade_text(&["identifiant"], 1, "idemtifiamt"));
        assert!(grade_text(&["identifiant"], 2, "idemtifiamt"));
        assert!(!grade_text(&["identifiant"], 2, "idemtifiamts"), "three edits");
        // Accents and spaces are normalised away before counting edits.
        assert!(grade_text(&["mot de passe"], 1, "Mot de pase"));
        assert!(grade_text(&["sécurité"], 2, "SECURTE"));
    }

    #[test]
    fn tolerance_is_capped_by_the_accepted_length() {
        // "sms" has 3 characters: 3 / 4 = 0, so an exact match is needed whatever the tolerance.
        assert!(grade_text(&["sms"], 2, "SMS"));
        assert!(!grade_text(&["sms"], 2, "smd"));
        assert!(!grade_text(&["sms"], 2, "sm"));
        assert!(!grade_text(&["non"], 2, "nom"));
        assert!(!grade_text(&["@"], 2, "a"));
        assert!(grade_text(&["@"], 2, "@"));
        // 4..7 characters allow one edit, 8 and more two.
        assert!(grade_text(&["wifi"], 2, "wify"));
        assert!(!grade_text(&["wifi"], 2, "wyfy"));
        assert!(!grade_text(&["courriel"], 1, "couriell"), "two edits");
        assert!(grade_text(&["courriel"], 2, "couriell"));
        // The cap counts the normalised accepted answer: "Mot de passe" is 10 characters.
        assert!(grade_text(&["Mot de passe"], 2, "motdepase"));
    }

    #[test]
    fn tolerance_above_two_is_treated_as_two() {
        assert!(!grade_text(&["identifiant"], 200, "idemtifiamts"));
        assert!(grade_text(&["identifiant"], 200, "idemtifiamt"));
    }

    #[test]
    fn any_accepted_answer_will_do() {
        let accepted = ["courriel", "e-mail", "mail"];
        assert!(grade_text(&accepted, 0, "E–mail"));
        assert!(grade_text(&accepted, 0, "Mail"));
        assert!(grade_text(&accepted, 1, "courriell"));
        assert!(!grade_text(&accepted, 1, "lettre"));
        assert!(!grade_text(&[], 2, "mail"), "no accepted answer: nothing is right");
    }

    #[test]
    fn an_empty_answer_is_never_right() {
        assert!(!grade_text(&["identifiant"], 2, ""));
        assert!(!grade_text(&["identifiant"], 2, "   \u{00A0} "));
        // Not even against an accepted answer that normalises to nothing.
        assert!(!grade_text(&["", "  "], 2, ""));
        assert!(!grade_text(&["", "  "], 2, " "));
        // Nor a short one with a large tolerance.
        assert!(!grade_text(&["ok"], 2, ""));
    }

    // --- serialisation ---------------------------------------------------------------------

    #[test]
    fn every_answer_shape_deserialises() {
        let a = "00000000-0000-0000-0000-000000000001";
        let b = "00000000-0000-0000-0000-000000000002";
        let parse = |v: serde_json::Value| serde_json::from_value::<Answer>(v).unwrap();
        assert_eq!(parse(json!({ "choice_id": a })), Answer::SingleChoice { choice_id: id(1) });
        assert_eq!(
            parse(json!({ "choice_ids": [a, b] })),
            Answer::MultipleChoice { choice_ids: vec![id(1), id(2)] }
        );
        assert_eq!(parse(json!({ "choice_ids": [] })), Answer::MultipleChoice { choice_ids: vec![] });
        assert_eq!(parse(json!({ "value": true })), Answer::TrueFalse { value: true });
        assert_eq!(parse(json!({ "value": false })), Answer::TrueFalse { value: false });
        assert_eq!(parse(json!({ "item_ids": [b, a] })), Answer::Ordering { item_ids: vec![id(2), id(1)] });
        assert_eq!(parse(json!({ "text": "Mot de passe" })), text("Mot de passe"));
    }

    #[test]
    fn answers_round_trip_through_json() {
        let answers = [
            Answer::SingleChoice { choice_id: id(7) },
            Answer::MultipleChoice { choice_ids: vec![id(1), id(2)] },
            Answer::TrueFalse { value: true },
            Answer::Ordering { item_ids: vec![id(3), id(1)] },
            text("l’identifiant"),
        ];
        for answer in answers {
            let value = serde_json::to_value(&answer).unwrap();
            assert!(value.get("kind").is_none(), "the answer carries no kind: {value}");
            assert_eq!(serde_json::from_value::<Answer>(value).unwrap(), answer);
        }
    }

    #[test]
    fn mixed_or_malformed_shapes_are_rejected() {
        let a = "00000000-0000-0000-0000-000000000001";
        let rejected = [
            json!({ "choice_id": a, "value": true }),
            json!({ "choice_ids": [a], "item_ids": [a] }),
            json!({ "text": "oui", "value": true }),
            json!({ "choice_id": a, "extra": 1 }),
            json!({ "kind": "single_choice", "choice_id": a }),
            json!({}),
            json!({ "choice_id": "not-a-uuid" }),
            json!({ "choice_id": [a] }),
            json!({ "choice_ids": a }),
            json!({ "value": "true" }),
            json!({ "text": 42 }),
            json!({ "item_ids": [a, 3] }),
            json!(true),
            json!("oui"),
            json!(null),
        ];
        for value in rejected {
            assert!(serde_json::from_value::<Answer>(value.clone()).is_err(), "accepted {value}");
        }
    }

    #[test]
    fn answer_keys_are_tagged_by_kind() {
        let key = AnswerKey::TextInput { accepted: vec!["oui".into()], tolerance: 1 };
        let value = serde_json::to_value(&key).unwrap();
        assert_eq!(value, json!({ "kind": "text_input", "accepted": ["oui"], "tolerance": 1 }));
        assert_eq!(serde_json::from_value::<AnswerKey>(value).unwrap(), key);

        let keys = [
            (AnswerKey::SingleChoice { correct: id(1) }, "single_choice"),
            (AnswerKey::MultipleChoice { correct: vec![id(1)] }, "multiple_choice"),
            (AnswerKey::TrueFalse { value: true }, "true_false"),
            (AnswerKey::Ordering { items: vec![id(1)] }, "ordering"),
        ];
        for (key, kind) in keys {
            let value = serde_json::to_value(&key).unwrap();
            assert_eq!(value["kind"], kind);
            assert_eq!(key.kind(), kind);
            assert_eq!(serde_json::from_value::<AnswerKey>(value).unwrap(), key);
        }
    }
}
