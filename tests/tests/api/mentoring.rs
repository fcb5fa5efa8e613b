//! Enchanté through HTTP: mentor profiles and availability, suggestions with
//! every hard filter and an explained score, the match lifecycle (who may do
//! what, 409 from final states, 404 for strangers), contact details only once
//! accepted, the last seat under concurrency, expiry, sessions and feedback,
//! reports and blocks, cohort matching, the journey and erasure.

use chrono::{Duration, Utc};
use entity::Role;
use entity::member_skill::{self, SkillIntent};
use entity::mentor_match::{self, MatchStatus};
use entity::{audit_log, match_event, match_request, mentor_language, mentor_offer, mentor_profile};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

use crate::accompaniments::{consented, notifications};

pub async fn skill_id(app: &TestApp, code: &str) -> String {
    let skills: Value = app.get(&format!("/api/v1/skills?q={code}")).await.json().await.unwrap();
    let items = skills["items"].as_array().unwrap();
    items.iter().find(|s| s["code"] == code).unwrap()["id"].as_str().unwrap().to_owned()
}

pub async fn put(app: &TestApp, user: &TestUser, path: &str, body: &Value) -> Response {
    app.send_as(user, Method::PUT, path, Some(body)).await
}

pub async fn post(app: &TestApp, user: &TestUser, path: &str, body: Option<&Value>) -> Response {
    app.send_as(user, Method::POST, path, body).await
}

async fn ok_json(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status, "unexpected status");
    response.json().await.unwrap()
}

fn profile(max: i64) -> Value {
    json!({"bio": "J'aide volontiers.", "modalities": ["remote", "in_person"], "languages": ["fr"],
           "postcode": "93800", "max_active_matches": max, "accepting": true})
}

/// A member who offers `skill` at `level` with the given mentor profile.
pub async fn mentor_with(app: &TestApp, name: &str, skill: &str, level: i64, profile: &Value) -> TestUser {
    let mentor = app.member(name).await;
    let declared =
        put(app, &mentor, &format!("/api/v1/me/skills/{skill}"), &json!({"kind": "offer", "level": level}))
            .await;
    assert_eq!(declared.status(), StatusCode::OK);
    let saved = put(app, &mentor, "/api/v1/me/mentor-profile", profile).await;
    assert_eq!(saved.status(), StatusCode::OK, "{}", saved.text().await.unwrap());
    mentor
}

pub async fn open_request(app: &TestApp, learner: &TestUser, skill: &str) -> String {
    let body = json!({"skill_id": skill, "message": "Je voudrais apprendre.", "modalities": ["remote", "in_person"],
                      "languages": ["fr"], "target_level": 3, "postcode": "93800"});
    let created =
        ok_json(post(app, learner, "/api/v1/match-requests", Some(&body)).await, StatusCode::CREATED).await;
    assert_eq!(created["status"], "open");
    created["id"].as_str().unwrap().to_owned()
}

pub async fn ask(app: &TestApp, learner: &TestUser, request: &str, mentor: &TestUser) -> Response {
    let body = json!({"request_id": request, "mentor_id": mentor.id});
    post(app, learner, "/api/v1/matches", Some(&body)).await
}

/// A `requested` match; returns its id.
pub async fn requested(app: &TestApp, learner: &TestUser, request: &str, mentor: &TestUser) -> String {
    let created = ok_json(ask(app, learner, request, mentor).await, StatusCode::CREATED).await;
    assert_eq!(created["status"], "requested");
    created["id"].as_str().unwrap().to_owned()
}

pub async fn act(app: &TestApp, user: &TestUser, id: &str, action: &str) -> Response {
    post(app, user, &format!("/api/v1/matches/{id}/{action}"), None).await
}

async fn suggestion_ids(app: &TestApp, user: &TestUser, request: &str) -> Vec<String> {
    let page = ok_json(
        app.get_as(user, &format!("/api/v1/match-requests/{request}/suggestions?limit=50")).await,
        StatusCode::OK,
    )
    .await;
    page["items"].as_array().unwrap().iter().map(|s| s["mentor"]["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_mentor_profile_and_weekly_availability_are_validated_and_kept() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let shown = ok_json(app.get_as(&mentor, "/api/v1/me/mentor-profile").await, StatusCode::OK).await;
    assert_eq!(shown["modalities"], json!(["remote", "in_person"]));
    assert_eq!((shown["postcode"].as_str(), shown["departement"].as_str()), (Some("93800"), Some("93")));
    assert_eq!((shown["active_matches"].as_i64(), shown["rating"]["count"].as_i64()), (Some(0), Some(0)));
    assert_eq!(shown["offered_skills"][0]["level"], 5);

    let nobody = app.member("Léa").await;
    assert_problem(
        app.get_as(&nobody, "/api/v1/me/mentor-profile").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let bad = json!({"bio": "", "modalities": [], "languages": ["Français"], "postcode": "938",
                     "max_active_matches": 0, "accepting": true});
    let problem = assert_problem(
        put(&app, &nobody, "/api/v1/me/mentor-profile", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["languages", "max_active_matches", "modalities", "postcode"]);

    let slots = json!({"timezone": "America/New_York",
                       "slots": [{"weekday": 1, "start": "18:00", "end": "20:00"}, {"weekday": 7, "start": "22:00", "end": "24:00"}]});
    let saved = ok_json(put(&app, &mentor, "/api/v1/me/availability", &slots).await, StatusCode::OK).await;
    assert_eq!(saved, slots);
    let backwards = json!({"slots": [{"weekday": 1, "start": "10:00", "end": "09:00"}]});
    let problem = assert_problem(
        put(&app, &mentor, "/api/v1/me/availability", &backwards).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "slots[0].end");
    let malformed = json!({"slots": [{"weekday": 8, "start": "7h", "end": "09:00"}]});
    let problem = assert_problem(
        put(&app, &mentor, "/api/v1/me/availability", &malformed).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["slots[0].start", "slots[0].weekday"]);
    // Without a time zone, the slots are in the profile's.
    let plain = json!({"slots": [{"weekday": 2, "start": "09:00", "end": "10:30"}]});
    let saved = ok_json(put(&app, &nobody, "/api/v1/me/availability", &plain).await, StatusCode::OK).await;
    assert_eq!(saved["timezone"], "Europe/Paris");
    let read = ok_json(app.get_as(&nobody, "/api/v1/me/availability").await, StatusCode::OK).await;
    assert_eq!(read, saved);
}

#[tokio::test]
async fn suggestions_apply_every_hard_filter_and_explain_each_point() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let other_skill = skill_id(&app, "digcomp.1.1").await;
    let learner = app.member("Awa").await;
    // Tokyo has no daylight-saving time, so the overlap does not depend on the date.
    let learner_slots =
        json!({"timezone": "Asia/Tokyo", "slots": [{"weekday": 1, "start": "18:00", "end": "20:00"}]});
    assert_eq!(put(&app, &learner, "/api/v1/me/availability", &learner_slots).await.status(), StatusCode::OK);

    let good = mentor_with(&app, "Bon", &skill, 5, &profile(3)).await;
    // 18:00–20:00 in Tokyo is 09:00–11:00 UTC: one hour in common with 10:00–12:00 UTC.
    let utc_slots = json!({"timezone": "UTC", "slots": [{"weekday": 1, "start": "10:00", "end": "12:00"}]});
    assert_eq!(put(&app, &good, "/api/v1/me/availability", &utc_slots).await.status(), StatusCode::OK);
    let remote_only = mentor_with(
        &app,
        "Loin",
        &skill,
        3,
        &json!({"bio": "", "modalities": ["remote"],
        "languages": ["fr", "ar"], "max_active_matches": 1, "accepting": true}),
    )
    .await;
    let not_offering = mentor_with(&app, "Autre", &other_skill, 5, &profile(3)).await;
    let mut paused = profile(3);
    paused["accepting"] = json!(false);
    let not_accepting = mentor_with(&app, "Pause", &skill, 5, &paused).await;
    let mut english = profile(3);
    english["languages"] = json!(["en"]);
    let no_language = mentor_with(&app, "English", &skill, 5, &english).await;
    let phone = mentor_with(
        &app,
        "Phone",
        &skill,
        5,
        &json!({"bio": "", "modalities": ["phone"],
        "languages": ["fr"], "max_active_matches": 3, "accepting": true}),
    )
    .await;
    let blocked_by_learner = mentor_with(&app, "Bloqué", &skill, 5, &profile(3)).await;
    let blocking_learner = mentor_with(&app, "Bloquant", &skill, 5, &profile(3)).await;
    let full = mentor_with(&app, "Plein", &skill, 5, &profile(1)).await;
    // The learner offers the skill too: never suggested to themself.
    let declared =
        put(&app, &learner, &format!("/api/v1/me/skills/{skill}"), &json!({"kind": "offer", "level": 6}))
            .await;
    assert_eq!(declared.status(), StatusCode::OK);
    assert_eq!(put(&app, &learner, "/api/v1/me/mentor-profile", &profile(3)).await.status(), StatusCode::OK);

    let blocks = [(&learner, &blocked_by_learner), (&blocking_learner, &learner)];
    for (blocker, blocked) in blocks {
        let response = post(&app, blocker, "/api/v1/blocks", Some(&json!({"user_id": blocked.id}))).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // Fill the seat of `full` with someone else's accepted match.
    let other = app.member("Binta").await;
    let other_request = open_request(&app, &other, &skill).await;
    let taken = requested(&app, &other, &other_request, &full).await;
    assert_eq!(act(&app, &full, &taken, "accept").await.status(), StatusCode::OK);

    let request = open_request(&app, &learner, &skill).await;
    let ids = suggestion_ids(&app, &learner, &request).await;
    assert_eq!(ids, vec![good.id.to_string(), remote_only.id.to_string()], "only the eligible, best first");
    for excluded in [
        &not_offering,
        &not_accepting,
        &no_language,
        &phone,
        &blocked_by_learner,
        &blocking_learner,
        &full,
        &learner,
    ] {
        assert!(!ids.contains(&excluded.id.to_string()));
    }

    let page = ok_json(
        app.get_as(&learner, &format!("/api/v1/match-requests/{request}/suggestions")).await,
        StatusCode::OK,
    )
    .await;
    assert!(page["next_cursor"].is_null());
    for suggestion in page["items"].as_array().unwrap() {
        let breakdown = suggestion["breakdown"].as_array().unwrap();
        let factors: Vec<&str> = breakdown.iter().map(|f| f["factor"].as_str().unwrap()).collect();
        assert_eq!(factors, ["skill_level", "availability", "modality", "load", "rating"]);
        let points: i64 = breakdown.iter().map(|f| f["points"].as_i64().unwrap()).sum();
        assert_eq!(points, suggestion["score"].as_i64().unwrap(), "the breakdown adds up to the score");
        let weights: i64 = breakdown.iter().map(|f| f["weight"].as_i64().unwrap()).sum();
        assert_eq!(weights, 100);
        for factor in breakdown {
            assert!(factor["reason"].as_str().unwrap().len() > 10, "{factor}");
            assert!((0.0..=1.0).contains(&factor["value"].as_f64().unwrap()));
        }
        assert!(!suggestion.to_string().contains('@'), "no contact details in suggestions");
    }
    let best = &page["items"][0];
    assert_eq!(best["mentor"]["display_name"], "Bon");
    assert_eq!(best["mentor"]["bio"], "J'aide volontiers.");
    let reasons: Vec<&str> =
        best["breakdown"].as_array().unwrap().iter().map(|f| f["reason"].as_str().unwrap()).collect();
    assert!(reasons[1].starts_with("1 h de disponibilités en commun"), "{}", reasons[1]);
    assert!(reasons[2].starts_with("Même secteur"), "{}", reasons[2]);
    assert_eq!(best["breakdown"][0]["points"], 30, "level 5 for a target of 3");
    assert_eq!(best["breakdown"][1]["points"], 13, "60 of 120 minutes");
    let second = &page["items"][1]["breakdown"];
    assert_eq!(second[1]["points"], 0);
    assert!(second[1]["reason"].as_str().unwrap().contains("n'a pas indiqué"));

    // The filters hold for requests too: a blocked pair reads as an unknown mentor.
    let refused = ask(&app, &learner, &request, &blocked_by_learner).await;
    let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "unknown_mentor");
    for (mentor, code) in [
        (&not_offering, "skill_not_offered"),
        (&not_accepting, "not_accepting"),
        (&no_language, "no_shared_language"),
        (&phone, "no_common_modality"),
        (&full, "at_capacity"),
        (&learner, "self"),
    ] {
        let problem = assert_problem(
            ask(&app, &learner, &request, mentor).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "mentor_id");
        assert_eq!(problem["errors"][0]["code"], code);
    }
    // Strangers see neither the request nor its suggestions.
    let stranger = app.member("Inconnu").await;
    for path in
        [format!("/api/v1/match-requests/{request}"), format!("/api/v1/match-requests/{request}/suggestions")]
    {
        assert_problem(app.get_as(&stranger, &path).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let too_many =
        app.get_as(&learner, &format!("/api/v1/match-requests/{request}/suggestions?limit=101")).await;
    assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn the_lifecycle_checks_every_transition_and_shares_contacts_only_once_accepted() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let stranger = app.member("Léo").await;
    let request = open_request(&app, &learner, &skill).await;
    let response = ask(&app, &learner, &request, &mentor).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/matches/{id}"));
    assert_eq!((created["your_role"].as_str(), created["score"].is_i64()), (Some("learner"), true));
    assert!(created["expires_at"].is_string());
    assert!(created["contact"].is_null(), "no contact before acceptance");
    assert_eq!(notifications(&app, &mentor).await[0]["kind"], "match.requested");
    // One open match per request.
    let other_mentor = mentor_with(&app, "Nadia", &skill, 5, &profile(2)).await;
    assert_problem(ask(&app, &learner, &request, &other_mentor).await, StatusCode::CONFLICT, "match_exists")
        .await;

    for user in [&learner, &mentor] {
        let seen = ok_json(app.get_as(user, &format!("/api/v1/matches/{id}")).await, StatusCode::OK).await;
        assert_eq!(seen["status"], "requested");
        assert!(seen["contact"].is_null());
        assert!(!seen.to_string().contains(&learner.email) && !seen.to_string().contains(&mentor.email));
    }
    // Strangers: 404 for every route of the match.
    assert_problem(
        app.get_as(&stranger, &format!("/api/v1/matches/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for action in ["request", "accept", "decline", "withdraw", "cancel", "complete"] {
        assert_problem(act(&app, &stranger, &id, action).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let sessions = format!("/api/v1/matches/{id}/sessions");
    assert_problem(app.get_as(&stranger, &sessions).await, StatusCode::NOT_FOUND, "not_found").await;
    // Only the mentor accepts or declines; a session waits for acceptance.
    for action in ["accept", "decline"] {
        assert_problem(act(&app, &learner, &id, action).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_problem(act(&app, &mentor, &id, "withdraw").await, StatusCode::FORBIDDEN, "forbidden").await;
    for action in ["complete", "cancel", "request"] {
        let user = if action == "request" { &learner } else { &mentor };
        assert_problem(act(&app, user, &id, action).await, StatusCode::CONFLICT, "invalid_transition").await;
    }
    let session = json!({"starts_at": "2030-01-07T17:00:00Z", "duration_minutes": 60, "modality": "remote"});
    assert_problem(
        post(&app, &learner, &sessions, Some(&session)).await,
        StatusCode::CONFLICT,
        "match_not_active",
    )
    .await;

    let accepted = ok_json(act(&app, &mentor, &id, "accept").await, StatusCode::OK).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["contact"]["email"], learner.email.as_str());
    let seen = ok_json(app.get_as(&learner, &format!("/api/v1/matches/{id}")).await, StatusCode::OK).await;
    assert_eq!(seen["contact"]["email"], mentor.email.as_str());
    assert_eq!(notifications(&app, &learner).await[0]["kind"], "match.accepted");
    let stored = match_request::Entity::find_by_id(request.parse::<Uuid>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, match_request::MatchRequestStatus::Matched);
    for action in ["accept", "decline"] {
        assert_problem(act(&app, &mentor, &id, action).await, StatusCode::CONFLICT, "invalid_transition")
            .await;
    }
    assert_problem(act(&app, &learner, &id, "withdraw").await, StatusCode::CONFLICT, "invalid_transition")
        .await;

    let planned = ok_json(post(&app, &learner, &sessions, Some(&session)).await, StatusCode::CREATED).await;
    assert_eq!(planned["duration_minutes"], 60);
    assert_eq!(notifications(&app, &mentor).await[0]["kind"], "match.session_planned");
    let listed = ok_json(app.get_as(&mentor, &sessions).await, StatusCode::OK).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let too_short = json!({"starts_at": "2030-01-07T17:00:00Z", "duration_minutes": 5, "modality": "remote"});
    assert_problem(
        post(&app, &learner, &sessions, Some(&too_short)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // Feedback waits for completion.
    let feedback = format!("/api/v1/matches/{id}/feedback");
    let rating = json!({"rating": 5, "comment": "Merci beaucoup !"});
    assert_problem(
        post(&app, &learner, &feedback, Some(&rating)).await,
        StatusCode::CONFLICT,
        "match_not_completed",
    )
    .await;
    let completed = ok_json(act(&app, &learner, &id, "complete").await, StatusCode::OK).await;
    assert_eq!(completed["status"], "completed");
    assert_eq!(completed["contact"]["email"], mentor.email.as_str());
    // No transition leaves a final state.
    for (user, action) in [
        (&learner, "cancel"),
        (&mentor, "complete"),
        (&mentor, "accept"),
        (&learner, "withdraw"),
        (&learner, "request"),
    ] {
        assert_problem(act(&app, user, &id, action).await, StatusCode::CONFLICT, "invalid_transition").await;
    }
    assert_problem(
        post(&app, &learner, &sessions, Some(&session)).await,
        StatusCode::CONFLICT,
        "match_not_active",
    )
    .await;
    assert_problem(post(&app, &stranger, &feedback, Some(&rating)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let given = ok_json(post(&app, &learner, &feedback, Some(&rating)).await, StatusCode::CREATED).await;
    assert_eq!(
        (given["rating"].as_i64(), given["subject_id"].as_str()),
        (Some(5), Some(mentor.id.to_string().as_str()))
    );
    assert_problem(
        post(&app, &learner, &feedback, Some(&rating)).await,
        StatusCode::CONFLICT,
        "feedback_exists",
    )
    .await;
    let back = json!({"rating": 4});
    assert_eq!(post(&app, &mentor, &feedback, Some(&back)).await.status(), StatusCode::CREATED);
    let bad = json!({"rating": 6});
    assert_problem(
        post(&app, &mentor, &feedback, Some(&bad)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Only the learner's rating feeds the mentor's average.
    let profile = mentor_profile::Entity::find_by_id(mentor.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((profile.rating_sum, profile.rating_count), (5, 1));
    let shown = ok_json(app.get_as(&mentor, "/api/v1/me/mentor-profile").await, StatusCode::OK).await;
    assert_eq!(shown["rating"], json!({"average": 5.0, "count": 1}));

    // Every transition is recorded with its actor and time.
    let detail = ok_json(app.get_as(&mentor, &format!("/api/v1/matches/{id}")).await, StatusCode::OK).await;
    let events: Vec<(Value, Value, Value)> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["from_status"].clone(), e["to_status"].clone(), e["actor_id"].clone()))
        .collect();
    assert_eq!(
        events,
        vec![
            (json!(null), json!("requested"), json!(learner.id)),
            (json!("requested"), json!("accepted"), json!(mentor.id)),
            (json!("accepted"), json!("completed"), json!(learner.id)),
        ]
    );
    assert!(detail["events"].as_array().unwrap().iter().all(|e| e["created_at"].is_string()));

    // Lists, by role and status.
    let mine =
        ok_json(app.get_as(&mentor, "/api/v1/matches?role=mentor&status=completed").await, StatusCode::OK)
            .await;
    assert_eq!(mine["items"][0]["id"], id.as_str());
    let none = ok_json(app.get_as(&mentor, "/api/v1/matches?role=learner").await, StatusCode::OK).await;
    assert_eq!(none["items"], json!([]));
}

#[tokio::test]
async fn decline_withdraw_and_cancel_keep_their_reasons_and_free_the_request() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;

    let first = requested(&app, &learner, &request, &mentor).await;
    let reason = json!({"reason": "Pas disponible ce mois-ci."});
    let declined = post(&app, &mentor, &format!("/api/v1/matches/{first}/decline"), Some(&reason)).await;
    assert_eq!(ok_json(declined, StatusCode::OK).await["status"], "declined");
    let notice = &notifications(&app, &learner).await[0];
    assert_eq!(notice["kind"], "match.declined");
    assert!(notice["body"].as_str().unwrap().contains("Pas disponible ce mois-ci."));
    let detail =
        ok_json(app.get_as(&learner, &format!("/api/v1/matches/{first}")).await, StatusCode::OK).await;
    assert_eq!(detail["events"][1]["reason"], "Pas disponible ce mois-ci.");

    let second = requested(&app, &learner, &request, &mentor).await;
    let withdrawn = ok_json(act(&app, &learner, &second, "withdraw").await, StatusCode::OK).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(notifications(&app, &mentor).await[0]["kind"], "match.withdrawn");

    let third = requested(&app, &learner, &request, &mentor).await;
    assert_eq!(act(&app, &mentor, &third, "accept").await.status(), StatusCode::OK);
    let malformed = app
        .request(Method::POST, &format!("/api/v1/matches/{third}/cancel"))
        .bearer_auth(&mentor.access_token)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_body").await;
    let cancelled = post(
        &app,
        &mentor,
        &format!("/api/v1/matches/{third}/cancel"),
        Some(&json!({"reason": "Déménagement"})),
    )
    .await;
    let cancelled = ok_json(cancelled, StatusCode::OK).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert!(cancelled["contact"].is_null(), "a cancelled match no longer shares contacts");
    assert_eq!(notifications(&app, &learner).await[0]["kind"], "match.cancelled");
    // The request is open again.
    let again =
        ok_json(app.get_as(&learner, &format!("/api/v1/match-requests/{request}")).await, StatusCode::OK)
            .await;
    assert_eq!(again["status"], "open");
    requested(&app, &learner, &request, &mentor).await;
}

#[tokio::test]
async fn two_acceptances_for_the_last_seat_let_exactly_one_through() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    for round in 0..3 {
        let mentor = mentor_with(&app, &format!("Mentor{round}"), &skill, 5, &profile(1)).await;
        let mut ids = Vec::new();
        for n in 0..2 {
            let learner = app.member(&format!("Learner{round}{n}")).await;
            let request = open_request(&app, &learner, &skill).await;
            ids.push(requested(&app, &learner, &request, &mentor).await);
        }
        let (a, b) =
            tokio::join!(act(&app, &mentor, &ids[0], "accept"), act(&app, &mentor, &ids[1], "accept"));
        let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, vec![200, 409], "round {round}");
        let loser = if a.status() == StatusCode::CONFLICT { a } else { b };
        assert_problem(loser, StatusCode::CONFLICT, "mentor_at_capacity").await;
        let accepted = mentor_match::Entity::find()
            .filter(mentor_match::Column::MentorId.eq(mentor.id))
            .filter(mentor_match::Column::Status.eq(MatchStatus::Accepted))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(accepted, 1, "round {round}");
    }
}

#[tokio::test]
async fn unanswered_requests_expire_and_cannot_be_accepted_late() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;
    let swept = requested(&app, &learner, &request, &mentor).await;
    let row =
        mentor_match::Entity::find_by_id(swept.parse::<Uuid>().unwrap()).one(&app.db).await.unwrap().unwrap();
    let ttl = row.expires_at.unwrap() - row.created_at;
    assert_eq!(ttl, Duration::days(14), "TREMPLIN_MATCH_REQUEST_TTL_DAYS defaults to 14");
    let mut overdue = row.into_active_model();
    overdue.expires_at = Set(Some(Utc::now() - Duration::minutes(1)));
    overdue.update(&app.db).await.unwrap();

    let expired = api::mentoring::expiry::expire_due(&app.db, Utc::now()).await.unwrap();
    assert_eq!(expired, vec![swept.parse::<Uuid>().unwrap()]);
    assert!(api::mentoring::expiry::expire_due(&app.db, Utc::now()).await.unwrap().is_empty(), "once");
    let seen = ok_json(app.get_as(&learner, &format!("/api/v1/matches/{swept}")).await, StatusCode::OK).await;
    assert_eq!(seen["status"], "expired");
    assert_eq!(seen["events"][1]["actor_id"], json!(null), "the service expired it");
    assert_eq!(notifications(&app, &learner).await[0]["kind"], "match.expired");
    assert_eq!(notifications(&app, &mentor).await[0]["kind"], "match.expired");
    assert_problem(act(&app, &mentor, &swept, "accept").await, StatusCode::CONFLICT, "invalid_transition")
        .await;

    // A mentor answering after the deadline, before the sweep, finds it expired.
    let late = requested(&app, &learner, &request, &mentor).await;
    let mut overdue = mentor_match::Entity::find_by_id(late.parse::<Uuid>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    overdue.expires_at = Set(Some(Utc::now() - Duration::seconds(1)));
    overdue.update(&app.db).await.unwrap();
    let problem =
        assert_problem(act(&app, &mentor, &late, "accept").await, StatusCode::CONFLICT, "invalid_transition")
            .await;
    assert!(problem["detail"].as_str().unwrap().contains("expirée"));
    let stored =
        mentor_match::Entity::find_by_id(late.parse::<Uuid>().unwrap()).one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.status, MatchStatus::Expired);
}

#[tokio::test]
async fn blocks_hide_profiles_stop_matching_and_end_what_was_open() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;
    let id = requested(&app, &learner, &request, &mentor).await;
    assert_eq!(act(&app, &mentor, &id, "accept").await.status(), StatusCode::OK);
    for (viewer, viewed) in [(&learner, &mentor), (&mentor, &learner)] {
        let profile = app.get_as(viewer, &format!("/api/v1/users/{}", viewed.id)).await;
        assert_eq!(profile.status(), StatusCode::OK);
    }

    let blocked = ok_json(
        post(&app, &mentor, "/api/v1/blocks", Some(&json!({"user_id": learner.id}))).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(blocked["user"]["id"], json!(learner.id));
    assert_problem(
        post(&app, &mentor, "/api/v1/blocks", Some(&json!({"user_id": learner.id}))).await,
        StatusCode::CONFLICT,
        "already_blocked",
    )
    .await;
    assert_problem(
        post(&app, &mentor, "/api/v1/blocks", Some(&json!({"user_id": mentor.id}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Neither sees the other's profile, whichever way the block goes.
    for (viewer, viewed) in [(&learner, &mentor), (&mentor, &learner)] {
        let profile = app.get_as(viewer, &format!("/api/v1/users/{}", viewed.id)).await;
        assert_problem(profile, StatusCode::NOT_FOUND, "not_found").await;
    }
    // The accepted match ended, without saying why.
    let ended = ok_json(app.get_as(&learner, &format!("/api/v1/matches/{id}")).await, StatusCode::OK).await;
    assert_eq!(ended["status"], "cancelled");
    assert!(ended["events"][2]["reason"].is_null());
    assert!(!notifications(&app, &learner).await[0].to_string().contains("bloqu"));
    // No suggestion, no request, not in the directory.
    assert!(suggestion_ids(&app, &learner, &request).await.is_empty());
    let problem = assert_problem(
        ask(&app, &learner, &request, &mentor).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown_mentor");
    let directory =
        ok_json(app.get_as(&learner, &format!("/api/v1/mentors?skill_id={skill}")).await, StatusCode::OK)
            .await;
    assert_eq!(directory["items"], json!([]));

    let mine = ok_json(app.get_as(&mentor, "/api/v1/me/blocks").await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["user"]["id"], json!(learner.id));
    let theirs = ok_json(app.get_as(&learner, "/api/v1/me/blocks").await, StatusCode::OK).await;
    assert_eq!(theirs["items"], json!([]), "nobody learns who blocked them");
    let unblock = format!("/api/v1/blocks/{}", learner.id);
    assert_problem(
        app.send_as(&learner, Method::DELETE, &format!("/api/v1/blocks/{}", mentor.id), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(app.send_as(&mentor, Method::DELETE, &unblock, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&learner, &format!("/api/v1/users/{}", mentor.id)).await.status(), StatusCode::OK);
    assert_eq!(suggestion_ids(&app, &learner, &request).await, vec![mentor.id.to_string()]);
    let directory = ok_json(
        app.get_as(&learner, &format!("/api/v1/mentors?skill_id={skill}&modality=in_person&language=fr"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(directory["items"][0]["id"], json!(mentor.id));
    assert_eq!(directory["items"][0]["departement"], "93");
    assert!(directory["items"][0].get("postcode").is_none() && !directory.to_string().contains('@'));
}

#[tokio::test]
async fn reports_reach_the_admins_only() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;
    let id = requested(&app, &learner, &request, &mentor).await;
    let body = json!({"reported_user_id": mentor.id, "match_id": id, "reason": "Propos déplacés."});
    let created =
        ok_json(post(&app, &learner, "/api/v1/reports", Some(&body)).await, StatusCode::CREATED).await;
    assert_eq!(created["reported_user_id"], json!(mentor.id));
    let stranger = app.member("Léo").await;
    let foreign = json!({"reported_user_id": mentor.id, "match_id": id, "reason": "?"});
    let problem = assert_problem(
        post(&app, &stranger, "/api/v1/reports", Some(&foreign)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "match_id");
    assert!(
        notifications(&app, &mentor).await.iter().all(|n| n["kind"] != "report"),
        "the person reported is not told"
    );

    assert_problem(app.get_as(&learner, "/api/v1/reports").await, StatusCode::FORBIDDEN, "forbidden").await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let listed = ok_json(app.get_as(&admin, "/api/v1/reports").await, StatusCode::OK).await;
    assert_eq!(listed["items"][0]["reporter"]["id"], json!(learner.id));
    assert_eq!(listed["items"][0]["reported"]["display_name"], "Karim");
    assert_eq!(listed["items"][0]["reason"], "Propos déplacés.");
    // The export of the person reported never names who reported them.
    let export = app.get_as(&mentor, "/api/v1/me/export").await.text().await.unwrap();
    assert!(!export.contains(&learner.id.to_string()) || !export.contains("Propos déplacés"));
    let export: Value = serde_json::from_str(&export).unwrap();
    let report = &export["tables"]["reports"][0];
    assert!(report.get("reporter_id").is_none() && report.get("reason").is_none(), "{report}");
}

#[tokio::test]
async fn counsellors_read_requests_with_consent_and_match_cohorts_optimally() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let counsellor = app.user_with_role("Conseil", Role::Counsellor).await;
    let outsider = app.user_with_role("Ailleurs", Role::Counsellor).await;
    let org = ok_json(
        post(
            &app,
            &admin,
            "/api/v1/organizations",
            Some(&json!({"name": "Mission locale", "kind": "mission_locale"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let attach = post(
        &app,
        &admin,
        &format!("/api/v1/organizations/{org}/members"),
        Some(&json!({"user_id": counsellor.id})),
    )
    .await;
    assert_eq!(attach.status(), StatusCode::CREATED);

    // Two mentors, one seat each; the first is the better level for everyone.
    let strong = mentor_with(&app, "Fort", &skill, 6, &profile(1)).await;
    let even = mentor_with(&app, "Égal", &skill, 3, &profile(1)).await;
    let mut requests = Vec::new();
    let mut learners = Vec::new();
    for name in ["Un", "Deux", "Trois"] {
        let learner = app.member(name).await;
        consented(&app, &counsellor, &learner).await;
        requests.push(open_request(&app, &learner, &skill).await);
        learners.push(learner);
    }
    // Reading a request needs the member's consent, and is audited.
    let stranger_request = open_request(&app, &app.member("Seul").await, &skill).await;
    assert_problem(
        app.get_as(&counsellor, &format!("/api/v1/match-requests/{stranger_request}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let read = app.get_as(&counsellor, &format!("/api/v1/match-requests/{}", requests[0])).await;
    assert_eq!(read.status(), StatusCode::OK);
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::MemberId.eq(learners[0].id))
        .filter(audit_log::Column::Action.eq("match_request.read"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    let path = format!("/api/v1/organizations/{org}/cohort-matching");
    let body = json!({"request_ids": requests, "mentor_ids": [strong.id, even.id]});
    assert_problem(post(&app, &outsider, &path, Some(&body)).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(post(&app, &learners[0], &path, Some(&body)).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    let unknown_org = format!("/api/v1/organizations/{}/cohort-matching", Uuid::now_v7());
    assert_problem(post(&app, &admin, &unknown_org, Some(&body)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let foreign = json!({"request_ids": [requests[0], stranger_request]});
    let problem = assert_problem(
        post(&app, &counsellor, &path, Some(&foreign)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "request_ids[1]");

    let dry = ok_json(post(&app, &counsellor, &path, Some(&body)).await, StatusCode::OK).await;
    assert_eq!(dry["committed"], false);
    assert_eq!(dry["assignments"].as_array().unwrap().len(), 2, "two seats for three requests");
    assert_eq!(dry["unassigned"].as_array().unwrap().len(), 1);
    let total: i64 =
        dry["assignments"].as_array().unwrap().iter().map(|a| a["score"].as_i64().unwrap()).sum();
    assert_eq!(dry["total_score"].as_i64(), Some(total));
    let mentors: Vec<&str> =
        dry["assignments"].as_array().unwrap().iter().map(|a| a["mentor_id"].as_str().unwrap()).collect();
    assert!(
        mentors.contains(&strong.id.to_string().as_str()) && mentors.contains(&even.id.to_string().as_str())
    );
    assert_eq!(mentor_match::Entity::find().count(&app.db).await.unwrap(), 0, "a dry run creates nothing");

    let mut commit = body.clone();
    commit["commit"] = json!(true);
    let done = ok_json(post(&app, &counsellor, &path, Some(&commit)).await, StatusCode::OK).await;
    assert_eq!(done["total_score"], dry["total_score"]);
    let proposed = mentor_match::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(proposed.len(), 2);
    assert!(
        proposed.iter().all(|m| m.status == MatchStatus::Proposed && m.proposed_by == Some(counsellor.id))
    );
    // Proposed requests cannot be matched again.
    let problem = assert_problem(
        post(&app, &counsellor, &path, Some(&commit)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "match_pending");

    // The learner sends the proposal; the mentor can then accept it.
    let assignment = &done["assignments"][0];
    let match_id = assignment["match_id"].as_str().unwrap();
    let request_id = assignment["request_id"].as_str().unwrap();
    let owner = &learners[requests.iter().position(|r| r == request_id).unwrap()];
    assert_eq!(notifications(&app, owner).await[0]["kind"], "match.proposed");
    let mentor = if assignment["mentor_id"] == json!(strong.id) { &strong } else { &even };
    assert_problem(act(&app, mentor, match_id, "accept").await, StatusCode::NOT_FOUND, "not_found").await;
    let sent = ok_json(act(&app, owner, match_id, "request").await, StatusCode::OK).await;
    assert_eq!(sent["status"], "requested");
    assert_eq!(
        ok_json(act(&app, mentor, match_id, "accept").await, StatusCode::OK).await["status"],
        "accepted"
    );
    let events = match_event::Entity::find()
        .filter(match_event::Column::MatchId.eq(match_id.parse::<Uuid>().unwrap()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 3, "proposed, requested, accepted");

    // Without mentor ids, the candidates come from the suggestions; admins may run it too.
    let left = done["unassigned"][0].as_str().unwrap();
    let open =
        ok_json(post(&app, &admin, &path, Some(&json!({"request_ids": [left]}))).await, StatusCode::OK).await;
    assert_eq!(open["assignments"].as_array().unwrap().len(), 1, "the other mentor's seat is still free");
}

#[tokio::test]
async fn the_journey_shows_enchante_and_erasure_keeps_the_counts() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;
    let id = requested(&app, &learner, &request, &mentor).await;
    assert_eq!(act(&app, &mentor, &id, "accept").await.status(), StatusCode::OK);
    let session = json!({"starts_at": "2030-01-07T17:00:00Z", "duration_minutes": 45, "modality": "in_person", "location": "Médiathèque"});
    assert_eq!(
        post(&app, &mentor, &format!("/api/v1/matches/{id}/sessions"), Some(&session)).await.status(),
        StatusCode::CREATED
    );

    let journey = ok_json(
        app.get_as(&learner, &format!("/api/v1/members/{}/journey", learner.id)).await,
        StatusCode::OK,
    )
    .await;
    let section = &journey["sections"]["matches"];
    assert_eq!(section["requests"][0]["id"], request.as_str());
    assert_eq!(section["matches"][0]["role"], "learner");
    assert_eq!(section["matches"][0]["other_party"]["display_name"], "Karim");
    assert_eq!(section["sessions"][0]["duration_minutes"], 45);
    assert!(!section.to_string().contains('@'));
    let theirs =
        ok_json(app.get_as(&mentor, &format!("/api/v1/members/{}/journey", mentor.id)).await, StatusCode::OK)
            .await;
    assert_eq!(theirs["sections"]["matches"]["matches"][0]["role"], "mentor");

    // The learner erases their account: the match ends, the rows stay without free text.
    assert_eq!(app.delete_me(&learner).await.status(), StatusCode::NO_CONTENT);
    let row =
        mentor_match::Entity::find_by_id(id.parse::<Uuid>().unwrap()).one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.status, row.message), (MatchStatus::Cancelled, None));
    let request_row = match_request::Entity::find_by_id(request.parse::<Uuid>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((request_row.message, request_row.status), (None, match_request::MatchRequestStatus::Closed));
    assert_eq!(notifications(&app, &mentor).await[0]["kind"], "match.cancelled");
    // The mentor erases theirs: the profile goes.
    assert_eq!(app.delete_me(&mentor).await.status(), StatusCode::NO_CONTENT);
    assert!(mentor_profile::Entity::find_by_id(mentor.id).one(&app.db).await.unwrap().is_none());
    assert_eq!(mentor_match::Entity::find().count(&app.db).await.unwrap(), 1, "the match still counts");
}

/// The suggestion index (`mentor_offers`) as the source tables define it: one
/// row per offered skill of an accepting mentor, with their profile and
/// languages.
async fn index_from_sources(app: &TestApp) -> Vec<mentor_offer::Model> {
    let profiles = mentor_profile::Entity::find().all(&app.db).await.unwrap();
    let mut rows = Vec::new();
    for profile in profiles.into_iter().filter(|p| p.accepting) {
        let mut languages: Vec<String> = mentor_language::Entity::find()
            .filter(mentor_language::Column::UserId.eq(profile.user_id))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|l| format!("{} ", l.language))
            .collect();
        languages.sort();
        for offer in member_skill::Entity::find()
            .filter(member_skill::Column::UserId.eq(profile.user_id))
            .filter(member_skill::Column::Kind.eq(SkillIntent::Offer))
            .all(&app.db)
            .await
            .unwrap()
        {
            rows.push(mentor_offer::Model {
                skill_id: offer.skill_id,
                user_id: profile.user_id,
                level: offer.level,
                offers_remote: profile.offers_remote,
                offers_in_person: profile.offers_in_person,
                offers_phone: profile.offers_phone,
                languages: format!(" {}", languages.concat()),
                postcode: profile.postcode.clone(),
                departement: profile.departement.clone(),
                max_active_matches: profile.max_active_matches,
                rating_sum: profile.rating_sum,
                rating_count: profile.rating_count,
            });
        }
    }
    rows.sort_by_key(|r| (r.skill_id, r.user_id));
    rows
}

async fn assert_index_follows(app: &TestApp, step: &str) {
    let mut stored = mentor_offer::Entity::find().all(&app.db).await.unwrap();
    stored.sort_by_key(|r| (r.skill_id, r.user_id));
    assert_eq!(stored, index_from_sources(app).await, "after {step}");
}

#[tokio::test]
async fn the_suggestion_index_follows_every_change_of_a_mentor() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let other = skill_id(&app, "digcomp.1.1").await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;
    let suggested = |ids: Vec<String>, mentor: &TestUser| ids.contains(&mentor.id.to_string());

    // An offer declared before the profile exists, then the profile.
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    assert_index_follows(&app, "the profile").await;
    assert!(suggested(suggestion_ids(&app, &learner, &request).await, &mentor));
    let offer = |level: i64| json!({"kind": "offer", "level": level});
    put(&app, &mentor, &format!("/api/v1/me/skills/{other}"), &offer(3)).await;
    put(&app, &mentor, &format!("/api/v1/me/skills/{skill}"), &offer(7)).await;
    assert_index_follows(&app, "a new offer and a new level").await;

    let mut changed = profile(2);
    changed["accepting"] = json!(false);
    assert_eq!(put(&app, &mentor, "/api/v1/me/mentor-profile", &changed).await.status(), StatusCode::OK);
    assert_index_follows(&app, "a pause").await;
    assert!(!suggested(suggestion_ids(&app, &learner, &request).await, &mentor), "not accepting");
    changed["accepting"] = json!(true);
    changed["languages"] = json!(["en", "ar"]);
    assert_eq!(put(&app, &mentor, "/api/v1/me/mentor-profile", &changed).await.status(), StatusCode::OK);
    assert_index_follows(&app, "other languages").await;
    assert!(!suggested(suggestion_ids(&app, &learner, &request).await, &mentor), "no shared language");
    changed["languages"] = json!(["ar", "fr"]);
    assert_eq!(put(&app, &mentor, "/api/v1/me/mentor-profile", &changed).await.status(), StatusCode::OK);
    assert!(suggested(suggestion_ids(&app, &learner, &request).await, &mentor));

    let withdrawn =
        app.send_as(&mentor, Method::DELETE, &format!("/api/v1/me/skills/{skill}?kind=offer"), None).await;
    assert_eq!(withdrawn.status(), StatusCode::NO_CONTENT);
    assert_index_follows(&app, "a withdrawn offer").await;
    assert!(!suggested(suggestion_ids(&app, &learner, &request).await, &mentor), "offers it no more");
    put(&app, &mentor, &format!("/api/v1/me/skills/{skill}"), &offer(6)).await;

    // A rating after a completed match.
    let id = requested(&app, &learner, &request, &mentor).await;
    assert_eq!(act(&app, &mentor, &id, "accept").await.status(), StatusCode::OK);
    assert_eq!(act(&app, &learner, &id, "complete").await.status(), StatusCode::OK);
    let rated =
        post(&app, &learner, &format!("/api/v1/matches/{id}/feedback"), Some(&json!({"rating": 4}))).await;
    assert_eq!(rated.status(), StatusCode::CREATED);
    assert_index_follows(&app, "a rating").await;
    let stored = mentor_offer::Entity::find().all(&app.db).await.unwrap();
    assert!(stored.iter().all(|r| (r.rating_sum, r.rating_count) == (4, 1)), "{stored:?}");

    // Erasure takes the rows with the profile.
    assert_eq!(app.delete_me(&mentor).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(mentor_offer::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn changes_of_one_mentor_at_once_keep_the_suggestion_index_whole() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let codes = ["digcomp.1.1", "digcomp.1.2", "digcomp.1.3", "digcomp.2.1", "digcomp.2.2", "digcomp.3.1"];
    let mut skills = Vec::new();
    for code in codes {
        skills.push(skill_id(&app, code).await);
    }
    let offer = json!({"kind": "offer", "level": 4});
    let paths: Vec<String> = skills.iter().map(|skill| format!("/api/v1/me/skills/{skill}")).collect();
    let declarations = paths.iter().map(|path| put(&app, &mentor, path, &offer));
    let larger = profile(3);
    let profile_change = put(&app, &mentor, "/api/v1/me/mentor-profile", &larger);
    let (statuses, changed) = tokio::join!(futures_util::future::join_all(declarations), profile_change);
    assert_eq!(changed.status(), StatusCode::OK);
    assert!(statuses.iter().all(|r| r.status() == StatusCode::OK), "{statuses:?}");
    assert_index_follows(&app, "concurrent changes").await;
    assert_eq!(mentor_offer::Entity::find().count(&app.db).await.unwrap(), 1 + codes.len() as u64);
}

#[tokio::test]
async fn an_offer_declared_while_the_profile_is_created_is_indexed() {
    let app = spawn_app().await;
    for name in ["Karim", "Léa", "Awa", "Moussa", "Inès", "Yanis", "Sarah", "Omar"] {
        let member = app.member(name).await;
        let skill = skill_id(&app, "digcomp.4.1").await;
        let path = format!("/api/v1/me/skills/{skill}");
        let offer = json!({"kind": "offer", "level": 5});
        let created = profile(2);
        let (declared, saved) = tokio::join!(
            put(&app, &member, &path, &offer),
            put(&app, &member, "/api/v1/me/mentor-profile", &created)
        );
        assert_eq!((declared.status(), saved.status()), (StatusCode::OK, StatusCode::OK));
        assert_index_follows(&app, &format!("{name}'s profile and offer")).await;
    }
}

async fn requests_of(app: &TestApp, learner: &TestUser) -> Vec<Value> {
    let page = ok_json(app.get_as(learner, "/api/v1/me/match-requests?limit=50").await, StatusCode::OK).await;
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_learner_keeps_at_most_five_open_requests() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let mut requests = Vec::new();
    for _ in 0..5 {
        requests.push(open_request(&app, &learner, &skill).await);
    }
    let body =
        json!({"skill_id": skill, "message": "Encore une.", "modalities": ["remote"], "languages": ["fr"]});
    let path = "/api/v1/match-requests";
    assert_problem(
        post(&app, &learner, path, Some(&body)).await,
        StatusCode::CONFLICT,
        "too_many_open_requests",
    )
    .await;
    assert_eq!(requests_of(&app, &learner).await.len(), 5);

    // A request a mentor accepted is still under way (a cancellation reopens
    // it): it counts. Once the mentoring is completed it is settled: it no
    // longer does.
    let id = requested(&app, &learner, &requests[0], &mentor).await;
    assert_eq!(act(&app, &mentor, &id, "accept").await.status(), StatusCode::OK);
    assert_problem(
        post(&app, &learner, path, Some(&body)).await,
        StatusCode::CONFLICT,
        "too_many_open_requests",
    )
    .await;
    assert_eq!(act(&app, &learner, &id, "complete").await.status(), StatusCode::OK);
    assert_eq!(post(&app, &learner, path, Some(&body)).await.status(), StatusCode::CREATED);
    assert_problem(
        post(&app, &learner, path, Some(&body)).await,
        StatusCode::CONFLICT,
        "too_many_open_requests",
    )
    .await;

    // Sent all at once, still five.
    let hurried = app.member("Presse").await;
    let statuses: Vec<StatusCode> = futures_util::future::join_all(
        (0..8).map(|_| async { post(&app, &hurried, path, Some(&body)).await.status() }),
    )
    .await;
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, refused), (5, 3), "{statuses:?}");
    assert_eq!(requests_of(&app, &hurried).await.len(), 5);
}

#[tokio::test]
async fn the_proximity_reason_never_names_the_postcode() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let learner = app.member("Awa").await;
    let neighbour = mentor_with(&app, "Voisin", &skill, 5, &profile(2)).await;
    let mut nearby = profile(2);
    nearby["postcode"] = json!("93200");
    let same_departement = mentor_with(&app, "Proche", &skill, 5, &nearby).await;
    let request = open_request(&app, &learner, &skill).await;
    let page = ok_json(
        app.get_as(&learner, &format!("/api/v1/match-requests/{request}/suggestions")).await,
        StatusCode::OK,
    )
    .await;
    let modality = |mentor: &TestUser| {
        let item = page["items"].as_array().unwrap().iter().find(|i| i["mentor"]["id"] == json!(mentor.id));
        item.unwrap()["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["factor"] == "modality")
            .unwrap()
            .clone()
    };
    let (same, near) = (modality(&neighbour), modality(&same_departement));
    // The scores stay as they were: the same postcode still counts more.
    assert_eq!((same["points"].as_i64(), near["points"].as_i64()), (Some(20), Some(16)));
    // The words are the same for both, and name no place.
    assert_eq!(same["reason"], near["reason"]);
    let reason = same["reason"].as_str().unwrap();
    assert!(reason.starts_with("Même secteur"), "{reason}");
    for told in ["code postal", "93800", "93200", "93"] {
        assert!(!reason.contains(told), "{reason}");
    }
}

/// An organisation with `counsellor` in it, who accompanies `learner` with
/// consent; returns the organisation's id.
async fn organisation_following(app: &TestApp, counsellor: &TestUser, learner: &TestUser) -> String {
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let body = json!({"name": "Mission locale", "kind": "mission_locale"});
    let org =
        ok_json(post(app, &admin, "/api/v1/organizations", Some(&body)).await, StatusCode::CREATED).await;
    let org = org["id"].as_str().unwrap().to_owned();
    let member = json!({"user_id": counsellor.id});
    let attached = post(app, &admin, &format!("/api/v1/organizations/{org}/members"), Some(&member)).await;
    assert_eq!(attached.status(), StatusCode::CREATED);
    consented(app, counsellor, learner).await;
    org
}

#[tokio::test]
async fn a_cohort_proposal_stays_hidden_from_the_mentor_until_the_learner_sends_it() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let counsellor = app.user_with_role("Conseil", Role::Counsellor).await;
    let org = organisation_following(&app, &counsellor, &learner).await;
    let request = open_request(&app, &learner, &skill).await;
    let body = json!({"request_ids": [request], "mentor_ids": [mentor.id], "commit": true});
    let done = ok_json(
        post(&app, &counsellor, &format!("/api/v1/organizations/{org}/cohort-matching"), Some(&body)).await,
        StatusCode::OK,
    )
    .await;
    let id = done["assignments"][0]["match_id"].as_str().unwrap().to_owned();

    // The learner sees the proposal; for the mentor it does not exist yet.
    let seen = ok_json(app.get_as(&learner, &format!("/api/v1/matches/{id}")).await, StatusCode::OK).await;
    assert_eq!(seen["status"], "proposed");
    let hidden = |path: String| {
        let app = &app;
        let mentor = &mentor;
        async move { assert_problem(app.get_as(mentor, &path).await, StatusCode::NOT_FOUND, "not_found").await }
    };
    hidden(format!("/api/v1/matches/{id}")).await;
    hidden(format!("/api/v1/matches/{id}/sessions")).await;
    for action in ["accept", "decline", "cancel", "complete"] {
        assert_problem(act(&app, &mentor, &id, action).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    for query in ["", "?role=mentor", "?status=proposed"] {
        let list =
            ok_json(app.get_as(&mentor, &format!("/api/v1/matches{query}")).await, StatusCode::OK).await;
        assert_eq!(list["items"], json!([]), "{query}");
    }
    let journey =
        ok_json(app.get_as(&mentor, &format!("/api/v1/members/{}/journey", mentor.id)).await, StatusCode::OK)
            .await;
    assert_eq!(journey["sections"]["matches"]["matches"], json!([]));
    assert!(notifications(&app, &mentor).await.is_empty());
    let report = json!({"reported_user_id": learner.id, "match_id": id, "reason": "Message déplacé."});
    let problem = assert_problem(
        post(&app, &mentor, "/api/v1/reports", Some(&report)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown_match");

    // The learner sends it (`POST /matches/{id}/request`): now the mentor sees it.
    assert_eq!(
        ok_json(act(&app, &learner, &id, "request").await, StatusCode::OK).await["status"],
        "requested"
    );
    let seen = ok_json(app.get_as(&mentor, &format!("/api/v1/matches/{id}")).await, StatusCode::OK).await;
    assert_eq!((seen["status"].as_str(), seen["your_role"].as_str()), (Some("requested"), Some("mentor")));
    let list = ok_json(app.get_as(&mentor, "/api/v1/matches").await, StatusCode::OK).await;
    assert_eq!(list["items"][0]["id"], id.as_str());
}

#[tokio::test]
async fn a_block_hides_the_contact_of_a_completed_match_too() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let learner = app.member("Awa").await;
    let request = open_request(&app, &learner, &skill).await;
    let id = requested(&app, &learner, &request, &mentor).await;
    assert_eq!(act(&app, &mentor, &id, "accept").await.status(), StatusCode::OK);
    assert_eq!(act(&app, &learner, &id, "complete").await.status(), StatusCode::OK);
    let path = format!("/api/v1/matches/{id}");
    for (user, other) in [(&learner, &mentor), (&mentor, &learner)] {
        let seen = ok_json(app.get_as(user, &path).await, StatusCode::OK).await;
        assert_eq!(seen["contact"]["email"], other.email.as_str(), "shared once it was real");
    }

    // Whoever blocks whom, neither keeps the other's address.
    let blocked = post(&app, &learner, "/api/v1/blocks", Some(&json!({"user_id": mentor.id}))).await;
    assert_eq!(blocked.status(), StatusCode::CREATED);
    for (user, other) in [(&learner, &mentor), (&mentor, &learner)] {
        let seen = ok_json(app.get_as(user, &path).await, StatusCode::OK).await;
        assert_eq!(seen["status"], "completed");
        assert!(seen["contact"].is_null(), "{seen}");
        let list = ok_json(app.get_as(user, "/api/v1/matches").await, StatusCode::OK).await;
        assert!(list["items"][0]["contact"].is_null() && !list.to_string().contains(&other.email));
    }
    // Lifted, the contact is back.
    let unblock = format!("/api/v1/blocks/{}", mentor.id);
    assert_eq!(app.send_as(&learner, Method::DELETE, &unblock, None).await.status(), StatusCode::NO_CONTENT);
    let seen = ok_json(app.get_as(&mentor, &path).await, StatusCode::OK).await;
    assert_eq!(seen["contact"]["email"], learner.email.as_str());
}

/// The breakdown's reasons, in order.
async fn reasons(app: &TestApp, user: &TestUser, request: &str) -> Vec<String> {
    let path = format!("/api/v1/match-requests/{request}/suggestions");
    let page = ok_json(app.get_as(user, &path).await, StatusCode::OK).await;
    let breakdown = page["items"][0]["breakdown"].as_array().unwrap();
    breakdown.iter().map(|f| f["reason"].as_str().unwrap().to_owned()).collect()
}

/// Texts for people come in their language: score reasons and problems in
/// the caller's (the account's locale over the browser's), a notice in its
/// recipient's, French otherwise.
#[tokio::test]
async fn mentoring_texts_read_in_english_for_whoever_reads_english() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let skills: Value = app.get("/api/v1/skills?q=digcomp.4.1").await.json().await.unwrap();
    let name =
        skills["items"].as_array().unwrap().iter().find(|s| s["id"] == skill.as_str()).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_owned();
    let karim = mentor_with(&app, "Karim", &skill, 5, &profile(2)).await;
    let sam = app.member("Sam").await;
    let english = app.send_as(&sam, Method::PATCH, "/api/v1/me", Some(&json!({"locale": "en"}))).await;
    assert_eq!(ok_json(english, StatusCode::OK).await["locale"], "en");
    let lucie = app.member("Lucie").await;
    let sam_request = open_request(&app, &sam, &skill).await;
    let lucie_request = open_request(&app, &lucie, &skill).await;

    assert_eq!(
        reasons(&app, &sam, &sam_request).await,
        [
            "Level 5/8 for a target of level 3: far enough ahead to guide.",
            "The learner has not given their availability.",
            "Same area: meeting in person is possible.",
            "No mentoring under way (up to 2 at a time): fully available.",
            "No ratings yet: starting rating 4.0/5.",
        ]
    );
    assert_eq!(
        reasons(&app, &lucie, &lucie_request).await,
        [
            "Niveau 5/8 pour un objectif de niveau 3 : assez d'avance pour guider.",
            "La personne n'a pas indiqué ses disponibilités.",
            "Même secteur : se rencontrer en personne est possible.",
            "Aucun mentorat en cours (jusqu'à 2 à la fois) : pleinement disponible.",
            "Pas encore d'avis : note de départ 4,0/5.",
        ]
    );

    let nobody = json!({"request_id": sam_request, "mentor_id": Uuid::now_v7()});
    let unknown = post(&app, &sam, "/api/v1/matches", Some(&nobody)).await;
    let problem = assert_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["message"], "This mentor does not exist.");

    let sam_match = requested(&app, &sam, &sam_request, &karim).await;
    let lucie_match = requested(&app, &lucie, &lucie_request, &karim).await;
    let again = |user: &TestUser, id: &str, language: &str| {
        app.request(Method::POST, &format!("/api/v1/matches/{id}/request"))
            .bearer_auth(&user.access_token)
            .header(reqwest::header::ACCEPT_LANGUAGE, language)
            .send()
    };
    let problem = assert_problem(
        again(&sam, &sam_match, "fr").await.unwrap(),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(problem["detail"], "Not possible: this match is waiting for an answer.");
    let problem = assert_problem(
        again(&lucie, &lucie_match, "en").await.unwrap(),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(problem["detail"], "Impossible : cette mise en relation est en attente de réponse.");

    // Karim, who reads French, is asked by Sam, who reads English.
    let asked = &notifications(&app, &karim).await[1];
    assert_eq!(asked["title"], "Nouvelle demande de mentorat");
    assert_eq!(
        asked["body"],
        format!("Sam aimerait apprendre « {name} » avec vous. Vous pouvez accepter ou refuser.")
    );
    let reason = json!({"reason": "Pas disponible ce mois-ci."});
    let declined = post(&app, &karim, &format!("/api/v1/matches/{sam_match}/decline"), Some(&reason)).await;
    assert_eq!(declined.status(), StatusCode::OK);
    assert_eq!(act(&app, &karim, &lucie_match, "accept").await.status(), StatusCode::OK);
    let to_sam = &notifications(&app, &sam).await[0];
    assert_eq!((&to_sam["kind"], &to_sam["title"]), (&json!("match.declined"), &json!("Request declined")));
    assert_eq!(
        to_sam["body"],
        format!(
            "Karim cannot mentor you in “{name}” right now. You can ask another mentor. \
             Reason given: Pas disponible ce mois-ci."
        )
    );
    let to_lucie = &notifications(&app, &lucie).await[0];
    assert_eq!(
        (&to_lucie["kind"], &to_lucie["title"]),
        (&json!("match.accepted"), &json!("Demande acceptée"))
    );
    assert_eq!(
        to_lucie["body"],
        format!(
            "Karim accepte de vous accompagner pour « {name} ». Ses coordonnées sont dans la mise en relation."
        )
    );
}
