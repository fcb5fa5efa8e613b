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
