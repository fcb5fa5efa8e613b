use api::notifications::notice::{self, Notice};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{assert_problem, spawn_app};

#[tokio::test]
async fn the_inbox_lists_newest_first_and_marks_read_only_ones_own() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let binta = app.member("Binta").await;
    for n in 1..=3 {
        let notice = Notice::new("match.expired", "notice.match_expired_for_mentor", json!({"n": n}));
        notice::send(&app.db, awa.id, notice).await.unwrap();
    }

    let inbox: Value = app.get_as(&awa, "/api/v1/me/notifications?limit=2").await.json().await.unwrap();
    let numbers: Vec<i64> =
        inbox["items"].as_array().unwrap().iter().map(|n| n["data"]["n"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [3, 2]);
    assert!(inbox["items"][0]["read_at"].is_null());
    assert_eq!(inbox["items"][0]["data"]["n"], 3);
    let id = inbox["items"][0]["id"].as_str().unwrap().to_owned();

    // Binta cannot see nor touch Awa's notification.
    let empty: Value = app.get_as(&binta, "/api/v1/me/notifications").await.json().await.unwrap();
    assert!(empty["items"].as_array().unwrap().is_empty());
    let path = format!("/api/v1/me/notifications/{id}/read");
    assert_problem(app.send_as(&binta, Method::POST, &path, None).await, StatusCode::NOT_FOUND, "not_found")
        .await;

    assert_eq!(app.send_as(&awa, Method::POST, &path, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.send_as(&awa, Method::POST, &path, None).await.status(),
        StatusCode::NO_CONTENT,
        "idempotent"
    );
    let inbox: Value = app.get_as(&awa, "/api/v1/me/notifications").await.json().await.unwrap();
    assert!(inbox["items"][0]["read_at"].is_string());
    assert_eq!(inbox["items"].as_array().unwrap().len(), 3);
}
