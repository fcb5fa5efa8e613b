//! Pure rules of training offers: the certification code and the lifecycle.
//! Unit-tested.

use entity::training_offer::OfferStatus;

/// A code of the national registers of France Compétences: `RNCP` then 3 to
/// 6 digits (`RNCP12345`), or `RS` then 3 to 5 digits (`RS1234`). Spaces
/// are dropped and letters upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificationCode(String);

impl CertificationCode {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code: String =
            raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let digits_ok = |digits: &str, range: std::ops::RangeInclusive<usize>| {
            range.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        };
        let valid = match code.strip_prefix("RNCP") {
            Some(digits) => digits_ok(digits, 3..=6),
            None => code.strip_prefix("RS").is_some_and(|digits| digits_ok(digits, 3..=5)),
        };
        if valid { Ok(CertificationCode(code)) } else { Err("field.certification_code_invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a manager may do to an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferAction {
    Edit,
    Publish,
    Archive,
    AddSession,
}

/// The status an offer reaches by `action`, or `None` when its status does
/// not allow it: a draft is edited and published; a published offer is
/// still edited (its public page stays at the same address) and gets
/// sessions; either is archived; an archived offer is kept as it is.
pub fn after(status: OfferStatus, action: OfferAction) -> Option<OfferStatus> {
    use OfferAction::*;
    use OfferStatus::*;
    match (status, action) {
        (Draft | Published, Edit | AddSession) => Some(status),
        (Draft, Publish) => Some(Published),
        (Draft | Published, Archive) => Some(Archived),
        (Published, Publish) | (Archived, _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certification_codes() {
        assert_eq!(CertificationCode::parse("RNCP12345").unwrap().as_str(), "RNCP12345");
        assert_eq!(CertificationCode::parse(" rncp 34109 ").unwrap().as_str(), "RNCP34109");
        assert_eq!(CertificationCode::parse("RS1234").unwrap().as_str(), "RS1234");
        assert_eq!(CertificationCode::parse("rs5456").unwrap().as_str(), "RS5456");
        for bad in ["", "RNCP", "RNCP12", "RNCP1234567", "RS12", "RS123456", "RNCP12A45", "12345", "RSX1234"]
        {
            assert!(CertificationCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_lifecycle_goes_one_way() {
        use OfferAction::*;
        use OfferStatus::*;
        assert_eq!(after(Draft, Publish), Some(Published));
        assert_eq!(after(Draft, Archive), Some(Archived));
        assert_eq!(after(Published, Archive), Some(Archived));
        assert_eq!(after(Published, Edit), Some(Published));
        assert_eq!(after(Draft, AddSession), Some(Draft));
        assert_eq!(after(Published, Publish), None);
        for action in [Edit, Publish, Archive, AddSession] {
            assert_eq!(after(Archived, action), None, "{action:?}");
        }
    }
}
