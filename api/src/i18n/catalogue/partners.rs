//! Texts of organisations' API clients: their problems, field messages and
//! the `error_description` of the token endpoint (RFC 6749 §5.2).

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "problem.person_required",
        "Seule une personne connectée peut faire cela : le jeton d'un client API n'est pas accepté ici.",
        "Only a signed-in person may do this: an API client's token is not accepted here.",
    ),
    m(
        "problem.insufficient_scope",
        "Le jeton de ce client API ne porte pas la portée « {scope} » qu'il faut ici.",
        "This API client's token does not carry the scope \"{scope}\" needed here.",
    ),
    m(
        "field.api_client_name",
        "Le nom du client va de 1 à 100 caractères.",
        "The client's name is 1 to 100 characters long.",
    ),
    m(
        "field.api_client_scopes",
        "Donnez au moins une portée, chacune une seule fois.",
        "Give at least one scope, each only once.",
    ),
    m(
        "oauth.invalid_client",
        "Client inconnu ou révoqué, ou secret erroné.",
        "Unknown or revoked client, or wrong secret.",
    ),
    m(
        "oauth.invalid_scope",
        "La portée « {scope} » n'existe pas ou n'est pas accordée à ce client.",
        "The scope \"{scope}\" does not exist or is not granted to this client.",
    ),
    m(
        "oauth.unsupported_grant_type",
        "Seul grant_type=client_credentials est accepté.",
        "Only grant_type=client_credentials is accepted.",
    ),
    m(
        "oauth.invalid_request.body",
        "Le corps doit être en application/x-www-form-urlencoded, chaque paramètre au plus une fois.",
        "The body must be application/x-www-form-urlencoded, each parameter at most once.",
    ),
    m(
        "oauth.invalid_request.grant_type",
        "Le paramètre grant_type manque.",
        "The grant_type parameter is missing.",
    ),
    m(
        "oauth.invalid_request.two_methods",
        "Authentifiez le client d'une seule façon : l'en-tête Basic ou client_id et client_secret dans le corps.",
        "Authenticate the client one way only: the Basic header or client_id and client_secret in the body.",
    ),
    m(
        "oauth.invalid_request.no_client",
        "Authentifiez le client : l'en-tête Basic ou client_id et client_secret dans le corps.",
        "Authenticate the client: the Basic header or client_id and client_secret in the body.",
    ),
];
