//! Texts of the partners' webhooks: problems and invalid endpoint URLs.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "problem.webhook_delivery_dropped",
        "Cette personne ne consent plus à être accompagnée par votre organisation : cet envoi ne sera pas refait.",
        "This person no longer consents to be accompanied by your organisation: this delivery is not sent again.",
    ),
    m(
        "field.webhook_url_invalid",
        "Adresse non valide : une URL complète, sans identifiant ni fragment, est attendue.",
        "Invalid address: a full URL without credentials or fragment is expected.",
    ),
    m(
        "field.webhook_url_too_long",
        "L'adresse doit contenir au plus 2048 caractères.",
        "The address must be at most 2048 characters.",
    ),
    m(
        "field.webhook_url_https",
        "L'adresse doit commencer par https://.",
        "The address must start with https://.",
    ),
    m(
        "field.webhook_url_private",
        "L'adresse doit être publique : les adresses locales ou privées sont refusées.",
        "The address must be public: local and private addresses are refused.",
    ),
];
