//! The mails the service writes, short and plain (the people who read them
//! are often unsure with digital tools), in the catalogue's languages.

use super::outbox::Content;
use crate::i18n::{Lang, text, text_with};

/// A link to the partner front-end, with the token as `?token=`.
pub fn link(app_url: &str, path: &str, token: &str) -> String {
    format!("{app_url}/{path}?token={token}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One short mail of catalogue entries `mail.<kind>.*`: a greeting, what
/// happened, the link, what to do if it was not you.
fn compose(kind: &str, lang: Lang, name: &str, url: &str) -> Content {
    let part = |name: &str| text(&format!("mail.{kind}.{name}"), lang);
    let hello = text_with("mail.hello", lang, &[("name", name)]);
    let (body, action, footer) = (part("body"), part("action"), part("footer"));
    let text = format!("{hello}\n\n{body}\n\n{action} :\n{url}\n\n{footer}\n");
    let paragraphs: String = body.lines().map(|line| format!("<p>{}</p>", escape(line))).collect();
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; font-size: 18px; line-height: 1.5\">\
         <p>{}</p>{paragraphs}<p><a href=\"{}\" style=\"font-size: 20px\">{}</a></p><p>{}</p></body></html>",
        escape(&hello),
        escape(url),
        escape(action),
        escape(footer),
    );
    Content { subject: part("subject").to_owned(), text, html }
}

pub fn password_reset(lang: Lang, name: &str, url: &str) -> Content {
    compose("password_reset", lang, name, url)
}

pub fn email_verification(lang: Lang, name: &str, url: &str) -> Content {
    compose("email_verification", lang, name, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_carry_the_link_in_text_and_html_and_escape_names() {
        let url = link("https://app.example.org", "password-reset", "abc_-123");
        assert_eq!(url, "https://app.example.org/password-reset?token=abc_-123");
        for lang in [Lang::Fr, Lang::En] {
            let mail = password_reset(lang, "<Amina>", &url);
            assert!(mail.text.contains(&url) && mail.html.contains(&url));
            assert!(mail.html.contains("&lt;Amina&gt;") && !mail.html.contains("<Amina>"));
        }
        assert_eq!(email_verification(Lang::En, "A", &url).subject, "Confirm your email address");
        assert_eq!(email_verification(Lang::Fr, "A", &url).subject, "Confirmer votre adresse email");
    }
}
