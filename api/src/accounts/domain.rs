//! Account values that can only exist when valid ("parse, don't validate").

use std::fmt;

/// A normalised email address: trimmed, lowercase, `local@domain.tld`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// A password of 10..=128 characters (any Unicode, counted as characters,
/// never truncated).
pub struct Password(String);

/// A display name of 1..=80 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;
const EMAIL_MAX_LEN: usize = 254;
const DISPLAY_NAME_MAX_CHARS: usize = 80;

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or("L'adresse email doit contenir un @.")?;
        let valid = !local.is_empty()
            && email.len() <= EMAIL_MAX_LEN
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if valid { Ok(Email(email)) } else { Err("Cette adresse email n'est pas valide.") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, a default display name.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl Password {
    pub fn parse(raw: String) -> Result<Self, &'static str> {
        match raw.chars().count() {
            n if n < PASSWORD_MIN_CHARS => Err("Le mot de passe doit contenir au moins 10 caractères."),
            n if n > PASSWORD_MAX_CHARS => Err("Le mot de passe doit contenir au plus 128 caractères."),
            _ => Ok(Password(raw)),
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<hidden>)")
    }
}

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim();
        match name.chars().count() {
            0 => Err("Le nom affiché ne peut pas être vide."),
            n if n > DISPLAY_NAME_MAX_CHARS => Err("Le nom affiché doit contenir au plus 80 caractères."),
            _ if name.chars().any(char::is_control) => {
                Err("Le nom affiché contient des caractères invalides.")
            }
            _ => Ok(DisplayName(name.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Alice.Martin@Example.FR ").unwrap().as_str(), "alice.martin@example.fr");
        for bad in
            ["", "alice", "@example.fr", "alice@", "alice@example", "a b@example.fr", "a@b@c.fr", "a@.fr"]
        {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert!(Password::parse("ééééééééé".into()).is_err()); // 9 chars, 18 bytes
        assert!(Password::parse("éééééééééé".into()).is_ok()); // 10 chars
        assert!(Password::parse("x".repeat(128)).is_ok());
        assert!(Password::parse("x".repeat(129)).is_err());
        assert_eq!(format!("{:?}", Password::parse("secret-secret".into()).unwrap()), "Password(<hidden>)");
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Awa ").unwrap().as_str(), "Awa");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"a".repeat(81)).is_err());
    }
}
