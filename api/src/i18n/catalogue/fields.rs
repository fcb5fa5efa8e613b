//! The messages of invalid fields (422 `errors[].message`), `field.<name>`.
//! A validator rule's parameters fill the placeholders (`{max}`, `{min}`).

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m("field.invalid", "Valeur non valide ({code}).", "Invalid value ({code})."),
    m(
        "field.organization_name_empty",
        "Le nom de l'organisation ne peut pas être vide.",
        "The organisation's name cannot be empty.",
    ),
    m(
        "field.organization_name_too_long",
        "Le nom de l'organisation doit contenir au plus 200 caractères.",
        "The organisation's name must be at most 200 characters.",
    ),
    m(
        "field.name_invalid_characters",
        "Le nom contient des caractères invalides.",
        "The name contains invalid characters.",
    ),
    m(
        "field.unknown_account",
        "Aucun compte actif ne porte cet identifiant.",
        "No active account has this id.",
    ),
    m(
        "field.organization_member_role",
        "Seuls les conseillers et les animateurs peuvent être rattachés à une organisation.",
        "Only counsellors and facilitators can belong to an organisation.",
    ),
    m("field.unknown_module", "Ce module n'existe pas.", "This module does not exist."),
    m("field.unknown_program", "Ce programme n'existe pas.", "This programme does not exist."),
    m(
        "field.module_not_in_program",
        "Ce module ne fait pas partie de ce programme.",
        "This module is not part of this programme.",
    ),
    m(
        "field.month",
        "Un mois entier est attendu, au format AAAA-MM (ex. : 2026-03).",
        "A whole month is expected, as YYYY-MM (e.g. 2026-03).",
    ),
    m(
        "field.period_end_before_start",
        "La fin de la période doit suivre son début.",
        "The end of the period must come after its start.",
    ),
    m("field.unknown_organization", "Cette organisation n'existe pas.", "This organisation does not exist."),
    m(
        "field.organization_required",
        "Précisez l'organisation (vous pouvez voir celles dont vous faites partie).",
        "Say which organisation (you can see those you belong to).",
    ),
    m(
        "field.search_too_long",
        "La recherche est trop longue (100 caractères au plus).",
        "The search is too long (at most 100 characters).",
    ),
    m(
        "field.search_too_many_words",
        "La recherche a trop de mots (8 au plus).",
        "The search has too many words (at most 8).",
    ),
    m(
        "field.page_limit",
        "La limite doit être comprise entre 1 et 100.",
        "The limit must be between 1 and 100.",
    ),
    m(
        "field.skill_code",
        "Code attendu : des mots en minuscules séparés par des points (ex. : metier.cuisine).",
        "Expected code: lowercase words separated by dots (e.g. metier.cuisine).",
    ),
    m("field.email_invalid", "Cette adresse email n'est pas valide.", "This email address is not valid."),
    m(
        "field.password_too_short",
        "Le mot de passe doit contenir au moins 10 caractères.",
        "The password must be at least 10 characters.",
    ),
    m(
        "field.password_too_long",
        "Le mot de passe doit contenir au plus 128 caractères.",
        "The password must be at most 128 characters.",
    ),
    m(
        "field.display_name_empty",
        "Le nom affiché ne peut pas être vide.",
        "The display name cannot be empty.",
    ),
    m(
        "field.display_name_too_long",
        "Le nom affiché doit contenir au plus 80 caractères.",
        "The display name must be at most 80 characters.",
    ),
    m(
        "field.display_name_invalid_characters",
        "Le nom affiché contient des caractères invalides.",
        "The display name contains invalid characters.",
    ),
    m("field.locale", "Langue non reconnue (exemple : fr).", "Unknown language (example: fr)."),
    m(
        "field.timezone",
        "Fuseau horaire inconnu (exemple : Europe/Paris).",
        "Unknown time zone (example: Europe/Paris).",
    ),
    m(
        "field.phone_invalid",
        "Ce numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78).",
        "This phone number is not valid (example: 06 12 34 56 78).",
    ),
    m(
        "field.username_invalid",
        "Cet identifiant n'est pas valide (exemple : amina.k42).",
        "This username is not valid (example: amina.k42).",
    ),
    m(
        "field.account_password_required",
        "Le mot de passe du compte est requis.",
        "The account's password is required.",
    ),
    m(
        "field.idempotency_key_reused",
        "Cette clé a déjà servi pour une autre requête.",
        "This key was already used for another request.",
    ),
    m(
        "field.new_password_unchanged",
        "Le nouveau mot de passe doit être différent de l'ancien.",
        "The new password must be different from the old one.",
    ),
    m(
        "field.login_required",
        "Indiquez votre email, votre téléphone ou votre identifiant.",
        "Give your email, your phone number or your username.",
    ),
];
