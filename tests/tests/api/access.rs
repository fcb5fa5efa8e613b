//! Access for people far from digital: accounts without email (username,
//! phone), accounts opened and rescued with a counsellor, temporary
//! passwords, password change and reset by mail through a real SMTP
//! listener, email verification, signing out everywhere.

use std::time::Duration;

use api::config::{Settings, SmtpUrl};
use chrono::Utc;
use entity::{Role, audit_log, outbound_message, retired_username, user};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use tests::smtp::{ReceivedMail, SmtpServer};
use tests::{TEST_PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};
use uuid::Uuid;

use crate::accompaniments::consented;

const NEW_PASSWORD: &str = "mon jardin fleuri en mai";

async fn login(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/login", &json!({"login": login, "password": password})).await
}

async fn login_ok(app: &TestApp, name: &str, password: &str) -> Value {
    let response = login(app, name, password).await;
    assert_eq!(response.status(), StatusCode::OK, "login of {name}");
    response.json().await.unwrap()
}

fn bearer(session: &Value) -> String {
    session["access_token"].as_str().unwrap().to_owned()
}

async fn get_with(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.request(Method::GET, path).bearer_auth(token).send().await.unwrap()
}

async fn post_with(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.request(Method::POST, path).bearer_auth(token).json(body).send().await.unwrap()
}

#[tokio::test]
async fn a_person_registers_without_email_and_signs_in_with_the_username_or_the_phone() {
    let app = spawn_app().await;
    let created = app.register(&json!({"password": TEST_PASSWORD, "display_name": "Amina Kaddour"})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let username = created["user"]["username"].as_str().unwrap().to_owned();
    assert!(username.starts_with("amina.k") && username.len() >= 9, "{username}");
    assert!(created["user"]["email"].is_null() && created["user"]["phone"].is_null());
    assert_eq!(created["password_change_required"], false);

    let session = login_ok(&app, &username.to_uppercase(), TEST_PASSWORD).await;
    assert_eq!(session["user"]["id"], created["user"]["id"]);
    assert_eq!(session["password_change_required"], false);

    let with_phone = app
        .register(&json!({"password": TEST_PASSWORD, "display_name": "Binta", "phone": "06 12 34 56 78"}))
        .await;
    assert_eq!(with_phone.status(), StatusCode::CREATED);
    let with_phone: Value = with_phone.json().await.unwrap();
    assert_eq!(with_phone["user"]["phone"], "+33612345678");
    for typed in ["0612345678", "+33 6 12 34 56 78", "06.12.34.56.78"] {
        assert_eq!(login_ok(&app, typed, TEST_PASSWORD).await["user"]["id"], with_phone["user"]["id"]);
    }
    // Older clients still send `email`.
    let legacy =
        app.post_json("/api/v1/auth/login", &json!({"email": username, "password": TEST_PASSWORD})).await;
    assert_eq!(legacy.status(), StatusCode::OK);

    let same_phone = app
        .register(&json!({"password": TEST_PASSWORD, "display_name": "Chloé", "phone": "+33612345678"}))
        .await;
    assert_problem(same_phone, StatusCode::CONFLICT, "phone_taken").await;
    let bad_phone =
        app.register(&json!({"password": TEST_PASSWORD, "display_name": "Chloé", "phone": "12"})).await;
    let problem = assert_problem(bad_phone, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "phone");
    assert_problem(
        login(&app, &username, "wrong password!").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn usernames_are_unique_and_an_erased_one_is_never_given_again() {
    let app = spawn_app().await;
    let mut names = std::collections::HashSet::new();
    for _ in 0..5 {
        let created: Value = app
            .register(&json!({"password": TEST_PASSWORD, "display_name": "Zoé Martin"}))
            .await
            .json()
            .await
            .unwrap();
        assert!(names.insert(created["user"]["username"].as_str().unwrap().to_owned()), "{names:?}");
    }

    let awa = app.member("Awa").await;
    let before = user::Entity::find_by_id(awa.id).one(&app.db).await.unwrap().unwrap().username;
    let erased =
        app.send_as(&awa, Method::DELETE, "/api/v1/me", Some(&json!({"password": TEST_PASSWORD}))).await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    let after = user::Entity::find_by_id(awa.id).one(&app.db).await.unwrap().unwrap().username;
    assert!(!after.contains("awa"), "{after}");
    let hash = api::accounts::usernames::retired_hash(&before);
    assert!(retired_username::Entity::find_by_id(hash).one(&app.db).await.unwrap().is_some());

    // Every two-digit name of a stem retired: the next one has three digits.
    for n in 10..100 {
        let model = retired_username::ActiveModel {
            username_hash: Set(api::accounts::usernames::retired_hash(&format!("yann.l{n}"))),
        };
        model.insert(&app.db).await.unwrap();
    }
    let next = api::accounts::usernames::available(&app.db, "Yann Le Goff").await.unwrap();
    assert!(next.starts_with("yann.l") && next.len() == "yann.l".len() + 3, "{next}");
}

/// What a counsellor's desk does: open the account, hand over the username
/// and the temporary password; the member changes it at once.
#[tokio::test]
async fn an_assisted_account_is_opened_at_the_desk_and_the_temporary_password_changed_first() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let opened = app
        .send_as(
            &counsellor,
            Method::POST,
            "/api/v1/assisted-accounts",
            Some(&json!({"display_name": "Moussa Diarra", "phone": "07 00 00 00 01", "consent_wording_version": "2026-11"})),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let opened: Value = opened.json().await.unwrap();
    let username = opened["username"].as_str().unwrap().to_owned();
    let temporary = opened["temporary_password"].as_str().unwrap().to_owned();
    assert_eq!(opened["user"]["username"], username.as_str());
    assert_eq!(opened["user"]["role"], "member");
    assert_eq!(opened["accompaniment"]["status"], "active");
    assert_eq!(opened["accompaniment"]["consent_wording_version"], "2026-11");
    assert_eq!(opened["accompaniment"]["consent_recorded_by"], counsellor.id.to_string());
    assert!(opened["accompaniment"]["consented_at"].is_string());
    let member_id: Uuid = opened["user"]["id"].as_str().unwrap().parse().unwrap();

    let session = login_ok(&app, &username, &temporary).await;
    assert_eq!(session["password_change_required"], true);
    let token = bearer(&session);
    for path in ["/api/v1/me", "/api/v1/me/progress", "/api/v1/lessons"] {
        assert_problem(get_with(&app, &token, path).await, StatusCode::FORBIDDEN, "password_change_required")
            .await;
    }
    let placement = post_with(&app, &token, "/api/v1/placement-tests", &json!({})).await;
    assert_problem(placement, StatusCode::FORBIDDEN, "password_change_required").await;

    let wrong = post_with(
        &app,
        &token,
        "/api/v1/me/password",
        &json!({"current_password": "not the one", "new_password": NEW_PASSWORD}),
    )
    .await;
    assert_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let same = post_with(
        &app,
        &token,
        "/api/v1/me/password",
        &json!({"current_password": temporary, "new_password": temporary}),
    )
    .await;
    assert_problem(same, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let changed = post_with(
        &app,
        &token,
        "/api/v1/me/password",
        &json!({"current_password": temporary, "new_password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(get_with(&app, &token, "/api/v1/me").await.status(), StatusCode::OK);
    assert_eq!(login_ok(&app, &username, NEW_PASSWORD).await["password_change_required"], false);
    assert_problem(login(&app, &username, &temporary).await, StatusCode::UNAUTHORIZED, "invalid_credentials")
        .await;

    // The counsellor follows the member from the start, with the consent taken in person.
    let journey = app.get_as(&counsellor, &format!("/api/v1/members/{member_id}/journey")).await;
    assert_eq!(journey.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_counsellors_open_assisted_accounts_with_the_current_wording() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let body = json!({"display_name": "Moussa", "consent_wording_version": "2026-11"});
    let by_member = app.send_as(&member, Method::POST, "/api/v1/assisted-accounts", Some(&body)).await;
    assert_problem(by_member, StatusCode::FORBIDDEN, "forbidden").await;
    let outdated = json!({"display_name": "Moussa", "consent_wording_version": "2020-01"});
    let refused = app.send_as(&counsellor, Method::POST, "/api/v1/assisted-accounts", Some(&outdated)).await;
    assert_problem(refused, StatusCode::CONFLICT, "consent_wording_outdated").await;
    let taken =
        json!({"display_name": "Moussa", "email": member.email, "consent_wording_version": "2026-11"});
    let taken = app.send_as(&counsellor, Method::POST, "/api/v1/assisted-accounts", Some(&taken)).await;
    assert_problem(taken, StatusCode::CONFLICT, "email_taken").await;
    assert_eq!(
        user::Entity::find().filter(user::Column::DisplayName.eq("Moussa")).count(&app.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn a_counsellor_with_consent_gives_a_temporary_password_and_every_session_ends() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let stranger = app.user_with_role("Lucie", Role::Counsellor).await;
    let path = format!("/api/v1/members/{}/password-reset", member.id);
    assert_problem(
        app.send_as(&stranger, Method::POST, &path, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(app.send_as(&member, Method::POST, &path, None).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    consented(&app, &counsellor, &member).await;

    let reset = app.send_as(&counsellor, Method::POST, &path, None).await;
    assert_eq!(reset.status(), StatusCode::OK);
    let reset: Value = reset.json().await.unwrap();
    let temporary = reset["temporary_password"].as_str().unwrap();
    let expires_at: chrono::DateTime<Utc> = reset["expires_at"].as_str().unwrap().parse().unwrap();
    assert!((expires_at - Utc::now() - chrono::Duration::days(7)).num_seconds().abs() < 60);

    assert_eq!(app.refresh(&member.refresh_token).await.status(), StatusCode::UNAUTHORIZED, "sessions end");
    assert_problem(
        login(&app, &member.email, TEST_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(login_ok(&app, &member.email, temporary).await["password_change_required"], true);
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::MemberId.eq(member.id))
        .filter(audit_log::Column::Action.eq("password.reset_by_counsellor"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_id, counsellor.id);
    // The access token still held now only lets the member change the password.
    assert_problem(
        app.get_as(&member, "/api/v1/me").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    let told = entity::notification::Entity::find()
        .filter(entity::notification::Column::UserId.eq(member.id))
        .filter(entity::notification::Column::Kind.eq("account.password_reset_by_counsellor"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn a_temporary_password_stops_working_after_seven_days() {
    let app = spawn_app().await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let body = json!({"display_name": "Moussa", "consent_wording_version": "2026-11"});
    let opened: Value = app
        .send_as(&counsellor, Method::POST, "/api/v1/assisted-accounts", Some(&body))
        .await
        .json()
        .await
        .unwrap();
    let id: Uuid = opened["user"]["id"].as_str().unwrap().parse().unwrap();
    let row = user::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let expiry = row.temporary_password_expires_at.unwrap();
    assert!((expiry - Utc::now() - chrono::Duration::days(7)).num_seconds().abs() < 60);
    let mut past: user::ActiveModel = row.into();
    past.temporary_password_expires_at = Set(Some(Utc::now() - chrono::Duration::seconds(1)));
    past.update(&app.db).await.unwrap();
    let late =
        login(&app, opened["username"].as_str().unwrap(), opened["temporary_password"].as_str().unwrap())
            .await;
    assert_problem(late, StatusCode::UNAUTHORIZED, "temporary_password_expired").await;
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let other = login_ok(&app, &member.email, TEST_PASSWORD).await;
    let changed = app
        .send_as(
            &member,
            Method::POST,
            "/api/v1/me/password",
            Some(&json!({"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.refresh(&member.refresh_token).await.status(), StatusCode::OK, "this session goes on");
    let ended = app.refresh(other["refresh_token"].as_str().unwrap()).await;
    assert_eq!(ended.status(), StatusCode::UNAUTHORIZED, "the other one ends");

    let everywhere = app.send_as(&member, Method::POST, "/api/v1/auth/logout-all", None).await;
    assert_eq!(everywhere.status(), StatusCode::NO_CONTENT);
    let fresh = login_ok(&app, &member.email, NEW_PASSWORD).await;
    assert_eq!(app.refresh(fresh["refresh_token"].as_str().unwrap()).await.status(), StatusCode::OK);
}

fn mailing(smtp: &SmtpServer) -> impl FnOnce(&mut Settings) + use<> {
    let url = SmtpUrl::parse(&smtp.url).unwrap();
    move |settings: &mut Settings| {
        settings.mail.smtp_url = Some(url);
        settings.mail.poll_interval = Duration::from_millis(50);
        settings.mail.app_url = "https://app.example.org".into();
    }
}

/// The token of the link `https://app.example.org/<path>?token=...` in a mail.
fn token_in(mail: &ReceivedMail, path: &str) -> String {
    let text = mail.decoded();
    let prefix = format!("https://app.example.org/{path}?token=");
    let start = text.find(&prefix).unwrap_or_else(|| panic!("no {path} link in {text}")) + prefix.len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

async fn mail_to(smtp: &SmtpServer, recipient: &str, nth: usize) -> ReceivedMail {
    for _ in 0..200 {
        let mails: Vec<_> = smtp.received().into_iter().filter(|m| m.to == [recipient]).collect();
        if mails.len() > nth {
            return mails[nth].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail number {nth} to {recipient}: {:?}", smtp.received());
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_mail_once_the_address_is_confirmed() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(mailing(&smtp), |_| {}).await;
    let member = app.member("Awa").await;

    // Not confirmed yet: no reset mail.
    let asked = app.post_json("/api/v1/auth/password-reset", &json!({"login": member.email})).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let verification = mail_to(&smtp, &member.email, 0).await;
    assert_eq!(verification.header("Subject").as_deref(), Some("Confirmer votre adresse email"));
    let verify_token = token_in(&verification, "verify-email");
    assert_eq!(
        app.post_json("/api/v1/auth/verify-email", &json!({"token": verify_token})).await.status(),
        StatusCode::NO_CONTENT
    );
    let again = app.post_json("/api/v1/auth/verify-email", &json!({"token": verify_token})).await;
    assert_problem(again, StatusCode::BAD_REQUEST, "invalid_verification_token").await;
    assert_eq!(
        app.get_as(&member, "/api/v1/me").await.json::<Value>().await.unwrap()["email_verified"],
        true
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 1, "the reset asked before the confirmation sent nothing");

    let asked =
        app.post_json("/api/v1/auth/password-reset", &json!({"login": member.email.to_uppercase()})).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let reset_mail = mail_to(&smtp, &member.email, 1).await;
    assert_eq!(reset_mail.header("Subject").as_deref(), Some("Choisir un nouveau mot de passe"));
    let token = token_in(&reset_mail, "password-reset");

    let confirm = json!({"token": token, "new_password": NEW_PASSWORD});
    assert_eq!(
        app.post_json("/api/v1/auth/password-reset/confirm", &confirm).await.status(),
        StatusCode::NO_CONTENT
    );
    let twice = app.post_json("/api/v1/auth/password-reset/confirm", &confirm).await;
    assert_problem(twice, StatusCode::BAD_REQUEST, "invalid_reset_token").await;
    assert_eq!(app.refresh(&member.refresh_token).await.status(), StatusCode::UNAUTHORIZED, "sessions end");
    login_ok(&app, &member.email, NEW_PASSWORD).await;
    assert_problem(
        login(&app, &member.email, TEST_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn an_expired_reset_link_no_longer_works() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(mailing(&smtp), |_| {}).await;
    let member = app.member("Awa").await;
    let mut row: user::ActiveModel =
        user::Entity::find_by_id(member.id).one(&app.db).await.unwrap().unwrap().into();
    row.email_verified_at = Set(Some(Utc::now()));
    row.update(&app.db).await.unwrap();
    app.post_json("/api/v1/auth/password-reset", &json!({"login": member.email})).await;
    let token = token_in(&mail_to(&smtp, &member.email, 1).await, "password-reset");
    entity::account_token::Entity::update_many()
        .col_expr(entity::account_token::Column::ExpiresAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .exec(&app.db)
        .await
        .unwrap();
    let late = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_problem(late, StatusCode::BAD_REQUEST, "invalid_reset_token").await;
}

/// Nothing in the answer tells whether an account exists.
#[tokio::test]
async fn reset_requests_for_known_and_unknown_logins_look_the_same() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    let mut row: user::ActiveModel =
        user::Entity::find_by_id(member.id).one(&app.db).await.unwrap().unwrap().into();
    row.email_verified_at = Set(Some(Utc::now()));
    row.update(&app.db).await.unwrap();
    let mut answers = Vec::new();
    for login in [member.email.as_str(), "nobody@example.org", "nobody.x42", "06 99 99 99 99"] {
        let response = app.post_json("/api/v1/auth/password-reset", &json!({"login": login})).await;
        let mut headers: Vec<String> = response
            .headers()
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id"))
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
            .collect();
        headers.sort();
        answers.push((response.status(), headers, response.text().await.unwrap()));
    }
    assert!(answers.iter().all(|answer| answer == &answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, StatusCode::ACCEPTED);
    // The known, confirmed account got its mail (waiting: no relay here).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let resets = outbound_message::Entity::find()
        .filter(outbound_message::Column::Kind.eq("password_reset"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(resets.len(), 1);
    assert_eq!(resets[0].user_id, Some(member.id));
}

#[tokio::test]
async fn a_new_email_must_be_confirmed_again() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(mailing(&smtp), |_| {}).await;
    let member = app.member("Awa").await;
    let old_token = token_in(&mail_to(&smtp, &member.email, 0).await, "verify-email");
    let wrong = json!({"current_password": "not the one", "email": "awa.new@example.org"});
    let wrong = app.send_as(&member, Method::PATCH, "/api/v1/me/identifiers", Some(&wrong)).await;
    assert_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let body = json!({"current_password": TEST_PASSWORD, "email": "awa.new@example.org"});
    let changed = app.send_as(&member, Method::PATCH, "/api/v1/me/identifiers", Some(&body)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(
        (changed["email"].as_str(), changed["email_verified"].as_bool()),
        (Some("awa.new@example.org"), Some(false))
    );
    let stale = app.post_json("/api/v1/auth/verify-email", &json!({"token": old_token})).await;
    assert_problem(stale, StatusCode::BAD_REQUEST, "invalid_verification_token").await;
    let token = token_in(&mail_to(&smtp, "awa.new@example.org", 0).await, "verify-email");
    assert_eq!(
        app.post_json("/api/v1/auth/verify-email", &json!({"token": token})).await.status(),
        StatusCode::NO_CONTENT
    );
    let other = app.member("Binta").await;
    let taken = json!({"current_password": TEST_PASSWORD, "email": "awa.new@example.org"});
    let taken = app.send_as(&other, Method::PATCH, "/api/v1/me/identifiers", Some(&taken)).await;
    assert_problem(taken, StatusCode::CONFLICT, "email_taken").await;
    let removal = json!({"current_password": TEST_PASSWORD, "email": "", "phone": "0611223344"});
    let removed = app.send_as(&other, Method::PATCH, "/api/v1/me/identifiers", Some(&removal)).await;
    let removed: Value = removed.json().await.unwrap();
    assert!(removed["email"].is_null());
    assert_eq!(removed["phone"], "+33611223344");
}
