//! The message catalogue: every text keyed by a stable id, in French and
//! English. Placeholders are written `{name}` and filled by `text_with`.
//! Ids are `<kind>.<name>`: `problem.` (problem details), `field.` (422
//! field messages), `notice.` (notifications), `reason.` (recommendation and
//! score reasons), `feedback.` (what a graded answer tells the learner),
//! `mail.`.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Lang;

mod accounts;
mod adaptive;
mod credentials;
mod fields;
mod lessons;
mod mail;
mod mentoring;
mod partners;
mod problems;
mod skills;
mod training;
mod webhooks;
mod workshops;

/// One text in both languages.
pub struct Message {
    pub id: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

pub(super) const fn m(id: &'static str, fr: &'static str, en: &'static str) -> Message {
    Message { id, fr, en }
}

/// Every part of the catalogue, one per kind of text: the parts are kept
/// apart so that each area adds its texts without touching the others'.
const PARTS: &[&[Message]] = &[
    problems::MESSAGES,
    fields::MESSAGES,
    mail::MESSAGES,
    accounts::MESSAGES,
    workshops::MESSAGES,
    mentoring::MESSAGES,
    lessons::MESSAGES,
    adaptive::MESSAGES,
    skills::MESSAGES,
    webhooks::MESSAGES,
    partners::MESSAGES,
    training::MESSAGES,
    credentials::MESSAGES,
];

static BY_ID: LazyLock<HashMap<&'static str, &'static Message>> =
    LazyLock::new(|| PARTS.iter().flat_map(|part| part.iter()).map(|m| (m.id, m)).collect());

/// The text of `id` in `lang`. An unknown id is a programming error: it is
/// logged and gives an empty text rather than a panic.
pub fn text(id: &str, lang: Lang) -> &'static str {
    match BY_ID.get(id) {
        Some(message) => match lang {
            Lang::Fr => message.fr,
            Lang::En => message.en,
        },
        None => {
            tracing::error!(id, "no such message in the catalogue");
            ""
        }
    }
}

/// The text of `id` with its `{placeholders}` filled, in one pass: a value
/// that itself holds `{…}` (a title someone typed) is never read as a
/// placeholder.
pub fn text_with(id: &str, lang: Lang, values: &[(&str, &str)]) -> String {
    let template = text(id, lang);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(n, _)| *n == name).map(|(_, value)| (*value, close))
        });
        match filled {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(n, _)| n).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        let mut ids = HashSet::new();
        for message in PARTS.iter().flat_map(|part| part.iter()) {
            assert!(ids.insert(message.id), "{} is listed twice", message.id);
            assert!(
                !message.fr.trim().is_empty() && !message.en.trim().is_empty(),
                "{} lacks a language",
                message.id
            );
            assert_ne!(message.fr, message.en, "{} is not translated", message.id);
            assert_eq!(placeholders(message.fr), placeholders(message.en), "{}", message.id);
        }
    }

    #[test]
    fn every_error_code_has_a_problem_text() {
        for code in crate::error::ErrorCode::ALL {
            let id = format!("problem.{code}");
            assert!(BY_ID.contains_key(id.as_str()), "{id} is missing");
        }
    }

    /// Ids are written as string literals where a text is used: each one
    /// the source names must be in the catalogue.
    #[test]
    fn every_id_the_source_names_is_in_the_catalogue() {
        const KINDS: [&str; 6] = ["problem.", "field.", "notice.", "reason.", "feedback.", "mail."];
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (start, _) in source.match_indices('"') {
                let Some(literal) = source[start + 1..].split('"').next() else { continue };
                let is_id = KINDS.iter().any(|kind| literal.len() > kind.len() && literal.starts_with(kind))
                    && literal
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._".contains(&b));
                // A notice names its pair of texts, `<id>.title` and `<id>.body`.
                let known =
                    BY_ID.contains_key(literal) || BY_ID.contains_key(format!("{literal}.title").as_str());
                if is_id && !known {
                    missing.push(format!("{literal} ({})", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "not in the catalogue: {missing:?}");
    }

    /// A notification's title names nobody (erasure rewrites bodies only),
    /// and each notice has both a title and a body.
    #[test]
    fn notices_have_a_plain_title_and_a_body() {
        for message in PARTS.iter().flat_map(|part| part.iter()) {
            let Some(name) = message.id.strip_prefix("notice.") else { continue };
            if let Some(notice) = name.strip_suffix(".title") {
                assert!(placeholders(message.fr).is_empty(), "{} names someone", message.id);
                assert!(BY_ID.contains_key(format!("notice.{notice}.body").as_str()), "{notice} has no body");
            } else if let Some(notice) = name.strip_suffix(".body") {
                assert!(
                    BY_ID.contains_key(format!("notice.{notice}.title").as_str()),
                    "{notice} has no title"
                );
            } else {
                panic!("{} is neither a title nor a body", message.id);
            }
        }
    }

    #[test]
    fn a_value_is_never_read_as_a_placeholder() {
        assert_eq!(
            text_with("problem.method_not_allowed", Lang::En, &[("allow", "{allow} GET")]),
            "Method not supported here. Allowed methods: {allow} GET."
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            text_with("problem.payload_too_large", Lang::En, &[("limit", "10")]),
            "The content sent is too large (at most 10 bytes)."
        );
        assert_eq!(text("problem.not_found", Lang::Fr), "Cette ressource n'existe pas.");
    }
}
