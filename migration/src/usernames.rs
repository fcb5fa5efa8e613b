//! The readable part of a username (`amina.k` for "Amina Kaddour"), shared by
//! the migration that gives existing accounts one and the service that names
//! new accounts: lowercase ASCII letters of the first word of the display
//! name, a dot and the initial of the next word.

use unicode_normalization::UnicodeNormalization;

/// At most this many letters of the first name are kept.
const FIRST_NAME_LETTERS: usize = 12;

/// `"Amina Kaddour"` → `"amina.k"`, `"Élodie"` → `"elodie"`, `"李"` → `"membre"`.
pub fn stem(display_name: &str) -> String {
    let words: Vec<String> = display_name
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|word| {
            word.nfd().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect();
    match words.as_slice() {
        [] => "membre".to_owned(),
        [first] => first.chars().take(FIRST_NAME_LETTERS).collect(),
        [first, second, ..] => {
            let first: String = first.chars().take(FIRST_NAME_LETTERS).collect();
            let initial = second.chars().next().map(String::from).unwrap_or_default();
            format!("{first}.{initial}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn stems_are_readable_ascii() {
        assert_eq!(stem("Amina Kaddour"), "amina.k");
        assert_eq!(stem("  Élodie  "), "elodie");
        assert_eq!(stem("Jean-Pierre Durand"), "jean.p");
        assert_eq!(stem("N'Golo Kanté"), "ngolo.k");
        assert_eq!(stem("李小龍"), "membre");
        assert_eq!(stem("Maximiliendegrandpré"), "maximiliende");
    }
}
