//! The OpenAPI 3.1 document: paths are collected from the registered handlers
//! (utoipa-actix-web, through `http::routes`), then every operation gets the
//! parts all routes share (`conventions`), closed sets their meanings
//! (`closed_sets`) and request bodies their examples (`examples`). Calls
//! `routes` and `error`; nothing but `startup` and `operations` (which serves
//! it) reads the result.

mod closed_sets;
mod conventions;
mod examples;

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, Schema};
use utoipa::openapi::security::{
    ClientCredentials, Flow, Http, HttpAuthScheme, OAuth2, Scopes, SecurityScheme,
};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr};
use utoipa_actix_web::AppExt;

use crate::auth::scope::ApiScope;
use crate::error::{ErrorCode, FieldError, Problem};

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
        (name = "organizations", description = "Partner organisations, their counsellors and facilitators, and the public directory of places"),
        (name = "training", description = "ACCESS FORMATION: training offers of training centres, linked to skills and places"),
        (name = "workshops", description = "Impose-toi ! programme, workshop sessions, enrolment with waiting lists, attendance, calendars"),
        (name = "credentials", description = "Achievements as verifiable Open Badges 3.0 credentials (VC-JWT), their revocation, verification and the issuer's public keys and status lists"),
        (name = "assessments", description = "Self-esteem measures (RSES) before and after a module or the programme"),
        (name = "impact", description = "Aggregated impact figures, never about fewer than K people"),
        (name = "webhooks", description = "Signed webhooks (Standard Webhooks) telling partner organisations what happens to the members who consented to them"),
        (name = "partners", description = "Organisations' API clients: OAuth 2.0 client credentials, scoped tokens and what they read of the members who consented"),
    ),
    components(schemas(Problem, FieldError, ErrorCode)),
)]
struct ApiDoc;

/// Name of the bearer security scheme operations refer to.
pub const BEARER: &str = "bearer";
/// Name of the OAuth 2.0 client-credentials scheme of API clients.
pub const OAUTH2: &str = "oauth2";

/// The complete document of the service.
pub fn document() -> Document {
    let (_, mut document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::routes::api_routes)
        .split_for_parts();
    add_bearer_scheme(&mut document);
    conventions::add_shared_components(&mut document);
    name_pages(&mut document);
    closed_sets::describe_closed_sets(&mut document);
    name_answer_variants(&mut document);
    examples::add_body_examples(&mut document);
    for (path, item) in document.paths.paths.iter_mut() {
        for (method, operation) in operations_mut(item) {
            conventions::apply_conventions(path, method, operation);
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
    let scopes = Scopes::from_iter(ApiScope::ALL.iter().map(|scope| (scope.as_str(), scope.description())));
    let flow = Flow::ClientCredentials(ClientCredentials::new(conventions::TOKEN_PATH, scopes));
    let oauth2 = OAuth2::with_description(
        [flow],
        "Organisations' API clients: a token from `POST /api/v1/oauth/token`, sent as `Authorization: Bearer`. \
         Never accepted where a person acts (403 `person_required`).",
    );
    components.security_schemes.insert(OAUTH2.into(), RefOr::T(SecurityScheme::OAuth2(oauth2)));
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
