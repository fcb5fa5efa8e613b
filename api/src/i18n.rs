//! The languages the service writes in for people: French (the default) and
//! English, chosen from the account's locale, else `Accept-Language`.

/// A language of the message catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// `en`, `en-GB`... → English; anything else → French.
    pub fn from_locale(locale: &str) -> Lang {
        let language = locale.split(['-', '_']).next().unwrap_or_default();
        if language.eq_ignore_ascii_case("en") { Lang::En } else { Lang::Fr }
    }

    /// The BCP 47 tag, for `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn english_only_when_asked_for() {
        assert_eq!(Lang::from_locale("en"), Lang::En);
        assert_eq!(Lang::from_locale("en-GB"), Lang::En);
        assert_eq!(Lang::from_locale("fr"), Lang::Fr);
        assert_eq!(Lang::from_locale("ar"), Lang::Fr);
        assert_eq!(Lang::from_locale(""), Lang::Fr);
    }
}
