//! The texts of the mails the service sends (see `crate::mail::templates`).

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
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
