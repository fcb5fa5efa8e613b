//! Consent first: the journey answers the member and the counsellors they
//! consented to (until revoked, checked at every request); every counsellor
//! read is audited, and the member can read that audit log.

use entity::Role;
use entity::audit_log;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

use crate::accompaniments::{ask_ok, consent, consented, refuse, revoke};

async fn journey(app: &TestApp, reader: &TestUser, member_id: Uuid) -> Response {
    app.get_as(reader, &format!("/api/v1/members/{member_id}/journey")).await
}

async fn readable(app: &TestApp, reader: &TestUser, member: &TestUser) -> Value {
    let response = journey(app, reader, member.id).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn hidden(app: &TestApp, reader: &TestUser, member: &TestUser) {
    assert_problem(journey(app, reader, member.id).await, StatusCode::NOT_FOUND, "not_found").await;
}

async fn audit_rows(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find().all(&app.db).await.unwrap()
}

async fn my_audit_log(app: &TestApp, member: &TestUser, query: &str) -> Value {
    let response = app.get_as(member, &format!("/api/v1/me/audit-log{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_member_reads_their_own_journey_unaudited() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let body = readable(&app, &member, &member).await;
    assert_eq!(body["member"]["id"], member.id.to_string());
    assert_eq!(body["member"]["display_name"], "Awa");
    assert_eq!(body["member"]["locale"], "fr");
    assert_eq!(body["member"]["timezone"], "Europe/Paris");
    assert!(body["member"]["created_at"].is_string());
    assert_eq!(body["accompaniments"], json!([]));
    let sections = &body["sections"];
    assert_eq!(
        (sections["learning"]["xp_total"].as_i64(), sections["learning"]["lessons_completed"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(sections["skills"], json!([]));
    assert_eq!(sections["matches"], json!({"requests": [], "matches": [], "sessions": []}));
    assert_eq!(sections["workshops"]["program_completed"], false);
    assert_eq!(sections["workshops"]["enrolments"], json!([]));
    assert_eq!(sections["assessments"], json!([]));

    // Declared skills appear in the journey.
    let skills: serde_json::Value = app.get("/api/v1/skills?q=digcomp.2.1").await.json().await.unwrap();
    let skill = skills["items"][0]["id"].as_str().unwrap().to_owned();
    let declare = json!({"kind": "want", "level": 2});
    app.send_as(&member, reqwest::Method::PUT, &format!("/api/v1/me/skills/{skill}"), Some(&declare)).await;
    let body = readable(&app, &member, &member).await;
    assert_eq!(body["sections"]["skills"][0]["code"], "digcomp.2.1");
    assert_eq!(body["sections"]["skills"][0]["kind"], "want");
    assert!(!body.to_string().contains('@'), "no email: {body}");

    // A pending request shows in the member's own journey.
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    ask_ok(&app, &counsellor, &member).await;
    let body = readable(&app, &member, &member).await;
    assert_eq!(body["accompaniments"][0]["status"], "pending");
    assert_eq!(body["accompaniments"][0]["counsellor"]["display_name"], "Karim");
    assert!(body["accompaniments"][0]["since"].is_string());

    assert!(audit_rows(&app).await.is_empty(), "a member's own reads are not audited");
    assert_eq!(my_audit_log(&app, &member, "").await["items"], json!([]));
}

#[tokio::test]
async fn a_consented_counsellor_reads_and_every_read_is_audited() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = consented(&app, &counsellor, &member).await;
    // Another counsellor's pending request is not shown to Karim.
    let other = app.user_with_role("Nadia", Role::Counsellor).await;
    ask_ok(&app, &other, &member).await;

    let body = readable(&app, &counsellor, &member).await;
    assert_eq!(body["member"]["display_name"], "Awa");
    let accompaniments = body["accompaniments"].as_array().unwrap();
    assert_eq!(accompaniments.len(), 1, "{body}");
    assert_eq!(accompaniments[0]["id"], id);
    assert_eq!(accompaniments[0]["status"], "active");
    assert_eq!(accompaniments[0]["counsellor"]["id"], counsellor.id.to_string());
    readable(&app, &counsellor, &member).await;

    let rows = audit_rows(&app).await;
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(
            (row.actor_id, row.member_id, row.action.as_str()),
            (counsellor.id, member.id, "journey.read")
        );
    }

    let log = my_audit_log(&app, &member, "?limit=1").await;
    assert_eq!(log["items"][0]["id"], rows[1].id.to_string(), "newest first");
    assert_eq!(log["items"][0]["actor"]["id"], counsellor.id.to_string());
    assert_eq!(log["items"][0]["actor"]["display_name"], "Karim");
    assert_eq!(log["items"][0]["action"], "journey.read");
    assert!(log["items"][0]["created_at"].is_string());
    let cursor = log["next_cursor"].as_str().unwrap();
    let rest = my_audit_log(&app, &member, &format!("?limit=1&cursor={cursor}")).await;
    assert_eq!(rest["items"][0]["id"], rows[0].id.to_string());
    assert!(rest["next_cursor"].is_null());
    // The audit log is the member's: the counsellor's own is empty.
    assert_eq!(my_audit_log(&app, &counsellor, "").await["items"], json!([]));
}

#[tokio::test]
async fn a_revocation_by_the_member_ends_access_at_the_next_read() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = consented(&app, &counsellor, &member).await;
    readable(&app, &counsellor, &member).await;
    assert_eq!(revoke(&app, &member, &id).await.status(), StatusCode::NO_CONTENT);
    hidden(&app, &counsellor, &member).await;
    assert_eq!(audit_rows(&app).await.len(), 1, "a refused read is not a read");
}

#[tokio::test]
async fn a_revocation_by_the_counsellor_ends_access_too() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = consented(&app, &counsellor, &member).await;
    readable(&app, &counsellor, &member).await;
    assert_eq!(revoke(&app, &counsellor, &id).await.status(), StatusCode::NO_CONTENT);
    hidden(&app, &counsellor, &member).await;
    // The member's own view no longer lists it either.
    assert_eq!(readable(&app, &member, &member).await["accompaniments"], json!([]));
}

#[tokio::test]
async fn without_consent_nobody_else_reads_the_journey() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;

    // Never asked, then pending, then refused.
    hidden(&app, &counsellor, &member).await;
    let id = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    hidden(&app, &counsellor, &member).await;
    assert_eq!(refuse(&app, &member, &id).await.status(), StatusCode::OK);
    hidden(&app, &counsellor, &member).await;

    // A counsellor with no accompaniment, another member, staff and admins: consent first.
    let other_counsellor = app.user_with_role("Nadia", Role::Counsellor).await;
    let other_member = app.member("Léo").await;
    let facilitator = app.user_with_role("Sami", Role::Facilitator).await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    for reader in [&other_counsellor, &other_member, &facilitator, &admin] {
        hidden(&app, reader, &member).await;
    }
    // Someone else's active accompaniment does not open the journey to others.
    consented(&app, &other_counsellor, &member).await;
    for reader in [&counsellor, &other_member, &admin] {
        hidden(&app, reader, &member).await;
    }
    let unknown = journey(&app, &counsellor, Uuid::now_v7()).await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let anonymous = app.get(&format!("/api/v1/members/{}/journey", member.id)).await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let anonymous = app.get("/api/v1/me/audit-log").await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::ActorId.ne(other_counsellor.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 0, "only granted reads are audited");
}

#[tokio::test]
async fn a_counsellor_who_loses_the_role_loses_access() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    consented(&app, &counsellor, &member).await;
    readable(&app, &counsellor, &member).await;
    let path = format!("/api/v1/users/{}", counsellor.id);
    let demoted = app.send_as(&admin, Method::PATCH, &path, Some(&json!({"role": "member"}))).await;
    assert_eq!(demoted.status(), StatusCode::OK);
    hidden(&app, &counsellor, &member).await;
}

#[tokio::test]
async fn consent_given_after_a_refusal_reopens_access() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let first = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    assert_eq!(refuse(&app, &member, &first).await.status(), StatusCode::OK);
    let second = ask_ok(&app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    hidden(&app, &counsellor, &member).await;
    assert_eq!(consent(&app, &member, &second, None).await.status(), StatusCode::OK);
    readable(&app, &counsellor, &member).await;
}
