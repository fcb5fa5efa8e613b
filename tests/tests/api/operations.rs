use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::Value;
use tests::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn liveness_answers_200() {
    let app = spawn_app().await;
    let response = app.health_live().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn readiness_answers_200_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.health_ready().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
}

/// PostgreSQL: another session locks the table the probe reads, so the database
/// stops answering it; SQLite (embedded, it cannot hang from outside): the
/// probe's table disappears. Either way 503 within about a second, then 200
/// again once the database is back, without a restart.
#[tokio::test]
async fn readiness_answers_503_while_the_database_fails_and_recovers() {
    let app = spawn_app().await;
    assert_eq!(app.health_ready().await.status(), StatusCode::OK);

    if app.is_postgres() {
        let blocker = app.db.begin().await.unwrap();
        blocker.execute_unprepared("LOCK TABLE seaql_migrations IN ACCESS EXCLUSIVE MODE").await.unwrap();
        let started = Instant::now();
        assert_problem(app.health_ready().await, StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
            .await;
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(3), "waited {waited:?}");
        blocker.rollback().await.unwrap();
    } else {
        app.db
            .execute_unprepared("ALTER TABLE seaql_migrations RENAME TO seaql_migrations_away")
            .await
            .unwrap();
        assert_problem(app.health_ready().await, StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
            .await;
        app.db
            .execute_unprepared("ALTER TABLE seaql_migrations_away RENAME TO seaql_migrations")
            .await
            .unwrap();
    }

    assert_eq!(app.health_ready().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_status() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.health_live().await;
    }
    app.get("/health/live-not").await;
    app.get(&format!("/lessons/{}", uuid::Uuid::now_v7())).await;

    let response = app.metrics().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(
        text.contains(r#"tremplin_http_requests_total{method="GET",route="/health/live",status="200"} 3"#),
        "{text}"
    );
    // Unknown paths share one series, so random URLs cannot grow the metrics.
    assert!(
        text.contains(r#"tremplin_http_requests_total{method="GET",route="unmatched",status="404"} 2"#),
        "{text}"
    );
    assert!(text.contains(r#"tremplin_http_request_duration_seconds_bucket{method="GET",route="/health/live",status="200",le="0.005"}"#));
    assert!(text.contains(
        r#"tremplin_http_request_duration_seconds_count{method="GET",route="/health/live",status="200"} 3"#
    ));
}

#[tokio::test]
async fn metrics_are_refused_outside_the_allow_list() {
    let app = spawn_app_with(|s| s.metrics_allow = vec!["10.0.0.0/8".parse().unwrap()], |_| {}).await;
    assert_problem(app.metrics().await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn metrics_see_the_forwarded_client_only_behind_a_trusted_proxy() {
    let metrics_for = |app: &tests::TestApp, forwarded_for: &'static str| {
        app.request(Method::GET, "/metrics").header("X-Forwarded-For", forwarded_for).send()
    };
    // Not behind a proxy of ours: the header proves nothing, the loopback peer counts.
    let direct = spawn_app_with(|s| s.metrics_allow = vec!["10.0.0.0/8".parse().unwrap()], |_| {}).await;
    assert_problem(metrics_for(&direct, "10.1.2.3").await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    let proxied = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()], |_| {}).await;
    let outside = metrics_for(&proxied, "203.0.113.9").await.unwrap();
    assert_problem(outside, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(metrics_for(&proxied, "::1").await.unwrap().status(), StatusCode::OK);
    assert_eq!(proxied.metrics().await.status(), StatusCode::OK, "the proxy itself asks");
}

#[tokio::test]
async fn request_id_is_echoed_when_valid_and_generated_otherwise() {
    let app = spawn_app().await;
    let echoed = app
        .request(Method::GET, "/health/live")
        .header("X-Request-Id", "partner-42.a_b:c")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "partner-42.a_b:c");

    for invalid in ["has spaces", &"x".repeat(129), "é"] {
        let response =
            app.request(Method::GET, "/health/live").header("X-Request-Id", invalid).send().await.unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{invalid:?} should be replaced, got {id}");
    }
    let first = app.health_live().await.headers()["x-request-id"].to_str().unwrap().to_owned();
    let second = app.health_live().await.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(uuid::Uuid::parse_str(&first).unwrap().get_version_num(), 7);
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins() {
    let app = spawn_app_with(|s| s.cors_origins = vec!["https://app.example".into()], |_| {}).await;
    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/health/live")
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization, idempotency-key")
            .send()
    };
    let allowed = preflight("https://app.example").await.unwrap();
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example");

    let refused = preflight("https://evil.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
    assert_problem(refused, StatusCode::BAD_REQUEST, "bad_request").await;

    let simple = app
        .request(Method::GET, "/health/live")
        .header("Origin", "https://app.example")
        .send()
        .await
        .unwrap();
    assert_eq!(simple.headers()["access-control-allow-origin"], "https://app.example");
    let exposed = simple.headers()["access-control-expose-headers"].to_str().unwrap().to_lowercase();
    assert!(exposed.contains("x-request-id"), "{exposed}");

    let foreign = app
        .request(Method::GET, "/health/live")
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::OK);
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn openapi_document_is_served_with_an_etag() {
    let app = spawn_app().await;
    let response = app.openapi().await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let served: Value = response.json().await.unwrap();
    assert_eq!(served["openapi"], "3.1.0");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(crate::openapi_document::committed_path()).unwrap())
            .unwrap();
    assert_eq!(served, committed, "the served document differs from openapi/openapi.json");

    let revalidated =
        app.request(Method::GET, "/api/v1/openapi.json").header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    let stale = app
        .request(Method::GET, "/api/v1/openapi.json")
        .header("If-None-Match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = spawn_app().await;
    let redirect = app.get("/docs").await;
    assert_eq!(redirect.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers()["location"], "/docs/");

    let page = app.get("/docs/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("swagger-ui"));

    let config = app.get("/docs/swagger-initializer.js").await.text().await.unwrap();
    assert!(config.contains("/api/v1/openapi.json"), "{config}");
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), StatusCode::OK);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}

#[tokio::test]
async fn json_reads_carry_an_etag_and_answer_304_when_unchanged() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let first = app.get_as(&awa, "/api/v1/me").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let unchanged = app
        .request(Method::GET, "/api/v1/me")
        .bearer_auth(&awa.access_token)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes().await.unwrap().is_empty());

    let body = serde_json::json!({"display_name": "Awa D."});
    app.send_as(&awa, Method::PATCH, "/api/v1/me", Some(&body)).await;
    let changed = app
        .request(Method::GET, "/api/v1/me")
        .bearer_auth(&awa.access_token)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    // Errors carry none.
    assert!(app.get("/api/v1/skills/42").await.headers().get("etag").is_none());
}
