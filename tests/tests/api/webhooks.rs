//! Signed webhooks through HTTP, with a real receiver on 127.0.0.1: consent
//! scoping, Standard Webhooks signatures checked by the test's own HMAC,
//! retries, redelivery, secret rotation, pausing, revocation and erasure
//! dropping queued deliveries, the transactional outbox, and two replicas
//! delivering each event once.

use std::collections::HashMap;
use std::time::Duration;

use api::config::Settings;
use api::webhooks::events::{self, Subject};
use chrono::Duration as ChronoDuration;
use entity::webhook_event::EventType;
use entity::{Role, webhook_delivery, webhook_event};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::webhooks::Receiver;
use tests::{TestApp, TestUser, assert_problem, spawn_app_with};
use uuid::Uuid;

use crate::accompaniments::{consented, revoke};
use crate::workshops::{enrol_ok, modules, schedule, session_body};

/// Private addresses allowed (the receiver is on 127.0.0.1), quick polling,
/// quick retries, three tries.
fn quick(settings: &mut Settings) {
    settings.webhooks.allow_private = true;
    settings.webhooks.poll_interval = Duration::from_millis(50);
    settings.webhooks.first_retry = Duration::from_millis(50);
    settings.webhooks.max_attempts = 3;
}

/// Two organisations, each with a counsellor; a member who consented to the
/// first one's counsellor only; a facilitator's workshop session.
struct Partners {
    app: TestApp,
    admin: TestUser,
    member: TestUser,
    counsellor: TestUser,
    accompaniment: String,
    consented_org: String,
    other_org: String,
    workshop: String,
}

async fn organisation(app: &TestApp, admin: &TestUser, name: &str, counsellor: &TestUser) -> String {
    let body = json!({"name": name, "kind": "mission_locale"});
    let created = app.send_as(admin, Method::POST, "/api/v1/organizations", Some(&body)).await;
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let attach = json!({"user_id": counsellor.id});
    let path = format!("/api/v1/organizations/{id}/members");
    assert_eq!(app.send_as(admin, Method::POST, &path, Some(&attach)).await.status(), StatusCode::CREATED);
    id
}

async fn partners(configure: impl FnOnce(&mut Settings)) -> Partners {
    let app = spawn_app_with(configure, |_| {}).await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let counsellor = app.user_with_role("Conseillère", Role::Counsellor).await;
    let stranger = app.user_with_role("Autre", Role::Counsellor).await;
    let facilitator = app.user_with_role("Animateur", Role::Facilitator).await;
    let member = app.member("Amina").await;
    let consented_org = organisation(&app, &admin, "Mission locale A", &counsellor).await;
    let other_org = organisation(&app, &admin, "Mission locale B", &stranger).await;
    let accompaniment = consented(&app, &counsellor, &member).await;
    let module = modules(&app).await.remove(0);
    let workshop = schedule(&app, &facilitator, &session_body(&module, 10, ChronoDuration::days(7))).await;
    Partners { app, admin, member, counsellor, accompaniment, consented_org, other_org, workshop }
}

/// Registers `receiver` for `events` of `org`; returns `(id, secret)`.
async fn register(p: &Partners, org: &str, receiver: &Receiver, events: &[&str]) -> (String, String) {
    let body = json!({"url": receiver.url, "events": events, "description": "Outil de suivi"});
    let path = format!("/api/v1/organizations/{org}/webhooks");
    let response = p.app.send_as(&p.admin, Method::POST, &path, Some(&body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/organizations/{org}/webhooks/{id}"));
    (id, created["secret"].as_str().unwrap().to_owned())
}

async fn deliveries(p: &Partners, org: &str, webhook: &str) -> Vec<Value> {
    let path = format!("/api/v1/organizations/{org}/webhooks/{webhook}/deliveries");
    let response = p.app.get_as(&p.admin, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

/// Polls the deliveries list until `done` holds for it (up to 10 s).
async fn deliveries_when(
    p: &Partners,
    org: &str,
    webhook: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    for _ in 0..200 {
        let list = deliveries(p, org, webhook).await;
        if done(&list) {
            return list;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("deliveries never got there: {:#?}", deliveries(p, org, webhook).await)
}

async fn patch(p: &Partners, org: &str, webhook: &str, body: &Value) -> Value {
    let path = format!("/api/v1/organizations/{org}/webhooks/{webhook}");
    let response = p.app.send_as(&p.admin, Method::PATCH, &path, Some(body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_enrolment_reaches_only_the_organisation_the_member_consented_to_signed() {
    let p = partners(quick).await;
    let (consenting, other) = (Receiver::start().await, Receiver::start().await);
    let (hook, secret) = register(&p, &p.consented_org, &consenting, &["enrolment.confirmed"]).await;
    let (other_hook, _) =
        register(&p, &p.other_org, &other, &["enrolment.confirmed", "workshop.cancelled"]).await;

    let enrolment = enrol_ok(&p.app, &p.member, &p.workshop).await;
    let got = consenting.wait_for(1).await;
    assert_eq!(got.len(), 1);
    let delivery = &got[0];
    assert!(delivery.signed_by(&secret), "signature {:?}", delivery.header("webhook-signature"));
    assert!(!delivery.signed_by(&tests_secret()), "another secret verifies too");
    assert!(delivery.header("webhook-id").starts_with("msg_"));
    let sent_at: i64 = delivery.header("webhook-timestamp").parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 60);
    assert_eq!(delivery.header("content-type"), "application/json");
    let body = delivery.json();
    assert_eq!(body["type"], "enrolment.confirmed");
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(body["data"]["enrolment_id"], enrolment["id"]);
    assert_eq!(body["data"]["workshop_id"], p.workshop.as_str());
    assert_eq!(body["data"]["member_id"], p.member.id.to_string());
    // Ids only: no name, no address, no free text.
    let text = String::from_utf8(delivery.body.clone()).unwrap();
    assert!(
        !text.contains("Amina") && !text.contains(&p.member.email) && !text.contains("Efficience"),
        "{text}"
    );

    let list = deliveries_when(&p, &p.consented_org, &hook, |l| {
        l.first().is_some_and(|d| d["status"] == "succeeded")
    })
    .await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["webhook_id"], delivery.header("webhook-id"));
    assert_eq!(list[0]["event_type"], "enrolment.confirmed");
    assert_eq!(list[0]["attempts"][0]["outcome"], "succeeded");
    assert_eq!(list[0]["attempts"][0]["response_code"], 200);
    assert!(list[0]["attempts"][0]["latency_ms"].as_i64().unwrap() >= 0);

    // The other organisation never hears of the member; a workshop's
    // cancellation (about nobody) reaches every subscriber.
    let cancel = format!("/api/v1/workshops/{}/cancel", p.workshop);
    let facilitator_cancels = p.app.send_as(&p.admin, Method::POST, &cancel, Some(&json!({}))).await;
    assert_eq!(facilitator_cancels.status(), StatusCode::OK);
    let heard = other.wait_for(1).await;
    assert_eq!(heard.len(), 1);
    assert_eq!(heard[0].json()["type"], "workshop.cancelled");
    assert_eq!(deliveries(&p, &p.other_org, &other_hook).await.len(), 1);
    assert_eq!(consenting.received().len(), 1, "not subscribed to workshop.cancelled");
}

/// A secret the test made up, which must not verify.
fn tests_secret() -> String {
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned()
}

#[tokio::test]
async fn a_failing_receiver_gets_retries_with_one_webhook_id_then_failed_and_redeliver_sends_it_again() {
    let p = partners(quick).await;
    let receiver = Receiver::start().await;
    receiver.answer_with(&[500, 503, 500]);
    let (hook, secret) = register(&p, &p.consented_org, &receiver, &["enrolment.confirmed"]).await;
    enrol_ok(&p.app, &p.member, &p.workshop).await;

    let tries = receiver.wait_for(3).await;
    let list =
        deliveries_when(&p, &p.consented_org, &hook, |l| l.first().is_some_and(|d| d["status"] == "failed"))
            .await;
    assert_eq!(receiver.received().len(), 3, "no fourth try after the last one");
    let ids: Vec<&str> = tries.iter().map(|t| t.header("webhook-id")).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert!(tries.iter().all(|t| t.signed_by(&secret) && t.body == tries[0].body));
    let attempts = list[0]["attempts"].as_array().unwrap();
    let codes: Vec<i64> = attempts.iter().map(|a| a["response_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [500, 503, 500]);
    assert!(attempts[..2].iter().all(|a| a["next_retry_at"].is_string() && a["outcome"] == "failed"));
    assert!(attempts[2]["next_retry_at"].is_null());
    assert_eq!(list[0]["last_response_code"], 500);
    assert!(list[0]["next_attempt_at"].is_null());

    let did = list[0]["id"].as_str().unwrap();
    let path =
        format!("/api/v1/organizations/{}/webhooks/{hook}/deliveries/{did}/redeliver", p.consented_org);
    assert_eq!(p.app.send_as(&p.admin, Method::POST, &path, None).await.status(), StatusCode::ACCEPTED);
    let again = receiver.wait_for(4).await;
    assert_eq!(again[3].header("webhook-id"), ids[0]);
    let list = deliveries_when(&p, &p.consented_org, &hook, |l| {
        l.first().is_some_and(|d| d["status"] == "succeeded")
    })
    .await;
    assert_eq!(list[0]["attempts"].as_array().unwrap().len(), 4);

    let unknown = format!(
        "/api/v1/organizations/{}/webhooks/{hook}/deliveries/{}/redeliver",
        p.consented_org,
        Uuid::now_v7()
    );
    assert_problem(
        p.app.send_as(&p.admin, Method::POST, &unknown, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn gone_disables_the_endpoint() {
    let p = partners(quick).await;
    let receiver = Receiver::start().await;
    receiver.answer_with(&[410]);
    let (hook, _) =
        register(&p, &p.consented_org, &receiver, &["enrolment.confirmed", "enrolment.cancelled"]).await;
    enrol_ok(&p.app, &p.member, &p.workshop).await;
    let list =
        deliveries_when(&p, &p.consented_org, &hook, |l| l.first().is_some_and(|d| d["status"] == "failed"))
            .await;
    assert_eq!(list[0]["attempts"].as_array().unwrap().len(), 1, "no retry after 410");
    let path = format!("/api/v1/organizations/{}/webhooks/{hook}", p.consented_org);
    let shown: Value = p.app.get_as(&p.admin, &path).await.json().await.unwrap();
    assert_eq!(shown["status"], "disabled");
    assert!(shown["disabled_at"].is_string());
    let resumed = patch(&p, &p.consented_org, &hook, &json!({"paused": false})).await;
    assert_eq!(resumed["status"], "active");
    assert!(resumed["disabled_at"].is_null());
}

#[tokio::test]
async fn revoking_consent_drops_queued_deliveries_and_redelivering_them_is_refused() {
    // Retries an hour apart: the failed first try leaves the delivery queued.
    let p = partners(|s| {
        quick(s);
        s.webhooks.first_retry = Duration::from_secs(3600);
    })
    .await;
    let receiver = Receiver::start().await;
    receiver.answer_with(&[500]);
    let (hook, _) =
        register(&p, &p.consented_org, &receiver, &["enrolment.confirmed", "accompaniment.revoked"]).await;
    enrol_ok(&p.app, &p.member, &p.workshop).await;
    let queued = deliveries_when(&p, &p.consented_org, &hook, |l| {
        l.first().is_some_and(|d| d["attempts"].as_array().unwrap().len() == 1)
    })
    .await;
    assert_eq!(queued[0]["status"], "pending");
    assert!(queued[0]["next_attempt_at"].is_string());

    assert_eq!(revoke(&p.app, &p.member, &p.accompaniment).await.status(), StatusCode::NO_CONTENT);
    let stored =
        webhook_delivery::Entity::find_by_id(queued[0]["id"].as_str().unwrap().parse::<Uuid>().unwrap())
            .one(&p.app.db)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(stored.status, webhook_delivery::DeliveryStatus::Dropped);
    // The organisation the consent ended with is told, and nothing else.
    let told = receiver.wait_for(2).await;
    assert_eq!(told[1].json()["type"], "accompaniment.revoked");
    assert_eq!(told[1].json()["data"]["counsellor_id"], p.counsellor.id.to_string());

    let path = format!(
        "/api/v1/organizations/{}/webhooks/{hook}/deliveries/{}/redeliver",
        p.consented_org, stored.id
    );
    let refused = p.app.send_as(&p.admin, Method::POST, &path, None).await;
    assert_problem(refused, StatusCode::CONFLICT, "webhook_delivery_dropped").await;

    // Without consent, a new enrolment of the member is told to nobody.
    let other = schedule_another(&p).await;
    enrol_ok(&p.app, &p.member, &other).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.received().len(), 2);
    let list = deliveries(&p, &p.consented_org, &hook).await;
    assert_eq!(list.len(), 2, "{list:#?}");
}

async fn schedule_another(p: &Partners) -> String {
    let facilitator = p.app.user_with_role("Animatrice", Role::Facilitator).await;
    let module = modules(&p.app).await.remove(0);
    schedule(&p.app, &facilitator, &session_body(&module, 10, ChronoDuration::days(8))).await
}

#[tokio::test]
async fn erasing_the_member_drops_their_queued_deliveries() {
    let p = partners(|s| {
        quick(s);
        s.webhooks.first_retry = Duration::from_secs(3600);
    })
    .await;
    let receiver = Receiver::start().await;
    receiver.answer_with(&[500]);
    let (hook, _) = register(&p, &p.consented_org, &receiver, &["enrolment.confirmed"]).await;
    enrol_ok(&p.app, &p.member, &p.workshop).await;
    deliveries_when(&p, &p.consented_org, &hook, |l| l.len() == 1).await;
    let export: Value = p.app.get_as(&p.member, "/api/v1/me/export").await.json().await.unwrap();
    assert_eq!(export["tables"]["webhook_events"].as_array().unwrap().len(), 1);
    assert_eq!(export["tables"]["webhook_deliveries"][0]["status"], "pending");

    assert_eq!(p.app.delete_me(&p.member).await.status(), StatusCode::NO_CONTENT);
    let about_member = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::MemberId.eq(p.member.id))
        .count(&p.app.db);
    assert_eq!(about_member.await.unwrap(), 0);
    assert!(deliveries(&p, &p.consented_org, &hook).await.is_empty());
}

#[tokio::test]
async fn a_rolled_back_change_writes_no_event_and_a_committed_one_writes_it_with_its_delivery() {
    let p = partners(|s| {
        quick(s);
        // Nothing is sent during this test: only what the outbox holds is checked.
        s.webhooks.poll_interval = Duration::from_secs(3600);
    })
    .await;
    let receiver = Receiver::start().await;
    register(&p, &p.consented_org, &receiver, &["lesson.completed"]).await;
    let data = json!({"member_id": p.member.id});
    let events_held = || webhook_event::Entity::find().count(&p.app.db);

    let txn = api::db::begin_write(&p.app.db).await.unwrap();
    events::emit(&*txn, EventType::LessonCompleted, Subject::Member(p.member.id), data.clone())
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(events_held().await.unwrap(), 0);
    assert_eq!(webhook_delivery::Entity::find().count(&p.app.db).await.unwrap(), 0);

    let txn = api::db::begin_write(&p.app.db).await.unwrap();
    events::emit(&*txn, EventType::LessonCompleted, Subject::Member(p.member.id), data.clone())
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(events_held().await.unwrap(), 1);
    assert_eq!(webhook_delivery::Entity::find().count(&p.app.db).await.unwrap(), 1);

    // An event nobody subscribes to is not even written.
    let txn = api::db::begin_write(&p.app.db).await.unwrap();
    events::emit(&*txn, EventType::MatchAccepted, Subject::Member(p.member.id), data).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(events_held().await.unwrap(), 1);
}

#[tokio::test]
async fn after_a_rotation_both_secrets_sign_and_a_paused_endpoint_receives_nothing() {
    let p = partners(quick).await;
    let receiver = Receiver::start().await;
    let (hook, old) =
        register(&p, &p.consented_org, &receiver, &["enrolment.confirmed", "enrolment.cancelled"]).await;
    let path = format!("/api/v1/organizations/{}/webhooks/{hook}/rotate-secret", p.consented_org);
    let rotated = p.app.send_as(&p.admin, Method::POST, &path, None).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.unwrap();
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(new.starts_with("whsec_"));

    let enrolment = enrol_ok(&p.app, &p.member, &p.workshop).await;
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].header("webhook-signature").split(' ').count(), 2);
    assert!(got[0].signed_by(&new) && got[0].signed_by(&old));

    let paused = patch(&p, &p.consented_org, &hook, &json!({"paused": true})).await;
    assert_eq!(paused["status"], "paused");
    let cancel = format!("/api/v1/enrolments/{}", enrolment["id"].as_str().unwrap());
    assert_eq!(
        p.app.send_as(&p.member, Method::DELETE, &cancel, None).await.status(),
        StatusCode::NO_CONTENT
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(receiver.received().len(), 1, "a paused endpoint received an event");
    assert_eq!(deliveries(&p, &p.consented_org, &hook).await.len(), 1);

    patch(&p, &p.consented_org, &hook, &json!({"paused": false})).await;
    enrol_ok(&p.app, &p.member, &p.workshop).await;
    assert_eq!(receiver.wait_for(2).await[1].json()["type"], "enrolment.confirmed");
}

#[tokio::test]
async fn two_replicas_deliver_each_event_exactly_once() {
    let p = partners(quick).await;
    let replica = p.app.replica(quick).await;
    let receiver = Receiver::start().await;
    register(&p, &p.consented_org, &receiver, &["lesson.completed"]).await;
    const EVENTS: usize = 60;
    for i in 0..EVENTS {
        let txn = api::db::begin_write(&p.app.db).await.unwrap();
        let data = json!({"member_id": p.member.id, "n": i});
        events::emit(&*txn, EventType::LessonCompleted, Subject::Member(p.member.id), data).await.unwrap();
        txn.commit().await.unwrap();
    }
    receiver.wait_for(EVENTS).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for delivery in receiver.received() {
        *per_id.entry(delivery.header("webhook-id").to_owned()).or_default() += 1;
    }
    assert_eq!(per_id.len(), EVENTS);
    assert!(per_id.values().all(|n| *n == 1), "delivered twice: {per_id:?}");
    drop(replica);
}

#[tokio::test]
async fn admins_and_the_organisations_managers_manage_webhooks_and_urls_and_events_are_checked() {
    let p = partners(|_| {}).await;
    let path = format!("/api/v1/organizations/{}/webhooks", p.consented_org);
    let body = json!({"url": "https://partner.example.org/hook", "events": ["enrolment.confirmed"]});
    let member = p.app.send_as(&p.member, Method::POST, &path, Some(&body)).await;
    assert_problem(member, StatusCode::FORBIDDEN, "forbidden").await;
    let counsellor = p.app.get_as(&p.counsellor, &path).await;
    assert_problem(counsellor, StatusCode::FORBIDDEN, "forbidden").await;
    // Once a manager of the organisation, the counsellor manages its webhooks, not another's.
    let membership = format!("/api/v1/organizations/{}/members/{}", p.consented_org, p.counsellor.id);
    let promote = json!({"role": "manager"});
    let promoted = p.app.send_as(&p.admin, Method::PATCH, &membership, Some(&promote)).await;
    assert_eq!(promoted.status(), StatusCode::OK);
    assert_eq!(p.app.get_as(&p.counsellor, &path).await.status(), StatusCode::OK);
    let other = format!("/api/v1/organizations/{}/webhooks", p.other_org);
    assert_problem(p.app.get_as(&p.counsellor, &other).await, StatusCode::FORBIDDEN, "forbidden").await;
    let unknown = format!("/api/v1/organizations/{}/webhooks", Uuid::now_v7());
    assert_problem(
        p.app.send_as(&p.admin, Method::POST, &unknown, Some(&body)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(p.app.post_json(&path, &body).await.status(), StatusCode::UNAUTHORIZED);

    for url in ["http://partner.example.org/hook", "https://127.0.0.1/hook", "https://10.0.0.8/", "nope"] {
        let bad = json!({"url": url, "events": ["enrolment.confirmed"]});
        let refused = p.app.send_as(&p.admin, Method::POST, &path, Some(&bad)).await;
        let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "url", "{url}");
    }
    let no_events = json!({"url": "https://partner.example.org/hook", "events": []});
    let refused = p.app.send_as(&p.admin, Method::POST, &path, Some(&no_events)).await;
    assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let unknown_event = json!({"url": "https://partner.example.org/hook", "events": ["member.phoned"]});
    let refused = p.app.send_as(&p.admin, Method::POST, &path, Some(&unknown_event)).await;
    assert_problem(refused, StatusCode::BAD_REQUEST, "malformed_body").await;

    let created = p.app.send_as(&p.admin, Method::POST, &path, Some(&body)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let listed: Value = p.app.get_as(&p.admin, &path).await.json().await.unwrap();
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(listed["items"][0]["events"], json!(["enrolment.confirmed"]));
    assert!(listed["items"][0].get("secret").is_none(), "the secret is shown once");
    // Another organisation's endpoint is not found under this one.
    let elsewhere = format!("/api/v1/organizations/{}/webhooks/{id}", p.other_org);
    assert_problem(p.app.get_as(&p.admin, &elsewhere).await, StatusCode::NOT_FOUND, "not_found").await;
    let changed =
        patch(&p, &p.consented_org, &id, &json!({"events": ["match.accepted", "lesson.completed"]})).await;
    assert_eq!(changed["events"], json!(["match.accepted", "lesson.completed"]));
    let one = format!("{path}/{id}");
    assert_eq!(p.app.send_as(&p.admin, Method::DELETE, &one, None).await.status(), StatusCode::NO_CONTENT);
    assert_problem(p.app.get_as(&p.admin, &one).await, StatusCode::NOT_FOUND, "not_found").await;
}

/// Deliveries per second with 1 000 queued events and a local receiver, by
/// one replica (a figure to read, not a check): `cargo test -p tests --test
/// api deliveries_per_second -- --ignored --nocapture`, on PostgreSQL with
/// `TEST_DATABASE_URL`.
#[tokio::test]
#[ignore]
async fn deliveries_per_second() {
    let p = partners(|s| {
        quick(s);
        s.webhooks.poll_interval = Duration::from_secs(3600);
    })
    .await;
    let receiver = Receiver::start().await;
    register(&p, &p.consented_org, &receiver, &["lesson.completed"]).await;
    const EVENTS: usize = 1_000;
    for i in 0..EVENTS {
        let txn = api::db::begin_write(&p.app.db).await.unwrap();
        let data = json!({"member_id": p.member.id, "n": i});
        events::emit(&*txn, EventType::LessonCompleted, Subject::Member(p.member.id), data).await.unwrap();
        txn.commit().await.unwrap();
    }
    // A replica started now finds the 1 000 deliveries queued.
    let started = std::time::Instant::now();
    let replica = p.app.replica(quick).await;
    receiver.wait_for_within(EVENTS, Duration::from_secs(300)).await;
    let elapsed = started.elapsed();
    println!(
        "{EVENTS} deliveries in {:.2} s: {:.0} deliveries/s",
        elapsed.as_secs_f64(),
        EVENTS as f64 / elapsed.as_secs_f64()
    );
    drop(replica);
}
