//! The whole authorization surface, driven by the OpenAPI document, so that a
//! route added tomorrow is checked without anyone remembering to:
//!
//! - every operation is either in the public allow-list below or declared
//!   secured, and every secured one answers 401 problem+json without a token
//!   (and with a forged one);
//! - on every operation whose path names an object (`{id}`, `{user_id}`), a
//!   freshly registered stranger gets 403 or 404, never 2xx, on an object that
//!   belongs to someone else, and the object is unchanged afterwards.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use entity::Role;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, spawn_app};
use uuid::Uuid;

use crate::accompaniments::ask_ok;
use crate::lessons::{lesson_body, published_lesson, skill_id, start};
use crate::mentoring::{mentor_with, open_request, requested};
use crate::workshops::{enrol_ok, modules, schedule, session_body};

/// Operations anyone may call without a token, each for a reason a reviewer can check.
const PUBLIC: &[(&str, &str)] = &[
    ("GET /health/live", "probe of the process"),
    ("GET /health/ready", "probe of the database"),
    ("GET /metrics", "restricted by client address, not by token"),
    (
        "POST /api/v1/oauth/token",
        "an API client authenticates with its id and secret (RFC 6749 client credentials)",
    ),
    ("GET /docs", "Swagger UI"),
    ("GET /api/v1/openapi.json", "the contract itself"),
    ("POST /api/v1/auth/register", "opens an account"),
    ("POST /api/v1/auth/login", "opens a session"),
    ("POST /api/v1/auth/refresh", "the refresh token is the credential"),
    ("POST /api/v1/auth/password-reset", "a forgotten password: answers 202 whatever the login"),
    ("POST /api/v1/auth/password-reset/confirm", "the token of the mail is the credential"),
    ("POST /api/v1/auth/verify-email", "the token of the mail is the credential"),
    ("GET /api/v1/skills", "public catalogue"),
    ("GET /api/v1/skills/{id}", "public catalogue"),
    ("GET /api/v1/lessons", "public catalogue: published lessons only, no answer keys"),
    ("GET /api/v1/lessons/{id}", "public catalogue: a published lesson, no answer keys"),
    ("GET /api/v1/programs", "public programme"),
    ("GET /api/v1/programs/{id}", "public programme"),
    ("GET /api/v1/workshops", "public sessions"),
    ("GET /api/v1/workshops/{id}", "public sessions"),
    ("GET /api/v1/workshops/{id}/calendar.ics", "public session calendar"),
    ("GET /api/v1/calendar/{token}.ics", "the secret in the path is the credential"),
    ("GET /api/v1/organizations", "public directory of places: no staff, no personal data"),
    ("GET /api/v1/organizations/{id}", "public directory of places: staff names only with a token"),
    ("GET /api/v1/training-offers", "public catalogue: published training offers only"),
    ("GET /api/v1/training-offers/{id}", "public page of a published or archived offer; drafts 404"),
    ("GET /.well-known/jwks.json", "the issuer's public keys, for any verifier"),
    ("GET /api/v1/issuer", "the Open Badges issuer profile"),
    ("GET /api/v1/achievements/{key}", "achievements credentials point to"),
    ("GET /api/v1/achievements/{key}/image.svg", "badge images"),
    ("GET /api/v1/status-lists/{id}", "revocation status lists, for any verifier"),
    ("POST /api/v1/credentials/verify", "anyone verifies a credential"),
];

/// Operations naming an object that any signed-in member may reach by design.
const OPEN_TO_MEMBERS: &[(&str, &str)] = &[
    ("GET /api/v1/users/{id}", "public profile: no email, hidden across a block"),
    ("GET /api/v1/organizations/{id}", "directory of partner organisations"),
    ("GET /api/v1/skills/{id}", "public catalogue"),
    ("GET /api/v1/programs/{id}", "public programme"),
    ("GET /api/v1/workshops/{id}", "public sessions"),
    ("GET /api/v1/workshops/{id}/calendar.ics", "public session calendar"),
    ("GET /api/v1/status-lists/{id}", "revocation status lists are public"),
];

/// More of them that a facilitator reaches by design: lessons are written together.
const OPEN_TO_FACILITATORS: &[(&str, &str)] = &[
    ("GET /api/v1/lessons/{id}", "authors read every draft"),
    ("PATCH /api/v1/lessons/{id}", "authors edit every lesson"),
    ("POST /api/v1/lessons/{id}/publish", "authors publish every lesson"),
    ("POST /api/v1/lessons/{id}/attempts", "authors try drafts out"),
    ("POST /api/v1/credentials/{id}/revoke", "facilitators revoke any credential"),
];

/// Every operation of the served document, as `"METHOD /path"` → operation.
async fn operations(app: &TestApp) -> BTreeMap<String, Value> {
    let document: Value = app.openapi().await.json().await.unwrap();
    let mut operations = BTreeMap::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations.insert(format!("{} {path}", method.to_uppercase()), operation.clone());
        }
    }
    operations
}

fn declares_bearer(operation: &Value) -> bool {
    operation["security"].as_array().is_some_and(|alternatives| {
        // A person's bearer token, or an API client's (OAuth 2.0 client credentials).
        alternatives
            .iter()
            .all(|alternative| alternative.get("bearer").is_some() || alternative.get("oauth2").is_some())
    })
}

/// A concrete path for a template: every parameter becomes an unknown id.
fn concrete(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        path.push_str(&Uuid::now_v7().to_string());
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    path
}

fn split(operation: &str) -> (Method, &str) {
    let (method, path) = operation.split_once(' ').unwrap();
    (method.parse().unwrap(), path)
}

async fn assert_401(response: reqwest::Response, operation: &str, what: &str) {
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{operation} {what}: {body}");
    assert_eq!(content_type.as_deref(), Some("application/problem+json"), "{operation} {what}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert!(body["code"].is_string(), "{operation} {what}: {body}");
}

#[tokio::test]
async fn every_operation_is_public_by_name_or_secured_and_answers_401_without_a_token() {
    let app = spawn_app().await;
    let operations = operations(&app).await;
    let public: BTreeSet<&str> = PUBLIC.iter().map(|(operation, _)| *operation).collect();
    for listed in &public {
        assert!(
            operations.contains_key(*listed),
            "the public allow-list names {listed}, which no longer exists"
        );
    }
    let mut secured = 0;
    for (name, operation) in &operations {
        if public.contains(name.as_str()) {
            assert!(!declares_bearer(operation), "{name} is allow-listed as public but declared secured");
            continue;
        }
        assert!(
            declares_bearer(operation),
            "{name} is not declared secured: add `security((\"bearer\" = []))` or, if it really is public, \
             add it to PUBLIC in this test with the reason"
        );
        let (method, template) = split(name);
        let path = concrete(template);
        let anonymous = app.request(method.clone(), &path).send().await.unwrap();
        assert_401(anonymous, name, "without a token").await;
        let forged = app.request(method, &path).bearer_auth("not-a-jwt").send().await.unwrap();
        assert_401(forged, name, "with a forged token").await;
        secured += 1;
    }
    assert!(secured >= 60, "only {secured} secured operations were found");
}

/// One object of each kind, each belonging to someone other than the stranger.
struct Objects {
    member: TestUser,
    mentor: TestUser,
    accompaniment: String,
    attempt: String,
    exercise: String,
    enrolment: String,
    draft: String,
    workshop: String,
    /// A session the member has not enrolled in, for enrolling them behind their back.
    other_workshop: String,
    placement: String,
    placement_exercise: Value,
    request: String,
    requested_match: String,
    notification: String,
    organization: String,
    skill: String,
    /// A draft training offer of a centre managed by the admin.
    training_offer: String,
    /// An award of the member's (stored directly: the earning flows have their own tests).
    credential: String,
}

async fn seed(app: &TestApp) -> Objects {
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let facilitator = app.user_with_role("Fatou", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Amina").await;

    let accompaniment = ask_ok(app, &counsellor, &member).await["id"].as_str().unwrap().to_owned();
    let notifications: Value = app.get_as(&member, "/api/v1/me/notifications").await.json().await.unwrap();
    let notification = notifications["items"][0]["id"].as_str().unwrap().to_owned();

    let lesson = published_lesson(app, &facilitator).await;
    let attempt = start(app, &member, &lesson).await;
    let detail: Value = app.get_as(&member, &format!("/api/v1/lessons/{lesson}")).await.json().await.unwrap();
    let exercise = detail["exercises"][0]["id"].as_str().unwrap().to_owned();
    let skill = skill_id(app).await;
    let created =
        app.send_as(&facilitator, Method::POST, "/api/v1/lessons", Some(&lesson_body(&skill))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let draft = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let module = modules(app).await[0].clone();
    let workshop = schedule(app, &facilitator, &session_body(&module, 10, Duration::days(7))).await;
    let enrolment = enrol_ok(app, &member, &workshop).await["id"].as_str().unwrap().to_owned();
    let other_workshop = schedule(app, &facilitator, &session_body(&module, 10, Duration::days(8))).await;

    let started = app.send_as(&member, Method::POST, "/api/v1/placement-tests", None).await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let started: Value = started.json().await.unwrap();
    let placement = started["id"].as_str().unwrap().to_owned();
    let placement_exercise = started["next_exercise"]["exercise"].clone();

    let offered = crate::mentoring::skill_id(app, "digcomp.1.1").await;
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["remote"], "languages": ["fr"],
                         "postcode": "93800", "max_active_matches": 3, "accepting": true});
    let mentor = mentor_with(app, "Moussa", &offered, 6, &profile).await;
    let request = open_request(app, &member, &offered).await;
    let requested_match = requested(app, &member, &request, &mentor).await;

    let organization = app
        .send_as(
            &admin,
            Method::POST,
            "/api/v1/organizations",
            Some(&json!({"name": "Mission locale", "kind": "mission_locale"})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let credential = Uuid::now_v7();
    sea_orm::ActiveModelTrait::insert(
        entity::award::ActiveModel {
            id: sea_orm::Set(credential),
            user_id: sea_orm::Set(member.id),
            achievement: sea_orm::Set("numerizen.placement".into()),
            awarded_at: sea_orm::Set(chrono::Utc::now()),
            status_index: sea_orm::Set(0),
            identity_salt: sea_orm::Set("00".into()),
            revoked_at: sea_orm::Set(None),
            revoked_by: sea_orm::Set(None),
            revoke_reason: sea_orm::Set(None),
        },
        &app.db,
    )
    .await
    .unwrap();
    let credential = credential.to_string();
    Objects {
        credential,
        member,
        mentor,
        accompaniment,
        attempt,
        exercise,
        enrolment,
        draft,
        workshop,
        other_workshop,
        placement,
        placement_exercise,
        request,
        requested_match,
        notification,
        organization,
        training_offer: {
            let centre = crate::training::centre(app, &admin, "Greta 93", "93800").await;
            crate::training::draft(app, &admin, &crate::training::offer_body(&centre, &skill)).await
        },
        skill,
    }
}

/// What the stranger tries on each operation naming an object: the concrete
/// path and a body valid enough to reach the authorization check.
fn attempts(o: &Objects) -> BTreeMap<&'static str, (String, Option<Value>)> {
    let member = o.member.id;
    let mentor = o.mentor.id;
    let starts_at = chrono::Utc::now() + Duration::days(3);
    // Webhooks are their organisation's admins' (no stranger gets past the organisation).
    let webhooks = format!("/api/v1/organizations/{}/webhooks", o.organization);
    let webhook = format!("{webhooks}/{}", Uuid::now_v7());
    let placement_answer = match o.placement_exercise["choices"].as_array() {
        Some(choices) => json!({"choice_id": choices[0]["id"]}),
        None => json!({"value": true}),
    };
    BTreeMap::from([
        ("GET /api/v1/accompaniments/{id}", (format!("/api/v1/accompaniments/{}", o.accompaniment), None)),
        ("DELETE /api/v1/accompaniments/{id}", (format!("/api/v1/accompaniments/{}", o.accompaniment), None)),
        (
            "POST /api/v1/accompaniments/{id}/consent",
            (format!("/api/v1/accompaniments/{}/consent", o.accompaniment), None),
        ),
        (
            "POST /api/v1/accompaniments/{id}/refuse",
            (format!("/api/v1/accompaniments/{}/refuse", o.accompaniment), None),
        ),
        (
            "POST /api/v1/attempts/{id}/answers",
            (
                format!("/api/v1/attempts/{}/answers", o.attempt),
                Some(json!({"exercise_id": o.exercise, "answer": {"choice_id": Uuid::now_v7()}})),
            ),
        ),
        ("GET /api/v1/me/credentials/{id}", (format!("/api/v1/me/credentials/{}", o.credential), None)),
        (
            "GET /api/v1/me/credentials/{id}/badge.svg",
            (format!("/api/v1/me/credentials/{}/badge.svg", o.credential), None),
        ),
        (
            "POST /api/v1/credentials/{id}/revoke",
            (format!("/api/v1/credentials/{}/revoke", o.credential), Some(json!({"reason": "Erreur"}))),
        ),
        ("POST /api/v1/attempts/{id}/complete", (format!("/api/v1/attempts/{}/complete", o.attempt), None)),
        ("DELETE /api/v1/blocks/{user_id}", (format!("/api/v1/blocks/{mentor}"), None)),
        ("GET /api/v1/enrolments/{id}", (format!("/api/v1/enrolments/{}", o.enrolment), None)),
        ("DELETE /api/v1/enrolments/{id}", (format!("/api/v1/enrolments/{}", o.enrolment), None)),
        ("GET /api/v1/lessons/{id}", (format!("/api/v1/lessons/{}", o.draft), None)),
        (
            "PATCH /api/v1/lessons/{id}",
            (format!("/api/v1/lessons/{}", o.draft), Some(json!({"title": "Détourné"}))),
        ),
        ("POST /api/v1/lessons/{id}/attempts", (format!("/api/v1/lessons/{}/attempts", o.draft), None)),
        ("POST /api/v1/lessons/{id}/publish", (format!("/api/v1/lessons/{}/publish", o.draft), None)),
        ("GET /api/v1/match-requests/{id}", (format!("/api/v1/match-requests/{}", o.request), None)),
        (
            "GET /api/v1/match-requests/{id}/suggestions",
            (format!("/api/v1/match-requests/{}/suggestions", o.request), None),
        ),
        ("GET /api/v1/matches/{id}", (format!("/api/v1/matches/{}", o.requested_match), None)),
        ("POST /api/v1/matches/{id}/accept", (format!("/api/v1/matches/{}/accept", o.requested_match), None)),
        (
            "POST /api/v1/matches/{id}/cancel",
            (format!("/api/v1/matches/{}/cancel", o.requested_match), Some(json!({"reason": "x"}))),
        ),
        (
            "POST /api/v1/matches/{id}/complete",
            (format!("/api/v1/matches/{}/complete", o.requested_match), None),
        ),
        (
            "POST /api/v1/matches/{id}/decline",
            (format!("/api/v1/matches/{}/decline", o.requested_match), Some(json!({"reason": "x"}))),
        ),
        (
            "POST /api/v1/matches/{id}/feedback",
            (format!("/api/v1/matches/{}/feedback", o.requested_match), Some(json!({"rating": 1}))),
        ),
        (
            "POST /api/v1/matches/{id}/request",
            (format!("/api/v1/matches/{}/request", o.requested_match), None),
        ),
        (
            "GET /api/v1/matches/{id}/sessions",
            (format!("/api/v1/matches/{}/sessions", o.requested_match), None),
        ),
        (
            "POST /api/v1/matches/{id}/sessions",
            (
                format!("/api/v1/matches/{}/sessions", o.requested_match),
                Some(json!({"starts_at": starts_at, "duration_minutes": 60, "modality": "remote"})),
            ),
        ),
        (
            "POST /api/v1/matches/{id}/withdraw",
            (format!("/api/v1/matches/{}/withdraw", o.requested_match), None),
        ),
        (
            "POST /api/v1/me/notifications/{id}/read",
            (format!("/api/v1/me/notifications/{}/read", o.notification), None),
        ),
        ("GET /api/v1/members/{id}/journey", (format!("/api/v1/members/{member}/journey"), None)),
        (
            "POST /api/v1/members/{id}/password-reset",
            (format!("/api/v1/members/{member}/password-reset"), None),
        ),
        (
            "POST /api/v1/organizations/{id}/cohort-matching",
            (
                format!("/api/v1/organizations/{}/cohort-matching", o.organization),
                Some(json!({"request_ids": [o.request], "commit": true})),
            ),
        ),
        (
            "POST /api/v1/organizations/{id}/api-clients",
            (
                format!("/api/v1/organizations/{}/api-clients", o.organization),
                Some(json!({"name": "Intrus", "scopes": ["members:read"]})),
            ),
        ),
        (
            "GET /api/v1/organizations/{id}/api-clients",
            (format!("/api/v1/organizations/{}/api-clients", o.organization), None),
        ),
        (
            "DELETE /api/v1/organizations/{id}/api-clients/{client_id}",
            (format!("/api/v1/organizations/{}/api-clients/{}", o.organization, uuid::Uuid::now_v7()), None),
        ),
        (
            "GET /api/v1/organizations/{id}/accompanied-members",
            (format!("/api/v1/organizations/{}/accompanied-members", o.organization), None),
        ),
        ("GET /api/v1/members/{id}/enrolments", (format!("/api/v1/members/{member}/enrolments"), None)),
        (
            "PATCH /api/v1/organizations/{id}/members/{user_id}",
            (
                format!("/api/v1/organizations/{}/members/{member}", o.organization),
                Some(json!({"role": "manager"})),
            ),
        ),
        (
            "PATCH /api/v1/organizations/{id}",
            (
                format!("/api/v1/organizations/{}", o.organization),
                Some(json!({"website": "https://detourne.fr"})),
            ),
        ),
        (
            "POST /api/v1/organizations/{id}/members",
            (format!("/api/v1/organizations/{}/members", o.organization), Some(json!({"user_id": member}))),
        ),
        (
            "POST /api/v1/organizations/{id}/webhooks",
            (
                webhooks.clone(),
                Some(json!({"url": "https://partner.example.org/hook", "events": ["enrolment.confirmed"]})),
            ),
        ),
        ("GET /api/v1/organizations/{id}/webhooks", (webhooks.clone(), None)),
        ("GET /api/v1/organizations/{id}/webhooks/{wid}", (webhook.clone(), None)),
        ("PATCH /api/v1/organizations/{id}/webhooks/{wid}", (webhook.clone(), Some(json!({"paused": true})))),
        ("DELETE /api/v1/organizations/{id}/webhooks/{wid}", (webhook.clone(), None)),
        (
            "POST /api/v1/organizations/{id}/webhooks/{wid}/rotate-secret",
            (format!("{webhook}/rotate-secret"), None),
        ),
        ("GET /api/v1/organizations/{id}/webhooks/{wid}/deliveries", (format!("{webhook}/deliveries"), None)),
        (
            "POST /api/v1/organizations/{id}/webhooks/{wid}/deliveries/{did}/redeliver",
            (format!("{webhook}/deliveries/{}/redeliver", Uuid::now_v7()), None),
        ),
        (
            "POST /api/v1/placement-tests/{id}/answers",
            (
                format!("/api/v1/placement-tests/{}/answers", o.placement),
                Some(json!({"exercise_id": o.placement_exercise["id"], "answer": placement_answer})),
            ),
        ),
        (
            "PATCH /api/v1/skills/{id}",
            (format!("/api/v1/skills/{}", o.skill), Some(json!({"name": "Détourné"}))),
        ),
        ("GET /api/v1/training-offers/{id}", (format!("/api/v1/training-offers/{}", o.training_offer), None)),
        (
            "PATCH /api/v1/training-offers/{id}",
            (format!("/api/v1/training-offers/{}", o.training_offer), Some(json!({"title": "Détourné"}))),
        ),
        (
            "POST /api/v1/training-offers/{id}/publish",
            (format!("/api/v1/training-offers/{}/publish", o.training_offer), None),
        ),
        (
            "POST /api/v1/training-offers/{id}/archive",
            (format!("/api/v1/training-offers/{}/archive", o.training_offer), None),
        ),
        (
            "POST /api/v1/training-offers/{id}/sessions",
            (
                format!("/api/v1/training-offers/{}/sessions", o.training_offer),
                Some(json!({"starts_on": starts_at.date_naive(), "ends_on": starts_at.date_naive()})),
            ),
        ),
        ("PATCH /api/v1/users/{id}", (format!("/api/v1/users/{member}"), Some(json!({"role": "admin"})))),
        (
            "PATCH /api/v1/workshops/{id}",
            (format!("/api/v1/workshops/{}", o.workshop), Some(json!({"capacity": 1}))),
        ),
        (
            "POST /api/v1/workshops/{id}/attendance",
            (
                format!("/api/v1/workshops/{}/attendance", o.workshop),
                Some(json!([{"enrolment_id": o.enrolment, "status": "no_show"}])),
            ),
        ),
        ("POST /api/v1/workshops/{id}/cancel", (format!("/api/v1/workshops/{}/cancel", o.workshop), None)),
        (
            "GET /api/v1/workshops/{id}/enrolments",
            (format!("/api/v1/workshops/{}/enrolments", o.workshop), None),
        ),
        (
            "POST /api/v1/workshops/{id}/enrolments",
            (
                format!("/api/v1/workshops/{}/enrolments", o.other_workshop),
                Some(json!({"member_id": member})),
            ),
        ),
    ])
}

fn names_an_object(path: &str) -> bool {
    path.contains("{id}") || path.contains("{user_id}")
}

/// What the owners see afterwards must be what they saw before.
async fn owners_view(app: &TestApp, o: &Objects) -> Vec<Value> {
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/accompaniments/{}", o.accompaniment),
        format!("/api/v1/enrolments/{}", o.enrolment),
        format!("/api/v1/match-requests/{}", o.request),
        format!("/api/v1/matches/{}", o.requested_match),
        format!("/api/v1/workshops/{}", o.workshop),
        "/api/v1/me".to_owned(),
        "/api/v1/me/notifications".to_owned(),
        "/api/v1/me/progress".to_owned(),
    ] {
        let response = app.get_as(&o.member, &path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        seen.push(response.json().await.unwrap());
    }
    let skill = app.get(&format!("/api/v1/skills/{}", o.skill)).await;
    seen.push(skill.json().await.unwrap());
    seen
}

/// Strangers of every role but admin: a member, a counsellor of another
/// organisation without consent, a facilitator who runs none of these sessions.
async fn strangers(app: &TestApp) -> Vec<(&'static str, TestUser, BTreeSet<&'static str>)> {
    let open = |extra: &[(&'static str, &'static str)]| {
        OPEN_TO_MEMBERS.iter().chain(extra).map(|(operation, _)| *operation).collect::<BTreeSet<_>>()
    };
    vec![
        ("member", app.member("Inconnu").await, open(&[])),
        ("counsellor", app.user_with_role("Conseil", Role::Counsellor).await, open(&[])),
        ("facilitator", app.user_with_role("Animation", Role::Facilitator).await, open(OPEN_TO_FACILITATORS)),
    ]
}

#[tokio::test]
async fn a_stranger_gets_403_or_404_on_every_object_of_someone_else() {
    let app = spawn_app().await;
    let objects = seed(&app).await;
    let attempts = attempts(&objects);
    let operations = operations(&app).await;
    let named = OPEN_TO_MEMBERS.iter().chain(OPEN_TO_FACILITATORS).map(|(operation, _)| operation);
    for listed in named.chain(attempts.keys()) {
        assert!(operations.contains_key(*listed), "this test names {listed}, which no longer exists");
    }

    let before = owners_view(&app, &objects).await;
    let mut tried = 0;
    for (role, stranger, open) in strangers(&app).await {
        for name in operations.keys() {
            let (method, template) = split(name);
            if !names_an_object(template) || open.contains(name.as_str()) {
                continue;
            }
            let Some((path, body)) = attempts.get(name.as_str()) else {
                panic!(
                    "{name} names an object but this test has no case for it: seed an object of another \
                     member and add it to `attempts`, or to OPEN_TO_MEMBERS with the reason"
                );
            };
            let response = app.send_as(&stranger, method, path, body.as_ref()).await;
            let status = response.status();
            let text = response.text().await.unwrap();
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "a stranger {role} got {status} on {name} ({path}): {text}"
            );
            tried += 1;
        }
    }
    assert!(tried >= 90, "only {tried} requests were tried");
    assert_eq!(owners_view(&app, &objects).await, before, "a stranger's request changed someone else's data");
}
