//! Values of a place of the directory that can only exist when valid ("parse,
//! don't validate"): a French postcode and its département, an INSEE commune
//! code, a website. Pure and unit-tested; mentoring reads `Postcode` too.

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

    /// The département: the first two digits; three overseas (`971`..`978`,
    /// `986`..`988`); in Corsica `2A` (Corse-du-Sud, 200xx and 201xx) or `2B`
    /// (Haute-Corse, the other 20xxx).
    pub fn departement(&self) -> &str {
        let code = self.0.as_str();
        if code.starts_with("97") || code.starts_with("98") {
            &code[..3]
        } else if code.starts_with("200") || code.starts_with("201") {
            "2A"
        } else if code.starts_with("20") {
            "2B"
        } else {
            &code[..2]
        }
    }
}

/// A département code as a filter names it: two digits, `2A`/`2B`, or three
/// digits overseas (`974`). Upper-cased.
pub fn parse_departement(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_ascii_uppercase();
    let valid = match code.len() {
        2 => code.bytes().all(|b| b.is_ascii_digit()) || code == "2A" || code == "2B",
        3 => code.bytes().all(|b| b.is_ascii_digit()) && (code.starts_with("97") || code.starts_with("98")),
        _ => false,
    };
    if valid { Ok(code) } else { Err("field.departement_invalid") }
}

/// The INSEE code of a commune: five characters, digits, except the
/// Corsican `2A`/`2B` prefix (`2A004` is Ajaccio).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InseeCode(String);

impl InseeCode {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code = raw.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        let valid = bytes.len() == 5
            && bytes[2..].iter().all(u8::is_ascii_digit)
            && (bytes[..2].iter().all(u8::is_ascii_digit) || &code[..2] == "2A" || &code[..2] == "2B");
        if valid { Ok(InseeCode(code)) } else { Err("field.insee_code_invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A public website: an absolute `https://` URL with a host, at most 300
/// characters, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

const WEBSITE_MAX_CHARS: usize = 300;

impl Website {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let url = raw.trim();
        let Some(rest) =
            url.get(..8).filter(|scheme| scheme.eq_ignore_ascii_case("https://")).map(|_| &url[8..])
        else {
            return Err("field.website_invalid");
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host_name = host.split(':').next().unwrap_or_default();
        let valid = url.chars().count() <= WEBSITE_MAX_CHARS
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
            && host_name.contains('.')
            && !host_name.starts_with('.')
            && !host_name.ends_with('.')
            && host_name.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if valid { Ok(Website(url.to_owned())) } else { Err("field.website_invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn departement(postcode: &str) -> String {
        Postcode::parse(postcode).unwrap().departement().to_owned()
    }

    #[test]
    fn the_departement_comes_from_the_postcode() {
        assert_eq!(departement(" 93800 "), "93");
        assert_eq!(departement("01000"), "01");
        assert_eq!(departement("75011"), "75");
        // Corsica: Ajaccio and Porto-Vecchio are in 2A, Bastia and Corte in 2B.
        assert_eq!(departement("20000"), "2A");
        assert_eq!(departement("20137"), "2A");
        assert_eq!(departement("20200"), "2B");
        assert_eq!(departement("20250"), "2B");
        assert_eq!(departement("20600"), "2B");
        // Overseas: three digits.
        assert_eq!(departement("97400"), "974");
        assert_eq!(departement("97600"), "976");
        assert_eq!(departement("97133"), "971");
        assert_eq!(departement("98800"), "988");
        for bad in ["", "9380", "938000", "93 80", "2A004", "abcde"] {
            assert_eq!(Postcode::parse(bad), Err("field.postcode"), "{bad}");
        }
    }

    #[test]
    fn departement_filters_are_checked() {
        assert_eq!(parse_departement("93"), Ok("93".into()));
        assert_eq!(parse_departement("2a"), Ok("2A".into()));
        assert_eq!(parse_departement("974"), Ok("974".into()));
        for bad in ["", "9", "2C", "934", "9300", "A3"] {
            assert!(parse_departement(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn insee_codes() {
        assert_eq!(InseeCode::parse("93031").unwrap().as_str(), "93031");
        assert_eq!(InseeCode::parse("2a004").unwrap().as_str(), "2A004");
        assert_eq!(InseeCode::parse("2B033").unwrap().as_str(), "2B033");
        for bad in ["", "9303", "930311", "2C004", "93O31", "AB123"] {
            assert!(InseeCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn websites_are_https_with_a_host() {
        for good in ["https://efficience.fr", "https://www.le-pole.org/ateliers?x=1", "HTTPS://exemple.fr"] {
            assert!(Website::parse(good).is_ok(), "{good}");
        }
        let too_long = format!("https://exemple.fr/{}", "a".repeat(290));
        for bad in [
            "http://efficience.fr",
            "efficience.fr",
            "https://",
            "https://localhost",
            "https://exa mple.fr",
            "javascript:alert(1)",
            "https://.fr",
            too_long.as_str(),
        ] {
            assert!(Website::parse(bad).is_err(), "{bad}");
        }
    }
}
