//! Texts of ACCESS FORMATION: the directory of places, training offers and
//! orientation.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "field.postcode_invalid",
        "Code postal attendu : 5 chiffres (ex. : 93800).",
        "A postcode is expected: 5 digits (e.g. 93800).",
    ),
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
    m(
        "field.slot_end_before_start",
        "La fin doit être après le début, le même jour.",
        "The end must come after the start, on the same day.",
    ),
    m("field.unknown_place", "Ce lieu n'est pas dans l'annuaire.", "This place is not in the directory."),
    m(
        "field.location_or_place",
        "Indiquez un lieu de l'annuaire (place_id) ou une adresse (location).",
        "Give a place of the directory (place_id) or an address (location).",
    ),
    m("field.services_repeated", "Chaque service une seule fois.", "Each service only once."),
];
