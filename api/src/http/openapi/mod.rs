//! The OpenAPI 3.1 document: paths are collected from the registered handlers
//! (utoipa-actix-web, through `http::routes`), then every operation gets the
//! parts all routes share. Calls `routes`, `error` and `schema`, and names the
//! request body types of the areas for their examples.

use actix_web::App;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, Schema};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Header, OpenApi as Document, Ref, RefOr, Required, Response};
use utoipa::{OpenApi, PartialSchema};
use utoipa_actix_web::AppExt;

use crate::error::{ErrorCode, FieldError, PROBLEM_JSON, Problem};
use crate::schema::described_enum;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tremplin API",
        description = "Tremplin helps people in socio-professional insertion build skills: \
            NumériZen (everyday digital skills), Enchanté (peer and professional mentoring) and \
            Impose-toi ! (confidence-building workshops).\n\n\
            Conventions, described once under `components`:\n\
            - **Errors** are RFC 9457 `application/problem+json` with a stable `code` (the `Problem` schema \
            lists every code); each operation lists the statuses it can answer.\n\
            - **Retries**: every authenticated `POST` except `/auth/*` honours an `Idempotency-Key` header \
            (scoped to your account): a retry with the same key and body replays the first answer and changes nothing.\n\
            - **Caching**: successful JSON and iCalendar reads carry an `ETag`; send it back in `If-None-Match` \
            to get `304 Not Modified`.\n\
            - **Tracing**: every answer carries `X-Request-Id` (yours if you sent a valid one).\n\
            - **Lists** are pages `{items, next_cursor}`: pass `next_cursor` as `?cursor=` until it is `null`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
        contact(name = "Tremplin maintainers (see the README)"),
    ),
    // Relative: the document is served by the API it describes.
    servers((url = "/", description = "The server that serves this document")),
    external_docs(url = "README.md", description = "README: running the service, configuration, conventions and the TypeScript client"),
    tags(
        (name = "accompaniments", description = "Counsellors following members, only with their recorded consent"),
        (name = "accounts", description = "Registration, sessions, your profile and your personal-data rights"),
        (name = "admin", description = "Account administration (admins)"),
        (name = "lessons", description = "NumériZen: lessons, attempts and grading, spaced reviews, progress, the placement test and recommendations"),
        (name = "journey", description = "A member's journey across the pillars, and who read it"),
        (name = "notifications", description = "In-app notifications"),
        (name = "mentoring", description = "Enchanté: mentor profiles, availability, match requests, explainable suggestions, matches, sessions, feedback and cohort matching"),
        (name = "operations", description = "Health, metrics and this document"),
        (name = "safety", description = "Reports for the admins, and blocks between members"),
        (name = "skills", description = "The skills catalogue and the skills you want or offer"),
        (name = "organizations", description = "Partner organisations and their counsellors and facilitators"),
        (name = "workshops", description = "Impose-toi ! programme, workshop sessions, enrolment with waiting lists, attendance, calendars"),
        (name = "assessments", description = "Self-esteem measures (RSES) before and after a module or the programme"),
        (name = "impact", description = "Aggregated impact figures, never about fewer than K people"),
    ),
    components(schemas(Problem, FieldError, ErrorCode)),
)]
struct ApiDoc;

/// Name of the bearer security scheme operations refer to.
pub const BEARER: &str = "bearer";

/// The complete document of the service.
pub fn document() -> Document {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::routes::api_routes)
        .split_for_parts();
    add_bearer_scheme(&mut document);
    add_shared_components(&mut document);
    name_pages(&mut document);
    describe_closed_sets(&mut document);
    name_answer_variants(&mut document);
    add_body_examples(&mut document);
    for (path, item) in document.paths.paths.iter_mut() {
        for (method, operation) in operations_mut(item) {
            apply_conventions(path, method, operation);
        }
    }
    document
}

/// The document as served: serialised once, with its ETag.
pub struct ApiDocument {
    pub json: String,
    pub etag: String,
}

impl ApiDocument {
    pub fn new(document: &Document) -> Result<Self, serde_json::Error> {
        // Served compact (the committed copy is pretty-printed for review).
        let json = document.to_json()?;
        let etag = format!("{:016x}", fnv1a(json.as_bytes()));
        Ok(ApiDocument { json, etag })
    }
}

/// A stable, dependency-free content hash; only used to name a version of the document.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

#[derive(Clone, Copy, PartialEq)]
enum Verb {
    Get,
    Post,
    Other,
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (Verb, &mut Operation)> {
    [
        (Verb::Get, &mut item.get),
        (Verb::Other, &mut item.put),
        (Verb::Post, &mut item.post),
        (Verb::Other, &mut item.delete),
        (Verb::Other, &mut item.options),
        (Verb::Other, &mut item.head),
        (Verb::Other, &mut item.patch),
        (Verb::Other, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(verb, operation)| operation.as_mut().map(|operation| (verb, operation)))
}

fn add_bearer_scheme(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    let mut scheme = Http::new(HttpAuthScheme::Bearer);
    scheme.bearer_format = Some("JWT".into());
    components.security_schemes.insert(BEARER.into(), RefOr::T(SecurityScheme::Http(scheme)));
}

/// `Page<WorkshopView>` is derived as `Page_WorkshopView` with a copy of
/// `WorkshopView` inside; generators then invent a type per page. Each page
/// becomes `WorkshopPage` whose `items` refer to the item type.
fn name_pages(document: &mut Document) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    let derived: Vec<String> =
        components.schemas.keys().filter(|name| name.starts_with("Page_")).cloned().collect();
    let mut renamed = std::collections::BTreeMap::new();
    for old in derived {
        let Some(RefOr::T(Schema::Object(mut page))) = components.schemas.remove(&old) else {
            continue;
        };
        let item = &old["Page_".len()..];
        let name = format!("{}Page", item.strip_suffix("View").unwrap_or(item));
        page.description = Some(format!("One page of `{item}`: follow `next_cursor` until it is `null`."));
        page.properties.insert(
            "items".into(),
            RefOr::T(Schema::Array(ArrayBuilder::new().items(Ref::from_schema_name(item)).build())),
        );
        components.schemas.insert(name.clone(), RefOr::T(Schema::Object(page)));
        renamed.insert(format!("#/components/schemas/{old}"), format!("#/components/schemas/{name}"));
    }
    let operations =
        document.paths.paths.values_mut().flat_map(|item| operations_mut(item).map(|(_, op)| op));
    for operation in operations {
        for response in operation.responses.responses.values_mut() {
            let RefOr::T(response) = response else { continue };
            for content in response.content.values_mut() {
                if let RefOr::T(Content { schema: Some(RefOr::Ref(reference)), .. }) = content
                    && let Some(name) = renamed.get(&reference.ref_location)
                {
                    reference.ref_location = name.clone();
                }
            }
        }
    }
}

// Names under `components`; operations refer to them by `$ref`.
const X_REQUEST_ID: &str = "X-Request-Id";
const ETAG: &str = "ETag";
const RETRY_AFTER: &str = "Retry-After";
const LOCATION: &str = "Location";
const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
const IF_NONE_MATCH: &str = "If-None-Match";
const CALENDAR: &str = "text/calendar";

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
fn add_shared_components(document: &mut Document) {
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
}

/// What an operation can answer follows from what it takes: a body or a query
/// can be malformed (400) or invalid (422), a path id can name nothing (404), a
/// session can be missing (401), and every route that reads the database can
/// find it down (503). The statuses an annotation lists (403, 409, 429...) are
/// kept, as references to the shared problem answers.
fn apply_conventions(path: &str, verb: Verb, operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let has_in =
        |place: ParameterIn| parameters.iter().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place));
    let (has_query, has_path) = (has_in(ParameterIn::Query), has_in(ParameterIn::Path));
    let has_body = operation.request_body.is_some();
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
        "413" | "422" => has_body || idempotent || (status == "422" && has_query),
        "415" => has_body,
        "503" => uses_database,
        "default" => true,
        _ => false,
    };
    let responses = &mut operation.responses.responses;
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

/// Successful JSON and calendar reads carry an `ETag` (see `etag.rs`), and
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

type Values = &'static [(&'static str, &'static str)];

/// What each value of the closed sets means; the values themselves come from
/// the Rust enums (a test checks that every enum of the document is described
/// here, value for value).
const CLOSED_SETS: &[(&str, &str, Values)] = &[
    (
        "AccompanimentStatus",
        "Lifecycle: `pending` → `active` | `refused`; `pending` or `active` → `revoked`.",
        &[
            ("pending", "Asked by the counsellor; waits for the member's consent."),
            ("active", "The member consented: the counsellor follows their journey."),
            ("refused", "The member refused."),
            ("revoked", "Ended by the member or the counsellor."),
        ],
    ),
    (
        "AssessmentContext",
        "When a self-assessment is taken.",
        &[("pre", "Before the module or the programme."), ("post", "After it.")],
    ),
    (
        "AssessmentInstrument",
        "The questionnaire.",
        &[("rses", "Rosenberg Self-Esteem Scale: 10 items of 4 points, scored 10..40.")],
    ),
    (
        "Attendance",
        "What the facilitator saw.",
        &[("attended", "The member came."), ("no_show", "The member held a seat and did not come.")],
    ),
    (
        "Category",
        "Kind of skill.",
        &[
            ("digital", "Digital skills (DigComp 2.2)."),
            ("soft", "Soft skills."),
            ("professional", "Professional skills."),
        ],
    ),
    (
        "EnrolmentStatus",
        "Lifecycle: `confirmed` or `waitlisted` (→ `confirmed` when a seat frees, in arrival order); \
         `confirmed` → `attended` | `no_show`; `confirmed` or `waitlisted` → `cancelled`.",
        &[
            ("confirmed", "Holds a seat."),
            ("waitlisted", "On the waiting list, at `waitlist_position`."),
            ("cancelled", "Cancelled by the member, their counsellor, the facilitator or an admin."),
            ("attended", "Came (recorded by the facilitator)."),
            ("no_show", "Held a seat and did not come."),
        ],
    ),
    (
        "ExerciseKind",
        "How an exercise is answered; the `Answer` shape follows it.",
        &[
            ("single_choice", "One correct choice: answer with `ChoiceAnswer`."),
            ("multiple_choice", "One or more correct choices: answer with `ChoicesAnswer`."),
            ("true_false", "A statement to judge: answer with `TrueFalseAnswer`."),
            ("ordering", "Items to put in order: answer with `OrderingAnswer`."),
            ("text_input", "A short text, graded with tolerance: answer with `TextAnswer`."),
        ],
    ),
    (
        "Framework",
        "Where a skill comes from.",
        &[
            ("digcomp", "The European DigComp 2.2 framework."),
            ("impose_toi", "The Impose-toi ! programme."),
            ("custom", "Added by the admins."),
        ],
    ),
    (
        "LessonStatus",
        "Lifecycle: `draft` → `published`; editing a published lesson makes a new version.",
        &[("draft", "Seen by its authors only."), ("published", "Open to members.")],
    ),
    (
        "MatchRequestStatus",
        "Lifecycle: `open` → `matched` | `closed`.",
        &[
            ("open", "Looking for a mentor."),
            ("matched", "A match for it was accepted."),
            ("closed", "No longer looking."),
        ],
    ),
    (
        "MatchRole",
        "Your side of a match.",
        &[("learner", "You asked for the match."), ("mentor", "You mentor in it.")],
    ),
    (
        "MatchStatus",
        "Lifecycle: `proposed` → `requested` → `accepted` → `completed`; `requested` → `declined` | \
         `withdrawn` | `expired`; `accepted` → `cancelled`.",
        &[
            ("proposed", "Proposed by cohort matching; the learner confirms it."),
            ("requested", "Asked; the mentor answers before it expires."),
            ("accepted", "The mentor accepted: both see each other's email and plan sessions."),
            ("declined", "The mentor declined."),
            ("withdrawn", "The learner withdrew the request."),
            ("expired", "The mentor did not answer in time."),
            ("completed", "Over; each party may give feedback once."),
            ("cancelled", "Cancelled by either party after acceptance."),
        ],
    ),
    (
        "MessageStatus",
        "Lifecycle of an outgoing mail: `pending` → `sent` | `failed` (retried with backoff while `pending`).",
        &[
            ("pending", "Waiting for its first or next try."),
            ("sent", "Accepted by the SMTP relay."),
            ("failed", "Refused for good, or still failing after the last try."),
        ],
    ),
    (
        "Modality",
        "How people meet.",
        &[("remote", "By video."), ("in_person", "Face to face."), ("phone", "By phone.")],
    ),
    (
        "OrganizationKind",
        "Kind of partner organisation.",
        &[
            ("mission_locale", "A Mission locale (young people's integration)."),
            ("france_travail", "A France Travail agency."),
            ("tiers_lieu", "A third place (tiers-lieu)."),
            ("training_center", "A training centre."),
            ("association", "An association."),
        ],
    ),
    (
        "Role",
        "What an account may do; registration gives `member`, admins grant the others.",
        &[
            ("member", "A person on their own journey."),
            ("counsellor", "Follows members who consented; enrols them, reads their journey."),
            ("facilitator", "Writes lessons and runs workshop sessions."),
            ("admin", "Administers accounts, organisations and the catalogue."),
        ],
    ),
    (
        "SkillIntent",
        "Why a skill is on your profile.",
        &[("want", "You want to build it."), ("offer", "You can share it as a mentor.")],
    ),
    (
        "WorkshopStatus",
        "Lifecycle: `scheduled` → `cancelled`.",
        &[("scheduled", "Will take place."), ("cancelled", "Cancelled; calendars show it cancelled.")],
    ),
];

/// Gives each derived string enum its per-value descriptions.
fn describe_closed_sets(document: &mut Document) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    for (name, summary, values) in CLOSED_SETS {
        let Some(RefOr::T(Schema::Object(derived))) = components.schemas.get(*name) else {
            continue;
        };
        let derived_values: Vec<&str> =
            derived.enum_values.iter().flatten().filter_map(|value| value.as_str()).collect();
        // A value added in Rust but not here keeps the bare enum: the test says which.
        if derived_values == values.iter().map(|(value, _)| *value).collect::<Vec<_>>() {
            components.schemas.insert((*name).into(), described_enum(summary, values.iter().copied()));
        }
    }
}

/// The answer variants, in the order of `grading::Answer`.
const ANSWER_VARIANTS: [&str; 5] =
    ["ChoiceAnswer", "ChoicesAnswer", "TrueFalseAnswer", "OrderingAnswer", "TextAnswer"];

/// `Answer` is untagged: each shape becomes a named schema generators can use.
fn name_answer_variants(document: &mut Document) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::OneOf(answer))) = components.schemas.get_mut("Answer") else {
        return;
    };
    let mut named = Vec::new();
    for (variant, name) in answer.items.iter_mut().zip(ANSWER_VARIANTS) {
        let shape = std::mem::replace(variant, RefOr::Ref(Ref::from_schema_name(name)));
        named.push((name, shape));
    }
    for (name, mut shape) in named {
        // Unknown fields are rejected (`deny_unknown_fields`), so shapes never overlap.
        if let RefOr::T(Schema::Object(object)) = &mut shape {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
        components.schemas.insert(name.into(), shape);
    }
}

/// Declares the example of each request body, by schema name and Rust type; a
/// unit test deserialises every example into its type, so none drifts from the code.
macro_rules! body_examples {
    ($($name:literal: $ty:ty = $example:tt,)+) => {
        fn body_examples() -> Vec<(&'static str, serde_json::Value)> {
            vec![$(($name, serde_json::json!($example)),)+]
        }

        #[cfg(test)]
        fn body_examples_deserialise() -> Vec<(&'static str, Result<(), serde_json::Error>)> {
            vec![$(($name, serde_json::from_value::<$ty>(serde_json::json!($example)).map(drop)),)+]
        }
    };
}

body_examples! {
    "NewAccompaniment": crate::accompaniments::dto::NewAccompaniment = {"member_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d01"},
    "ConsentRequest": crate::accompaniments::dto::ConsentRequest = {"wording_version": "2026-11"},
    "NewAssessment": crate::assessments::dto::NewAssessment = {
        "instrument": "rses", "context": "pre", "program_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d02",
        "answers": [3, 2, 3, 3, 2, 2, 3, 2, 2, 3]
    },
    "AnswerRequest": crate::lessons::dto::AnswerRequest = {
        "exercise_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d03", "answer": {"choice_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d04"}
    },
    "LoginRequest": crate::accounts::dto::LoginRequest = {"email": "awa.diallo@example.org", "password": "correct horse battery"},
    "RefreshRequest": crate::accounts::dto::RefreshRequest = {"refresh_token": "c2VjcmV0LXJlZnJlc2gtdG9rZW4"},
    "RegisterRequest": crate::accounts::dto::RegisterRequest = {
        "email": "awa.diallo@example.org", "password": "correct horse battery", "display_name": "Awa", "locale": "fr"
    },
    "NewBlock": crate::mentoring::dto::NewBlock = {"user_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d05"},
    "LessonInput": crate::lessons::dto::LessonInput = {
        "title": "Créer un dossier", "summary": "Ranger ses fichiers dans des dossiers.",
        "skill_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d06", "level": 1, "estimated_minutes": 10, "easy_read": true,
        "exercises": [{
            "kind": "single_choice", "prompt": "Où ranger une facture ?", "explanation": "Dans le dossier Factures.",
            "choices": [{"text": "Dans Factures", "correct": true}, {"text": "Sur le bureau", "correct": false}]
        }]
    },
    "LessonPatch": crate::lessons::dto::LessonPatch = {"title": "Créer et nommer un dossier", "estimated_minutes": 12},
    "NewMatchRequest": crate::mentoring::dto::NewMatchRequest = {
        "skill_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d06", "message": "J'aimerais préparer un entretien.",
        "modalities": ["remote", "in_person"], "languages": ["fr"], "postcode": "93800", "target_level": 3
    },
    "NewMatch": crate::mentoring::dto::NewMatch = {
        "request_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d07", "mentor_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d08",
        "message": "Bonjour, votre profil me correspond."
    },
    "ReasonBody": crate::mentoring::dto::ReasonBody = {"reason": "Je ne suis plus disponible ce mois-ci."},
    "NewFeedback": crate::mentoring::dto::NewFeedback = {"rating": 5, "comment": "Des conseils clairs et concrets."},
    "NewSession": crate::mentoring::dto::NewSession = {
        "starts_at": "2030-03-10T17:00:00Z", "duration_minutes": 60, "modality": "in_person",
        "location": "Tiers-lieu Efficience, Épinay-sur-Seine"
    },
    "UpdateMe": crate::accounts::dto::UpdateMe = {"display_name": "Awa D.", "timezone": "Europe/Paris", "daily_goal_xp": 20},
    "AvailabilityInput": crate::mentoring::dto::AvailabilityInput = {
        "timezone": "Europe/Paris", "slots": [{"weekday": 2, "start": "18:00", "end": "20:00"}]
    },
    "MentorProfileInput": crate::mentoring::dto::MentorProfileInput = {
        "bio": "Cheffe de rang, je partage le métier de la salle.", "modalities": ["in_person", "phone"],
        "languages": ["fr", "en"], "max_active_matches": 2, "accepting": true, "postcode": "93800"
    },
    "ReviewAnswer": crate::adaptive::dto::ReviewAnswer = {
        "exercise_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d03", "answer": {"value": true}
    },
    "DeclareSkill": crate::skills::dto::DeclareSkill = {"kind": "want", "level": 2},
    "NewOrganization": crate::organizations::dto::NewOrganization = {
        "name": "Mission locale d'Épinay-sur-Seine", "kind": "mission_locale"
    },
    "CohortInput": crate::mentoring::dto::CohortInput = {
        "request_ids": ["0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d07"], "commit": false
    },
    "AttachMember": crate::organizations::dto::AttachMember = {"user_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d09"},
    "PlacementAnswerRequest": crate::adaptive::dto::PlacementAnswerRequest = {
        "exercise_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d03", "answer": {"text": "un navigateur"}
    },
    "NewReport": crate::mentoring::dto::NewReport = {
        "reported_user_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d05", "reason": "Messages insistants après un refus."
    },
    "CreateSkill": crate::skills::dto::CreateSkill = {
        "code": "metier.cuisine", "name": "Cuisine de collectivité", "category": "professional", "level_max": 4,
        "description": "Préparer des repas en grande quantité."
    },
    "UpdateSkill": crate::skills::dto::UpdateSkill = {"name": "Cuisine collective", "level_max": 5},
    "AdminUserUpdate": crate::accounts::dto::AdminUserUpdate = {"role": "counsellor"},
    "NewWorkshop": crate::workshops::dto::NewWorkshop = {
        "module_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0a", "starts_at": "2030-03-10T09:00:00Z",
        "ends_at": "2030-03-10T11:00:00Z", "location": "Tiers-lieu Efficience, Épinay-sur-Seine", "capacity": 8
    },
    "WorkshopPatch": crate::workshops::dto::WorkshopPatch = {"location": "Le POLE, La Courneuve", "capacity": 10},
    "AttendanceMark": Vec<crate::workshops::dto::AttendanceMark> = [
        {"enrolment_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0b", "status": "attended"},
        {"enrolment_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0c", "status": "no_show"}
    ],
    "CancelWorkshop": crate::workshops::dto::CancelWorkshop = {"reason": "L'animatrice est malade."},
    "NewEnrolment": crate::workshops::dto::NewEnrolment = {"member_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d01"},
    "NewAssistedAccount": crate::accompaniments::dto::NewAssistedAccount = {
        "display_name": "Amina K.", "phone": "06 12 34 56 78", "locale": "fr", "consent_wording_version": "2026-11"
    },
    "PasswordResetRequest": crate::accounts::dto::PasswordResetRequest = {"login": "awa.diallo@example.org"},
    "PasswordResetConfirm": crate::accounts::dto::PasswordResetConfirm = {
        "token": "cmVzZXQtdG9rZW4tZnJvbS10aGUtbWFpbA", "new_password": "a new long passphrase"
    },
    "VerifyEmailRequest": crate::accounts::dto::VerifyEmailRequest = {"token": "dmVyaWZ5LXRva2VuLWZyb20tdGhlLW1haWw"},
    "UpdateIdentifiers": crate::accounts::dto::UpdateIdentifiers = {
        "current_password": "correct horse battery", "email": "awa.d@example.org"
    },
    "DeleteMe": crate::accounts::dto::DeleteMe = {"password": "correct horse battery"},
    "ChangePasswordRequest": crate::accounts::dto::ChangePasswordRequest = {
        "current_password": "correct horse battery", "new_password": "a new long passphrase"
    },
}

/// The schema a JSON request body names: `X`, `X | null` or `[X]`.
fn body_schema_name(schema: &RefOr<Schema>) -> Option<&str> {
    let name = |reference: &Ref| reference.ref_location.rsplit('/').next().map(str::to_owned);
    let found = match schema {
        RefOr::Ref(reference) => name(reference),
        RefOr::T(Schema::OneOf(one_of)) => one_of.items.iter().find_map(|item| match item {
            RefOr::Ref(reference) => name(reference),
            _ => None,
        }),
        RefOr::T(Schema::Array(array)) => match &array.items {
            utoipa::openapi::schema::ArrayItems::RefOrSchema(item) => match item.as_ref() {
                RefOr::Ref(reference) => name(reference),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    found.and_then(|found| body_examples().into_iter().map(|(name, _)| name).find(|name| *name == found))
}

/// Every request body shows an example a person can send as it is.
fn add_body_examples(document: &mut Document) {
    let examples: std::collections::BTreeMap<_, _> = body_examples().into_iter().collect();
    let operations =
        document.paths.paths.values_mut().flat_map(|item| operations_mut(item).map(|(_, op)| op));
    for operation in operations {
        let Some(RefOr::T(body)) = operation.request_body.as_mut() else { continue };
        let Some(RefOr::T(content)) = body.content.get_mut("application/json") else { continue };
        let name = content.schema.as_ref().and_then(body_schema_name);
        if let Some(example) = name.and_then(|name| examples.get(name)) {
            content.example = Some(example.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_body_example_is_accepted_by_its_type() {
        for (name, parsed) in super::body_examples_deserialise() {
            assert!(parsed.is_ok(), "the example of {name} does not deserialise: {parsed:?}");
        }
    }
}
