//! Texts of ACCESS FORMATION: the directory of places, training offers and
//! orientation.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "field.departement_invalid",
        "Département attendu : 2 chiffres, 2A ou 2B, ou 3 chiffres outre-mer (ex. : 93, 974).",
        "A département is expected: 2 digits, 2A or 2B, or 3 digits overseas (e.g. 93, 974).",
    ),
    m(
        "field.insee_code_invalid",
        "Code INSEE de commune attendu : 5 caractères (ex. : 93031, 2A004).",
        "A commune's INSEE code is expected: 5 characters (e.g. 93031, 2A004).",
    ),
    m(
        "field.website_invalid",
        "Adresse de site attendue, commençant par https:// (ex. : https://exemple.fr).",
        "A website address starting with https:// is expected (e.g. https://example.org).",
    ),
    m("field.unknown_place", "Ce lieu n'est pas dans l'annuaire.", "This place is not in the directory."),
    m(
        "field.location_or_place",
        "Indiquez un lieu de l'annuaire (place_id) ou une adresse (location).",
        "Give a place of the directory (place_id) or an address (location).",
    ),
    m("field.services_repeated", "Chaque service une seule fois.", "Each service only once."),
    m(
        "field.certification_code_invalid",
        "Code attendu : RNCP suivi de chiffres (ex. : RNCP34109) ou RS suivi de chiffres (ex. : RS5456).",
        "A code is expected: RNCP then digits (e.g. RNCP34109) or RS then digits (e.g. RS5456).",
    ),
    m("field.funding_repeated", "Chaque financement une seule fois.", "Each funding only once."),
    m("field.unknown_skill", "Cette compétence n'existe pas.", "This skill does not exist."),
    m("field.skill_repeated", "Chaque compétence une seule fois.", "Each skill only once."),
    m(
        "field.not_a_training_centre",
        "Seul un organisme de formation publie des offres de formation.",
        "Only a training centre publishes training offers.",
    ),
    m(
        "field.training_session_past",
        "La session doit commencer aujourd'hui ou plus tard.",
        "The session must start today or later.",
    ),
    m(
        "field.training_session_end_before_start",
        "La session ne peut pas finir avant de commencer.",
        "The session cannot end before it starts.",
    ),
    m(
        "field.training_session_deadline_after_start",
        "La date limite de candidature doit précéder le début de la session.",
        "The application deadline must come before the session starts.",
    ),
    m(
        "problem.invalid_transition.offer_archived",
        "Cette offre est archivée : elle ne change plus.",
        "This offer is archived: it no longer changes.",
    ),
    m(
        "problem.invalid_transition.offer_published",
        "Cette offre est déjà publiée.",
        "This offer is already published.",
    ),
];
