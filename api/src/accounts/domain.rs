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
        let (local, domain) = email.split_once('@').ok_or("field.email_missing_at")?;
        let valid = !local.is_empty()
            && email.len() <= EMAIL_MAX_LEN
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if valid { Ok(Email(email)) } else { Err("field.email_invalid") }
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
            n if n < PASSWORD_MIN_CHARS => Err("field.password_too_short"),
            n if n > PASSWORD_MAX_CHARS => Err("field.password_too_long"),
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
            0 => Err("field.display_name_empty"),
            n if n > DISPLAY_NAME_MAX_CHARS => Err("field.display_name_too_long"),
            _ if name.chars().any(char::is_control) => Err("field.display_name_invalid_characters"),
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

/// A language tag such as `fr`, `en` or `pt-BR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale(String);

impl Locale {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let (language, region) = raw.split_once('-').map_or((raw, None), |(l, r)| (l, Some(r)));
        let language_ok =
            (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase());
        let region_ok = region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
        if language_ok && region_ok { Ok(Locale(raw.to_owned())) } else { Err("field.locale") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name such as `Europe/Paris`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        raw.parse::<chrono_tz::Tz>().map(TimeZone).map_err(|_| "field.timezone")
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

/// A phone number in E.164 (`+33612345678`). French national forms
/// (`06 12 34 56 78`, `0612345678`, `+33 6 12…`, `0033 6…`) are accepted and
/// normalised; other countries must be written with their `+` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let invalid = "field.phone_invalid";
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        let international = if let Some(rest) = compact.strip_prefix('+') {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix("00") {
            rest.to_owned()
        } else if let Some(national) = compact.strip_prefix('0') {
            // A French national number: ten digits with the leading 0.
            if national.len() != 9 {
                return Err(invalid);
            }
            format!("33{national}")
        } else {
            return Err(invalid);
        };
        // `+33 0612…` is a common way of writing the French trunk 0 twice.
        let international = match international.strip_prefix("330") {
            Some(rest) if rest.len() == 9 => format!("33{rest}"),
            _ => international,
        };
        let french_ok = !international.starts_with("33") || international.len() == 11;
        let valid = (8..=15).contains(&international.len())
            && international.bytes().all(|b| b.is_ascii_digit())
            && !international.starts_with('0')
            && french_ok;
        if valid { Ok(Phone(format!("+{international}"))) } else { Err(invalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A username as typed at login: trimmed, lowercase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

const USERNAME_MAX_LEN: usize = 40;

impl Username {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim().to_lowercase();
        let valid = !name.is_empty()
            && name.len() <= USERNAME_MAX_LEN
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.');
        if valid { Ok(Username(name)) } else { Err("field.username_invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a person types to sign in: their email, phone number or username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Email(Email),
    Phone(Phone),
    Username(Username),
}

impl Login {
    /// An `@` means an email; a leading `+` or digit a phone number; anything
    /// else a username.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let trimmed = raw.trim();
        if trimmed.contains('@') {
            Email::parse(trimmed).map(Login::Email)
        } else if trimmed.starts_with('+') || trimmed.starts_with(|c: char| c.is_ascii_digit()) {
            Phone::parse(trimmed).map(Login::Phone)
        } else {
            Username::parse(trimmed).map(Login::Username)
        }
    }

    /// The normalised identifier, as throttling keys it.
    pub fn as_str(&self) -> &str {
        match self {
            Login::Email(email) => email.as_str(),
            Login::Phone(phone) => phone.as_str(),
            Login::Username(username) => username.as_str(),
        }
    }
}

/// Adapters so that `validator` reports these rules with field paths (422).
pub mod rules {
    use std::borrow::Cow;

    use validator::ValidationError;

    fn check<T>(parsed: Result<T, &'static str>, code: &'static str) -> Result<(), ValidationError> {
        parsed.map(|_| ()).map_err(|message| ValidationError::new(code).with_message(Cow::Borrowed(message)))
    }

    pub fn email(value: &str) -> Result<(), ValidationError> {
        check(super::Email::parse(value), "email")
    }

    pub fn password(value: &str) -> Result<(), ValidationError> {
        check(super::Password::parse(value.to_owned()), "length")
    }

    pub fn display_name(value: &str) -> Result<(), ValidationError> {
        check(super::DisplayName::parse(value), "length")
    }

    pub fn locale(value: &str) -> Result<(), ValidationError> {
        check(super::Locale::parse(value), "locale")
    }

    pub fn timezone(value: &str) -> Result<(), ValidationError> {
        check(super::TimeZone::parse(value), "timezone")
    }

    pub fn phone(value: &str) -> Result<(), ValidationError> {
        check(super::Phone::parse(value), "phone")
    }

    pub fn login(value: &str) -> Result<(), ValidationError> {
        check(super::Login::parse(value), "login")
    }
}

#[cfg(test)]
mod identifier_tests {
    use super::*;

    #[test]
    fn french_and_international_phones_become_e164() {
        for (raw, e164) in [
            ("06 12 34 56 78", "+33612345678"),
            ("0612345678", "+33612345678"),
            ("06.12.34.56.78", "+33612345678"),
            ("+33 6 12 34 56 78", "+33612345678"),
            ("+33 (0)6 12 34 56 78", "+33612345678"),
            ("0033612345678", "+33612345678"),
            ("+212 6 12 34 56 78", "+212612345678"),
            ("01 49 40 00 00", "+33149400000"),
        ] {
            assert_eq!(Phone::parse(raw).map(|p| p.as_str().to_owned()), Ok(e164.to_owned()), "{raw}");
        }
        for bad in
            ["", "12345", "06 12 34 56", "06 12 34 56 78 9", "+33 6 12 34", "+0612345678", "06-12-AB-56-78"]
        {
            assert!(Phone::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_login_is_an_email_a_phone_or_a_username() {
        assert_eq!(Login::parse(" Amina@Example.org ").unwrap().as_str(), "amina@example.org");
        assert!(matches!(Login::parse("06 12 34 56 78"), Ok(Login::Phone(_))));
        assert!(matches!(Login::parse("+33612345678"), Ok(Login::Phone(_))));
        assert_eq!(Login::parse(" Amina.K42 ").unwrap(), Login::Username(Username("amina.k42".into())));
        for bad in ["", "amina k", "amina@", "ämina"] {
            assert!(Login::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}

#[cfg(test)]
mod locale_and_zone_tests {
    use super::*;

    #[test]
    fn locales_and_time_zones_are_checked() {
        for good in ["fr", "en", "pt-BR", "ber"] {
            assert!(Locale::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "FR", "fr-br", "fr_FR", "français"] {
            assert!(Locale::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(TimeZone::parse("Europe/Paris").unwrap().name(), "Europe/Paris");
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }
}
