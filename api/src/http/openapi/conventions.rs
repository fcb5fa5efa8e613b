//! The conventions every operation shares (request id, idempotency key, ETag,
//! the problem answers), described once under `components` and referred to
//! from each operation. Calls `error` for the problem media type.

use utoipa::PartialSchema;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{Content, Header, OpenApi as Document, Ref, RefOr, Required, Response};

use super::Verb;
use crate::error::PROBLEM_JSON;

// Names under `components`; operations refer to them by `$ref`.
const X_REQUEST_ID: &str = "X-Request-Id";
const ETAG: &str = "ETag";
const RETRY_AFTER: &str = "Retry-After";
const LOCATION: &str = "Location";
const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
const IF_NONE_MATCH: &str = "If-None-Match";
const CALENDAR: &str = "text/calendar";
/// The OAuth 2.0 token endpoint: a form in, RFC 6749 §5.2 errors out.
pub(super) const TOKEN_PATH: &str = "/api/v1/oauth/token";
/// Its error answers, by status: (status, component name, description).
const OAUTH_ERRORS: [(&str, &str, &str); 2] = [
    (
        "400",
        "OAuthBadRequest",
        "RFC 6749 §5.2: `invalid_request`, `unsupported_grant_type` or `invalid_scope`",
    ),
    (
        "401",
        "OAuthInvalidClient",
        "RFC 6749 §5.2: `invalid_client` (`WWW-Authenticate: Basic` when Basic was tried)",
    ),
];

/// The problem answers, by status: (status, component name, description).
const PROBLEMS: [(&str, &str, &str); 11] = [
    ("400", "BadRequest", "Malformed body, query or path, or an invalid cursor or `Idempotency-Key`"),
    (
        "401",
        "Unauthorized",
        "Not signed in, or the token is invalid or expired (`unauthenticated`, `invalid_token`)",
    ),
    ("403", "Forbidden", "Signed in, but not allowed to do this (`forbidden`)"),
    ("404", "NotFound", "No such resource, or not one you may see (`not_found`)"),
    ("409", "Conflict", "The request conflicts with the current state; `code` says how"),
    ("413", "PayloadTooLarge", "The body is larger than the server accepts (`payload_too_large`)"),
    ("415", "UnsupportedMediaType", "The body must be sent as `application/json` (`unsupported_media_type`)"),
    ("422", "ValidationFailed", "Invalid fields, listed in `errors` (`validation_failed`)"),
    ("429", "TooManyRequests", "Too many attempts: retry after `Retry-After` seconds (`too_many_requests`)"),
    ("503", "ServiceUnavailable", "The database does not answer; retry shortly (`database_unavailable`)"),
    ("default", "Error", "Error: RFC 9457 problem details with a stable `code`"),
];

fn string_header(description: &str) -> RefOr<Header> {
    let mut header = Header::new(String::schema());
    header.description = Some(description.into());
    RefOr::T(header)
}

fn header_parameter(name: &str, description: &str) -> RefOr<Parameter> {
    RefOr::T(
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(String::schema()))
            .build(),
    )
}

fn reference(kind: &str, name: &str, description: Option<&str>) -> Ref {
    let mut reference = Ref::new(format!("#/components/{kind}/{name}"));
    if let Some(description) = description {
        reference.description = description.into();
    }
    reference
}

/// The conventions every operation shares, described once in `components`.
pub(super) fn add_shared_components(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    for (name, description) in [
        (
            X_REQUEST_ID,
            "The request id, generated unless the client sent a valid one: quote it when asking for help",
        ),
        (ETAG, "A strong tag of the body: send it back in `If-None-Match` to get 304 when nothing changed"),
        (RETRY_AFTER, "Seconds to wait before trying again"),
        (LOCATION, "The URL of the resource created"),
    ] {
        components.headers.insert(name.into(), string_header(description));
    }
    for (name, description) in [
        (
            IDEMPOTENCY_KEY,
            "1 to 255 visible characters, unique per intended change: a retry with the same key and body replays \
             the first answer (`Idempotent-Replayed: true`) and changes nothing; the same key with another body \
             is a 422, while the first is still running a 409 (`idempotency_in_progress`)",
        ),
        (IF_NONE_MATCH, "The `ETag` of a copy you have: 304 without a body when it is still current"),
        (
            X_REQUEST_ID,
            "Your id for this request (1 to 128 letters, digits or `-_.:`), echoed in the answer and the logs; \
             another value is replaced by a generated one",
        ),
    ] {
        components.parameters.insert(name.into(), header_parameter(name, description));
    }
    for (status, name, description) in PROBLEMS {
        let mut response = Response::new(description);
        response
            .content
            .insert(PROBLEM_JSON.into(), RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))));
        response.headers.insert(X_REQUEST_ID.into(), RefOr::Ref(reference("headers", X_REQUEST_ID, None)));
        match status {
            "429" => {
                response
                    .headers
                    .insert(RETRY_AFTER.into(), RefOr::Ref(reference("headers", RETRY_AFTER, None)));
            }
            "401" => {
                response.headers.insert("WWW-Authenticate".into(), string_header("`Bearer`"));
            }
            _ => {}
        }
        components.responses.insert(name.into(), RefOr::T(response));
    }
    for (status, name, description) in OAUTH_ERRORS {
        let mut response = Response::new(description);
        response.content.insert(
            "application/json".into(),
            RefOr::T(Content::new(Some(Ref::from_schema_name("OAuthError")))),
        );
        response.headers.insert(X_REQUEST_ID.into(), RefOr::Ref(reference("headers", X_REQUEST_ID, None)));
        if status == "401" {
            response.headers.insert("WWW-Authenticate".into(), string_header("`Basic`"));
        }
        components.responses.insert(name.into(), RefOr::T(response));
    }
}

/// What an operation can answer follows from what it takes: a body or a query
/// can be malformed (400) or invalid (422), a path id can name nothing (404), a
/// session can be missing (401), and every route that reads the database can
/// find it down (503). The statuses an annotation lists (403, 409, 429...) are
/// kept, as references to the shared problem answers.
pub(super) fn apply_conventions(path: &str, verb: Verb, operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let has_in =
        |place: ParameterIn| parameters.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place));
    let (has_query, has_path) = (has_in(ParameterIn::Query), has_in(ParameterIn::Path));
    let token_endpoint = path == TOKEN_PATH;
    // A JSON body can be of another media type (415) or invalid (422); the
    // token endpoint's form answers those as `invalid_request`.
    let has_body = operation.request_body.is_some();
    let json_body = has_body && !token_endpoint;
    // `/auth/*` answers before a session exists: no key is remembered there.
    let idempotent = verb == Verb::Post && secured && !path.starts_with("/api/v1/auth/");
    let uses_database = !matches!(path, "/health/live" | "/api/v1/openapi.json" | "/docs" | "/metrics");

    parameters.push(RefOr::Ref(reference("parameters", X_REQUEST_ID, None)));
    if idempotent {
        parameters.push(RefOr::Ref(reference("parameters", IDEMPOTENCY_KEY, None)));
    }
    if verb == Verb::Get && add_etag(&mut operation.responses.responses) {
        parameters.push(RefOr::Ref(reference("parameters", IF_NONE_MATCH, None)));
    }

    let applies = |status: &str| match status {
        "400" => has_body || has_query || has_path || idempotent,
        "401" => secured,
        "404" => has_path,
        "409" => idempotent,
        "413" => has_body || idempotent,
        "422" => json_body || idempotent || has_query,
        "415" => json_body,
        "503" => uses_database,
        "default" => true,
        _ => false,
    };
    let responses = &mut operation.responses.responses;
    if token_endpoint {
        for (status, name, _) in OAUTH_ERRORS {
            responses.insert(status.into(), RefOr::Ref(reference("responses", name, None)));
        }
    }
    for (status, name, _) in PROBLEMS {
        match responses.get(status) {
            // An annotated problem keeps its own description.
            Some(RefOr::T(response)) if response.content.contains_key(PROBLEM_JSON) => {
                let description = response.description.clone();
                responses.insert(status.into(), RefOr::Ref(reference("responses", name, Some(&description))));
            }
            Some(_) => {}
            None if applies(status) => {
                responses.insert(status.into(), RefOr::Ref(reference("responses", name, None)));
            }
            None => {}
        }
    }
    for response in responses.values_mut() {
        if let RefOr::T(response) = response {
            response
                .headers
                .insert(X_REQUEST_ID.into(), RefOr::Ref(reference("headers", X_REQUEST_ID, None)));
            if let Some(RefOr::T(location)) = response.headers.get(LOCATION) {
                let description = location.description.clone();
                response.headers.insert(
                    LOCATION.into(),
                    RefOr::Ref(reference("headers", LOCATION, description.as_deref())),
                );
            }
        }
    }
}

/// Successful JSON and calendar reads carry an `ETag` (see `http::etag`), and
/// `If-None-Match` gives 304. Returns whether the operation has one.
fn add_etag(responses: &mut std::collections::BTreeMap<String, RefOr<Response>>) -> bool {
    let Some(RefOr::T(ok)) = responses.get_mut("200") else {
        return false;
    };
    if !ok.headers.contains_key(ETAG) {
        if !ok.content.contains_key("application/json") && !ok.content.contains_key(CALENDAR) {
            return false;
        }
        ok.headers.insert(ETAG.into(), RefOr::Ref(reference("headers", ETAG, None)));
    }
    responses
        .entry("304".into())
        .or_insert_with(|| RefOr::T(Response::new("Not modified since the `If-None-Match` ETag")));
    true
}
