//! Impose-toi ! through HTTP: the seeded programme, sessions, enrolment that
//! never overbooks (concurrently, on both databases), the waiting list,
//! deadlines, prerequisites, consent, attendance and calendars.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use entity::enrolment::{self, EnrolmentStatus};
use entity::{Role, workshop};
use futures_util::future::join_all;
use reqwest::{Method, Response, StatusCode, header};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

use crate::accompaniments::{ask_ok, consented, notifications, revoke};

/// The three modules of the seeded programme, in order.
pub async fn modules(app: &TestApp) -> Vec<String> {
    let programs: Value = app.get("/api/v1/programs").await.json().await.unwrap();
    programs["items"][0]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn session_body(module: &str, capacity: i32, starts_in: Duration) -> Value {
    let starts_at = Utc::now() + starts_in;
    json!({
        "module_id": module,
        "starts_at": starts_at,
        "ends_at": starts_at + Duration::hours(2),
        "location": "Tiers-lieu Efficience, Épinay-sur-Seine",
        "capacity": capacity,
    })
}

/// Schedules a session; returns its id.
pub async fn schedule(app: &TestApp, author: &TestUser, body: &Value) -> String {
    let response = app.send_as(author, Method::POST, "/api/v1/workshops", Some(body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub async fn enrol(app: &TestApp, user: &TestUser, workshop: &str, body: Option<&Value>) -> Response {
    app.send_as(user, Method::POST, &format!("/api/v1/workshops/{workshop}/enrolments"), body).await
}

pub async fn enrol_ok(app: &TestApp, user: &TestUser, workshop: &str) -> Value {
    let response = enrol(app, user, workshop, None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn cancel_enrolment(app: &TestApp, user: &TestUser, enrolment: &str) -> Response {
    app.send_as(user, Method::DELETE, &format!("/api/v1/enrolments/{enrolment}"), None).await
}

async fn workshop_view(app: &TestApp, workshop: &str) -> Value {
    let response = app.get(&format!("/api/v1/workshops/{workshop}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Moves a session so that it started an hour ago (attendance needs that).
pub async fn make_started(app: &TestApp, workshop: &str) {
    let row =
        workshop::Entity::find_by_id(workshop.parse::<Uuid>().unwrap()).one(&app.db).await.unwrap().unwrap();
    let mut row: workshop::ActiveModel = row.into();
    row.starts_at = Set(Utc::now() - Duration::hours(1));
    row.ends_at = Set(Utc::now() + Duration::hours(1));
    row.update(&app.db).await.unwrap();
}

pub async fn mark(app: &TestApp, author: &TestUser, workshop: &str, marks: &Value) -> Response {
    app.send_as(author, Method::POST, &format!("/api/v1/workshops/{workshop}/attendance"), Some(marks)).await
}

/// A member who attended a session of `module` (so may go on to the next).
pub async fn attended(app: &TestApp, author: &TestUser, member: &TestUser, module: &str) {
    let session = schedule(app, author, &session_body(module, 5, Duration::days(1))).await;
    let enrolment = enrol_ok(app, member, &session).await["id"].as_str().unwrap().to_owned();
    make_started(app, &session).await;
    let marked =
        mark(app, author, &session, &json!([{"enrolment_id": enrolment, "status": "attended"}])).await;
    assert_eq!(marked.status(), StatusCode::OK);
}

/// Enrolments of a session as stored, in arrival order.
async fn stored(app: &TestApp, workshop: &str) -> Vec<enrolment::Model> {
    enrolment::Entity::find()
        .filter(enrolment::Column::WorkshopId.eq(workshop.parse::<Uuid>().unwrap()))
        .order_by_asc(enrolment::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The seat invariants: never above capacity, nobody waiting while a seat is
/// free, waiting positions 1..n without gaps or repeats.
fn assert_seat_invariants(rows: &[enrolment::Model], capacity: usize) {
    let seated = rows.iter().filter(|e| EnrolmentStatus::SEATED.contains(&e.status)).count();
    let mut positions: Vec<i32> = rows
        .iter()
        .filter(|e| e.status == EnrolmentStatus::Waitlisted)
        .map(|e| e.waitlist_position.expect("a waiting enrolment has a position"))
        .collect();
    positions.sort();
    assert!(seated <= capacity, "{seated} seats taken for {capacity}");
    assert!(
        positions.is_empty() || seated == capacity,
        "people wait while {} seats are free",
        capacity - seated
    );
    assert_eq!(positions, (1..=positions.len() as i32).collect::<Vec<_>>(), "waiting positions");
    assert!(
        rows.iter()
            .filter(|e| e.status != EnrolmentStatus::Waitlisted)
            .all(|e| e.waitlist_position.is_none())
    );
}

/// Registers `count` members at once (each registration hashes a password).
pub async fn members(app: &TestApp, prefix: &str, count: usize) -> Vec<TestUser> {
    let names: Vec<String> = (0..count).map(|i| format!("{prefix}{i}")).collect();
    join_all(names.iter().map(|name| app.member(name))).await
}

#[tokio::test]
async fn the_programme_is_seeded_with_three_ordered_modules() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/programs").await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let program = &page["items"][0];
    assert_eq!(program["code"], "impose_toi");
    assert_eq!(program["name"], "Impose-toi !");
    let modules = program["modules"].as_array().unwrap();
    let titles: Vec<&str> = modules.iter().map(|m| m["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Se révéler", "S'affirmer", "S'imposer"]);
    assert_eq!(modules.iter().map(|m| m["position"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(modules[0]["prerequisite_module_id"], Value::Null);
    assert_eq!(modules[1]["prerequisite_module_id"], modules[0]["id"]);
    assert_eq!(modules[2]["prerequisite_module_id"], modules[1]["id"]);
    assert!(modules[0]["skill_codes"].as_array().unwrap().contains(&json!("impose_toi.forces")));

    let one: Value =
        app.get(&format!("/api/v1/programs/{}", program["id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!(&one, program);
    assert_problem(
        app.get(&format!("/api/v1/programs/{}", Uuid::now_v7())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn facilitators_schedule_edit_and_cancel_sessions() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let other = app.user_with_role("Autre", Role::Facilitator).await;
    let member = app.member("Awa").await;
    let body = session_body(&modules[0], 12, Duration::days(7));

    let refused = app.send_as(&member, Method::POST, "/api/v1/workshops", Some(&body)).await;
    assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.post_json("/api/v1/workshops", &body).await.status(), StatusCode::UNAUTHORIZED);

    let created = app.send_as(&anim, Method::POST, "/api/v1/workshops", Some(&body)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let session: Value = created.json().await.unwrap();
    let id = session["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/workshops/{id}"));
    assert_eq!(session["title"], "Se révéler", "the module's title by default");
    assert_eq!((session["capacity"].as_i64(), session["seats_left"].as_i64()), (Some(12), Some(12)));
    assert_eq!(session["waitlist_length"], 0);
    assert_eq!(session["status"], "scheduled");
    assert_eq!(session["cancellation_deadline_hours"], 24);
    assert_eq!(session["facilitator"]["display_name"], "Anim");
    assert_eq!(session["sequence"], 0);
    assert_eq!(workshop_view(&app, &id).await["id"], session["id"]);

    // Validation: times, module, capacity.
    let mut bad = body.clone();
    bad["ends_at"] = bad["starts_at"].clone();
    bad["capacity"] = json!(0);
    bad["module_id"] = json!(Uuid::now_v7());
    let problem = assert_problem(
        app.send_as(&anim, Method::POST, "/api/v1/workshops", Some(&bad)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "capacity");
    bad["capacity"] = json!(10);
    let problem = assert_problem(
        app.send_as(&anim, Method::POST, "/api/v1/workshops", Some(&bad)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "ends_at");
    let past = session_body(&modules[0], 10, Duration::days(-1));
    let problem = assert_problem(
        app.send_as(&anim, Method::POST, "/api/v1/workshops", Some(&past)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "in_the_past");

    // Only its facilitator (or an admin) edits it; a new place is told to those enrolled.
    let enrolled = enrol_ok(&app, &member, &id).await;
    assert_eq!(enrolled["status"], "confirmed");
    let patch = json!({"location": "Le POLE, La Courneuve", "capacity": 15});
    let path = format!("/api/v1/workshops/{id}");
    assert_problem(
        app.send_as(&other, Method::PATCH, &path, Some(&patch)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let edited = app.send_as(&anim, Method::PATCH, &path, Some(&patch)).await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["location"], "Le POLE, La Courneuve");
    assert_eq!((edited["capacity"].as_i64(), edited["seats_left"].as_i64()), (Some(15), Some(14)));
    assert_eq!(edited["sequence"], 1);
    let inbox = notifications(&app, &member).await;
    assert_eq!(inbox[0]["kind"], "workshop.updated");
    assert!(inbox[0]["body"].as_str().unwrap().contains("La Courneuve"));
    // A capacity below the seats taken is refused.
    let shrink = app.send_as(&anim, Method::PATCH, &path, Some(&json!({"capacity": 1}))).await;
    assert_eq!(shrink.status(), StatusCode::OK, "one seat taken, one seat left is fine");
    let other_member = app.member("Binta").await;
    let waiting = enrol_ok(&app, &other_member, &id).await;
    assert_eq!(
        (waiting["status"].as_str(), waiting["waitlist_position"].as_i64()),
        (Some("waitlisted"), Some(1))
    );
    let shrink = app.send_as(&anim, Method::PATCH, &path, Some(&json!({"capacity": 0}))).await;
    assert_problem(shrink, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let third = app.member("Chloé").await;
    let raise = app.send_as(&anim, Method::PATCH, &path, Some(&json!({"capacity": 2}))).await;
    assert_eq!(raise.json::<Value>().await.unwrap()["waitlist_length"], 0, "the new seat went to Binta");
    enrol_ok(&app, &third, &id).await;
    let shrink = app.send_as(&anim, Method::PATCH, &path, Some(&json!({"capacity": 1}))).await;
    assert_problem(shrink, StatusCode::CONFLICT, "capacity_below_seats_taken").await;

    // Cancelling: everyone enrolled or waiting hears of it, enrolment closes.
    let cancel_path = format!("/api/v1/workshops/{id}/cancel");
    assert_problem(
        app.send_as(&member, Method::POST, &cancel_path, None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let cancelled =
        app.send_as(&anim, Method::POST, &cancel_path, Some(&json!({"reason": "Animatrice malade"}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let cancelled: Value = cancelled.json().await.unwrap();
    assert_eq!((cancelled["status"].as_str(), cancelled["sequence"].as_i64()), (Some("cancelled"), Some(2)));
    for user in [&member, &other_member, &third] {
        let inbox = notifications(&app, user).await;
        assert_eq!(inbox[0]["kind"], "workshop.cancelled");
        assert!(inbox[0]["body"].as_str().unwrap().contains("Animatrice malade"));
    }
    assert_problem(
        app.send_as(&anim, Method::POST, &cancel_path, None).await,
        StatusCode::CONFLICT,
        "workshop_cancelled",
    )
    .await;
    let late = app.member("Dalila").await;
    assert_problem(enrol(&app, &late, &id, None).await, StatusCode::CONFLICT, "workshop_cancelled").await;
    assert_problem(
        app.send_as(&anim, Method::PATCH, &path, Some(&json!({"capacity": 20}))).await,
        StatusCode::CONFLICT,
        "workshop_cancelled",
    )
    .await;
}

#[tokio::test]
async fn the_list_filters_and_pages_sessions_in_start_order() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let mut ids = Vec::new();
    for day in [3, 1, 2, 5, 4] {
        let capacity = if day == 2 { 1 } else { 10 };
        ids.push((
            day,
            schedule(&app, &anim, &session_body(&modules[0], capacity, Duration::days(day))).await,
        ));
    }
    ids.sort();
    let full = &ids[1].1;
    enrol_ok(&app, &app.member("Awa").await, full).await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/workshops?limit=2&cursor={c}"),
            None => "/api/v1/workshops?limit=2".into(),
        };
        let page: Value = app.get(&path).await.json().await.unwrap();
        seen.extend(page["items"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>());

    let with_seats: Value = app.get("/api/v1/workshops?has_seats=true&limit=100").await.json().await.unwrap();
    let with_seats: Vec<&str> =
        with_seats["items"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(with_seats.len(), 4);
    assert!(!with_seats.contains(&full.as_str()));
    let without: Value = app.get("/api/v1/workshops?has_seats=false").await.json().await.unwrap();
    assert_eq!(without["items"][0]["id"], json!(full));
    assert_eq!(without["items"][0]["seats_left"], 0);

    let from = (Utc::now() + Duration::days(2) + Duration::hours(12))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let later: Value = app.get(&format!("/api/v1/workshops?from={from}")).await.json().await.unwrap();
    assert_eq!(later["items"].as_array().unwrap().len(), 3);
    let other_module: Value =
        app.get(&format!("/api/v1/workshops?module_id={}", modules[1])).await.json().await.unwrap();
    assert_eq!(other_module["items"], json!([]));
}

#[tokio::test]
async fn seats_are_confirmed_then_waitlisted_and_nobody_enrols_twice() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 2, Duration::days(3))).await;
    let people = members(&app, "Membre", 4).await;

    let first = enrol(&app, &people[0], &id, None).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let location = first.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let first: Value = first.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/enrolments/{}", first["id"].as_str().unwrap()));
    assert_eq!(first["status"], "confirmed");
    assert!(first.get("waitlist_position").is_none());
    assert_eq!(enrol_ok(&app, &people[1], &id).await["status"], "confirmed");
    let third = enrol(&app, &people[2], &id, Some(&json!({}))).await.json::<Value>().await.unwrap();
    assert_eq!(
        (third["status"].as_str(), third["waitlist_position"].as_i64()),
        (Some("waitlisted"), Some(1))
    );
    let fourth = enrol_ok(&app, &people[3], &id).await;
    assert_eq!(fourth["waitlist_position"], 2);

    for person in [&people[0], &people[2]] {
        assert_problem(enrol(&app, person, &id, None).await, StatusCode::CONFLICT, "already_enrolled").await;
    }
    let view = workshop_view(&app, &id).await;
    assert_eq!((view["seats_left"].as_i64(), view["waitlist_length"].as_i64()), (Some(0), Some(2)));

    // My enrolments, and one enrolment as its member sees it; others see nothing.
    let mine: Value = app.get_as(&people[2], "/api/v1/me/enrolments").await.json().await.unwrap();
    assert_eq!(mine["items"][0]["id"], third["id"]);
    assert_eq!(mine["items"][0]["workshop"]["id"], json!(id));
    let path = format!("/api/v1/enrolments/{}", third["id"].as_str().unwrap());
    assert_eq!(app.get_as(&people[2], &path).await.status(), StatusCode::OK);
    assert_problem(app.get_as(&people[0], &path).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(
        cancel_enrolment(&app, &people[0], third["id"].as_str().unwrap()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A member cannot enrol someone else.
    let body = json!({"member_id": people[3].id});
    assert_problem(enrol(&app, &people[0], &id, Some(&body)).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(
        enrol(&app, &people[0], &Uuid::now_v7().to_string(), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The attendee list: its facilitator only, in arrival order, waiting list included.
    let list_path = format!("/api/v1/workshops/{id}/enrolments");
    let list: Value = app.get_as(&anim, &list_path).await.json().await.unwrap();
    let statuses: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["confirmed", "confirmed", "waitlisted", "waitlisted"]);
    assert_eq!(list["items"][2]["member"]["display_name"], "Membre2");
    assert_problem(app.get_as(&people[0], &list_path).await, StatusCode::FORBIDDEN, "forbidden").await;
    let other = app.user_with_role("Autre", Role::Facilitator).await;
    assert_problem(app.get_as(&other, &list_path).await, StatusCode::FORBIDDEN, "forbidden").await;
}

/// The heart of the issue: 50 members at once for 10 seats.
#[tokio::test]
async fn fifty_concurrent_enrolments_fill_ten_seats_and_a_gap_free_waiting_list() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 10, Duration::days(3))).await;
    let people = members(&app, "Membre", 50).await;

    let responses = join_all(people.iter().map(|person| enrol(&app, person, &id, None))).await;
    let mut bodies = Vec::new();
    for response in responses {
        assert_eq!(response.status(), StatusCode::CREATED, "no 5xx, no conflict");
        bodies.push(response.json::<Value>().await.unwrap());
    }
    let confirmed = bodies.iter().filter(|b| b["status"] == "confirmed").count();
    let mut positions: Vec<i64> = bodies
        .iter()
        .filter(|b| b["status"] == "waitlisted")
        .map(|b| b["waitlist_position"].as_i64().unwrap())
        .collect();
    positions.sort();
    assert_eq!(confirmed, 10);
    assert_eq!(positions, (1..=40).collect::<Vec<_>>());

    let rows = stored(&app, &id).await;
    assert_eq!(rows.len(), 50);
    assert_seat_invariants(&rows, 10);
    // The queue is the arrival order: positions follow the enrolment ids (UUIDv7).
    let waiting: Vec<i32> = rows
        .iter()
        .filter(|e| e.status == EnrolmentStatus::Waitlisted)
        .map(|e| e.waitlist_position.unwrap())
        .collect();
    assert_eq!(waiting, (1..=40).collect::<Vec<_>>());
    let view = workshop_view(&app, &id).await;
    assert_eq!((view["seats_left"].as_i64(), view["waitlist_length"].as_i64()), (Some(0), Some(40)));
}

/// Cancellations and enrolments interleaved: never above capacity, never
/// someone waiting beside a free seat, the queue stays gap-free.
#[tokio::test]
async fn concurrent_cancellations_and_enrolments_never_overbook() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 10, Duration::days(3))).await;
    let people = members(&app, "Membre", 45).await;
    let (early, late) = people.split_at(20);
    let mut enrolments = Vec::new();
    for person in early {
        enrolments.push(enrol_ok(&app, person, &id).await["id"].as_str().unwrap().to_owned());
    }
    // 12 leave (8 seated, 4 waiting) while 25 newcomers arrive, all at once,
    // and someone keeps reading the session.
    let leaving: Vec<(usize, &str)> =
        [0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 15, 19].iter().map(|&i| (i, enrolments[i].as_str())).collect();
    let cancels = join_all(leaving.iter().map(|(i, e)| cancel_enrolment(&app, &early[*i], e)));
    let arrivals = join_all(late.iter().map(|person| enrol(&app, person, &id, None)));
    let reads = async {
        let mut views = Vec::new();
        for _ in 0..15 {
            views.push(workshop_view(&app, &id).await);
        }
        views
    };
    let (cancelled, arrived, views) = tokio::join!(cancels, arrivals, reads);
    for response in cancelled {
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    for response in arrived {
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    for view in views {
        let (left, waiting) =
            (view["seats_left"].as_i64().unwrap(), view["waitlist_length"].as_i64().unwrap());
        assert!(
            left >= 0 && (left == 0 || waiting == 0),
            "a snapshot with {left} free seats and {waiting} waiting"
        );
    }
    let rows = stored(&app, &id).await;
    assert_seat_invariants(&rows, 10);
    let active = rows.iter().filter(|e| e.status != EnrolmentStatus::Cancelled).count();
    assert_eq!(active, 20 - 12 + 25);
    assert_eq!(rows.iter().filter(|e| e.status == EnrolmentStatus::Confirmed).count(), 10);
}

#[tokio::test]
async fn a_freed_seat_goes_at_once_to_the_head_of_the_waiting_list() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 1, Duration::days(3))).await;
    let people = members(&app, "Membre", 4).await;
    let seated = enrol_ok(&app, &people[0], &id).await;
    // The head of the queue was enrolled by their counsellor.
    consented(&app, &counsellor, &people[1]).await;
    let head = enrol(&app, &counsellor, &id, Some(&json!({"member_id": people[1].id}))).await;
    assert_eq!(head.status(), StatusCode::CREATED);
    let head: Value = head.json().await.unwrap();
    assert_eq!(
        (head["waitlist_position"].as_i64(), head["member_id"].as_str()),
        (Some(1), Some(people[1].id.to_string().as_str()))
    );
    assert_eq!(notifications(&app, &people[1]).await[0]["kind"], "workshop.enrolled");
    let second = enrol_ok(&app, &people[2], &id).await;
    let third = enrol_ok(&app, &people[3], &id).await;
    assert_eq!(third["waitlist_position"], 3);

    // The second in line leaves: the third moves up.
    assert_eq!(
        cancel_enrolment(&app, &people[2], second["id"].as_str().unwrap()).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        cancel_enrolment(&app, &people[2], second["id"].as_str().unwrap()).await.status(),
        StatusCode::NO_CONTENT,
        "cancelling twice changes nothing"
    );
    // The seated member leaves: the head gets the seat, and hears of it, as does their counsellor.
    assert_eq!(
        cancel_enrolment(&app, &people[0], seated["id"].as_str().unwrap()).await.status(),
        StatusCode::NO_CONTENT
    );
    let rows = stored(&app, &id).await;
    assert_seat_invariants(&rows, 1);
    let status_of = |member: &TestUser| rows.iter().find(|e| e.member_id == member.id).unwrap().clone();
    assert_eq!(status_of(&people[1]).status, EnrolmentStatus::Confirmed);
    assert_eq!(status_of(&people[3]).waitlist_position, Some(1));
    assert_eq!(notifications(&app, &people[1]).await[0]["kind"], "workshop.seat_confirmed");
    let counsellor_inbox = notifications(&app, &counsellor).await;
    assert_eq!(counsellor_inbox[0]["kind"], "workshop.seat_confirmed");
    assert_eq!(counsellor_inbox[0]["data"]["member_id"], json!(people[1].id));
    assert!(notifications(&app, &people[3]).await.iter().all(|n| n["kind"] != "workshop.seat_confirmed"));

    // More seats go to the queue at once.
    let path = format!("/api/v1/workshops/{id}");
    app.send_as(&anim, Method::PATCH, &path, Some(&json!({"capacity": 2}))).await;
    assert_eq!(status_of_now(&app, &id, &people[3]).await, EnrolmentStatus::Confirmed);
}

async fn status_of_now(app: &TestApp, workshop: &str, member: &TestUser) -> EnrolmentStatus {
    stored(app, workshop)
        .await
        .into_iter()
        .filter(|e| e.member_id == member.id)
        .max_by_key(|e| e.id)
        .unwrap()
        .status
}

#[tokio::test]
async fn members_cancel_until_the_deadline_their_counsellor_and_the_facilitator_after() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    // Starts in 30 hours, members may cancel until 48 hours before: too late.
    let mut body = session_body(&modules[0], 5, Duration::hours(30));
    body["cancellation_deadline_hours"] = json!(48);
    let id = schedule(&app, &anim, &body).await;
    let people = members(&app, "Membre", 3).await;
    let enrolments: Vec<String> = {
        let mut out = Vec::new();
        for person in &people {
            out.push(enrol_ok(&app, person, &id).await["id"].as_str().unwrap().to_owned());
        }
        out
    };
    let problem = assert_problem(
        cancel_enrolment(&app, &people[0], &enrolments[0]).await,
        StatusCode::CONFLICT,
        "cancellation_deadline_passed",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("48"));
    // A counsellor without consent sees nothing; with consent, cancels at any time.
    assert_problem(
        cancel_enrolment(&app, &counsellor, &enrolments[1]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    consented(&app, &counsellor, &people[1]).await;
    assert_eq!(cancel_enrolment(&app, &counsellor, &enrolments[1]).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(notifications(&app, &people[1]).await[0]["kind"], "workshop.enrolment_cancelled");
    assert_eq!(cancel_enrolment(&app, &anim, &enrolments[2]).await.status(), StatusCode::NO_CONTENT);
    let view = workshop_view(&app, &id).await;
    assert_eq!(view["seats_left"], 4);

    // With the default 24 hours and a start in three days, the member cancels themself.
    let id = schedule(&app, &anim, &session_body(&modules[0], 5, Duration::days(3))).await;
    let enrolment = enrol_ok(&app, &people[0], &id).await;
    assert_eq!(
        cancel_enrolment(&app, &people[0], enrolment["id"].as_str().unwrap()).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_module_needs_the_previous_one_attended_unless_a_professional_waives_it() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let people = members(&app, "Membre", 3).await;
    let second = schedule(&app, &anim, &session_body(&modules[1], 10, Duration::days(5))).await;

    assert_problem(
        enrol(&app, &people[0], &second, None).await,
        StatusCode::CONFLICT,
        "prerequisite_not_met",
    )
    .await;
    let waiver = json!({"prerequisite_override_reason": "A déjà suivi un atelier équivalent"});
    assert_problem(enrol(&app, &people[0], &second, Some(&waiver)).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    let short = json!({"prerequisite_override_reason": "x"});
    assert_problem(
        enrol(&app, &anim, &second, Some(&short)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // Her counsellor waives it, with a reason the facilitator reads.
    consented(&app, &counsellor, &people[1]).await;
    let body = json!({"member_id": people[1].id, "prerequisite_override_reason": "A déjà suivi un atelier équivalent"});
    let waived = enrol(&app, &counsellor, &second, Some(&body)).await;
    assert_eq!(waived.status(), StatusCode::CREATED);
    let waived: Value = waived.json().await.unwrap();
    assert_eq!(
        (waived["prerequisite_overridden"].as_bool(), waived["enrolled_by"].as_str()),
        (Some(true), Some(counsellor.id.to_string().as_str()))
    );
    let list: Value =
        app.get_as(&anim, &format!("/api/v1/workshops/{second}/enrolments")).await.json().await.unwrap();
    assert_eq!(list["items"][0]["prerequisite_override_reason"], "A déjà suivi un atelier équivalent");

    // Having attended the first module opens the second.
    attended(&app, &anim, &people[2], &modules[0]).await;
    assert_eq!(enrol_ok(&app, &people[2], &second).await["status"], "confirmed");
    // ...but not the third.
    let third = schedule(&app, &anim, &session_body(&modules[2], 10, Duration::days(6))).await;
    assert_problem(enrol(&app, &people[2], &third, None).await, StatusCode::CONFLICT, "prerequisite_not_met")
        .await;
}

#[tokio::test]
async fn a_counsellor_enrols_only_members_who_consented() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 10, Duration::days(3))).await;
    let body = json!({"member_id": member.id});

    assert_problem(enrol(&app, &counsellor, &id, Some(&body)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let pending = ask_ok(&app, &counsellor, &member).await;
    assert_problem(enrol(&app, &counsellor, &id, Some(&body)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    revoke(&app, &member, pending["id"].as_str().unwrap()).await;
    let accompaniment = consented(&app, &counsellor, &member).await;
    let enrolled = enrol(&app, &counsellor, &id, Some(&body)).await;
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let enrolled: Value = enrolled.json().await.unwrap();
    let path = format!("/api/v1/enrolments/{}", enrolled["id"].as_str().unwrap());
    assert_eq!(app.get_as(&counsellor, &path).await.status(), StatusCode::OK);
    // Consent revoked: nothing any more.
    revoke(&app, &member, &accompaniment).await;
    assert_problem(app.get_as(&counsellor, &path).await, StatusCode::NOT_FOUND, "not_found").await;
    let other = schedule(&app, &anim, &session_body(&modules[0], 10, Duration::days(4))).await;
    assert_problem(enrol(&app, &counsellor, &other, Some(&body)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    // Not even the facilitator of the session may enrol her.
    assert_problem(enrol(&app, &anim, &other, Some(&body)).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn only_a_counsellor_with_consent_enrols_someone_else() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let stranger = app.member("Inconnue").await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 10, Duration::days(3))).await;
    let body = json!({"member_id": stranger.id});

    // Running the session, or the platform, gives no right over who sits in
    // it: refused whoever the member is (known or not), so 403 says nothing.
    for staff in [&anim, &admin] {
        assert_problem(enrol(&app, staff, &id, Some(&body)).await, StatusCode::FORBIDDEN, "forbidden").await;
        let nobody = json!({"member_id": Uuid::now_v7()});
        assert_problem(enrol(&app, staff, &id, Some(&nobody)).await, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
    // A counsellor without her consent: she is not one of theirs.
    assert_problem(enrol(&app, &counsellor, &id, Some(&body)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert!(stored(&app, &id).await.is_empty(), "nobody was enrolled");
    assert!(notifications(&app, &stranger).await.is_empty());
    // With her consent, yes.
    consented(&app, &counsellor, &stranger).await;
    let enrolled = enrol(&app, &counsellor, &id, Some(&body)).await;
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let enrolled: Value = enrolled.json().await.unwrap();
    assert_eq!(
        (enrolled["member_id"].as_str(), enrolled["enrolled_by"].as_str()),
        (Some(stranger.id.to_string().as_str()), Some(counsellor.id.to_string().as_str()))
    );

    // The facilitator keeps waiving the prerequisite when enrolling herself.
    let second = schedule(&app, &anim, &session_body(&modules[1], 10, Duration::days(5))).await;
    let waiver = json!({"prerequisite_override_reason": "Anime déjà le module précédent"});
    let waived = enrol(&app, &anim, &second, Some(&waiver)).await;
    assert_eq!(waived.status(), StatusCode::CREATED);
    assert_eq!(waived.json::<Value>().await.unwrap()["prerequisite_overridden"], true);
}

#[tokio::test]
async fn attendance_is_recorded_after_the_start_and_completes_the_module() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let id = schedule(&app, &anim, &session_body(&modules[0], 2, Duration::days(3))).await;
    let people = members(&app, "Membre", 3).await;
    let mut enrolments = Vec::new();
    for person in &people {
        enrolments.push(enrol_ok(&app, person, &id).await["id"].as_str().unwrap().to_owned());
    }
    let marks = json!([
        {"enrolment_id": enrolments[0], "status": "attended"},
        {"enrolment_id": enrolments[1], "status": "no_show"},
    ]);
    assert_problem(mark(&app, &anim, &id, &marks).await, StatusCode::CONFLICT, "workshop_not_started").await;
    make_started(&app, &id).await;
    assert_problem(mark(&app, &people[0], &id, &marks).await, StatusCode::FORBIDDEN, "forbidden").await;
    // The waiting member had no seat; unknown and repeated ids are refused, item by item.
    let bad = json!([
        {"enrolment_id": enrolments[2], "status": "attended"},
        {"enrolment_id": Uuid::now_v7(), "status": "attended"},
        {"enrolment_id": enrolments[0], "status": "attended"},
        {"enrolment_id": enrolments[0], "status": "no_show"},
    ]);
    let problem = assert_problem(
        mark(&app, &anim, &id, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("[0].enrolment_id", "not_seated"),
            ("[1].enrolment_id", "unknown"),
            ("[3].enrolment_id", "duplicate")
        ]
    );
    let malformed = mark(&app, &anim, &id, &json!([{"enrolment_id": enrolments[0], "status": "late"}])).await;
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_body").await;

    let marked = mark(&app, &anim, &id, &marks).await;
    assert_eq!(marked.status(), StatusCode::OK);
    let marked: Value = marked.json().await.unwrap();
    assert_eq!(marked.as_array().unwrap().len(), 2);
    assert_eq!(marked[0]["status"], "attended");
    assert_eq!(marked[1]["status"], "no_show");
    // Attended: the first module is complete in the journey; no-show: not.
    let journey: Value = app
        .get_as(&people[0], &format!("/api/v1/members/{}/journey", people[0].id))
        .await
        .json()
        .await
        .unwrap();
    let section = &journey["sections"]["workshops"];
    assert_eq!(section["modules"][0]["completed"], true);
    assert_eq!(section["modules"][1]["completed"], false);
    assert_eq!(section["program_completed"], false);
    assert_eq!(section["enrolments"][0]["status"], "attended");
    let journey: Value = app
        .get_as(&people[1], &format!("/api/v1/members/{}/journey", people[1].id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(journey["sections"]["workshops"]["modules"][0]["completed"], false);
    // Attendance recorded: the member can no longer cancel.
    assert_problem(
        cancel_enrolment(&app, &anim, &enrolments[0]).await,
        StatusCode::CONFLICT,
        "attendance_recorded",
    )
    .await;
    // Enrolment is closed once started.
    let late = app.member("Tard").await;
    assert_problem(enrol(&app, &late, &id, None).await, StatusCode::CONFLICT, "enrolment_closed").await;
}

#[tokio::test]
async fn all_three_modules_attended_complete_the_programme() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let member = app.member("Awa").await;
    for module in &modules {
        attended(&app, &anim, &member, module).await;
    }
    let journey: Value =
        app.get_as(&member, &format!("/api/v1/members/{}/journey", member.id)).await.json().await.unwrap();
    let section = &journey["sections"]["workshops"];
    assert_eq!(section["program_completed"], true);
    assert!(section["modules"].as_array().unwrap().iter().all(|m| m["completed"] == true));
}

/// The `.ics` bodies, parsed by a real iCalendar parser.
fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("one calendar").expect("a calendar that parses");
    assert!(parser.next().is_none(), "a single calendar");
    calendar
}

fn property<'a>(event: &'a ical::parser::ical::component::IcalEvent, name: &str) -> Option<&'a str> {
    event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref())
}

fn tzid(event: &ical::parser::ical::component::IcalEvent, name: &str) -> Option<String> {
    let params = event.properties.iter().find(|p| p.name == name)?.params.as_ref()?;
    params.iter().find(|(key, _)| key == "TZID").map(|(_, values)| values.join(","))
}

async fn ics(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/calendar; charset=utf-8");
    let text = response.text().await.unwrap();
    assert!(text.split("\r\n").all(|line| line.len() <= 75), "a line longer than 75 octets");
    assert!(!text.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
    text
}

#[tokio::test]
async fn a_session_calendar_keeps_its_uid_raises_its_sequence_and_shows_a_cancellation() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let starts_at: DateTime<Utc> = "2030-03-10T09:00:00Z".parse().unwrap();
    let mut body = session_body(&modules[0], 8, Duration::days(1));
    body["starts_at"] = json!(starts_at);
    body["ends_at"] = json!(starts_at + Duration::hours(2));
    body["title"] = json!("Se révéler : connaître ses forces, les nommer, les montrer, et oser en parler");
    body["description"] = json!("Apportez un stylo; on écrit, on parle, on rit.\nCafé offert.");
    let id = schedule(&app, &anim, &body).await;
    let path = format!("/api/v1/workshops/{id}/calendar.ics");

    let calendar = parse_calendar(&ics(&app, &path).await);
    assert_eq!(calendar.timezones.len(), 1);
    let zone = &calendar.timezones[0];
    assert_eq!(
        zone.properties.iter().find(|p| p.name == "TZID").unwrap().value.as_deref(),
        Some("Europe/Paris")
    );
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0];
    let uid = format!("workshop-{id}@tremplin");
    assert_eq!(property(event, "UID"), Some(uid.as_str()));
    assert_eq!(property(event, "SEQUENCE"), Some("0"));
    assert_eq!(property(event, "STATUS"), Some("CONFIRMED"));
    assert_eq!(property(event, "DTSTART"), Some("20300310T100000"), "09:00 UTC is 10:00 in Paris in March");
    assert_eq!(tzid(event, "DTSTART").as_deref(), Some("Europe/Paris"));
    assert_eq!(property(event, "DTEND"), Some("20300310T120000"));
    assert!(property(event, "DTSTAMP").unwrap().ends_with('Z'));
    assert_eq!(
        property(event, "SUMMARY"),
        Some(
            "Impose-toi ! — Se révéler : connaître ses forces\\, les nommer\\, les montrer\\, et oser en parler"
        ),
        "folded lines unfold to the escaped text"
    );
    assert_eq!(
        property(event, "DESCRIPTION"),
        Some("Apportez un stylo\\; on écrit\\, on parle\\, on rit.\\nCafé offert.")
    );

    // Summer time, and a new SEQUENCE at each change.
    let summer = json!({"starts_at": "2030-07-01T08:00:00Z", "ends_at": "2030-07-01T10:00:00Z"});
    app.send_as(&anim, Method::PATCH, &format!("/api/v1/workshops/{id}"), Some(&summer)).await;
    let event = parse_calendar(&ics(&app, &path).await).events.remove(0);
    assert_eq!(
        (property(&event, "SEQUENCE"), property(&event, "DTSTART")),
        (Some("1"), Some("20300701T100000"))
    );
    assert_eq!(property(&event, "UID"), Some(uid.as_str()));

    app.send_as(&anim, Method::POST, &format!("/api/v1/workshops/{id}/cancel"), None).await;
    let event = parse_calendar(&ics(&app, &path).await).events.remove(0);
    assert_eq!((property(&event, "STATUS"), property(&event, "SEQUENCE")), (Some("CANCELLED"), Some("2")));
    assert_eq!(property(&event, "UID"), Some(uid.as_str()));

    assert_problem(
        app.get(&format!("/api/v1/workshops/{}/calendar.ics", Uuid::now_v7())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_personal_feed_lists_seats_held_shows_cancellations_and_can_be_revoked() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let member = app.member("Awa").await;
    let other = app.member("Binta").await;
    let seated = schedule(&app, &anim, &session_body(&modules[0], 5, Duration::days(3))).await;
    let cancelled = schedule(&app, &anim, &session_body(&modules[0], 5, Duration::days(4))).await;
    let full = schedule(&app, &anim, &session_body(&modules[0], 1, Duration::days(5))).await;
    for id in [&seated, &cancelled] {
        enrol_ok(&app, &member, id).await;
    }
    enrol_ok(&app, &other, &full).await;
    assert_eq!(enrol_ok(&app, &member, &full).await["status"], "waitlisted");
    app.send_as(&anim, Method::POST, &format!("/api/v1/workshops/{cancelled}/cancel"), None).await;

    assert_eq!(app.get("/api/v1/me/calendar-feed").await.status(), StatusCode::UNAUTHORIZED);
    let feed: Value = app.get_as(&member, "/api/v1/me/calendar-feed").await.json().await.unwrap();
    let url = feed["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&app.address) && url.ends_with(".ics"), "{url}");
    let again: Value = app.get_as(&member, "/api/v1/me/calendar-feed").await.json().await.unwrap();
    assert_eq!(again["url"], feed["url"], "the same URL until revoked");
    let path = url.strip_prefix(&app.address).unwrap().to_owned();
    let token = path.trim_start_matches("/api/v1/calendar/").trim_end_matches(".ics").to_owned();
    assert_eq!(token.len(), 43);
    let stored = entity::calendar_feed::Entity::find().all(&app.db).await.unwrap();
    assert!(stored.iter().all(|f| !f.token_hash.contains(&token)), "only a hash of the secret is stored");

    let calendar = parse_calendar(&ics(&app, &path).await);
    let uids: BTreeSet<&str> = calendar.events.iter().map(|e| property(e, "UID").unwrap()).collect();
    let expected: BTreeSet<String> =
        [&seated, &cancelled].iter().map(|id| format!("workshop-{id}@tremplin")).collect();
    assert_eq!(uids, expected.iter().map(String::as_str).collect(), "seats held only, not the waiting list");
    let cancelled_event = calendar
        .events
        .iter()
        .find(|e| property(e, "UID") == Some(format!("workshop-{cancelled}@tremplin").as_str()))
        .unwrap();
    assert_eq!(property(cancelled_event, "STATUS"), Some("CANCELLED"));

    // Regenerating revokes the old URL at once; so does DELETE.
    let regenerated = app.send_as(&member, Method::POST, "/api/v1/me/calendar-feed", None).await;
    assert_eq!(regenerated.status(), StatusCode::CREATED);
    let new_url = regenerated.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_owned();
    assert_ne!(new_url, url);
    assert_problem(app.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let new_path = new_url.strip_prefix(&app.address).unwrap().to_owned();
    ics(&app, &new_path).await;
    assert_eq!(
        app.send_as(&member, Method::DELETE, "/api/v1/me/calendar-feed", None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(app.get(&new_path).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(app.get("/api/v1/calendar/not-a-token.ics").await, StatusCode::NOT_FOUND, "not_found")
        .await;
    // Another member's feed shows their own sessions only.
    let theirs: Value = app.get_as(&other, "/api/v1/me/calendar-feed").await.json().await.unwrap();
    let theirs =
        parse_calendar(&ics(&app, theirs["url"].as_str().unwrap().strip_prefix(&app.address).unwrap()).await);
    assert_eq!(theirs.events.len(), 1);
}

#[tokio::test]
async fn erasure_hands_seats_on_and_keeps_past_enrolments_for_the_counts() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let people = members(&app, "Membre", 2).await;
    let leaving = &people[0];
    // A past session she attended, with a prerequisite waived in words about her.
    consented(&app, &counsellor, leaving).await;
    let second = schedule(&app, &anim, &session_body(&modules[1], 5, Duration::days(1))).await;
    let waived = json!({"member_id": leaving.id, "prerequisite_override_reason": "Awa a déjà fait ce module ailleurs"});
    let past = enrol(&app, &counsellor, &second, Some(&waived)).await.json::<Value>().await.unwrap();
    make_started(&app, &second).await;
    mark(&app, &anim, &second, &json!([{"enrolment_id": past["id"], "status": "attended"}])).await;
    // A seat to come, with someone waiting behind her.
    let upcoming = schedule(&app, &anim, &session_body(&modules[0], 1, Duration::days(3))).await;
    enrol_ok(&app, leaving, &upcoming).await;
    assert_eq!(enrol_ok(&app, &people[1], &upcoming).await["status"], "waitlisted");
    app.get_as(leaving, "/api/v1/me/calendar-feed").await;

    let export: Value = app.get_as(leaving, "/api/v1/me/export").await.json().await.unwrap();
    assert_eq!(export["tables"]["enrolments"].as_array().unwrap().len(), 2);
    assert_eq!(export["tables"]["calendar_feeds"].as_array().unwrap().len(), 1);
    assert!(export["tables"]["calendar_feeds"][0].get("token_hash").is_none(), "no secret in the export");

    assert_eq!(app.delete_me(leaving).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of_now(&app, &upcoming, &people[1]).await, EnrolmentStatus::Confirmed);
    assert_eq!(notifications(&app, &people[1]).await[0]["kind"], "workshop.seat_confirmed");
    let kept = stored(&app, &second).await;
    assert_eq!((kept.len(), kept[0].status), (1, EnrolmentStatus::Attended), "the past stays for the counts");
    assert_eq!(kept[0].prerequisite_override_reason, None, "free text about her is gone");
    assert!(entity::calendar_feed::Entity::find().all(&app.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_feed_made_under_an_earlier_key_is_rekeyed_when_read() {
    use sea_orm::IntoActiveModel;
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let feed: Value = app.get_as(&member, "/api/v1/me/calendar-feed").await.json().await.unwrap();
    let path = feed["url"].as_str().unwrap().strip_prefix(&app.address).unwrap().to_owned();
    // As stored before the feeds had their own key (or before the signing secret changed).
    let mut stored =
        entity::calendar_feed::Entity::find().one(&app.db).await.unwrap().unwrap().into_active_model();
    stored.token_hash = Set("0".repeat(64));
    stored.update(&app.db).await.unwrap();
    assert_problem(app.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;

    let again: Value = app.get_as(&member, "/api/v1/me/calendar-feed").await.json().await.unwrap();
    assert_eq!(again["url"], feed["url"]);
    ics(&app, &path).await;
}

#[tokio::test]
async fn the_personal_feed_also_holds_enchante_meetings() {
    let app = spawn_app().await;
    let skills: Value = app.get("/api/v1/skills?q=digcomp.4.1").await.json().await.unwrap();
    let skill = skills["items"][0]["id"].as_str().unwrap().to_owned();
    let mentor = app.member("Karim").await;
    let offer = json!({"kind": "offer", "level": 5});
    app.send_as(&mentor, Method::PUT, &format!("/api/v1/me/skills/{skill}"), Some(&offer)).await;
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["remote", "in_person"], "languages": ["fr"],
                         "postcode": "93800", "max_active_matches": 2, "accepting": true});
    assert_eq!(
        app.send_as(&mentor, Method::PUT, "/api/v1/me/mentor-profile", Some(&profile)).await.status(),
        StatusCode::OK
    );
    let learner = app.member("Awa").await;
    let request = json!({"skill_id": skill, "message": "Je voudrais apprendre.", "modalities": ["remote"], "languages": ["fr"]});
    let request: Value = app
        .send_as(&learner, Method::POST, "/api/v1/match-requests", Some(&request))
        .await
        .json()
        .await
        .unwrap();
    let asked = json!({"request_id": request["id"], "mentor_id": mentor.id});
    let matched: Value =
        app.send_as(&learner, Method::POST, "/api/v1/matches", Some(&asked)).await.json().await.unwrap();
    let id = matched["id"].as_str().unwrap().to_owned();
    let accepted = app.send_as(&mentor, Method::POST, &format!("/api/v1/matches/{id}/accept"), None).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let meeting = json!({"starts_at": "2030-01-07T17:00:00Z", "duration_minutes": 45, "modality": "remote"});
    let created =
        app.send_as(&mentor, Method::POST, &format!("/api/v1/matches/{id}/sessions"), Some(&meeting)).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    for (user, other) in [(&learner, "Karim"), (&mentor, "Awa")] {
        let feed: Value = app.get_as(user, "/api/v1/me/calendar-feed").await.json().await.unwrap();
        let path = feed["url"].as_str().unwrap().strip_prefix(&app.address).unwrap().to_owned();
        let calendar = parse_calendar(&ics(&app, &path).await);
        assert_eq!(calendar.events.len(), 1);
        let event = &calendar.events[0];
        assert!(property(event, "UID").unwrap().starts_with("match-session-"));
        assert_eq!(property(event, "SUMMARY"), Some(format!("Enchanté — rencontre avec {other}").as_str()));
        assert_eq!(property(event, "DTSTART"), Some("20300107T180000"));
        assert_eq!(property(event, "DTEND"), Some("20300107T184500"));
        assert_eq!(property(event, "LOCATION"), Some("À distance"));
        assert_eq!(property(event, "STATUS"), Some("CONFIRMED"));
    }
    let cancelled =
        app.send_as(&learner, Method::POST, &format!("/api/v1/matches/{id}/cancel"), Some(&json!({}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let feed: Value = app.get_as(&learner, "/api/v1/me/calendar-feed").await.json().await.unwrap();
    let path = feed["url"].as_str().unwrap().strip_prefix(&app.address).unwrap().to_owned();
    let event = parse_calendar(&ics(&app, &path).await).events.remove(0);
    assert_eq!((property(&event, "STATUS"), property(&event, "SEQUENCE")), (Some("CANCELLED"), Some("1")));
}

/// Texts for people come in their language: a problem in the caller's, a
/// notice in its recipient's, French otherwise.
#[tokio::test]
async fn workshop_texts_read_in_english_for_whoever_reads_english() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let reader = app.member("Sam").await;
    let lecteur = app.member("Lucie").await;
    let row = entity::user::Entity::find_by_id(reader.id).one(&app.db).await.unwrap().unwrap();
    let mut row: entity::user::ActiveModel = row.into();
    row.locale = Set("en".into());
    row.update(&app.db).await.unwrap();

    let mut body = session_body(&modules[0], 5, Duration::hours(30));
    body["cancellation_deadline_hours"] = json!(48);
    body["title"] = json!("Se révéler");
    let id = schedule(&app, &anim, &body).await;
    enrol_ok(&app, &lecteur, &id).await;
    let enrolment = enrol_ok(&app, &reader, &id).await;
    // The account's locale wins over the browser's French.
    let too_late = app
        .request(Method::DELETE, &format!("/api/v1/enrolments/{}", enrolment["id"].as_str().unwrap()))
        .bearer_auth(&reader.access_token)
        .header(header::ACCEPT_LANGUAGE, "fr")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(too_late, StatusCode::CONFLICT, "cancellation_deadline_passed").await;
    assert_eq!(
        problem["detail"],
        "It is too late to cancel yourself (at the latest 48 hours before). Please tell the facilitator or your counsellor."
    );

    let cancel_path = format!("/api/v1/workshops/{id}/cancel");
    let cancelled =
        app.send_as(&anim, Method::POST, &cancel_path, Some(&json!({"reason": "Salle fermée"}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let starts_at: DateTime<Utc> = body["starts_at"].as_str().unwrap().parse().unwrap();
    let local = starts_at.with_timezone(&chrono_tz::Europe::Paris);
    let (date, time) = (local.format("%d/%m/%Y"), local.format("%H:%M"));
    let english = &notifications(&app, &reader).await[0];
    assert_eq!(english["title"], "Workshop cancelled");
    assert_eq!(
        english["body"],
        format!("The workshop “Se révéler” on {date} at {time} is cancelled. Reason: Salle fermée")
    );
    let french = &notifications(&app, &lecteur).await[0];
    assert_eq!(french["title"], "Atelier annulé");
    assert_eq!(
        french["body"],
        format!("L'atelier « Se révéler » du {date} à {time} est annulé. Raison : Salle fermée")
    );
}
