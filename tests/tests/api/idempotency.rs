//! `Idempotency-Key`: what is kept, and for how long.

use chrono::{Duration, Utc};
use entity::idempotency_record;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::json;
use tests::{TestApp, TestUser, assert_problem, spawn_app};

#[tokio::test]
async fn auth_routes_never_keep_an_idempotency_record() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let refresh = || {
        app.request(Method::POST, "/api/v1/auth/refresh")
            .bearer_auth(&awa.access_token)
            .header("Idempotency-Key", "refresh-1")
            .json(&json!({"refresh_token": awa.refresh_token}))
            .send()
    };
    assert_eq!(refresh().await.unwrap().status(), StatusCode::OK);
    assert_eq!(idempotency_record::Entity::find().count(&app.db).await.unwrap(), 0, "no token kept");
    // The same call again is a reuse of the spent token, not a replay of the new pair.
    let again = refresh().await.unwrap();
    assert!(again.headers().get("idempotent-replayed").is_none());
    assert_problem(again, StatusCode::UNAUTHORIZED, "refresh_token_reused").await;
}

/// A completed record of `key` for an empty-bodied POST to `path`, `age` old.
async fn stored_answer(app: &TestApp, user: &TestUser, key: &str, path: &str, age: Duration) {
    let fingerprint = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(format!("POST {path}\n").as_bytes()))
    };
    idempotency_record::ActiveModel {
        user_id: Set(user.id),
        key: Set(key.into()),
        request_hash: Set(fingerprint),
        response_status: Set(Some(200)),
        response_body: Set(Some(r#"{"stale":true}"#.into())),
        created_at: Set(Utc::now() - age),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_record_older_than_a_day_is_not_replayed() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let path = format!("/api/v1/me/notifications/{}/read", uuid::Uuid::now_v7());
    stored_answer(&app, &awa, "old", &path, Duration::hours(25)).await;
    stored_answer(&app, &awa, "recent", &path, Duration::hours(23)).await;
    let post = |key: &'static str| {
        app.request(Method::POST, &path).bearer_auth(&awa.access_token).header("Idempotency-Key", key).send()
    };
    let recent = post("recent").await.unwrap();
    assert_eq!(recent.headers()["idempotent-replayed"], "true");
    let old = post("old").await.unwrap();
    assert!(old.headers().get("idempotent-replayed").is_none(), "expired: run again");
    assert_problem(old, StatusCode::NOT_FOUND, "not_found").await;
    // The new answer is what a retry now replays.
    let retry = post("old").await.unwrap();
    assert_eq!(
        (retry.status(), &retry.headers()["idempotent-replayed"]),
        (StatusCode::NOT_FOUND, &"true".parse().unwrap())
    );
    assert_eq!(retry.json::<serde_json::Value>().await.unwrap()["code"], "not_found");
}

#[tokio::test]
async fn the_sweep_deletes_records_older_than_a_day() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let path = "/api/v1/me/notifications/0/read";
    stored_answer(&app, &awa, "two-days", path, Duration::hours(48)).await;
    stored_answer(&app, &awa, "a-day", path, Duration::hours(24) + Duration::minutes(1)).await;
    stored_answer(&app, &awa, "an-hour", path, Duration::hours(1)).await;
    assert_eq!(api::http::idempotency::sweep_expired(&app.db, Utc::now()).await.unwrap(), 2);
    let kept: Vec<String> =
        idempotency_record::Entity::find().all(&app.db).await.unwrap().into_iter().map(|r| r.key).collect();
    assert_eq!(kept, vec!["an-hour".to_owned()]);
}
