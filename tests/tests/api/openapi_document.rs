use std::path::PathBuf;

use serde_json::Value;

pub fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

#[test]
fn committed_document_matches_the_generated_one() {
    let generated = api::openapi::document().to_pretty_json().unwrap();
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
    let document: Value = serde_json::from_str(&api::openapi::document().to_json().unwrap()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 5);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let default = &responses["default"];
            assert!(default["content"]["application/problem+json"].is_object(), "{method} {path}");
            for (status, response) in responses {
                assert!(response["headers"]["X-Request-Id"].is_object(), "{method} {path} {status}");
            }
        }
    }
    assert!(document["components"]["schemas"]["Problem"].is_object());
}

fn generated() -> Value {
    serde_json::from_str(&api::openapi::document().to_json().unwrap()).unwrap()
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
