//! Impact figures: per programme and module, per period and organisation,
//! never computed from fewer than K people.

use chrono::{Duration, Utc};
use entity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};

use crate::accompaniments::consented;
use crate::assessments::{assess, rses};
use crate::workshops::{enrol_ok, make_started, mark, members, modules, schedule, session_body};

async fn impact(app: &TestApp, user: &TestUser, query: &str) -> Value {
    let response = app.get_as(user, &format!("/api/v1/impact{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// `people` attend a first-module session (all but the last show up) and fill
/// in RSES before and after the programme: the post score is higher for all
/// but one.
async fn cohort_story(app: &TestApp, anim: &TestUser, people: &[TestUser]) {
    let modules = modules(app).await;
    let session = schedule(app, anim, &session_body(&modules[0], 20, Duration::days(1))).await;
    let mut marks = Vec::new();
    for (index, person) in people.iter().enumerate() {
        let enrolment = enrol_ok(app, person, &session).await;
        let status = if index + 1 == people.len() { "no_show" } else { "attended" };
        marks.push(json!({"enrolment_id": enrolment["id"], "status": status}));
    }
    make_started(app, &session).await;
    assert_eq!(mark(app, anim, &session, &Value::Array(marks)).await.status(), StatusCode::OK);
    for (index, person) in people.iter().enumerate() {
        assess(app, person, &rses("pre", [2; 10])).await;
        // [3;10] scores 25 like [2;10]... use clearly better answers for all but the first.
        let post = if index == 0 { [2; 10] } else { [3, 2, 3, 3, 2, 1, 4, 2, 1, 3] };
        assess(app, person, &rses("post", post)).await;
    }
}

#[tokio::test]
async fn figures_describe_at_least_k_people_or_are_withheld() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let people: Vec<TestUser> = members(&app, "P", 6).await;
    cohort_story(&app, &anim, &people).await;

    let body = impact(&app, &admin, "").await;
    assert_eq!(body["min_group_size"], 5);
    let program = &body["workshops"][0];
    assert_eq!(program["code"], "impose_toi");
    let figures = &program["figures"];
    assert_eq!(figures["enrolments"], json!({"value": 6, "suppressed": false}));
    assert_eq!(figures["members"]["value"], 6);
    // 5 came out of 6 recorded.
    assert_eq!(figures["attendance_rate"]["value"], 0.833);
    assert_eq!(figures["completed"]["value"], 0, "nobody did all three modules");
    assert_eq!(figures["measured"]["value"], 6);
    // Pre: 2 on every item scores 25; post: 25 once and 33 five times.
    assert_eq!(figures["mean_pre"]["value"], 25.0);
    assert_eq!(figures["mean_post"]["value"], 31.7, "means are rounded to one decimal");
    assert_eq!(figures["share_improved"]["value"], 0.833);
    let first = &program["modules"][0]["figures"];
    assert_eq!(first["completed"]["value"], 5);
    assert_eq!(first["completion_rate"]["value"], 0.833);
    assert_eq!(first["measured"], json!({"value": null, "suppressed": true}), "no module-scoped measure");
    let second = &program["modules"][1]["figures"];
    assert_eq!(second["enrolments"], json!({"value": null, "suppressed": true}));
    assert_eq!(body["learning"]["lessons_completed"]["suppressed"], true);

    // With K = 7 nothing about these six people shows.
    let strict = spawn_app_with_k(7).await;
    let admin7 = strict.user_with_role("Admin", Role::Admin).await;
    let anim7 = strict.user_with_role("Anim", Role::Facilitator).await;
    let six: Vec<TestUser> = members(&strict, "Q", 6).await;
    cohort_story(&strict, &anim7, &six).await;
    let body = impact(&strict, &admin7, "").await;
    assert_eq!(body["min_group_size"], 7);
    let text = body["workshops"].to_string();
    assert!(!text.contains("\"value\":6") && !text.contains("0.833"), "{text}");
    assert_eq!(body["workshops"][0]["figures"]["enrolments"]["suppressed"], true);

    // A period without the sessions: nothing.
    let from = month(Utc::now() + Duration::days(40));
    let later = impact(&app, &admin, &format!("?from={from}")).await;
    assert_eq!(later["workshops"][0]["figures"]["enrolments"]["suppressed"], true);
    let to = month(Utc::now() - Duration::days(40));
    let wrong = app.get_as(&admin, &format!("/api/v1/impact?from={from}&to={to}")).await;
    assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

/// `2026-03`: the calendar month of `at`, as the period parameters take it.
fn month(at: chrono::DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

async fn spawn_app_with_k(k: u32) -> TestApp {
    tests::spawn_app_with(move |settings| settings.impact_min_group = k, |_| {}).await
}

#[tokio::test]
async fn counsellors_see_their_own_organisation_only() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let karim = app.user_with_role("Karim", Role::Counsellor).await;
    let lea = app.user_with_role("Lea", Role::Counsellor).await;
    let member = app.member("Awa").await;
    let organizations = [
        organisation(&app, &admin, &karim, "Mission locale", "mission_locale").await,
        organisation(&app, &admin, &lea, "France Travail", "france_travail").await,
    ];
    // Five members accompanied by Karim, with consent; five more not (as
    // many outside as K, so that the difference of the two views describes
    // enough people).
    let people: Vec<TestUser> = members(&app, "P", 5).await;
    for person in &people {
        consented(&app, &karim, person).await;
    }
    let mut everyone = people.clone();
    everyone.extend(members(&app, "Dehors", 5).await);
    cohort_story(&app, &anim, &everyone).await;

    // Karim's organisation by default: his five people.
    let own = impact(&app, &karim, "").await;
    assert_eq!(own["organization_id"], json!(organizations[0]));
    assert_eq!(own["workshops"][0]["figures"]["members"]["value"], 5);
    let all = impact(&app, &admin, "").await;
    assert_eq!(all["workshops"][0]["figures"]["members"]["value"], 10);
    // Lea's organisation follows nobody: everything withheld.
    let theirs = impact(&app, &lea, "").await;
    assert_eq!(theirs["workshops"][0]["figures"]["members"]["suppressed"], true);
    // Not another organisation, not for members or facilitators.
    let other = app.get_as(&karim, &format!("/api/v1/impact?organization_id={}", organizations[1])).await;
    assert_problem(other, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(app.get_as(&member, "/api/v1/impact").await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(app.get_as(&anim, "/api/v1/impact").await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.get("/api/v1/impact").await.status(), StatusCode::UNAUTHORIZED);
    // An admin may narrow to one organisation.
    let narrowed = impact(&app, &admin, &format!("?organization_id={}", organizations[0])).await;
    assert_eq!(narrowed["workshops"][0]["figures"]["members"]["value"], 5);
}

#[tokio::test]
async fn every_pillar_has_its_figures() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let body = impact(&app, &admin, "").await;
    for figure in ["lessons_completed", "active_learners"] {
        assert_eq!(body["learning"][figure], json!({"value": null, "suppressed": true}), "{figure}");
    }
    for figure in ["matches_made", "matches_completed", "learners", "mentors", "sessions"] {
        assert_eq!(body["mentoring"][figure], json!({"value": null, "suppressed": true}), "{figure}");
    }
    // With K = 1, the empty pillars show zeros... where zero people are behind
    // them, they stay withheld: nothing is computed from nobody.
    let open = spawn_app_with_k(1).await;
    let admin = open.user_with_role("Admin", Role::Admin).await;
    let anim = open.user_with_role("Anim", Role::Facilitator).await;
    let one = members(&open, "Seul", 1).await;
    cohort_story(&open, &anim, &one).await;
    let body = impact(&open, &admin, "").await;
    assert_eq!(
        body["workshops"][0]["modules"][0]["figures"]["members"],
        json!({"value": 1, "suppressed": false})
    );
    assert_eq!(body["mentoring"]["matches_made"]["suppressed"], true);
}

/// Creates an organisation and attaches `counsellor` to it; returns its id.
async fn organisation(
    app: &TestApp,
    admin: &TestUser,
    counsellor: &TestUser,
    name: &str,
    kind: &str,
) -> String {
    let created: Value = app
        .send_as(admin, Method::POST, "/api/v1/organizations", Some(&json!({"name": name, "kind": kind})))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let attached = app
        .send_as(
            admin,
            Method::POST,
            &format!("/api/v1/organizations/{id}/members"),
            Some(&json!({"user_id": counsellor.id})),
        )
        .await;
    assert_eq!(attached.status(), StatusCode::CREATED);
    id
}

/// The figures of the whole programme that `cohort_story` fills in.
fn programme(body: &Value) -> &Value {
    &body["workshops"][0]["figures"]
}

const WITHHELD: [&str; 7] =
    ["enrolments", "members", "attendance_rate", "measured", "mean_pre", "mean_post", "share_improved"];

#[tokio::test]
async fn two_views_never_differ_by_fewer_than_k_people() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let karim = app.user_with_role("Karim", Role::Counsellor).await;
    let org = organisation(&app, &admin, &karim, "Mission locale", "mission_locale").await;
    // Five people accompanied by Karim, and one more who is not.
    let people: Vec<TestUser> = members(&app, "P", 5).await;
    for person in &people {
        consented(&app, &karim, person).await;
    }
    let mut everyone = people.clone();
    everyone.push(app.member("Dehors").await);
    cohort_story(&app, &anim, &everyone).await;

    // Everyone: six people, shown.
    let all = impact(&app, &admin, "").await;
    assert_eq!(programme(&all)["members"]["value"], 6);
    assert_eq!(programme(&all)["mean_pre"]["value"], 25.0);
    // The organisation: five of them. Shown, the two views would give the
    // sixth person's attendance and scores by difference: withheld.
    for narrowed in
        [impact(&app, &admin, &format!("?organization_id={org}")).await, impact(&app, &karim, "").await]
    {
        for figure in WITHHELD {
            assert_eq!(programme(&narrowed)[figure], json!({"value": null, "suppressed": true}), "{figure}");
        }
    }
}

#[tokio::test]
async fn a_figure_about_all_but_a_few_of_an_organisation_is_withheld() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let karim = app.user_with_role("Karim", Role::Counsellor).await;
    organisation(&app, &admin, &karim, "Mission locale", "mission_locale").await;
    // Karim accompanies six people; five take part, one does not.
    let people: Vec<TestUser> = members(&app, "P", 6).await;
    for person in &people {
        consented(&app, &karim, person).await;
    }
    cohort_story(&app, &anim, &people[..5]).await;

    // Everyone: the five are shown (nobody outside the organisation took part).
    assert_eq!(programme(&impact(&app, &admin, "").await)["members"]["value"], 5);
    // Within the organisation the complement is one person: "five of his six
    // took part" tells Karim about the sixth. Withheld.
    let own = impact(&app, &karim, "").await;
    for figure in WITHHELD {
        assert_eq!(programme(&own)[figure], json!({"value": null, "suppressed": true}), "{figure}");
    }
}

#[tokio::test]
async fn the_period_is_whole_calendar_months() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let people: Vec<TestUser> = members(&app, "P", 6).await;
    cohort_story(&app, &anim, &people).await;

    let now = month(Utc::now());
    let this_month = impact(&app, &admin, &format!("?from={now}&to={now}")).await;
    assert_eq!(
        (this_month["from"].as_str(), this_month["to"].as_str()),
        (Some(now.as_str()), Some(now.as_str()))
    );
    assert_eq!(programme(&this_month)["members"]["value"], 6);
    assert_eq!(programme(&this_month)["mean_post"]["value"], 31.7);
    let before = month(Utc::now() - Duration::days(40));
    let earlier = impact(&app, &admin, &format!("?to={before}")).await;
    assert_eq!(programme(&earlier)["members"]["suppressed"], true, "`to` is the last month included");

    // A finer period would let two queries differ by one person's moment:
    // anything but a whole month `YYYY-MM` is refused, naming the parameter.
    let exact = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true).replace('+', "%2B");
    for (query, field) in [
        (format!("from={exact}"), "from"),
        (format!("to={exact}"), "to"),
        (format!("from={now}-01"), "from"),
        ("from=2026-3".to_owned(), "from"),
        ("to=2026-13".to_owned(), "to"),
        ("to=mars".to_owned(), "to"),
        ("from=2026-05&to=2026-03".to_owned(), "to"),
    ] {
        let response = app.get_as(&admin, &format!("/api/v1/impact?{query}")).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
}
