//! The mails the service writes, in French and English, short and plain:
//! the people who read them are often unsure with digital tools.

use super::outbox::Content;
use crate::i18n::Lang;

/// A link to the partner front-end, with the token as `?token=`.
pub fn link(app_url: &str, path: &str, token: &str) -> String {
    format!("{app_url}/{path}?token={token}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One short mail: a greeting, what happened, the link, what to do if it was
/// not you.
fn compose(subject: &str, hello: &str, lines: &[&str], action: &str, url: &str, footer: &str) -> Content {
    let text = format!("{hello}\n\n{}\n\n{action} :\n{url}\n\n{footer}\n", lines.join("\n"));
    let paragraphs: String = lines.iter().map(|line| format!("<p>{}</p>", escape(line))).collect();
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; font-size: 18px; line-height: 1.5\">\
         <p>{}</p>{paragraphs}<p><a href=\"{}\" style=\"font-size: 20px\">{}</a></p><p>{}</p></body></html>",
        escape(hello),
        escape(url),
        escape(action),
        escape(footer),
    );
    Content { subject: subject.to_owned(), text, html }
}

pub fn password_reset(lang: Lang, name: &str, url: &str) -> Content {
    match lang {
        Lang::Fr => compose(
            "Choisir un nouveau mot de passe",
            &format!("Bonjour {name},"),
            &[
                "Vous avez demandé un nouveau mot de passe pour Tremplin.",
                "Le lien marche une seule fois, pendant 30 minutes.",
            ],
            "Choisir mon nouveau mot de passe",
            url,
            "Ce n'était pas vous ? Ne faites rien : votre mot de passe ne change pas.",
        ),
        Lang::En => compose(
            "Choose a new password",
            &format!("Hello {name},"),
            &["You asked for a new Tremplin password.", "The link works once, for 30 minutes."],
            "Choose my new password",
            url,
            "Not you? Do nothing: your password stays the same.",
        ),
    }
}

pub fn email_verification(lang: Lang, name: &str, url: &str) -> Content {
    match lang {
        Lang::Fr => compose(
            "Confirmer votre adresse email",
            &format!("Bonjour {name},"),
            &[
                "Cette adresse a été donnée pour un compte Tremplin.",
                "Confirmez-la pour pouvoir retrouver votre compte si vous oubliez votre mot de passe.",
            ],
            "Confirmer mon adresse",
            url,
            "Ce n'était pas vous ? Ne faites rien.",
        ),
        Lang::En => compose(
            "Confirm your email address",
            &format!("Hello {name},"),
            &[
                "This address was given for a Tremplin account.",
                "Confirm it so that you can get your account back if you forget your password.",
            ],
            "Confirm my address",
            url,
            "Not you? Do nothing.",
        ),
    }
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
        assert_ne!(
            email_verification(Lang::Fr, "A", &url).subject,
            email_verification(Lang::En, "A", &url).subject
        );
    }
}
