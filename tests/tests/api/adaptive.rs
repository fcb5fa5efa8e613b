//! Spaced reviews, the adaptive placement test and recommendations through HTTP.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use entity::{Role, placement_item, review_state};
use reqwest::{Method, StatusCode};
use sea_orm::sea_query::{Alias, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};

use crate::lessons::{Exercises, answer, assert_no_answer_key, published_lesson, start};

/// Makes every review of `member` due now.
async fn make_due(app: &TestApp, member: &TestUser) {
    let past = Utc::now() - Duration::minutes(1);
    let update = Query::update()
        .table(Alias::new("review_states"))
        .value(Alias::new("due"), past)
        .and_where(sea_orm::sea_query::Expr::col(Alias::new("user_id")).eq(member.id))
        .to_owned();
    app.db.execute(&update).await.unwrap();
}

async fn due_reviews(app: &TestApp, member: &TestUser) -> Vec<Value> {
    let page: Value = app.get_as(member, "/api/v1/me/reviews").await.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn review(app: &TestApp, member: &TestUser, exercise: &str, answer: Value) -> reqwest::Response {
    let body = json!({"exercise_id": exercise, "answer": answer});
    app.send_as(member, Method::POST, "/api/v1/me/reviews", Some(&body)).await
}

#[tokio::test]
async fn answered_exercises_come_back_for_review_and_reviews_reschedule_them() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    answer(&app, &member, &attempt, &exercises.ids[2], json!({"value": true})).await; // wrong
    answer(&app, &member, &attempt, &exercises.ids[2], json!({"value": false})).await; // retry: no new state
    answer(&app, &member, &attempt, &exercises.ids[0], exercises.right_answers()[0].clone()).await;
    let states = review_state::Entity::find()
        .filter(review_state::Column::UserId.eq(member.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(states.len(), 2);
    assert!(states.iter().all(|s| s.due > Utc::now()), "nothing is due right away");
    assert!(due_reviews(&app, &member).await.is_empty());

    make_due(&app, &member).await;
    let raw = app.get_as(&member, "/api/v1/me/reviews").await.text().await.unwrap();
    assert_no_answer_key(&raw);
    let due = due_reviews(&app, &member).await;
    assert_eq!(due.len(), 2);
    assert!(due[0]["due_at"].as_str() <= due[1]["due_at"].as_str(), "soonest first");

    let graded: Value =
        review(&app, &member, &exercises.ids[2], json!({"value": false})).await.json().await.unwrap();
    assert_eq!(graded["correct"], true);
    let next: chrono::DateTime<Utc> = graded["next_due_at"].as_str().unwrap().parse().unwrap();
    assert!(next > Utc::now());
    assert_eq!(due_reviews(&app, &member).await.len(), 1);
    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!(progress["streak"]["current"], 1, "a review counts for the streak");
    assert_eq!(progress["today_xp"], 2);

    // Only exercises of one's own reviews.
    let binta = app.member("Binta").await;
    assert_problem(
        review(&app, &binta, &exercises.ids[0], json!({"choice_id": uuid::Uuid::now_v7()})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        review(&app, &member, &exercises.ids[4], json!({"text": "x"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn mastery_falls_back_when_reviews_lapse_and_returns_when_retained() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    for (index, right) in exercises.right_answers().into_iter().enumerate() {
        answer(&app, &member, &attempt, &exercises.ids[index], right).await;
    }
    app.send_as(&member, Method::POST, &format!("/api/v1/attempts/{attempt}/complete"), None).await;
    let mastery = |app: &TestApp| {
        let member = member.clone();
        let app_address = app.url("/api/v1/me/progress");
        let client = app.client.clone();
        async move {
            let progress: Value = client
                .get(app_address)
                .bearer_auth(&member.access_token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            progress["mastery"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["level"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(mastery(&app).await, [2]);

    make_due(&app, &member).await;
    for index in [0, 2, 4] {
        review(&app, &member, &exercises.ids[index], json!({"text": "tout faux"})).await;
    }
    // Wrong shapes are 422 and change nothing; use real wrong answers instead.
    review(&app, &member, &exercises.ids[2], json!({"value": true})).await;
    review(&app, &member, &exercises.ids[0], json!({"choice_id": exercises.option(0, "choices", "123456")}))
        .await;
    review(&app, &member, &exercises.ids[4], json!({"text": "un carnet"})).await;
    assert_eq!(mastery(&app).await, Vec::<i64>::new(), "3 of 5 exercises lapsed");

    make_due(&app, &member).await;
    review(&app, &member, &exercises.ids[2], json!({"value": false})).await;
    review(&app, &member, &exercises.ids[0], exercises.right_answers()[0].clone()).await;
    assert_eq!(mastery(&app).await, [2], "retained again");
}

/// Answers the current placement item right (or wrong) from its stored key.
pub(crate) async fn answer_placement(
    app: &TestApp,
    member: &TestUser,
    test: &str,
    exercise: &Value,
    right: bool,
) -> Value {
    let id: uuid::Uuid = exercise["exercise"]["id"].as_str().unwrap().parse().unwrap();
    let item = placement_item::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let key: api::lessons::grading::AnswerKey = serde_json::from_value(item.answer_key).unwrap();
    let correct = serde_json::to_value(api::lessons::exercises::correct_answer(&key)).unwrap();
    let answer = if right {
        correct
    } else {
        match key {
            api::lessons::grading::AnswerKey::TrueFalse { value } => json!({"value": !value}),
            api::lessons::grading::AnswerKey::TextInput { .. } => json!({"text": "je ne sais pas"}),
            api::lessons::grading::AnswerKey::SingleChoice { correct } => {
                let choices = exercise["exercise"]["choices"].as_array().unwrap();
                let wrong = choices.iter().find(|c| c["id"] != json!(correct)).unwrap();
                json!({"choice_id": wrong["id"]})
            }
            _ => json!({"choice_ids": []}),
        }
    };
    let body = json!({"exercise_id": id, "answer": answer});
    let response = app
        .send_as(member, Method::POST, &format!("/api/v1/placement-tests/{test}/answers"), Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Runs a whole placement test; returns the result and how many items each area asked.
pub(crate) async fn run_placement(app: &TestApp, member: &TestUser, right: bool) -> (Value, Vec<String>) {
    let started = app.send_as(member, Method::POST, "/api/v1/placement-tests", None).await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let started: Value = started.json().await.unwrap();
    let test = started["id"].as_str().unwrap().to_owned();
    let mut exercise = started["next_exercise"].clone();
    let mut asked = Vec::new();
    loop {
        assert_no_answer_key(&exercise.to_string());
        asked.push(exercise["exercise"]["id"].as_str().unwrap().to_owned());
        let step = answer_placement(app, member, &test, &exercise, right).await;
        match step.get("result") {
            Some(result) => return (result.clone(), asked),
            None => exercise = step["next_exercise"].clone(),
        }
        assert!(asked.len() <= 40, "at most 8 items in each of the 5 areas");
    }
}

#[tokio::test]
async fn the_placement_test_adapts_and_never_repeats_an_item() {
    let app = spawn_app().await;
    let strong = app.member("Forte").await;
    let (result, asked) = run_placement(&app, &strong, true).await;
    assert_eq!(asked.iter().collect::<HashSet<_>>().len(), asked.len(), "an item was asked twice");
    let levels: Vec<i64> =
        result["levels"].as_array().unwrap().iter().map(|l| l["level"].as_i64().unwrap()).collect();
    assert_eq!(levels.len(), 5);
    assert!(levels.iter().all(|l| *l >= 6), "{result}");
    assert_eq!(result["suggest_accompaniment"], false);

    let beginner = app.member("Debutant").await;
    let (result, _) = run_placement(&app, &beginner, false).await;
    let levels: Vec<i64> =
        result["levels"].as_array().unwrap().iter().map(|l| l["level"].as_i64().unwrap()).collect();
    assert!(levels.iter().all(|l| *l <= 2), "{result}");
    assert_eq!(result["suggest_accompaniment"], true);
    assert!(!result["recommended_lessons"].as_array().unwrap().is_empty());

    // Once accompaniment is suggested, recommendations offer a mentor and the
    // next session of the programme's first module.
    let facilitator = app.user_with_role("Anim", Role::Facilitator).await;
    let programs: Value = app.get("/api/v1/programs").await.json().await.unwrap();
    let first_module = programs["items"][0]["modules"][0]["id"].as_str().unwrap().to_owned();
    let starts = Utc::now() + Duration::days(3);
    let session = json!({"module_id": first_module, "title": "Se révéler, à Épinay", "starts_at": starts,
        "ends_at": starts + Duration::hours(2), "location": "Tiers-lieu Efficience", "capacity": 12});
    let created = app.send_as(&facilitator, Method::POST, "/api/v1/workshops", Some(&session)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let recommendations: Value =
        app.get_as(&beginner, "/api/v1/me/recommendations").await.json().await.unwrap();
    assert_eq!(recommendations["workshops"][0]["title"], "Se révéler, à Épinay", "{recommendations}");
    assert!(recommendations["workshops"][0]["reason"].as_str().unwrap().contains("Impose-toi"));
    let mentors = recommendations["mentor_requests"].as_array().unwrap();
    assert!(!mentors.is_empty() && mentors[0]["reason"].as_str().unwrap().contains("mentor"));
    assert!(
        recommendations["lessons"][0]["reason"].as_str().unwrap().contains("positionnement"),
        "{recommendations}"
    );
}

#[tokio::test]
async fn placement_answers_follow_the_test() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let started: Value =
        app.send_as(&member, Method::POST, "/api/v1/placement-tests", None).await.json().await.unwrap();
    let test = started["id"].as_str().unwrap();
    let path = format!("/api/v1/placement-tests/{test}/answers");
    let other = json!({"exercise_id": uuid::Uuid::now_v7(), "answer": {"value": true}});
    let not_current = app.send_as(&member, Method::POST, &path, Some(&other)).await;
    assert_problem(not_current, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let binta = app.member("Binta").await;
    let current =
        json!({"exercise_id": started["next_exercise"]["exercise"]["id"], "answer": {"value": true}});
    assert_problem(
        app.send_as(&binta, Method::POST, &path, Some(&current)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn recommendations_put_due_reviews_first_and_skip_completed_lessons_and_drafts() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let draft: Value = app
        .send_as(
            &author,
            Method::POST,
            "/api/v1/lessons",
            Some(&crate::lessons::lesson_body(&crate::lessons::skill_id(&app).await)),
        )
        .await
        .json()
        .await
        .unwrap();
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    for (index, right) in exercises.right_answers().into_iter().enumerate() {
        answer(&app, &member, &attempt, &exercises.ids[index], right).await;
    }
    app.send_as(&member, Method::POST, &format!("/api/v1/attempts/{attempt}/complete"), None).await;
    make_due(&app, &member).await;

    let recommendations: Value =
        app.get_as(&member, "/api/v1/me/recommendations").await.json().await.unwrap();
    assert_eq!(recommendations["reviews"]["due_count"], 5);
    assert!(recommendations["reviews"]["reason"].as_str().unwrap().contains("revoir"));
    let ids: Vec<&str> = recommendations["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["lesson"]["id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty());
    assert!(!ids.contains(&lesson.as_str()), "a completed lesson");
    assert!(!ids.contains(&draft["id"].as_str().unwrap()), "a draft");
    assert!(
        recommendations["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| !l["reason"].as_str().unwrap().is_empty())
    );
    assert_eq!(recommendations["workshops"], json!([]));
}

/// Recommendations read the published lessons and skills through a cache of a
/// few seconds: the replica where an author publishes or an admin renames a
/// skill shows the change at once.
#[tokio::test]
async fn recommendations_follow_a_new_lesson_and_a_renamed_skill_at_once() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let member = app.member("Awa").await;
    let skill: Value = app
        .send_as(
            &admin,
            Method::POST,
            "/api/v1/skills",
            Some(&json!({"code": "metier.cuisine", "name": "Cuisiner", "category": "professional", "level_max": 4})),
        )
        .await
        .json()
        .await
        .unwrap();
    let skill_id = skill["id"].as_str().unwrap();
    let declared = app
        .send_as(
            &member,
            Method::PUT,
            &format!("/api/v1/me/skills/{skill_id}"),
            Some(&json!({"kind": "want", "level": 1})),
        )
        .await;
    assert_eq!(declared.status(), StatusCode::OK);
    let lessons_of_skill = |recommendations: &Value| -> Vec<Value> {
        recommendations["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["lesson"]["skill_id"] == skill_id)
            .cloned()
            .collect()
    };
    let before: Value = app.get_as(&member, "/api/v1/me/recommendations").await.json().await.unwrap();
    assert!(lessons_of_skill(&before).is_empty(), "no lesson teaches it yet: {before}");

    let lesson: Value = app
        .send_as(&author, Method::POST, "/api/v1/lessons", Some(&crate::lessons::lesson_body(skill_id)))
        .await
        .json()
        .await
        .unwrap();
    let lesson_id = lesson["id"].as_str().unwrap();
    let draft: Value = app.get_as(&member, "/api/v1/me/recommendations").await.json().await.unwrap();
    assert!(lessons_of_skill(&draft).is_empty(), "a draft is never recommended: {draft}");
    let published =
        app.send_as(&author, Method::POST, &format!("/api/v1/lessons/{lesson_id}/publish"), None).await;
    assert_eq!(published.status(), StatusCode::OK);
    let after: Value = app.get_as(&member, "/api/v1/me/recommendations").await.json().await.unwrap();
    let recommended = lessons_of_skill(&after);
    assert_eq!(recommended.len(), 1, "{after}");
    assert_eq!(recommended[0]["lesson"]["id"], lesson_id);
    assert!(recommended[0]["reason"].as_str().unwrap().contains("« Cuisiner »"), "{after}");

    let renamed = app
        .send_as(
            &admin,
            Method::PATCH,
            &format!("/api/v1/skills/{skill_id}"),
            Some(&json!({"name": "Cuisiner en collectivité"})),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed: Value = app.get_as(&member, "/api/v1/me/recommendations").await.json().await.unwrap();
    let reason = lessons_of_skill(&renamed)[0]["reason"].as_str().unwrap().to_owned();
    assert!(reason.contains("« Cuisiner en collectivité »"), "{reason}");
}

#[tokio::test]
async fn a_review_before_it_is_due_is_409_and_counts_nothing() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    answer(&app, &member, &attempt, &exercises.ids[2], json!({"value": false})).await;
    let state = |app: &TestApp| {
        let (db, key) = (app.db.clone(), (member.id, exercises.ids[2].parse::<uuid::Uuid>().unwrap()));
        async move { review_state::Entity::find_by_id(key).one(&db).await.unwrap().unwrap() }
    };
    let scheduled = state(&app).await;

    for answer in [json!({"value": false}), json!({"value": true})] {
        let early = review(&app, &member, &exercises.ids[2], answer).await;
        assert_problem(early, StatusCode::CONFLICT, "review_not_due").await;
    }
    assert_eq!(state(&app).await, scheduled, "not rescheduled");
    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!((progress["today_xp"].as_i64(), progress["xp_total"].as_i64()), (Some(0), Some(0)));
    assert_eq!(progress["streak"]["current"], 0, "no streak day: {progress}");

    make_due(&app, &member).await;
    let due = review(&app, &member, &exercises.ids[2], json!({"value": false})).await;
    assert_eq!(due.status(), StatusCode::OK);
    let again = review(&app, &member, &exercises.ids[2], json!({"value": false})).await;
    assert_problem(again, StatusCode::CONFLICT, "review_not_due").await;
    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!(progress["today_xp"], 2, "one review counted");
}

/// Every recommendation says why in the member's own language (the account's
/// locale wins over the browser's), and the placement test's field message too.
#[tokio::test]
async fn recommendation_reasons_read_in_the_members_language() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let skill: Value = app
        .send_as(
            &admin,
            Method::POST,
            "/api/v1/skills",
            Some(&json!({"code": "metier.cuisine", "name": "Cuisiner", "category": "professional", "level_max": 4})),
        )
        .await
        .json()
        .await
        .unwrap();
    let skill_id = skill["id"].as_str().unwrap().to_owned();
    let lesson: Value = app
        .send_as(&author, Method::POST, "/api/v1/lessons", Some(&crate::lessons::lesson_body(&skill_id)))
        .await
        .json()
        .await
        .unwrap();
    let lesson = lesson["id"].as_str().unwrap().to_owned();
    app.send_as(&author, Method::POST, &format!("/api/v1/lessons/{lesson}/publish"), None).await;
    let programs: Value = app.get("/api/v1/programs").await.json().await.unwrap();
    let starts = Utc::now() + Duration::days(3);
    let session = json!({"module_id": programs["items"][0]["modules"][0]["id"], "title": "Se révéler",
        "starts_at": starts, "ends_at": starts + Duration::hours(2), "location": "Tiers-lieu", "capacity": 12});
    let created = app.send_as(&author, Method::POST, "/api/v1/workshops", Some(&session)).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    // Wants the skill, has one exercise due, and (the English reader) a weak placement.
    let wants_with_a_review_due = |member: TestUser| {
        let (app, skill_id, lesson) = (&app, &skill_id, &lesson);
        async move {
            let want = json!({"kind": "want", "level": 1});
            let path = format!("/api/v1/me/skills/{skill_id}");
            assert_eq!(app.send_as(&member, Method::PUT, &path, Some(&want)).await.status(), StatusCode::OK);
            let exercises = Exercises::of(app, &member, lesson).await;
            let attempt = start(app, &member, lesson).await;
            answer(app, &member, &attempt, &exercises.ids[2], json!({"value": false})).await;
            make_due(app, &member).await;
            member
        }
    };
    let reader = wants_with_a_review_due(crate::languages::english_member(&app, "Sam").await).await;
    run_placement(&app, &reader, false).await;
    let lecteur = wants_with_a_review_due(app.member("Awa").await).await;
    let recommendations_of = |member: &TestUser| {
        app.request(Method::GET, "/api/v1/me/recommendations")
            .bearer_auth(&member.access_token)
            .header(reqwest::header::ACCEPT_LANGUAGE, "fr")
            .send()
    };

    let english: Value = recommendations_of(&reader).await.unwrap().json().await.unwrap();
    assert_eq!(
        english["reviews"]["reason"],
        "Exercises to review: 1. A few minutes are enough to keep them in mind.",
        "{english}"
    );
    let reasons: Vec<&str> =
        english["lessons"].as_array().unwrap().iter().map(|l| l["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons[0], "You want to get better at “Cuisiner”: this lesson is just at your level.");
    assert!(reasons[1].starts_with("Your placement test shows that “"), "{reasons:?}");
    assert!(reasons[1].ends_with("” needs strengthening."), "{reasons:?}");
    assert_eq!(
        english["mentor_requests"][0]["reason"],
        "Learning with someone is easier: a mentor can help you with “Cuisiner”."
    );
    assert_eq!(
        english["workshops"][0]["reason"],
        "The workshop “Se révéler” of the Impose-toi ! programme helps build confidence, in a small group."
    );

    let french: Value = recommendations_of(&lecteur).await.unwrap().json().await.unwrap();
    assert_eq!(
        french["reviews"]["reason"],
        "1 exercice(s) à revoir : quelques minutes suffisent pour ne pas oublier."
    );
    assert_eq!(
        french["lessons"][0]["reason"],
        "Vous voulez progresser en « Cuisiner » : cette leçon est juste à votre niveau."
    );
    assert_eq!(french["lessons"][1]["reason"], "C'est l'étape suivante de votre parcours.");

    let started: Value =
        app.send_as(&reader, Method::POST, "/api/v1/placement-tests", None).await.json().await.unwrap();
    let path = format!("/api/v1/placement-tests/{}/answers", started["id"].as_str().unwrap());
    let other = json!({"exercise_id": uuid::Uuid::now_v7(), "answer": {"value": true}});
    let problem = assert_problem(
        app.send_as(&reader, Method::POST, &path, Some(&other)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["message"], "Answer the exercise you were given.");
}
