use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tests::spawn_app;

pub fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

#[test]
fn committed_document_matches_the_generated_one() {
    let generated = api::http::openapi::document().to_pretty_json().unwrap();
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is out of date; regenerate it with:\n\n    cargo run -q -p api -- openapi > openapi/openapi.json\n"
    );
}

/// Integrators rely on two promises of every operation: errors are documented
/// as problem+json, and every response carries X-Request-Id.
#[test]
fn every_operation_documents_problems_and_the_request_id() {
    let document: Value = serde_json::from_str(&api::http::openapi::document().to_json().unwrap()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 5);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let default = resolve(&document, &responses["default"]);
            assert!(default["content"]["application/problem+json"].is_object(), "{method} {path}");
            for (status, response) in responses {
                let response = resolve(&document, response);
                assert!(
                    resolve(&document, &response["headers"]["X-Request-Id"])["schema"].is_object(),
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(document["components"]["schemas"]["Problem"].is_object());
}

fn generated() -> Value {
    serde_json::from_str(&api::http::openapi::document().to_json().unwrap()).unwrap()
}

/// Every operation of the document, as `(method, path, operation)`.
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    out
}

/// Code generators name functions and types after operationIds: they must be
/// unique and usable as identifiers, every tag must be declared (and described)
/// and each summary must fit on one line of a generated client's doc comment.
#[test]
fn operations_are_named_uniquely_tagged_and_summarised() {
    let document = generated();
    let declared: Vec<&str> = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| {
            assert!(
                tag["description"].as_str().is_some_and(|d| !d.is_empty()),
                "tag {tag} has no description"
            );
            tag["name"].as_str().unwrap()
        })
        .collect();
    let mut ids = std::collections::BTreeMap::new();
    for (method, path, operation) in operations(&document) {
        let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
        assert!(
            !id.is_empty()
                && id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric()),
            "{method} {path}: operationId {id:?} is not a lowerCamelCase identifier"
        );
        if let Some(other) = ids.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId {id} is used by {other} and {method} {path}");
        }
        for tag in operation["tags"].as_array().unwrap() {
            let tag = tag.as_str().unwrap();
            assert!(declared.contains(&tag), "{method} {path}: tag {tag} is not declared");
        }
        let summary = operation["summary"].as_str().unwrap_or_default();
        assert!(
            !summary.is_empty() && summary.chars().count() <= 120 && !summary.contains('\n'),
            "{method} {path}: the summary must be one line of at most 120 characters: {summary:?}"
        );
    }
}

#[test]
fn the_document_names_its_server_contact_and_external_docs() {
    let document = generated();
    assert_eq!(document["servers"][0]["url"], "/");
    assert!(document["info"]["contact"]["name"].is_string());
    assert!(document["externalDocs"]["url"].as_str().is_some_and(|url| url.contains("README")));
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').unwrap();
            let target = document.pointer(pointer).unwrap_or_else(|| panic!("dangling {reference}"));
            resolve(document, target)
        }
        None => value,
    }
}

fn parameter_names(document: &Value, operation: &Value) -> Vec<String> {
    operation["parameters"]
        .as_array()
        .map(|parameters| {
            parameters.iter().map(|p| resolve(document, p)["name"].as_str().unwrap().to_owned()).collect()
        })
        .unwrap_or_default()
}

/// A mobile client must be able to read from the document alone that a retry
/// is safe (`Idempotency-Key`), that a read can be revalidated
/// (`If-None-Match`) and that it may send its own `X-Request-Id`.
#[test]
fn retries_revalidation_and_request_ids_are_documented_where_they_apply() {
    let document = generated();
    for (method, path, operation) in operations(&document) {
        let names = parameter_names(&document, &operation);
        let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        assert!(names.iter().any(|n| n == "X-Request-Id"), "{method} {path}: no X-Request-Id parameter");
        let honours_key = method == "post" && secured && !path.starts_with("/api/v1/auth/");
        assert_eq!(
            names.iter().any(|n| n == "Idempotency-Key"),
            honours_key,
            "{method} {path}: Idempotency-Key is documented exactly on authenticated POSTs outside /auth/*"
        );
        let ok = resolve(&document, &operation["responses"]["200"]);
        let tagged = method == "get"
            && (ok["content"]["application/json"].is_object() || ok["content"]["text/calendar"].is_object());
        if tagged {
            assert!(names.iter().any(|n| n == "If-None-Match"), "{method} {path}: no If-None-Match");
            assert!(ok["headers"]["ETag"].is_object(), "{method} {path}: no ETag header");
            assert!(operation["responses"]["304"].is_object(), "{method} {path}: no 304");
        }
    }
    let components = &document["components"];
    for header in ["X-Request-Id", "ETag", "Retry-After", "Location"] {
        assert!(components["headers"][header]["schema"].is_object(), "components.headers.{header}");
    }
}

/// Each operation lists the problem statuses its inputs can cause, by `$ref`
/// to one shared answer per status.
#[test]
fn operations_list_the_problem_statuses_they_can_answer() {
    let document = generated();
    for (method, path, operation) in operations(&document) {
        let responses = operation["responses"].as_object().unwrap();
        let has = |status: &str| responses.contains_key(status);
        let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        let has_path_parameter = path.contains('{');
        // A JSON body; the OAuth token endpoint takes a form, whose errors are RFC 6749's.
        let has_body = operation["requestBody"]["content"]["application/json"].is_object();
        let has_query = operation["parameters"]
            .as_array()
            .is_some_and(|parameters| parameters.iter().any(|p| resolve(&document, p)["in"] == "query"));
        if secured {
            assert!(has("401"), "{method} {path}: 401");
        }
        if has_path_parameter {
            assert!(has("404"), "{method} {path}: 404");
        }
        if has_body {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path}: {status}");
            }
        }
        if has_query {
            assert!(has("400") && has("422"), "{method} {path}: 400 and 422 for the query");
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') || status == "default" {
                let reference = response["$ref"].as_str().unwrap_or_default();
                assert!(
                    reference.starts_with("#/components/responses/"),
                    "{method} {path} {status}: problems are shared answers ($ref), got {response}"
                );
            }
        }
    }
    let login = &document["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"];
    let too_many = resolve(&document, login);
    assert!(resolve(&document, &too_many["headers"]["Retry-After"])["schema"].is_object());
}

/// Calendar applications revalidate their feeds like any other read.
#[tokio::test]
async fn calendars_are_tagged_and_revalidated() {
    let app = spawn_app().await;
    let anim = app.user_with_role("Anim", entity::Role::Facilitator).await;
    let modules = crate::workshops::modules(&app).await;
    let body = crate::workshops::session_body(&modules[0], 8, chrono::Duration::days(3));
    let id = crate::workshops::schedule(&app, &anim, &body).await;
    let path = format!("/api/v1/workshops/{id}/calendar.ics");

    let first = app.get(&path).await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers().get("etag").expect("an ETag on the calendar").to_str().unwrap().to_owned();
    let again = app.request(Method::GET, &path).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

/// `Problem.code` is the closed set the server emits (one `ErrorCode` table in
/// api/src/error.rs), each value described; `assert_problem` checks every code
/// a test sees against it.
#[test]
fn problem_codes_are_one_described_enum() {
    let document = generated();
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Problem"]["properties"]["code"]["$ref"], "#/components/schemas/ErrorCode");
    assert!(schemas["Problem"]["example"]["code"].is_string(), "Problem has an example");
    let codes: Vec<&str> =
        schemas["ErrorCode"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let descriptions = schemas["ErrorCode"]["x-enum-descriptions"].as_array().unwrap();
    assert_eq!(codes.len(), descriptions.len());
    let expected: Vec<&str> = api::error::ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(codes, expected);
    let unique: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "a code is declared twice");
    for code in codes {
        assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code} is not snake_case");
    }
    for code in ["invalid_cursor", "idempotency_in_progress", "refresh_token_reused", "too_many_requests"] {
        assert!(expected.contains(&code), "{code}");
    }
}

/// Generators reuse the item type of a page instead of inventing one per list.
#[test]
fn pages_are_named_and_refer_to_their_items() {
    let document = generated();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    assert!(!schemas.keys().any(|name| name.starts_with("Page_")), "a page is still named Page_*");
    assert!(schemas.contains_key("WorkshopPage"));
    for (name, schema) in schemas.iter().filter(|(name, _)| name.ends_with("Page")) {
        let item = schema["properties"]["items"]["items"]["$ref"].as_str().unwrap_or_default();
        assert!(item.starts_with("#/components/schemas/"), "{name}.items is not a $ref");
        let required = schema["required"].as_array().unwrap();
        assert!(required.contains(&"next_cursor".into()), "{name}.next_cursor is not required");
        assert_eq!(schema["properties"]["next_cursor"]["type"], serde_json::json!(["string", "null"]));
    }
}

/// Every closed set is an enum whose values are each described, and the
/// untagged answer shapes have names generators can use.
#[test]
fn closed_sets_are_described_enums_and_answers_are_named() {
    let document = generated();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas {
        if let Some(values) = schema["enum"].as_array() {
            let descriptions = schema["x-enum-descriptions"].as_array();
            assert_eq!(
                descriptions.map(Vec::len),
                Some(values.len()),
                "{name}: describe each value in api/src/http/openapi/closed_sets.rs (CLOSED_SETS)"
            );
        }
    }
    let property = |schema: &str, field: &str| schemas[schema]["properties"][field].clone();
    for (schema, field, set) in [
        ("ExerciseInput", "kind", "ExerciseKind"),
        ("NotificationView", "kind", "NotificationKind"),
        ("ScoreFactor", "factor", "ScoreFactorName"),
        ("PlacementExercise", "area", "PlacementArea"),
    ] {
        assert_eq!(
            property(schema, field)["$ref"],
            format!("#/components/schemas/{set}"),
            "{schema}.{field}"
        );
    }
    let variants: Vec<&str> = schemas["Answer"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variant| variant["$ref"].as_str().unwrap().trim_start_matches("#/components/schemas/"))
        .collect();
    assert_eq!(
        variants,
        ["ChoiceAnswer", "ChoicesAnswer", "TrueFalseAnswer", "OrderingAnswer", "TextAnswer"]
    );
    assert_eq!(property("RegisterRequest", "email")["format"], "email");
    assert_eq!(property("Me", "email")["format"], "email");
    assert_eq!(property("CalendarFeed", "url")["format"], "uri");
    assert_eq!(property("WorkshopView", "calendar_url")["format"], "uri-reference");
}

/// A person trying the API from the document has a body to start from.
#[test]
fn every_request_body_has_an_example() {
    let document = generated();
    for (method, path, operation) in operations(&document) {
        if let Some(content) = operation["requestBody"]["content"].as_object() {
            for (media_type, body) in content {
                let example = &body["example"];
                assert!(
                    example.is_object() || example.is_array(),
                    "{method} {path} {media_type}: no example"
                );
            }
        }
    }
}

/// The document names each schema after its Rust type, and utoipa keeps only
/// the last type registered under a name: two areas' `ToSchema` types with
/// one name would silently describe one route's body with the other's
/// fields. Their names must be unique across the code.
#[test]
fn schema_types_have_unique_names() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&root.join("api/src"), &mut files);
    rust_files(&root.join("entity/src"), &mut files);
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut derives_schema = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive") {
                derives_schema = line.contains("ToSchema");
            } else if derives_schema
                && let Some(rest) = line.strip_prefix("pub struct ").or(line.strip_prefix("pub enum "))
            {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                seen.entry(name).or_default().push(file.display().to_string());
                derives_schema = false;
            } else if !(line.starts_with("#[") || line.starts_with("///")) {
                derives_schema = false;
            }
        }
    }
    assert!(seen.len() > 100, "the scan found only {} schema types", seen.len());
    let twins: Vec<_> = seen.into_iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(twins.is_empty(), "schema names used by more than one type: {twins:?}");
}
