//! Values of Enchanté that can only exist when valid ("parse, don't validate").
//! A refused value gives the catalogue id of its field message (`field.…`),
//! read in the language of whoever sent it.

use std::borrow::Cow;

use entity::match_session::Modality;
use validator::ValidationError;

/// Postcodes (and their département) are the directory's.
pub use crate::organizations::place::Postcode;

/// A language tag such as `fr`, `ar` or `pt-BR` (same rule as a locale).
pub fn parse_language(raw: &str) -> Result<String, &'static str> {
    crate::accounts::domain::Locale::parse(raw.trim())
        .map(|l| l.as_str().to_owned())
        .map_err(|_| "field.locale")
}

pub use crate::weekly::{format_clock, parse_clock};

/// The modalities someone offers or accepts, as three flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modalities {
    pub remote: bool,
    pub in_person: bool,
    pub phone: bool,
}

impl Modalities {
    pub fn from_list(list: &[Modality]) -> Self {
        Modalities {
            remote: list.contains(&Modality::Remote),
            in_person: list.contains(&Modality::InPerson),
            phone: list.contains(&Modality::Phone),
        }
    }

    pub fn to_list(self) -> Vec<Modality> {
        [(self.remote, Modality::Remote), (self.in_person, Modality::InPerson), (self.phone, Modality::Phone)]
            .into_iter()
            .filter_map(|(on, modality)| on.then_some(modality))
            .collect()
    }

    pub fn common(self, other: Modalities) -> Modalities {
        Modalities {
            remote: self.remote && other.remote,
            in_person: self.in_person && other.in_person,
            phone: self.phone && other.phone,
        }
    }

    pub fn any(self) -> bool {
        self.remote || self.in_person || self.phone
    }
}

/// Adapters so that `validator` reports these rules with field paths (422).
pub mod rules {
    use super::*;

    fn check<T>(parsed: Result<T, &'static str>, code: &'static str) -> Result<(), ValidationError> {
        parsed.map(|_| ()).map_err(|message| ValidationError::new(code).with_message(Cow::Borrowed(message)))
    }

    pub fn postcode(value: &str) -> Result<(), ValidationError> {
        check(Postcode::parse(value), "postcode")
    }

    pub fn languages(values: &[String]) -> Result<(), ValidationError> {
        for value in values {
            check(parse_language(value), "language")?;
        }
        Ok(())
    }

    pub fn modalities(values: &[Modality]) -> Result<(), ValidationError> {
        let mut seen = values.to_vec();
        seen.sort();
        seen.dedup();
        if seen.len() == values.len() {
            Ok(())
        } else {
            Err(ValidationError::new("unique").with_message(Cow::Borrowed("field.modalities_unique")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_and_departements() {
        assert_eq!(Postcode::parse(" 93800 ").unwrap().departement(), "93");
        assert_eq!(Postcode::parse("97400").unwrap().departement(), "974");
        assert_eq!(Postcode::parse("75011").unwrap().as_str(), "75011");
        for bad in ["", "9380", "938000", "93 80", "2A004"] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages_and_modalities() {
        assert_eq!(parse_language("pt-BR").unwrap(), "pt-BR");
        assert!(parse_language("Français").is_err());
        let set = Modalities::from_list(&[Modality::Phone, Modality::Remote]);
        assert_eq!(set.to_list(), vec![Modality::Remote, Modality::Phone]);
        assert!(!set.common(Modalities { in_person: true, ..Default::default() }).any());
        assert!(rules::modalities(&[Modality::Phone, Modality::Phone]).is_err());
    }
}
