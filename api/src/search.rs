//! Text search helpers shared by every list with a `?q=` filter.

use entity::search::search_key;
use sea_orm::sea_query::LikeExpr;

use crate::error::ApiError;

/// The most characters and words a search may have. Each word becomes one
/// `LIKE` condition: without a bound, a long `q` builds a query the database
/// refuses (or the server overflows its stack building it), and no person
/// types more than this in a search box.
pub const MAX_SEARCH_CHARS: usize = 100;
pub const MAX_SEARCH_WORDS: usize = 8;

/// The `?q=` of a list, parsed: not blank, at most [`MAX_SEARCH_CHARS`]
/// characters and [`MAX_SEARCH_WORDS`] words. Every searching route reads its
/// `q` through [`SearchText::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// `None` for a missing or blank `q`; a 422 naming `q` when it is too long.
    pub fn parse(q: Option<&str>) -> Result<Option<Self>, ApiError> {
        let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.chars().nth(MAX_SEARCH_CHARS).is_some() {
            return Err(ApiError::validation("q", "length", "field.search_too_long"));
        }
        if text.split_whitespace().nth(MAX_SEARCH_WORDS).is_some() {
            return Err(ApiError::validation("q", "word_count", "field.search_too_many_words"));
        }
        Ok(Some(SearchText(text.to_owned())))
    }

    /// The text as typed, without surrounding spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its words in search form (accents and case folded), each to be found on its own.
    pub fn words(&self) -> Vec<String> {
        search_key(&self.0).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
    }
}

/// `LIKE '%text%'` with `%`, `_` and `\` in `text` taken literally.
pub fn like_contains(text: &str) -> LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Option<SearchText>, ApiError> {
        SearchText::parse(Some(q))
    }

    #[test]
    fn blank_or_missing_text_searches_nothing() {
        assert_eq!(SearchText::parse(None).unwrap(), None);
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn text_is_bounded_in_characters_and_words() {
        assert!(parse(&"é".repeat(100)).unwrap().is_some(), "characters, not bytes");
        assert!(parse(&format!("  {}  ", "a".repeat(100))).unwrap().is_some(), "trimmed first");
        assert!(parse(&["mot"; 8].join(" ")).unwrap().is_some());
        for too_long in ["a".repeat(101), ["mot"; 9].join(" "), ["mot"; 3000].join(" ")] {
            let Err(ApiError::Validation(errors)) = parse(&too_long) else {
                panic!("{too_long:?} is accepted");
            };
            assert_eq!(errors[0].field, "q");
        }
    }

    #[test]
    fn words_are_folded() {
        let text = parse("  Sécurité   NUMÉRIQUE ").unwrap().unwrap();
        assert_eq!(text.as_str(), "Sécurité   NUMÉRIQUE");
        assert_eq!(text.words(), ["securite", "numerique"]);
    }
}
