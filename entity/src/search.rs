//! The normal form of text for searching: NFD-decomposed, combining accents
//! removed, lowercase, inner whitespace collapsed. Stored beside searchable
//! columns so that both SQLite and PostgreSQL match "securite" with "Sécurité"
//! without database extensions.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub fn search_key(text: &str) -> String {
    let folded: String = text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::search_key;

    #[test]
    fn accents_case_and_spaces_are_folded() {
        assert_eq!(search_key("  Sécurité   NUMÉRIQUE "), "securite numerique");
        assert_eq!(search_key("Nétiquette"), search_key("netiquette"));
        assert_eq!(search_key("S'affirmer à l'oral"), "s'affirmer a l'oral");
        assert_eq!(search_key("Œuvre ÇA"), "œuvre ca");
    }
}
