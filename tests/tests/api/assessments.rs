//! RSES self-assessments: scoring against hand-computed cases, item-by-item
//! validation, scopes, and the member's own list.

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

use crate::workshops::modules;

pub async fn assess(app: &TestApp, member: &TestUser, body: &Value) -> reqwest::Response {
    app.send_as(member, Method::POST, "/api/v1/assessments", Some(body)).await
}

pub fn rses(context: &str, answers: [i32; 10]) -> Value {
    json!({"instrument": "rses", "context": context, "answers": answers})
}

#[tokio::test]
async fn rses_scores_match_hand_computed_cases() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    // Items 2, 5, 6, 8, 9 count 5 − answer.
    let cases = [
        ([4, 1, 4, 4, 1, 1, 4, 1, 1, 4], 40),
        ([1, 4, 1, 1, 4, 4, 1, 4, 4, 1], 10),
        ([4; 10], 25),
        ([3, 2, 3, 3, 2, 1, 4, 2, 1, 3], 33),
        ([2, 3, 2, 2, 3, 3, 2, 3, 3, 2], 20),
    ];
    for (answers, expected) in cases {
        let response = assess(&app, &member, &rses("pre", answers)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[header::LOCATION], "/api/v1/me/assessments");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["score"], expected, "{answers:?}");
        assert_eq!(body["answers"], json!(answers));
        assert_eq!(body["instrument"], "rses");
    }
    let mine: Value = app.get_as(&member, "/api/v1/me/assessments").await.json().await.unwrap();
    let scores: Vec<i64> =
        mine["items"].as_array().unwrap().iter().map(|a| a["score"].as_i64().unwrap()).collect();
    assert_eq!(scores, [20, 33, 25, 10, 40], "newest first");
    let other = app.member("Binta").await;
    let theirs: Value = app.get_as(&other, "/api/v1/me/assessments").await.json().await.unwrap();
    assert_eq!(theirs["items"], json!([]));
}

#[tokio::test]
async fn answers_are_checked_item_by_item() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let problem = assert_problem(
        assess(&app, &member, &rses("pre", [1, 0, 3, 5, 1, 2, 3, 4, 1, 2])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["answers[1]", "answers[3]"]);
    let short = json!({"instrument": "rses", "context": "post", "answers": [1, 2, 3]});
    let problem = assert_problem(
        assess(&app, &member, &short).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "answers");
    let unknown = json!({"instrument": "other", "context": "pre", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]});
    assert_problem(assess(&app, &member, &unknown).await, StatusCode::BAD_REQUEST, "malformed_body").await;
    let mut foreign = rses("pre", [2; 10]);
    foreign["module_id"] = json!(Uuid::now_v7());
    let problem = assert_problem(
        assess(&app, &member, &foreign).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "module_id");
    assert_eq!(
        app.post_json("/api/v1/assessments", &rses("pre", [2; 10])).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_measure_is_about_the_programme_or_one_of_its_modules() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let programs: Value = app.get("/api/v1/programs").await.json().await.unwrap();
    let program = programs["items"][0]["id"].clone();
    let modules = modules(&app).await;

    let plain: Value = assess(&app, &member, &rses("pre", [3; 10])).await.json().await.unwrap();
    assert_eq!(
        (&plain["program_id"], &plain["module_id"]),
        (&program, &Value::Null),
        "the programme by default"
    );
    let mut body = rses("post", [3; 10]);
    body["module_id"] = json!(modules[1]);
    let scoped: Value = assess(&app, &member, &body).await.json().await.unwrap();
    assert_eq!((&scoped["program_id"], scoped["module_id"].as_str()), (&program, Some(modules[1].as_str())));

    // The journey shows them to the member (and, with consent, to a counsellor).
    let journey: Value =
        app.get_as(&member, &format!("/api/v1/members/{}/journey", member.id)).await.json().await.unwrap();
    let section = journey["sections"]["assessments"].as_array().unwrap();
    assert_eq!(section.len(), 2);
    assert_eq!(section[0]["context"], "post");
}
