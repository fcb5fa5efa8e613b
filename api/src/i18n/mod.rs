//! The languages the service writes in for people: French (the default) and
//! English. The account's locale decides, else the request's
//! `Accept-Language`, else French; every response says which in
//! `Content-Language`. Texts come from one catalogue keyed by id
//! (`catalogue`).

use std::cell::Cell;

pub mod catalogue;

pub use catalogue::{text, text_with};

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

    /// The language of an `Accept-Language` header (RFC 9110 §12.5.4): the
    /// catalogue language with the highest weight, French when neither is
    /// asked for.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best = (Lang::Fr, 0.0_f32);
        for range in accept_language.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let tag = parts.next().unwrap_or_default();
            let weight =
                parts.find_map(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let language = tag.split('-').next().unwrap_or_default();
            let lang = if language.eq_ignore_ascii_case("en") {
                Lang::En
            } else if language.eq_ignore_ascii_case("fr") {
                Lang::Fr
            } else {
                continue;
            };
            if weight > best.1 {
                best = (lang, weight);
            }
        }
        best.0
    }

    /// The BCP 47 tag, for `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

tokio::task_local! {
    static CURRENT: Cell<Lang>;
}

/// Runs `future` with `lang` as the language of the request it serves, and
/// gives back the language in force at its end (an account's locale may have
/// replaced the one asked for).
pub async fn scope<F: std::future::Future>(lang: Lang, future: F) -> (F::Output, Lang) {
    CURRENT.scope(Cell::new(lang), async move { (future.await, current()) }).await
}

/// `scope` for the synchronous part of starting a request.
pub fn sync_scope<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(Cell::new(lang), f)
}

/// The language of the request being served (French outside one).
pub fn current() -> Lang {
    CURRENT.try_with(Cell::get).unwrap_or(Lang::Fr)
}

/// The text of `id` in the language of the request being served.
pub fn t(id: &str) -> String {
    text(id, current()).to_owned()
}

/// `t` with `{placeholders}` filled.
pub fn t_with(id: &str, values: &[(&str, &str)]) -> String {
    text_with(id, current(), values)
}

/// The account's own locale wins over what the browser asks for.
pub fn prefer_account_locale(locale: &str) {
    let _ = CURRENT.try_with(|lang| lang.set(Lang::from_locale(locale)));
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

    #[test]
    fn accept_language_is_weighed() {
        assert_eq!(Lang::negotiate("en"), Lang::En);
        assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::negotiate("ar, en;q=0.5"), Lang::En);
        assert_eq!(Lang::negotiate("de, ar"), Lang::Fr);
        assert_eq!(Lang::negotiate("en;q=0.2, fr;q=0.7"), Lang::Fr);
        assert_eq!(Lang::negotiate(""), Lang::Fr);
    }
}
