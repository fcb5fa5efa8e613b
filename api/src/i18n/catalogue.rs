//! The message catalogue: every text keyed by a stable id, in French and
//! English. Placeholders are written `{name}` and filled by `text_with`.

use super::Lang;

/// One text in both languages.
pub struct Message {
    pub id: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

const fn m(id: &'static str, fr: &'static str, en: &'static str) -> Message {
    Message { id, fr, en }
}

pub const CATALOGUE: &[Message] = &[
    // Problems whose text does not depend on the route.
    m(
        "problem.unauthenticated",
        "Connexion requise ou jeton invalide.",
        "Sign-in required, or the token is not valid.",
    ),
    m(
        "problem.forbidden",
        "Vous n'avez pas le droit de faire cette action.",
        "You are not allowed to do this.",
    ),
    m(
        "problem.password_change_required",
        "Choisissez d'abord votre propre mot de passe (POST /me/password).",
        "First choose your own password (POST /me/password).",
    ),
    m("problem.not_found", "Cette ressource n'existe pas.", "This resource does not exist."),
    m(
        "problem.attempt_incomplete",
        "Répondez d'abord à chaque exercice : il en reste {count}.",
        "First answer every exercise: {count} left.",
    ),
    m(
        "problem.method_not_allowed",
        "Méthode non prise en charge ici. Méthodes possibles : {allow}.",
        "Method not supported here. Allowed methods: {allow}.",
    ),
    m(
        "problem.payload_too_large",
        "Le contenu envoyé est trop gros (maximum {limit} octets).",
        "The content sent is too large (at most {limit} bytes).",
    ),
    m(
        "problem.unsupported_media_type",
        "Le contenu doit être envoyé en application/json.",
        "The content must be sent as application/json.",
    ),
    m("problem.validation_failed", "Certains champs ne sont pas valides.", "Some fields are not valid."),
    m(
        "problem.too_many_requests",
        "Trop de tentatives. Réessayez dans {seconds} secondes.",
        "Too many attempts. Try again in {seconds} seconds.",
    ),
    m(
        "problem.database_unavailable",
        "Le service est momentanément indisponible. Réessayez dans un instant.",
        "The service is unavailable for a moment. Try again shortly.",
    ),
    m("problem.internal_error", "Une erreur interne est survenue.", "An internal error occurred."),
    // Mails: a greeting, what happened, the link, what to do if it was not you.
    m("mail.hello", "Bonjour {name},", "Hello {name},"),
    m("mail.password_reset.subject", "Choisir un nouveau mot de passe", "Choose a new password"),
    m(
        "mail.password_reset.body",
        "Vous avez demandé un nouveau mot de passe pour Tremplin.\nLe lien marche une seule fois, pendant 30 minutes.",
        "You asked for a new Tremplin password.\nThe link works once, for 30 minutes.",
    ),
    m("mail.password_reset.action", "Choisir mon nouveau mot de passe", "Choose my new password"),
    m(
        "mail.password_reset.footer",
        "Ce n'était pas vous ? Ne faites rien : votre mot de passe ne change pas.",
        "Not you? Do nothing: your password stays the same.",
    ),
    m("mail.email_verification.subject", "Confirmer votre adresse email", "Confirm your email address"),
    m(
        "mail.email_verification.body",
        "Cette adresse a été donnée pour un compte Tremplin.\nConfirmez-la pour pouvoir retrouver votre compte si vous oubliez votre mot de passe.",
        "This address was given for a Tremplin account.\nConfirm it so that you can get your account back if you forget your password.",
    ),
    m("mail.email_verification.action", "Confirmer mon adresse", "Confirm my address"),
    m("mail.email_verification.footer", "Ce n'était pas vous ? Ne faites rien.", "Not you? Do nothing."),
];

/// The text of `id` in `lang`. An unknown id is a programming error: it is
/// logged and gives an empty text rather than a panic.
pub fn text(id: &str, lang: Lang) -> &'static str {
    match CATALOGUE.iter().find(|message| message.id == id) {
        Some(message) => match lang {
            Lang::Fr => message.fr,
            Lang::En => message.en,
        },
        None => {
            tracing::error!(id, "no such message in the catalogue");
            ""
        }
    }
}

/// The text of `id` with its `{placeholders}` filled.
pub fn text_with(id: &str, lang: Lang, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(text(id, lang).to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(n, _)| n).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        let mut ids = HashSet::new();
        for message in CATALOGUE {
            assert!(ids.insert(message.id), "{} is listed twice", message.id);
            assert!(
                !message.fr.trim().is_empty() && !message.en.trim().is_empty(),
                "{} lacks a language",
                message.id
            );
            assert_ne!(message.fr, message.en, "{} is not translated", message.id);
            assert_eq!(placeholders(message.fr), placeholders(message.en), "{}", message.id);
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            text_with("problem.payload_too_large", Lang::En, &[("limit", "10")]),
            "The content sent is too large (at most 10 bytes)."
        );
        assert_eq!(text("problem.not_found", Lang::Fr), "Cette ressource n'existe pas.");
    }
}
