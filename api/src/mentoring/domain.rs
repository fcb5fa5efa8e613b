//! Values of Enchanté that can only exist when valid ("parse, don't validate").
//! A refused value gives the catalogue id of its field message (`field.…`),
//! read in the language of whoever sent it.

use std::borrow::Cow;

use entity::match_session::Modality;
use validator::ValidationError;

/// A French postcode: five digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code = raw.trim();
        if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Postcode(code.to_owned()))
        } else {
            Err("field.postcode")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The département: the first two digits, three overseas (971..976, 97x).
    /// Corsica (2A/2B) shares `20`, which is close enough for proximity.
    pub fn departement(&self) -> &str {
        if self.0.starts_with("97") || self.0.starts_with("98") { &self.0[..3] } else { &self.0[..2] }
    }
}

/// A language tag such as `fr`, `ar` or `pt-BR` (same rule as a locale).
pub fn parse_language(raw: &str) -> Result<String, &'static str> {
    crate::accounts::domain::Locale::parse(raw.trim())
        .map(|l| l.as_str().to_owned())
        .map_err(|_| "field.locale")
}

/// `"18:30"` → 1110 minutes since midnight; `"24:00"` is the end of the day.
pub fn parse_clock(raw: &str) -> Result<u16, &'static str> {
    const MESSAGE: &str = "field.clock";
    let (hours, minutes) = raw.split_once(':').ok_or(MESSAGE)?;
    if hours.len() != 2 || minutes.len() != 2 {
        return Err(MESSAGE);
    }
    let hours: u16 = hours.parse().map_err(|_| MESSAGE)?;
    let minutes: u16 = minutes.parse().map_err(|_| MESSAGE)?;
    match (hours, minutes) {
        (24, 0) => Ok(1440),
        (0..=23, 0..=59) => Ok(hours * 60 + minutes),
        _ => Err(MESSAGE),
    }
}

pub fn format_clock(minutes: i16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

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

    pub fn clock(value: &str) -> Result<(), ValidationError> {
        check(parse_clock(value), "time")
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
    fn clocks() {
        assert_eq!(parse_clock("00:00"), Ok(0));
        assert_eq!(parse_clock("18:30"), Ok(1110));
        assert_eq!(parse_clock("24:00"), Ok(1440));
        for bad in ["24:01", "7:00", "07:60", "0700", "ab:cd", ""] {
            assert!(parse_clock(bad).is_err(), "{bad}");
        }
        assert_eq!(format_clock(1110), "18:30");
        assert_eq!(format_clock(1440), "24:00");
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
