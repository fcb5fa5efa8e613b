//! The error model through real HTTP. Besides the documented routes, the
//! server mounts probe routes (test-only) that use the shared extractors.

use actix_web::{HttpResponse, web};
use api::error::ApiError;
use api::extract::ValidJson;
use api::pagination::{Page, PageParams};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use tests::{TestApp, assert_problem, spawn_app, spawn_app_with};
use validator::Validate;

#[derive(Deserialize, Validate)]
struct ProbeItem {
    #[validate(length(min = 1))]
    text: String,
}

#[derive(Deserialize, Validate)]
struct ProbeBody {
    #[validate(length(min = 1, max = 20))]
    name: String,
    #[validate(range(min = 1, max = 8))]
    level: u8,
    #[validate(nested)]
    items: Vec<ProbeItem>,
}

async fn probe_body(body: ValidJson<ProbeBody>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"name": body.0.name}))
}

async fn probe_path(id: web::Path<uuid::Uuid>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"id": id.into_inner()}))
}

/// A collection of the numbers 1..=45 behind the shared list envelope.
async fn probe_list(params: web::Query<PageParams>) -> Result<web::Json<Page<u32>>, ApiError> {
    let request = params.parse::<u32>()?;
    let rows = (1..=45u32)
        .filter(|n| request.after.is_none_or(|after| *n > after))
        .take(request.limit as usize + 1)
        .collect();
    Ok(web::Json(Page::from_rows(rows, request.limit, |n| *n)))
}

async fn probe_internal() -> Result<HttpResponse, ApiError> {
    Err(anyhow::anyhow!("connection string postgres://secret@db").into())
}

fn probe_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/probe/body", web::post().to(probe_body))
        .route("/probe/path/{id}", web::get().to(probe_path))
        .route("/probe/list", web::get().to(probe_list))
        .route("/probe/internal", web::get().to(probe_internal));
}

async fn spawn_probed() -> TestApp {
    spawn_app_with(|s| s.max_body_bytes = 1024, probe_routes).await
}

fn valid_body() -> Value {
    json!({"name": "Awa", "level": 3, "items": [{"text": "a"}]})
}

#[tokio::test]
async fn unknown_route_is_a_problem_404() {
    let app = spawn_app().await;
    for path in ["/api/v1/nothing-here", "/", "/health/live/extra"] {
        assert_problem(app.get(path).await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

#[tokio::test]
async fn wrong_method_is_a_problem_405_with_allow() {
    let app = spawn_app().await;
    for (method, path) in
        [(Method::POST, "/health/ready"), (Method::DELETE, "/api/v1/openapi.json"), (Method::PUT, "/metrics")]
    {
        let response = app.request(method, path).send().await.unwrap();
        assert_eq!(response.headers()["allow"], "GET", "{path}");
        assert_problem(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    }
}

#[tokio::test]
async fn a_valid_body_passes_the_extractors() {
    let app = spawn_probed().await;
    let response = app.post_json("/probe/body", &valid_body()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["name"], "Awa");
}

#[tokio::test]
async fn malformed_bodies_are_problem_400() {
    let app = spawn_probed().await;
    let raw = |body: &'static str| {
        app.request(Method::POST, "/probe/body").header("content-type", "application/json").body(body).send()
    };
    for body in [
        "{not json",
        "",
        "[]",
        r#"{"name": "Awa"}"#,
        r#"{"name": 3, "level": 1, "items": []}"#,
        r#"{"name": "A", "level": 300, "items": []}"#,
    ] {
        let problem =
            assert_problem(raw(body).await.unwrap(), StatusCode::BAD_REQUEST, "malformed_body").await;
        assert!(problem["detail"].as_str().unwrap().starts_with("Le JSON envoyé"), "{problem}");
    }
}

#[tokio::test]
async fn oversized_bodies_are_problem_413() {
    let app = spawn_probed().await;
    let mut body = valid_body();
    body["name"] = json!("x".repeat(2048));
    assert_problem(
        app.post_json("/probe/body", &body).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
}

#[tokio::test]
async fn non_json_bodies_are_problem_415() {
    let app = spawn_probed().await;
    let response = app
        .request(Method::POST, "/probe/body")
        .header("content-type", "text/plain")
        .body(valid_body().to_string())
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
}

#[tokio::test]
async fn validation_failures_are_422_with_field_paths() {
    let app = spawn_probed().await;
    let body = json!({"name": "", "level": 9, "items": [{"text": "ok"}, {"text": ""}]});
    let problem = assert_problem(
        app.post_json("/probe/body", &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, vec![("items[1].text", "length"), ("level", "range"), ("name", "length")]);
    assert!(problem["errors"][0]["message"].is_string());
}

#[tokio::test]
async fn malformed_paths_and_queries_are_problem_400() {
    let app = spawn_probed().await;
    assert_problem(app.get("/probe/path/not-a-uuid").await, StatusCode::BAD_REQUEST, "malformed_path").await;
    assert_eq!(app.get(&format!("/probe/path/{}", uuid::Uuid::now_v7())).await.status(), StatusCode::OK);
    assert_problem(app.get("/probe/list?limit=abc").await, StatusCode::BAD_REQUEST, "malformed_query").await;
    assert_problem(app.get("/probe/list?cursor=%25%25").await, StatusCode::BAD_REQUEST, "invalid_cursor")
        .await;
}

#[tokio::test]
async fn list_limits_outside_1_to_100_are_422() {
    let app = spawn_probed().await;
    for limit in ["0", "101", "-5"] {
        let problem = assert_problem(
            app.get(&format!("/probe/list?limit={limit}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "limit");
    }
}

#[tokio::test]
async fn the_list_envelope_pages_with_opaque_cursors() {
    let app = spawn_probed().await;
    let first: Value = app.get("/probe/list").await.json().await.unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 20, "default limit");
    let mut seen = Vec::new();
    let mut path = "/probe/list?limit=100".to_owned();
    let mut pages = 0;
    loop {
        let page: Value = app.get(&path).await.json().await.unwrap();
        pages += 1;
        seen.extend(page["items"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/probe/list?limit=20&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 1);
    assert_eq!(seen, (1..=45).collect::<Vec<u64>>());

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/probe/list?limit=20&cursor={c}"),
            None => "/probe/list?limit=20".into(),
        };
        let page: Value = app.get(&path).await.json().await.unwrap();
        seen.extend(page["items"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, (1..=45).collect::<Vec<u64>>());
}

#[tokio::test]
async fn internal_errors_do_not_leak_details() {
    let app = spawn_probed().await;
    let response = app.get("/probe/internal").await;
    let problem = assert_problem(response, StatusCode::INTERNAL_SERVER_ERROR, "internal_error").await;
    assert!(!problem.to_string().contains("secret"), "{problem}");
}

/// Every route with a `?q=` search, and who may call it.
async fn searching_routes(app: &TestApp) -> Vec<(&'static str, Option<tests::TestUser>)> {
    let member = app.member("Awa").await;
    let admin = app.user_with_role("Admin", entity::Role::Admin).await;
    vec![("/api/v1/skills", None), ("/api/v1/lessons", Some(member)), ("/api/v1/users", Some(admin))]
}

#[tokio::test]
async fn search_text_is_bounded_on_every_searching_route() {
    let app = spawn_app().await;
    let words = |n: usize| vec!["mot"; n].join("%20");
    let too_long = [words(3000), "a".repeat(101), words(9)];
    for (route, caller) in searching_routes(&app).await {
        let get = |query: String| {
            let request = app.request(Method::GET, &format!("{route}?q={query}"));
            match &caller {
                Some(user) => request.bearer_auth(&user.access_token),
                None => request,
            }
            .send()
        };
        for query in &too_long {
            let response = get(query.clone()).await.unwrap();
            let problem =
                assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
            assert_eq!(problem["errors"][0]["field"], "q", "{route}: {problem}");
        }
        for query in [words(8), "a".repeat(100), "%20%20".into()] {
            let response = get(query).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{route}");
        }
    }
}
