//! The OpenAPI 3.1 document: paths are collected from the registered handlers
//! (utoipa-actix-web), then every operation gets the parts all routes share.

use actix_web::App;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Header, OpenApi as Document, Ref, RefOr, Response};
use utoipa::{OpenApi, PartialSchema};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, PROBLEM_JSON, Problem};
use crate::fallback::RouteTable;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tremplin API",
        description = "Tremplin helps people in socio-professional insertion build skills: \
            NumériZen (everyday digital skills), Enchanté (peer and professional mentoring) and \
            Impose-toi ! (confidence-building workshops). Errors are RFC 9457 problem+json with a stable `code`.",
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
    components(schemas(Problem, FieldError)),
)]
struct ApiDoc;

/// Name of the bearer security scheme operations refer to.
pub const BEARER: &str = "bearer";

/// The complete document of the service.
pub fn document() -> Document {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::startup::api_routes)
        .split_for_parts();
    add_bearer_scheme(&mut document);
    for item in document.paths.paths.values_mut() {
        if let Some(read) = item.get.as_mut() {
            add_etag(read);
        }
        for operation in operations_mut(item) {
            add_shared_responses(operation);
        }
    }
    document
}

/// The document as served: serialised once, with its ETag and the method table
/// the fallback uses to tell 404 from 405.
pub struct ApiDocument {
    pub json: String,
    pub etag: String,
    pub routes: RouteTable,
}

impl ApiDocument {
    pub fn new(document: &Document) -> Result<Self, serde_json::Error> {
        // Served compact (the committed copy is pretty-printed for review).
        let json = document.to_json()?;
        let etag = format!("{:016x}", fnv1a(json.as_bytes()));
        Ok(ApiDocument { routes: RouteTable::from_document(document), json, etag })
    }
}

/// A stable, dependency-free content hash; only used to name a version of the document.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

fn add_bearer_scheme(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    let mut scheme = Http::new(HttpAuthScheme::Bearer);
    scheme.bearer_format = Some("JWT".into());
    components.security_schemes.insert(BEARER.into(), RefOr::T(SecurityScheme::Http(scheme)));
}

fn problem_response(description: &str) -> RefOr<Response> {
    let mut response = Response::new(description);
    response
        .content
        .insert(PROBLEM_JSON.into(), RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))));
    RefOr::T(response)
}

/// Successful JSON reads carry an `ETag` (see `etag.rs`); `If-None-Match` gives 304.
fn add_etag(operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    let Some(RefOr::T(ok)) = responses.get_mut("200") else {
        return;
    };
    if !ok.content.contains_key("application/json") || ok.headers.contains_key("ETag") {
        return;
    }
    let mut header = Header::new(String::schema());
    header.description = Some("Send it back in `If-None-Match` to get 304 when nothing changed".into());
    ok.headers.insert("ETag".into(), RefOr::T(header));
    responses
        .entry("304".into())
        .or_insert_with(|| RefOr::T(Response::new("Not modified since the `If-None-Match` ETag")));
}

/// Every response carries `X-Request-Id`; an operation that needs a session
/// answers 401 without one; any status an operation does not list (400, 413,
/// 429, 500, 503...) is a problem+json.
fn add_shared_responses(operation: &mut Operation) {
    let needs_session = operation.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let responses = &mut operation.responses.responses;
    if needs_session {
        responses.entry("401".into()).or_insert_with(|| {
            problem_response(
                "Not signed in, or the token is invalid or expired (`unauthenticated`, `invalid_token`)",
            )
        });
    }
    responses
        .entry("default".into())
        .or_insert_with(|| problem_response("Error: RFC 9457 problem details with a stable `code`"));
    for response in responses.values_mut() {
        if let RefOr::T(response) = response {
            let mut header = Header::new(String::schema());
            header.description = Some("The request id, generated unless the client sent a valid one".into());
            response.headers.insert("X-Request-Id".into(), RefOr::T(header));
        }
    }
}
