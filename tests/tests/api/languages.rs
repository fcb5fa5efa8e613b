//! Texts for people in the person's language: the account's locale, else
//! `Accept-Language`, else French; `Content-Language` says which.

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use tests::{TEST_PASSWORD, TestApp, TestUser, spawn_app};

/// Switches `user`'s account to English through `PATCH /me`.
pub(crate) async fn speak_english(app: &TestApp, user: &TestUser) {
    let changed = app.send_as(user, Method::PATCH, "/api/v1/me", Some(&json!({"locale": "en"}))).await;
    assert_eq!(changed.status(), StatusCode::OK);
}

/// A member who registered through the API choosing English.
pub(crate) async fn english_member(app: &TestApp, name: &str) -> TestUser {
    let email = format!("{}-{}@example.org", name.to_lowercase(), uuid::Uuid::now_v7().simple());
    let body = json!({"password": TEST_PASSWORD, "display_name": name, "email": email, "locale": "en"});
    let created = app.register(&body).await;
    assert_eq!(created.status(), StatusCode::CREATED, "registration of {name}");
    let session: Value = created.json().await.unwrap();
    TestUser {
        id: session["user"]["id"].as_str().unwrap().parse().unwrap(),
        email,
        access_token: session["access_token"].as_str().unwrap().to_owned(),
        refresh_token: session["refresh_token"].as_str().unwrap().to_owned(),
    }
}

async fn read(response: reqwest::Response) -> (StatusCode, Option<String>, Value) {
    let status = response.status();
    let language = response.headers().get(header::CONTENT_LANGUAGE).map(|v| v.to_str().unwrap().to_owned());
    (status, language, response.json().await.unwrap())
}

#[tokio::test]
async fn a_problem_reads_in_the_language_asked_for_and_says_which() {
    let app = spawn_app().await;
    let english =
        app.request(Method::GET, "/api/v1/nowhere").header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9").send();
    let (status, language, body) = read(english.await.unwrap()).await;
    assert_eq!((status, language.as_deref()), (StatusCode::NOT_FOUND, Some("en")));
    assert_eq!(body["detail"], "This resource does not exist.");
    assert_eq!(body["code"], "not_found", "codes do not change with the language");

    let (_, language, body) = read(app.get("/api/v1/nowhere").await).await;
    assert_eq!(language.as_deref(), Some("fr"));
    assert_eq!(body["detail"], "Cette ressource n'existe pas.");
    let other =
        app.request(Method::GET, "/api/v1/nowhere").header(header::ACCEPT_LANGUAGE, "de, ar;q=0.8").send();
    assert_eq!(read(other.await.unwrap()).await.1.as_deref(), Some("fr"), "neither language asked: French");
}

#[tokio::test]
async fn the_account_locale_wins_over_the_browser() {
    let app = spawn_app().await;
    let created = app
        .register(&json!({"password": TEST_PASSWORD, "display_name": "Sam", "email": "sam@example.org", "locale": "en"}))
        .await;
    let token = created.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    let asked_french = app
        .request(Method::GET, "/api/v1/users")
        .bearer_auth(&token)
        .header(header::ACCEPT_LANGUAGE, "fr")
        .send()
        .await
        .unwrap();
    let (status, language, body) = read(asked_french).await;
    assert_eq!((status, language.as_deref()), (StatusCode::FORBIDDEN, Some("en")));
    assert_eq!(body["detail"], "You are not allowed to do this.");

    let french = app.member("Awa").await;
    let asked_english = app
        .request(Method::GET, "/api/v1/users")
        .bearer_auth(&french.access_token)
        .header(header::ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    let (_, language, body) = read(asked_english).await;
    assert_eq!(language.as_deref(), Some("fr"));
    assert_eq!(body["detail"], "Vous n'avez pas le droit de faire cette action.");
}

/// A notification is written in its recipient's language, whatever the
/// language of the request that caused it.
#[tokio::test]
async fn a_notification_reads_in_its_recipients_language() {
    let app = spawn_app().await;
    let created = app
        .register(&json!({"password": TEST_PASSWORD, "display_name": "Sam", "email": "sam@example.org", "locale": "en"}))
        .await;
    let sam: Value = created.json().await.unwrap();
    let sam_token = sam["access_token"].as_str().unwrap().to_owned();
    let sam_id = sam["user"]["id"].as_str().unwrap().to_owned();
    let counsellor = app.user_with_role("Nadia", entity::Role::Counsellor).await;
    let asked = app
        .request(Method::POST, "/api/v1/accompaniments")
        .bearer_auth(&counsellor.access_token)
        .header(header::ACCEPT_LANGUAGE, "fr")
        .json(&json!({"member_id": sam_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::CREATED);
    let id = asked.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let inbox = app.request(Method::GET, "/api/v1/me/notifications").bearer_auth(&sam_token).send();
    let inbox: Value = inbox.await.unwrap().json().await.unwrap();
    assert_eq!(inbox["items"][0]["title"], "Request for accompaniment");
    assert_eq!(
        inbox["items"][0]["body"],
        "Nadia would like to accompany you. They will only see your journey if you agree. You can accept or refuse."
    );

    let consent = app
        .request(Method::POST, &format!("/api/v1/accompaniments/{id}/consent"))
        .bearer_auth(&sam_token)
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), StatusCode::OK);
    let inbox: Value = app.get_as(&counsellor, "/api/v1/me/notifications").await.json().await.unwrap();
    assert_eq!(inbox["items"][0]["title"], "Accompagnement accepté", "the counsellor reads French");
    assert_eq!(
        inbox["items"][0]["body"],
        "Sam a accepté votre accompagnement. Vous pouvez voir son parcours."
    );
}
