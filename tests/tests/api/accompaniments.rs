//! Accompaniment with consent: a counsellor asks, the member consents,
//! refuses or ends it, either party can end it; strangers see nothing.

use entity::Role;
use entity::accompaniment::{self, AccompanimentStatus};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

pub const CURRENT_WORDING: &str = "2026-11";

pub async fn ask(app: &TestApp, counsellor: &TestUser, member_id: Uuid) -> Response {
    app.send_as(counsellor, Method::POST, "/api/v1/accompaniments", Some(&json!({"member_id": member_id})))
        .await
}

/// Asks and returns the created accompaniment.
pub async fn ask_ok(app: &TestApp, counsellor: &TestUser, member: &TestUser) -> Value {
    let response = ask(app, counsellor, member.id).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

pub async fn consent(app: &TestApp, user: &TestUser, id: &str, body: Option<&Value>) -> Response {
    app.send_as(user, Method::POST, &format!("/api/v1/accompaniments/{id}/consent"), body).await
}

pub async fn refuse(app: &TestApp, user: &TestUser, id: &str) -> Response {
    app.send_as(user, Method::POST, &format!("/api/v1/accompaniments/{id}/refuse"), None).await
}

pub async fn revoke(app: &TestApp, user: &TestUser, id: &str) -> Response {
    app.send_as(user, Method::DELETE, &format!("/api/v1/accompaniments/{id}"), None).await
}

pub async fn detail(app: &TestApp, user: &TestUser, id: &str) -> Response {
    app.get_as(user, &format!("/api/v1/accompaniments/{id}")).await
}

/// An active accompaniment of `member` by `counsellor`; returns its id.
pub async fn consented(app: &TestApp, counsellor: &TestUser, member: &TestUser) -> String {
    let id = ask_ok(app, counsellor, member).await["id"].as_str().unwrap().to_owned();
    assert_eq!(consent(app, member, &id, None).await.status(), StatusCode::OK);
    id
}

pub async fn notifications(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let response = app.get_as(user, "/api/v1/me/notifications").await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn mine(app: &TestApp, user: &TestUser, query: &str) -> Value {
    let response = app.get_as(user, &format!("/api/v1/me/accompaniments{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn stored(app: &TestApp, id: &str) -> accompaniment::Model {
    accompaniment::Entity::find_by_id(id.parse::<Uuid>().unwrap()).one(&app.db).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_counsellor_asks_and_the_member_is_notified() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;

    let response = ask(&app, &counsellor, member.id).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/accompaniments/{id}"));
    assert_eq!(body["status"], "pending");
    assert_eq!(body["counsellor"]["id"], counsellor.id.to_string());
    assert_eq!(body["counsellor"]["display_name"], "Karim");
    assert_eq!(body["counsellor"]["organizations"], json!([]));
    assert_eq!(body["member"]["id"], member.id.to_string());
    assert_eq!(body["member"]["display_name"], "Awa");
    assert!(body["requested_at"].is_string());
    assert!(body["consented_at"].is_null() && body["consent_wording_version"].is_null());
    assert!(!body.to_string().contains('@'), "no email may leak: {body}");

    let inbox = notifications(&app, &member).await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "accompaniment.requested");
    assert!(inbox[0]["title"].as_str().unwrap().contains("accompagnement"));
    assert!(inbox[0]["body"].as_str().unwrap().contains("Karim"));
    assert_eq!(inbox[0]["data"], json!({"accompaniment_id": id, "counsellor_id": counsellor.id}));
    assert!(notifications(&app, &counsellor).await.is_empty());

    for user in [&member, &counsellor] {
        let page = mine(&app, user, "").await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert_eq!(page["items"][0]["id"], id);
    }
    let stranger = app.member("Léo").await;
    assert_eq!(mine(&app, &stranger, "").await["items"], json!([]));
}

#[tokio::test]
async fn only_counsellors_ask_and_only_active_members_can_be_asked() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    for role in [Role::Member, Role::Facilitator, Role::Admin] {
        let caller = app.user_with_role("Someone", role).await;
        assert_problem(ask(&app, &caller, member.id).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let anonymous = app.post_json("/api/v1/accompaniments", &json!({"member_id": member.id})).await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // Never reveal other accounts: unknown, staff or disabled are all "not found".
    let other_counsellor = app.user_with_role("Nadia", Role::Counsellor).await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let disabled = app.member("Inès").await;
    let patch = json!({"disabled": true});
    let path = format!("/api/v1/users/{}", disabled.id);
    assert_eq!(app.send_as(&admin, Method::PATCH, &path, Some(&patch)).await.status(), StatusCode::OK);
    for target in [Uuid::now_v7(), other_counsellor.id, admin.id, counsellor.id, disabled.id] {
        assert_problem(ask(&app, &counsellor, target).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let malformed = app
        .send_as(&counsellor, Method::POST, "/api/v1/accompaniments", Some(&json!({"member_id": "x"})))
        .await;
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_body").await;
    assert_eq!(accompaniment::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn an_open_request_for_the_same_pair_is_409_until_it_ends() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    assert_problem(ask(&app, &counsellor, member.id).await, StatusCode::CONFLICT, "accompaniment_exists")
        .await;
    assert_eq!(consent(&app, &member, &id, None).await.status(), StatusCode::OK);
    assert_problem(ask(&app, &counsellor, member.id).await, StatusCode::CONFLICT, "accompaniment_exists")
        .await;

    // Another counsellor may ask the same member.
    let other = app.user_with_role("Nadia", Role::Counsellor).await;
    assert_eq!(ask(&app, &other, member.id).await.status(), StatusCode::CREATED);

    assert_eq!(revoke(&app, &member, &id).await.status(), StatusCode::NO_CONTENT);
    let renewed = ask_ok(&app, &counsellor, &member).await;
    assert_ne!(renewed["id"], id);
    assert_eq!(renewed["status"], "pending");
}

#[tokio::test]
async fn concurrent_requests_for_one_pair_create_exactly_one() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let attempts = (0..5).map(|_| ask(&app, &counsellor, member.id));
    let responses = futures_util::future::join_all(attempts).await;
    let mut statuses: Vec<u16> = Vec::new();
    for response in responses {
        let status = response.status();
        statuses.push(status.as_u16());
        if status == StatusCode::CONFLICT {
            assert_problem(response, status, "accompaniment_exists").await;
        }
    }
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 409, 409, 409, 409]);
    assert_eq!(accompaniment::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(notifications(&app, &member).await.len(), 1, "one request, one notification");
}

#[tokio::test]
async fn the_member_consents_to_the_current_wording_and_the_counsellor_is_notified() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();

    for user in [&member, &counsellor] {
        let shown: Value = detail(&app, user, &id).await.json().await.unwrap();
        assert_eq!(shown["status"], "pending");
        assert_eq!(shown["consent"]["version"], CURRENT_WORDING);
        assert_eq!(shown["consent"]["current"], true);
        let text = shown["consent"]["text"].as_str().unwrap();
        for promise in ["leçons", "compétences", "mentors", "ateliers", "questionnaires", "noté", "retirer"]
        {
            assert!(text.contains(promise), "the consent text must mention {promise:?}: {text}");
        }
    }

    let outdated = consent(&app, &member, &id, Some(&json!({"wording_version": "2020-01"}))).await;
    assert_problem(outdated, StatusCode::CONFLICT, "consent_wording_outdated").await;
    let malformed = app
        .request(Method::POST, &format!("/api/v1/accompaniments/{id}/consent"))
        .bearer_auth(&member.access_token)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_body").await;
    let empty_version = consent(&app, &member, &id, Some(&json!({"wording_version": ""}))).await;
    assert_problem(empty_version, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(stored(&app, &id).await.status, AccompanimentStatus::Pending);
    assert!(notifications(&app, &counsellor).await.is_empty());

    let response = consent(&app, &member, &id, Some(&json!({"wording_version": CURRENT_WORDING}))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let active: Value = response.json().await.unwrap();
    assert_eq!(active["status"], "active");
    assert_eq!(active["consent_wording_version"], CURRENT_WORDING);
    assert_eq!(active["consent"]["version"], CURRENT_WORDING);
    assert!(active["consented_at"].is_string());
    let row = stored(&app, &id).await;
    assert_eq!(row.status, AccompanimentStatus::Active);
    assert!(row.consented_at.is_some());
    assert_eq!(row.consent_wording_version.as_deref(), Some(CURRENT_WORDING));

    let inbox = notifications(&app, &counsellor).await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "accompaniment.consented");
    assert_eq!(inbox[0]["data"]["accompaniment_id"], id);
    assert_eq!(inbox[0]["data"]["member_id"], member.id.to_string());

    assert_problem(consent(&app, &member, &id, None).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_problem(refuse(&app, &member, &id).await, StatusCode::CONFLICT, "invalid_transition").await;
}

#[tokio::test]
async fn consent_without_a_body_records_the_current_wording() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    let response = app
        .request(Method::POST, &format!("/api/v1/accompaniments/{id}/consent"))
        .bearer_auth(&member.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(stored(&app, &id).await.consent_wording_version.as_deref(), Some(CURRENT_WORDING));
}

#[tokio::test]
async fn only_the_member_answers_and_strangers_see_nothing() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();

    // The counsellor cannot consent or refuse in the member's place.
    assert_problem(consent(&app, &counsellor, &id, None).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(refuse(&app, &counsellor, &id).await, StatusCode::NOT_FOUND, "not_found").await;

    let other_member = app.member("Léo").await;
    let other_counsellor = app.user_with_role("Nadia", Role::Counsellor).await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    for stranger in [&other_member, &other_counsellor, &admin] {
        assert_problem(detail(&app, stranger, &id).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_problem(consent(&app, stranger, &id, None).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_problem(refuse(&app, stranger, &id).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_problem(revoke(&app, stranger, &id).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let unknown = Uuid::now_v7().to_string();
    assert_problem(detail(&app, &member, &unknown).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(consent(&app, &member, &unknown, None).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(revoke(&app, &member, &unknown).await, StatusCode::NOT_FOUND, "not_found").await;
    let anonymous =
        app.request(Method::DELETE, &format!("/api/v1/accompaniments/{id}")).send().await.unwrap();
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    assert_eq!(stored(&app, &id).await.status, AccompanimentStatus::Pending);
}

#[tokio::test]
async fn a_refused_request_is_final() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();

    let response = refuse(&app, &member, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["status"], "refused");
    assert!(refused["refused_at"].is_string());
    let inbox = notifications(&app, &counsellor).await;
    assert_eq!(inbox[0]["kind"], "accompaniment.refused");

    assert_problem(refuse(&app, &member, &id).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_problem(consent(&app, &member, &id, None).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_problem(revoke(&app, &member, &id).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_problem(revoke(&app, &counsellor, &id).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_eq!(stored(&app, &id).await.status, AccompanimentStatus::Refused);
}

#[tokio::test]
async fn the_member_ends_an_active_accompaniment_and_the_counsellor_is_told() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = consented(&app, &counsellor, &member).await;

    let response = revoke(&app, &member, &id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.unwrap().is_empty());
    let row = stored(&app, &id).await;
    assert_eq!(row.status, AccompanimentStatus::Revoked);
    assert_eq!(row.revoked_by, Some(member.id));
    assert!(row.revoked_at.is_some());
    assert!(row.consented_at.is_some(), "the history of the consent is kept");

    let inbox = notifications(&app, &counsellor).await;
    assert_eq!(inbox[0]["kind"], "accompaniment.revoked");
    assert_eq!(inbox[0]["data"]["accompaniment_id"], id);
    assert_eq!(inbox[0]["data"]["revoked_by"], member.id.to_string());
    let shown: Value = detail(&app, &counsellor, &id).await.json().await.unwrap();
    assert_eq!(shown["status"], "revoked");
    assert_eq!(shown["revoked_by"], member.id.to_string());

    assert_problem(revoke(&app, &member, &id).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_problem(revoke(&app, &counsellor, &id).await, StatusCode::CONFLICT, "invalid_transition").await;
    assert_problem(consent(&app, &member, &id, None).await, StatusCode::CONFLICT, "invalid_transition").await;
}

#[tokio::test]
async fn the_counsellor_withdraws_a_request_and_the_member_is_told() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();

    assert_eq!(revoke(&app, &counsellor, &id).await.status(), StatusCode::NO_CONTENT);
    let row = stored(&app, &id).await;
    assert_eq!((row.status, row.revoked_by), (AccompanimentStatus::Revoked, Some(counsellor.id)));
    let kinds: Vec<Value> = notifications(&app, &member).await.iter().map(|n| n["kind"].clone()).collect();
    assert_eq!(kinds, vec![json!("accompaniment.revoked"), json!("accompaniment.requested")]);
    assert_problem(consent(&app, &member, &id, None).await, StatusCode::CONFLICT, "invalid_transition").await;
}

#[tokio::test]
async fn my_accompaniments_page_newest_first_and_filter_by_status() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let mut ids = Vec::new();
    for name in ["Awa", "Léo", "Inès"] {
        let member = app.member(name).await;
        ids.push(ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned());
        if name == "Léo" {
            assert_eq!(refuse(&app, &member, ids.last().unwrap()).await.status(), StatusCode::OK);
        }
    }
    let first = mine(&app, &counsellor, "?limit=2").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = mine(&app, &counsellor, &format!("?limit=2&cursor={cursor}")).await;
    assert!(second["next_cursor"].is_null());
    let seen: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(seen, vec![ids[2].as_str(), ids[1].as_str(), ids[0].as_str()]);

    let refused = mine(&app, &counsellor, "?status=refused").await;
    assert_eq!(refused["items"].as_array().unwrap().len(), 1);
    assert_eq!(refused["items"][0]["id"], ids[1]);
    let malformed = app.get_as(&counsellor, "/api/v1/me/accompaniments?status=maybe").await;
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_query").await;
    let too_many = app.get_as(&counsellor, "/api/v1/me/accompaniments?limit=101").await;
    assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let stored_count = accompaniment::Entity::find()
        .filter(accompaniment::Column::CounsellorId.eq(counsellor.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored_count, 3);
}

#[tokio::test]
async fn the_member_sees_the_organisations_of_the_counsellor_who_asks() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let org: Value = app
        .send_as(
            &admin,
            Method::POST,
            "/api/v1/organizations",
            Some(&json!({"name": "Mission locale d'Épinay", "kind": "mission_locale"})),
        )
        .await
        .json()
        .await
        .unwrap();
    let org_id = org["id"].as_str().unwrap();
    let attach = app
        .send_as(
            &admin,
            Method::POST,
            &format!("/api/v1/organizations/{org_id}/members"),
            Some(&json!({"user_id": counsellor.id})),
        )
        .await;
    assert_eq!(attach.status(), StatusCode::CREATED);
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    let shown: Value = detail(&app, &member, &id).await.json().await.unwrap();
    assert_eq!(shown["counsellor"]["organizations"][0]["id"], org_id);
    assert_eq!(shown["counsellor"]["organizations"][0]["name"], "Mission locale d'Épinay");
    assert_eq!(shown["counsellor"]["organizations"][0]["kind"], "mission_locale");
}

/// Why an accompaniment cannot change reads in the member's language.
#[tokio::test]
async fn accompaniment_problems_read_in_english_for_whoever_reads_english() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let reader = crate::languages::english_member(&app, "Sam").await;
    let lecteur = app.member("Awa").await;
    for (member, outdated, refused) in [
        (
            &reader,
            "The consent text has changed. Read it again before accepting.",
            "Not possible: this accompaniment was refused.",
        ),
        (
            &lecteur,
            "Le texte de consentement a changé. Relisez-le avant d'accepter.",
            "Impossible : cet accompagnement est refusé.",
        ),
    ] {
        let id = ask_ok(&app, &counsellor, member).await["id"].as_str().unwrap().to_owned();
        let old = json!({"wording_version": "2020-01"});
        let problem = assert_problem(
            consent(&app, member, &id, Some(&old)).await,
            StatusCode::CONFLICT,
            "consent_wording_outdated",
        )
        .await;
        assert_eq!(problem["detail"], outdated);
        assert_eq!(refuse(&app, member, &id).await.status(), StatusCode::OK);
        let problem = assert_problem(
            consent(&app, member, &id, None).await,
            StatusCode::CONFLICT,
            "invalid_transition",
        )
        .await;
        assert_eq!(problem["detail"], refused);
    }
}
