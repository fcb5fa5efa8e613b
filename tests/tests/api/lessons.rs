//! NumériZen lessons through HTTP: authoring, answer keys kept secret, server
//! grading, attempts, XP, idempotent retries, progress and streaks.

use chrono::{Duration, Utc};
use entity::{Role, attempt_answer, learning_day};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};

use crate::languages::{english_member, speak_english};

/// A lesson with one exercise of each kind, as a facilitator writes it.
pub(crate) fn lesson_body(skill_id: &str) -> Value {
    json!({
        "title": "Les mots de passe", "summary": "Choisir et garder un bon mot de passe.",
        "skill_id": skill_id, "level": 2, "estimated_minutes": 5, "easy_read": true,
        "exercises": [
            {"kind": "single_choice", "prompt": "Quel mot de passe est le plus solide ?", "explanation": "Long et varié.",
             "choices": [{"text": "123456", "correct": false}, {"text": "Soleil-Vert-Lundi-42!", "correct": true}]},
            {"kind": "multiple_choice", "prompt": "Que faut-il éviter ? (plusieurs réponses)", "explanation": "Ce qui se devine.",
             "choices": [{"text": "Sa date de naissance", "correct": true}, {"text": "Le prénom de son chien", "correct": true},
                         {"text": "Une phrase longue", "correct": false}]},
            {"kind": "true_false", "prompt": "Vrai ou faux : on peut donner son mot de passe à sa banque par email.",
             "explanation": "Jamais.", "statement_is_true": false},
            {"kind": "ordering", "prompt": "Dans l'ordre :", "explanation": "D'abord l'ancien.",
             "items": ["Ouvrir les réglages", "Taper l'ancien mot de passe", "Taper le nouveau"]},
            {"kind": "text_input", "prompt": "Comment s'appelle l'outil qui retient les mots de passe ?",
             "explanation": "Réponse attendue : le gestionnaire.", "accepted_answers": ["gestionnaire de mots de passe"], "tolerance": 1}
        ]
    })
}

pub(crate) async fn skill_id(app: &TestApp) -> String {
    let skills: Value = app.get("/api/v1/skills?q=digcomp.4.1").await.json().await.unwrap();
    skills["items"][0]["id"].as_str().unwrap().to_owned()
}

/// Creates and publishes the lesson above; returns its id.
pub(crate) async fn published_lesson(app: &TestApp, author: &TestUser) -> String {
    let body = lesson_body(&skill_id(app).await);
    let created = app.send_as(author, Method::POST, "/api/v1/lessons", Some(&body)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let published = app.send_as(author, Method::POST, &format!("/api/v1/lessons/{id}/publish"), None).await;
    assert_eq!(published.json::<Value>().await.unwrap()["status"], "published");
    id
}

/// What a member sees of the lesson, plus the right answers found by text.
pub(crate) struct Exercises {
    pub(crate) ids: Vec<String>,
    detail: Value,
}

impl Exercises {
    pub(crate) async fn of(app: &TestApp, member: &TestUser, lesson: &str) -> Self {
        let detail: Value =
            app.get_as(member, &format!("/api/v1/lessons/{lesson}")).await.json().await.unwrap();
        let ids = detail["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        Exercises { ids, detail }
    }

    pub(crate) fn option(&self, exercise: usize, field: &str, text: &str) -> String {
        let options = self.detail["exercises"][exercise][field].as_array().unwrap();
        options.iter().find(|o| o["text"] == text).unwrap()["id"].as_str().unwrap().to_owned()
    }

    /// A wrong answer of the right shape for each exercise.
    pub(crate) fn wrong_answers(&self) -> Vec<Value> {
        vec![
            json!({"choice_id": self.option(0, "choices", "123456")}),
            json!({"choice_ids": [self.option(1, "choices", "Sa date de naissance")]}),
            json!({"value": true}),
            json!({"item_ids": [self.option(3, "items", "Taper le nouveau"), self.option(3, "items", "Ouvrir les réglages"), self.option(3, "items", "Taper l'ancien mot de passe")]}),
            json!({"text": "un carnet"}),
        ]
    }

    pub(crate) fn right_answers(&self) -> Vec<Value> {
        vec![
            json!({"choice_id": self.option(0, "choices", "Soleil-Vert-Lundi-42!")}),
            json!({"choice_ids": [self.option(1, "choices", "Le prénom de son chien"), self.option(1, "choices", "Sa date de naissance")]}),
            json!({"value": false}),
            json!({"item_ids": [self.option(3, "items", "Ouvrir les réglages"), self.option(3, "items", "Taper l'ancien mot de passe"), self.option(3, "items", "Taper le nouveau")]}),
            json!({"text": "  GESTIONNAIRE de mots de pâsse "}),
        ]
    }
}

pub(crate) async fn start(app: &TestApp, member: &TestUser, lesson: &str) -> String {
    let started =
        app.send_as(member, Method::POST, &format!("/api/v1/lessons/{lesson}/attempts"), None).await;
    assert_eq!(started.status(), StatusCode::CREATED);
    started.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn answer(
    app: &TestApp,
    member: &TestUser,
    attempt: &str,
    exercise: &str,
    answer: Value,
) -> reqwest::Response {
    let body = json!({"exercise_id": exercise, "answer": answer});
    app.send_as(member, Method::POST, &format!("/api/v1/attempts/{attempt}/answers"), Some(&body)).await
}

const SECRETS: [&str; 6] =
    ["correct\"", "accepted_answers", "statement_is_true", "answer_key", "tolerance", "Réponse attendue"];

pub(crate) fn assert_no_answer_key(raw: &str) {
    for secret in SECRETS {
        assert!(!raw.contains(secret), "a member-facing response reveals {secret}: {raw}");
    }
}

#[tokio::test]
async fn members_never_receive_an_answer_key() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;

    let list = app.get_as(&member, "/api/v1/lessons?limit=100").await.text().await.unwrap();
    assert_no_answer_key(&list);
    assert!(list.contains("Les mots de passe"));
    let detail = app.get_as(&member, &format!("/api/v1/lessons/{lesson}")).await.text().await.unwrap();
    assert_no_answer_key(&detail);
    let parsed: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(parsed["exercises"][3]["items"].as_array().unwrap().len(), 3);
    assert_eq!(parsed["exercises"][0]["choices"].as_array().unwrap().len(), 2);
    let attempt = app
        .send_as(&member, Method::POST, &format!("/api/v1/lessons/{lesson}/attempts"), None)
        .await
        .text()
        .await
        .unwrap();
    assert_no_answer_key(&attempt);
    // Every starter lesson too.
    for item in serde_json::from_str::<Value>(&list).unwrap()["items"].as_array().unwrap() {
        let raw = app
            .get_as(&member, &format!("/api/v1/lessons/{}", item["id"].as_str().unwrap()))
            .await
            .text()
            .await
            .unwrap();
        assert!(!raw.contains("\"correct\"") && !raw.contains("accepted_answers"), "{raw}");
    }
    // Authors see what they wrote.
    let authored = app.get_as(&author, &format!("/api/v1/lessons/{lesson}")).await.text().await.unwrap();
    assert!(authored.contains("accepted_answers") && authored.contains("\"correct\":true"));
}

#[tokio::test]
async fn every_kind_is_graded_on_the_server_and_wrong_answers_can_be_retried() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;

    for (index, wrong) in exercises.wrong_answers().into_iter().enumerate() {
        let graded: Value =
            answer(&app, &member, &attempt, &exercises.ids[index], wrong).await.json().await.unwrap();
        assert_eq!(graded["correct"], false, "exercise {index}");
        assert!(graded["feedback"].as_str().unwrap().contains("réessayez"));
        assert!(graded["explanation"].is_string());
        assert!(graded.get("correct_answer").is_none(), "not revealed after one try");
    }
    for (index, right) in exercises.right_answers().into_iter().enumerate() {
        let graded: Value =
            answer(&app, &member, &attempt, &exercises.ids[index], right).await.json().await.unwrap();
        assert_eq!(graded["correct"], true, "exercise {index}: {graded}");
        assert!(graded["correct_answer"].is_object());
    }
    // Tolerance: one typo in a long answer is fine, more is not.
    let text = &exercises.ids[4];
    for (typed, expected) in
        [("gestionaire de mots de passe", true), ("gestionaire de mot de pase", false), ("", false)]
    {
        let graded: Value =
            answer(&app, &member, &attempt, text, json!({"text": typed})).await.json().await.unwrap();
        assert_eq!(graded["correct"], expected, "{typed:?}");
    }
    // An answer of the wrong shape, or an exercise of another lesson.
    let shape = answer(&app, &member, &attempt, &exercises.ids[2], json!({"text": "faux"})).await;
    assert_eq!(
        assert_problem(shape, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await["errors"][0]["field"],
        "answer"
    );
    let foreign =
        answer(&app, &member, &attempt, &uuid::Uuid::now_v7().to_string(), json!({"value": true})).await;
    assert_problem(foreign, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn completion_awards_xp_once_and_builds_progress() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    // Exercise 0 wrong first, then right: no first-try bonus for it.
    answer(
        &app,
        &member,
        &attempt,
        &exercises.ids[0],
        json!({"choice_id": exercises.option(0, "choices", "123456")}),
    )
    .await;
    for (index, right) in exercises.right_answers().into_iter().enumerate().take(4) {
        answer(&app, &member, &attempt, &exercises.ids[index], right).await;
    }
    // Exercise 4 answered, but never right.
    answer(&app, &member, &attempt, &exercises.ids[4], exercises.wrong_answers()[4].clone()).await;

    let path = format!("/api/v1/attempts/{attempt}/complete");
    let completed: Value = app.send_as(&member, Method::POST, &path, None).await.json().await.unwrap();
    assert_eq!(completed["score"], 80, "4 of 5 right");
    assert_eq!(completed["xp_awarded"], 10 + 3, "completion + 3 first-try answers");
    assert_eq!(completed["streak"]["current"], 1);
    assert_eq!(completed["mastery"], json!([]), "one exercise was never answered right");
    assert!(!completed["next_lessons"].as_array().unwrap().iter().any(|l| l["id"] == lesson.as_str()));
    assert_problem(
        app.send_as(&member, Method::POST, &path, None).await,
        StatusCode::CONFLICT,
        "attempt_completed",
    )
    .await;
    let late = answer(&app, &member, &attempt, &exercises.ids[4], json!({"text": "x"})).await;
    assert_problem(late, StatusCode::CONFLICT, "attempt_completed").await;

    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!((progress["xp_total"].as_i64(), progress["today_xp"].as_i64()), (Some(13), Some(13)));
    assert_eq!(
        (progress["lessons_completed"].as_i64(), progress["daily_goal_xp"].as_i64()),
        (Some(1), Some(20))
    );
    assert_eq!(progress["streak"]["current"], 1);
}

#[tokio::test]
async fn another_members_attempt_is_not_found() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let awa = app.member("Awa").await;
    let binta = app.member("Binta").await;
    let exercises = Exercises::of(&app, &awa, &lesson).await;
    let attempt = start(&app, &awa, &lesson).await;
    let theirs = answer(&app, &binta, &attempt, &exercises.ids[2], json!({"value": false})).await;
    assert_problem(theirs, StatusCode::NOT_FOUND, "not_found").await;
    let complete =
        app.send_as(&binta, Method::POST, &format!("/api/v1/attempts/{attempt}/complete"), None).await;
    assert_problem(complete, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_retried_post_with_the_same_idempotency_key_counts_once() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    let post = |path: String, body: Value, key: &'static str| {
        app.request(Method::POST, &path)
            .bearer_auth(&member.access_token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let body = json!({"exercise_id": exercises.ids[2], "answer": {"value": true}});
    let answers = format!("/api/v1/attempts/{attempt}/answers");
    let first = post(answers.clone(), body.clone(), "answer-1").await.unwrap();
    let first_body: Value = first.json().await.unwrap();
    let retry = post(answers.clone(), body.clone(), "answer-1").await.unwrap();
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.json::<Value>().await.unwrap(), first_body);
    let exercise_id = exercises.ids[2].parse::<uuid::Uuid>().unwrap();
    let row = attempt_answer::Entity::find_by_id((attempt.parse().unwrap(), exercise_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.tries, 1, "the retry changed nothing");

    let other = json!({"exercise_id": exercises.ids[2], "answer": {"value": false}});
    let reused = post(answers.clone(), other, "answer-1").await.unwrap();
    assert_problem(reused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    for (index, right) in exercises.right_answers().into_iter().enumerate() {
        answer(&app, &member, &attempt, &exercises.ids[index], right).await;
    }
    let complete = format!("/api/v1/attempts/{attempt}/complete");
    let done: Value = post(complete.clone(), json!(null), "complete-1").await.unwrap().json().await.unwrap();
    let again = post(complete.clone(), json!(null), "complete-1").await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "a replay, not a second completion");
    assert_eq!(again.json::<Value>().await.unwrap(), done);
    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!(progress["xp_total"], done["xp_awarded"]);

    // The same key and body while the first request is still running.
    let fingerprint = {
        use sha2::Digest;
        let mut hash = sha2::Sha256::new();
        hash.update(format!("POST {answers}\n").as_bytes());
        hash.update(serde_json::to_vec(&body).unwrap());
        hex::encode(hash.finalize())
    };
    entity::idempotency_record::ActiveModel {
        user_id: Set(member.id),
        key: Set("in-flight".into()),
        request_hash: Set(fingerprint),
        response_status: Set(None),
        response_body: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let busy = post(answers, body, "in-flight").await.unwrap();
    assert_problem(busy, StatusCode::CONFLICT, "idempotency_in_progress").await;
}

#[tokio::test]
async fn drafts_are_invisible_to_members() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let member = app.member("Awa").await;
    let body = lesson_body(&skill_id(&app).await);
    let draft: Value =
        app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await.json().await.unwrap();
    let id = draft["id"].as_str().unwrap();
    assert_eq!(draft["status"], "draft");
    let listed = app.get_as(&member, "/api/v1/lessons?limit=100").await.text().await.unwrap();
    assert!(!listed.contains(id));
    assert_problem(
        app.get_as(&member, &format!("/api/v1/lessons/{id}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let attempt = app.send_as(&member, Method::POST, &format!("/api/v1/lessons/{id}/attempts"), None).await;
    assert_problem(attempt, StatusCode::NOT_FOUND, "not_found").await;
    let authors_list = app.get_as(&author, "/api/v1/lessons?limit=100").await.text().await.unwrap();
    assert!(authors_list.contains(id));
    let forbidden = app.send_as(&member, Method::POST, "/api/v1/lessons", Some(&body)).await;
    assert_problem(forbidden, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn an_attempt_keeps_the_version_it_started_on() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let v1 = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;

    let mut edited = lesson_body(&skill_id(&app).await)["exercises"].clone();
    edited[2]["statement_is_true"] = json!(true);
    edited[2]["prompt"] = json!("Vrai ou faux : un mot de passe se garde pour soi.");
    let patched = app
        .send_as(
            &author,
            Method::PATCH,
            &format!("/api/v1/lessons/{lesson}"),
            Some(&json!({"exercises": edited})),
        )
        .await;
    assert_eq!(patched.json::<Value>().await.unwrap()["version"], 2);

    // The running attempt still grades against version 1.
    let graded: Value =
        answer(&app, &member, &attempt, &v1.ids[2], json!({"value": false})).await.json().await.unwrap();
    assert_eq!(graded["correct"], true);
    let fresh: Value = app
        .send_as(&member, Method::POST, &format!("/api/v1/lessons/{lesson}/attempts"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["lesson_version"], 2);
    let v2 = Exercises::of(&app, &member, &lesson).await;
    assert_ne!(v1.ids[2], v2.ids[2]);
    let graded: Value =
        answer(&app, &member, fresh["id"].as_str().unwrap(), &v2.ids[2], json!({"value": true}))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(graded["correct"], true);
}

#[tokio::test]
async fn invalid_exercises_are_422_with_field_paths() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let skill = skill_id(&app).await;
    let cases = [
        (json!({"kind": "essay", "prompt": "?", "explanation": "."}), "exercises[0].kind"),
        (
            json!({"kind": "true_false", "prompt": "?", "explanation": ".", "statement_is_true": true,
                "image_url": "https://example.org/photo.png"}),
            "exercises[0].image_alt",
        ),
        (
            json!({"kind": "single_choice", "prompt": "?", "explanation": ".", "choices": []}),
            "exercises[0].choices",
        ),
    ];
    for (exercise, field) in cases {
        let mut body = lesson_body(&skill);
        body["exercises"] = json!([exercise]);
        let response = app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

#[tokio::test]
async fn streaks_follow_learning_days_with_one_repair_per_week() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let today = api::lessons::streak::local_day(Utc::now(), chrono_tz::Europe::Paris);
    let learn = |days_ago: i64| learning_day::ActiveModel {
        user_id: Set(member.id),
        day: Set(today - Duration::days(days_ago)),
        xp: Set(10),
    };
    // Active 5 and 4 days ago, missed 3 days ago (repaired), active 2 days ago, yesterday and today.
    for days_ago in [5, 4, 2, 1, 0] {
        learn(days_ago).insert(&app.db).await.unwrap();
    }
    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!(progress["streak"]["current"], 6, "{progress}");
    assert_eq!(progress["streak"]["repaired_days"], json!([(today - Duration::days(3)).to_string()]));

    // A second gap in the same week breaks the chain.
    let binta = app.member("Binta").await;
    for days_ago in [6, 4, 2, 1] {
        learning_day::ActiveModel {
            user_id: Set(binta.id),
            day: Set(today - Duration::days(days_ago)),
            xp: Set(5),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let progress: Value = app.get_as(&binta, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!(progress["streak"]["current"], 2, "{progress}");
    assert_eq!(progress["streak"]["longest"], 3);
}

#[tokio::test]
async fn the_learning_day_is_the_members_own_day() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let member = app.member("Loin").await;
        app.send_as(&member, Method::PATCH, "/api/v1/me", Some(&json!({"timezone": zone}))).await;
        let attempt = start(&app, &member, &lesson).await;
        let exercises = Exercises::of(&app, &member, &lesson).await;
        for (index, wrong) in exercises.wrong_answers().into_iter().enumerate() {
            answer(&app, &member, &attempt, &exercises.ids[index], wrong).await;
        }
        app.send_as(&member, Method::POST, &format!("/api/v1/attempts/{attempt}/complete"), None).await;
        let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
        let local = api::lessons::streak::local_day(Utc::now(), zone.parse().unwrap());
        assert_eq!(progress["today"], local.to_string(), "{zone}");
        assert_eq!(progress["today_xp"], 10, "{zone}");
    }
}

#[tokio::test]
async fn completing_needs_every_exercise_answered_and_counts_nothing_before() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    let path = format!("/api/v1/attempts/{attempt}/complete");

    let none = app.send_as(&member, Method::POST, &path, None).await;
    let problem = assert_problem(none, StatusCode::CONFLICT, "attempt_incomplete").await;
    assert_eq!(problem["missing_exercise_ids"], json!(exercises.ids), "in lesson order");
    for (index, right) in exercises.right_answers().into_iter().enumerate().take(3) {
        answer(&app, &member, &attempt, &exercises.ids[index], right).await;
    }
    let some = app.send_as(&member, Method::POST, &path, None).await;
    let problem = assert_problem(some, StatusCode::CONFLICT, "attempt_incomplete").await;
    assert_eq!(problem["missing_exercise_ids"], json!(exercises.ids[3..]));
    let progress: Value = app.get_as(&member, "/api/v1/me/progress").await.json().await.unwrap();
    assert_eq!((progress["xp_total"].as_i64(), progress["today_xp"].as_i64()), (Some(0), Some(0)));
    assert_eq!(progress["streak"]["current"], 0);
    assert_eq!((progress["lessons_completed"].as_i64(), &progress["mastery"]), (Some(0), &json!([])));

    // Wrong first, then right: a free retry, and the lesson counts for mastery.
    answer(&app, &member, &attempt, &exercises.ids[3], exercises.wrong_answers()[3].clone()).await;
    for index in [3, 4] {
        answer(&app, &member, &attempt, &exercises.ids[index], exercises.right_answers()[index].clone())
            .await;
    }
    let completed = app.send_as(&member, Method::POST, &path, None).await;
    assert_eq!(completed.status(), StatusCode::OK);
    let completed: Value = completed.json().await.unwrap();
    assert_eq!((completed["score"].as_i64(), completed["xp_awarded"].as_i64()), (Some(100), Some(10 + 4)));
    assert_eq!(completed["mastery"][0]["level"], 2, "{completed}");
}

#[tokio::test]
async fn oversized_lists_and_texts_are_422_naming_the_field() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let skill = skill_id(&app).await;
    let long = |n: usize| "x".repeat(n);
    let nine_choices: Vec<Value> =
        (0..9).map(|i| json!({"text": format!("choix {i}"), "correct": i == 0})).collect();
    let cases = [
        (
            json!({"kind": "ordering", "prompt": "?", "explanation": ".", "items": ["un", long(301)]}),
            "exercises[0].items",
        ),
        (
            json!({"kind": "text_input", "prompt": "?", "explanation": ".", "accepted_answers": [long(501)]}),
            "exercises[0].accepted_answers",
        ),
        (
            json!({"kind": "single_choice", "prompt": "?", "explanation": ".", "choices": nine_choices}),
            "exercises[0].choices",
        ),
    ];
    for (exercise, field) in cases {
        let mut body = lesson_body(&skill);
        body["exercises"] = json!([exercise]);
        let response = app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let mut body = lesson_body(&skill);
    body["exercises"] = json!(vec![lesson_body(&skill)["exercises"][2].clone(); 31]);
    let response = app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "exercises");

    // A member's answer with more ids than any exercise has.
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let exercises = Exercises::of(&app, &member, &lesson).await;
    let attempt = start(&app, &member, &lesson).await;
    let ids: Vec<uuid::Uuid> = (0..51).map(|_| uuid::Uuid::now_v7()).collect();
    let response = answer(&app, &member, &attempt, &exercises.ids[1], json!({"choice_ids": ids})).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "answer");
}

#[tokio::test]
async fn anyone_reads_the_published_catalogue_without_an_account_but_never_an_answer_key() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let body = lesson_body(&skill_id(&app).await);
    let draft: Value =
        app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await.json().await.unwrap();
    let draft = draft["id"].as_str().unwrap();
    let member = app.member("Awa").await;

    let list = app.get("/api/v1/lessons?limit=100").await;
    assert_eq!(list.status(), StatusCode::OK);
    let list = list.text().await.unwrap();
    assert_no_answer_key(&list);
    assert!(list.contains(&lesson) && !list.contains(draft), "{list}");
    let as_member = app.get_as(&member, "/api/v1/lessons?limit=100").await.text().await.unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&list).unwrap(),
        serde_json::from_str::<Value>(&as_member).unwrap(),
        "a visitor sees what a member sees"
    );

    let detail = app.get(&format!("/api/v1/lessons/{lesson}")).await;
    assert_eq!(detail.status(), StatusCode::OK);
    let detail = detail.text().await.unwrap();
    assert_no_answer_key(&detail);
    let detail: Value = serde_json::from_str(&detail).unwrap();
    let ids: Vec<&str> =
        detail["exercises"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, Exercises::of(&app, &member, &lesson).await.ids, "the member's exercises");
    // Every starter lesson too.
    for item in serde_json::from_str::<Value>(&list).unwrap()["items"].as_array().unwrap() {
        let raw =
            app.get(&format!("/api/v1/lessons/{}", item["id"].as_str().unwrap())).await.text().await.unwrap();
        assert_no_answer_key(&raw);
    }

    for missing in [draft.to_owned(), uuid::Uuid::now_v7().to_string()] {
        assert_problem(
            app.get(&format!("/api/v1/lessons/{missing}")).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // A token that is sent is checked, as everywhere: a stale session is told so.
    for path in ["/api/v1/lessons".to_owned(), format!("/api/v1/lessons/{lesson}")] {
        let forged = app.request(Method::GET, &path).bearer_auth("not-a-jwt").send().await.unwrap();
        assert_problem(forged, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    // With a session, nothing changed: authors still see drafts and answers, members do not.
    let authors_list = app.get_as(&author, "/api/v1/lessons?limit=100").await.text().await.unwrap();
    assert!(authors_list.contains(draft));
    let authored = app.get_as(&author, &format!("/api/v1/lessons/{draft}")).await.text().await.unwrap();
    assert!(authored.contains("accepted_answers"), "{authored}");
    assert_problem(
        app.get_as(&member, &format!("/api/v1/lessons/{draft}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_public_catalogue_answers_304_when_unchanged() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    // The lesson has an ordering exercise: its items must come in a stable order for the ETag to hold.
    for path in ["/api/v1/lessons?limit=100".to_owned(), format!("/api/v1/lessons/{lesson}")] {
        let first = app.get(&path).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let unchanged = app.request(Method::GET, &path).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
}

/// Publishes (or leaves as a draft) a copy of `lesson_body` titled `title`; with `audio`, its first exercise has a recording.
async fn catalogue_lesson(
    app: &TestApp,
    author: &TestUser,
    title: &str,
    easy_read: bool,
    audio: bool,
    publish: bool,
) -> String {
    let mut body = lesson_body(&skill_id(app).await);
    body["title"] = json!(title);
    body["easy_read"] = json!(easy_read);
    if audio {
        body["exercises"][0]["audio_url"] = json!("https://example.org/consigne.mp3");
    }
    let created = app.send_as(author, Method::POST, "/api/v1/lessons", Some(&body)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    if publish {
        let published =
            app.send_as(author, Method::POST, &format!("/api/v1/lessons/{id}/publish"), None).await;
        assert_eq!(published.status(), StatusCode::OK);
    }
    id
}

/// Every id of a filtered list, following the cursors, each page at most `limit` long.
async fn listed(app: &TestApp, caller: Option<&TestUser>, query: &str, limit: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/lessons?{query}&limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let response = match caller {
            Some(caller) => app.get_as(caller, &path).await,
            None => app.get(&path).await,
        };
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page: Value = response.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        ids.extend(items.iter().map(|l| l["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(items.len(), limit, "a page before the last one is full: {path}");
                cursor = Some(next.to_owned());
            }
            None => return ids,
        }
    }
}

#[tokio::test]
async fn the_catalogue_filters_on_easy_read_and_audio_with_paging() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let a = catalogue_lesson(&app, &author, "Kiosque un", true, true, true).await;
    let b = catalogue_lesson(&app, &author, "Kiosque deux", false, true, true).await;
    let c = catalogue_lesson(&app, &author, "Kiosque trois", true, true, true).await;
    let d = catalogue_lesson(&app, &author, "Kiosque muet", false, false, true).await;
    let draft = catalogue_lesson(&app, &author, "Kiosque brouillon", true, true, false).await;
    // Published with a recording, then edited without: its published version has none.
    let edited = catalogue_lesson(&app, &author, "Kiosque ancien son", true, true, true).await;
    let silent = json!({"exercises": lesson_body(&skill_id(&app).await)["exercises"]});
    let patched =
        app.send_as(&author, Method::PATCH, &format!("/api/v1/lessons/{edited}"), Some(&silent)).await;
    assert_eq!(patched.json::<Value>().await.unwrap()["version"], 2);
    let member = app.member("Awa").await;

    // Pages of one filtered by SQL are full until the last (the starter lessons have no audio).
    assert_eq!(listed(&app, None, "has_audio=true", 2).await, [a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(listed(&app, None, "has_audio=true", 1).await, [a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(listed(&app, Some(&member), "has_audio=true", 2).await, [a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(listed(&app, None, "has_audio=false&q=kiosque", 1).await, [d.as_str(), edited.as_str()]);
    let silent_ones = listed(&app, None, "has_audio=false", 5).await;
    assert!(silent_ones.len() > 16 && !silent_ones.contains(&a) && silent_ones.contains(&edited));
    // Every starter lesson is easy to read.
    assert_eq!(listed(&app, None, "easy_read=false", 1).await, [b.as_str(), d.as_str()]);
    assert_eq!(
        listed(&app, None, "easy_read=true&q=kiosque", 2).await,
        [a.as_str(), c.as_str(), edited.as_str()]
    );
    assert_eq!(listed(&app, None, "easy_read=false&has_audio=true", 2).await, [b.as_str()]);
    let skill = skill_id(&app).await;
    let both = format!("easy_read=true&has_audio=true&skill_id={skill}&level=2");
    assert_eq!(listed(&app, None, &both, 1).await, [a.as_str(), c.as_str()]);
    assert!(listed(&app, None, &format!("has_audio=true&skill_id={skill}&level=3"), 2).await.is_empty());
    // Authors filter the versions they see, drafts included.
    assert_eq!(
        listed(&app, Some(&author), "has_audio=true&q=kiosque", 2).await,
        [a.as_str(), b.as_str(), c.as_str(), draft.as_str()]
    );

    let malformed = app.get("/api/v1/lessons?has_audio=maybe").await;
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_query").await;
}

#[tokio::test]
async fn ordering_items_never_come_in_the_right_order_and_keep_their_order() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let mut body = lesson_body(&skill_id(&app).await);
    // Two steps each: a plain shuffle would show the right order half the time.
    let steps = json!({"kind": "ordering", "prompt": "Dans l'ordre :", "explanation": "D'abord allumer.",
        "items": ["Allumer", "Déverrouiller"]});
    body["exercises"] = json!(vec![steps; 12]);
    let created: Value =
        app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    app.send_as(&author, Method::POST, &format!("/api/v1/lessons/{id}/publish"), None).await;

    let first: Value = app.get(&format!("/api/v1/lessons/{id}")).await.json().await.unwrap();
    for exercise in first["exercises"].as_array().unwrap() {
        assert_eq!(exercise["items"][0]["text"], "Déverrouiller", "{exercise}");
    }
    let member = app.member("Awa").await;
    let again: Value = app.get_as(&member, &format!("/api/v1/lessons/{id}")).await.json().await.unwrap();
    assert_eq!(again, first, "the same order at every request");
}

#[tokio::test]
async fn ordering_item_ids_say_nothing_about_the_right_order() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let mut body = lesson_body(&skill_id(&app).await);
    let right: Vec<String> = (1..=10).map(|step| format!("Étape {step}")).collect();
    body["exercises"] = json!([{"kind": "ordering", "prompt": "Dans l'ordre :", "explanation": "Une à une.", "items": right}]);
    let created: Value =
        app.send_as(&author, Method::POST, "/api/v1/lessons", Some(&body)).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    app.send_as(&author, Method::POST, &format!("/api/v1/lessons/{id}/publish"), None).await;

    let detail: Value = app.get(&format!("/api/v1/lessons/{id}")).await.json().await.unwrap();
    let mut items = detail["exercises"][0]["items"].as_array().unwrap().clone();
    items.sort_by_key(|item| item["id"].as_str().unwrap().to_owned());
    let by_id: Vec<&str> = items.iter().map(|item| item["text"].as_str().unwrap()).collect();
    assert_ne!(by_id, right, "sorting the items by id gives the answer away");
}

/// What a lesson tells people comes in their language: the account's,
/// whatever the browser asks for, French unless the account chose English.
#[tokio::test]
async fn lesson_texts_read_in_english_for_whoever_reads_english() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    speak_english(&app, &author).await;
    let auteur = app.user_with_role("Animatrice", Role::Facilitator).await;
    let mut body = lesson_body(&skill_id(&app).await);
    body["exercises"] = json!([
        {"kind": "ordering", "prompt": "?", "explanation": ".", "items": ["un", "x".repeat(301)]},
        {"kind": "single_choice", "prompt": "?", "explanation": ".", "choices": [
            {"text": "a", "correct": true}, {"text": "b", "correct": true}]},
    ]);
    let invalid = |writer: &TestUser, body: &Value| {
        app.request(Method::POST, "/api/v1/lessons")
            .bearer_auth(&writer.access_token)
            .header(reqwest::header::ACCEPT_LANGUAGE, "fr, en;q=0.5")
            .json(body)
            .send()
    };
    let messages = |problem: Value| -> Vec<(String, String)> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned()))
            .collect()
    };
    let english = invalid(&author, &body).await.unwrap();
    let english = assert_problem(english, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(english["detail"], "Some fields are not valid.");
    assert_eq!(
        messages(english),
        [("exercises[0].items".to_owned(), "At most 300 characters per item.".to_owned())]
    );
    let french = invalid(&auteur, &body).await.unwrap();
    let french = assert_problem(french, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        messages(french),
        [("exercises[0].items".to_owned(), "300 caractères au plus par élément.".to_owned())]
    );
    body["exercises"][0]["items"] = json!(["un", "deux"]);
    let english = invalid(&author, &body).await.unwrap();
    let english = assert_problem(english, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        messages(english),
        [("exercises[1].choices".to_owned(), "A single choice has exactly one right answer.".to_owned())]
    );
    let french = invalid(&auteur, &body).await.unwrap();
    let french = assert_problem(french, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        messages(french),
        [("exercises[1].choices".to_owned(), "Un choix unique a exactement une bonne réponse.".to_owned())]
    );

    let lesson = published_lesson(&app, &author).await;
    let cases = [
        (
            english_member(&app, "Sam").await,
            "Not quite. That's all right: read the explanation again and have another go.",
            "Well done, that's right!",
            "The answer does not have the shape expected for an exercise of kind true_false.",
        ),
        (
            app.member("Awa").await,
            "Pas tout à fait. Ce n'est pas grave : relisez l'explication et réessayez.",
            "Bravo, c'est juste !",
            "La réponse n'a pas la forme attendue pour un exercice de type true_false.",
        ),
    ];
    for (member, wrong_feedback, right_feedback, shape_message) in cases {
        let exercises = Exercises::of(&app, &member, &lesson).await;
        let attempt = start(&app, &member, &lesson).await;
        let wrong: Value = answer(&app, &member, &attempt, &exercises.ids[2], json!({"value": true}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(wrong["feedback"], wrong_feedback);
        let right: Value = answer(&app, &member, &attempt, &exercises.ids[2], json!({"value": false}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(right["feedback"], right_feedback);
        let shape = answer(&app, &member, &attempt, &exercises.ids[2], json!({"text": "faux"})).await;
        let problem = assert_problem(shape, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(
            (problem["errors"][0]["field"].as_str(), problem["errors"][0]["message"].as_str()),
            (Some("answer"), Some(shape_message))
        );
    }
}
