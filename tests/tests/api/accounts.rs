//! Registration, login, tokens, roles and profile through real HTTP.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{TEST_JWT_SECRET, TEST_PASSWORD, TestUser, assert_problem, spawn_app, spawn_app_with};

fn registration(email: &str) -> Value {
    json!({"email": email, "password": TEST_PASSWORD, "display_name": "Awa"})
}

#[tokio::test]
async fn registration_creates_a_member_whatever_the_body_says() {
    let app = spawn_app().await;
    let mut body = registration("  Awa.Diallo@Example.ORG ");
    body["role"] = json!("admin");
    body["locale"] = json!("en");
    let response = app.register(&body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "member");
    assert_eq!(body["user"]["email"], "awa.diallo@example.org");
    assert_eq!(body["user"]["locale"], "en");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(location, format!("/api/v1/users/{}", body["user"]["id"].as_str().unwrap()));

    let me = app
        .request(Method::GET, "/api/v1/me")
        .bearer_auth(body["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.json::<Value>().await.unwrap()["email"], "awa.diallo@example.org");
}

#[tokio::test]
async fn invalid_registrations_are_422_with_field_paths() {
    let app = spawn_app().await;
    let cases = [
        (json!({"email": "not-an-email", "password": TEST_PASSWORD, "display_name": "A"}), "email"),
        (json!({"email": "a@example.org", "password": "ééééééééé", "display_name": "A"}), "password"),
        (json!({"email": "a@example.org", "password": "x".repeat(129), "display_name": "A"}), "password"),
        (json!({"email": "a@example.org", "password": TEST_PASSWORD, "display_name": "  "}), "display_name"),
        (
            json!({"email": "a@example.org", "password": TEST_PASSWORD, "display_name": "A", "locale": "français"}),
            "locale",
        ),
    ];
    for (body, field) in cases {
        let problem =
            assert_problem(app.register(&body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
                .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    assert_problem(
        app.register(&json!({"email": "a@example.org"})).await,
        StatusCode::BAD_REQUEST,
        "malformed_body",
    )
    .await;
}

#[tokio::test]
async fn an_email_registers_once_whatever_its_case() {
    let app = spawn_app().await;
    assert_eq!(app.register(&registration("awa@example.org")).await.status(), StatusCode::CREATED);
    assert_problem(app.register(&registration("AWA@example.org")).await, StatusCode::CONFLICT, "email_taken")
        .await;
}

#[tokio::test]
async fn passwords_are_unicode_and_never_truncated() {
    let app = spawn_app().await;
    let long: String = "é".repeat(127) + "!";
    let body = json!({"email": "long@example.org", "password": long, "display_name": "Long"});
    assert_eq!(app.register(&body).await.status(), StatusCode::CREATED);
    let truncated: String = long.chars().take(127).collect();
    assert_eq!(app.login("long@example.org", &truncated).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("long@example.org", &long).await.status(), StatusCode::OK);
    assert_eq!(app.login(" LONG@example.org ", &long).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let wrong_password = assert_problem(
        app.login(&awa.email, "wrong password!").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_problem(
        app.login("nobody@example.org", TEST_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("request_id");
        v
    };
    assert_eq!(strip(wrong_password), strip(unknown));
}

#[tokio::test]
async fn repeated_failures_are_throttled_then_recover() {
    let app = spawn_app_with(
        |s| {
            s.login_max_failures = 3;
            s.login_window = Duration::from_secs(2);
        },
        |_| {},
    )
    .await;
    let awa = app.member("Awa").await;
    for _ in 0..3 {
        assert_eq!(app.login(&awa.email, "wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits until the window has passed.
    let throttled = app.login(&awa.email, TEST_PASSWORD).await;
    let retry_after: u64 = throttled.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry_after), "Retry-After {retry_after}");
    assert_problem(throttled, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    // Another account from the same address is not blocked by the account limit.
    let binta = app.member("Binta").await;
    assert_eq!(app.login(&binta.email, TEST_PASSWORD).await.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(app.login(&awa.email, TEST_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_address_failing_on_many_accounts_is_throttled() {
    let app = spawn_app_with(|s| s.login_max_failures = 2, |_| {}).await;
    // 2 failures per account × 4 accounts reach the address limit (4 × 2).
    for n in 0..4 {
        for _ in 0..2 {
            assert_eq!(
                app.login(&format!("ghost{n}@example.org"), "wrong password!").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
    }
    assert_problem(
        app.login("ghost9@example.org", "wrong password!").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    )
    .await;
}

#[tokio::test]
async fn concurrent_wrong_logins_reach_the_password_check_at_most_five_times() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let arrivals = AtomicUsize::new(0);
    let attempts = (0..40).map(|_| async {
        let response = app.login(&awa.email, "wrong password!").await;
        let order = arrivals.fetch_add(1, Ordering::SeqCst);
        let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
        (order, response.status(), retry_after)
    });
    let mut answers = futures_util::future::join_all(attempts).await;
    answers.sort_by_key(|(order, ..)| *order);
    let unauthorized = answers.iter().filter(|(_, status, _)| *status == StatusCode::UNAUTHORIZED).count();
    let before_first_429 =
        answers.iter().take_while(|(_, status, _)| *status != StatusCode::TOO_MANY_REQUESTS).count();
    eprintln!("40 concurrent wrong logins: {unauthorized} × 401 ({before_first_429} before the first 429)");
    assert!(unauthorized <= 5, "{unauthorized} wrong logins reached the password check");
    for (_, status, retry_after) in
        answers.iter().filter(|(_, status, _)| *status != StatusCode::UNAUTHORIZED)
    {
        assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
        let seconds: u64 = retry_after.as_deref().expect("Retry-After").parse().unwrap();
        assert!((1..=900).contains(&seconds), "Retry-After {seconds}");
    }
    // Later attempts, right password included, wait too.
    let throttled = app.login(&awa.email, TEST_PASSWORD).await;
    assert_problem(throttled, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
}

#[tokio::test]
async fn an_already_used_email_costs_as_much_time_as_a_new_account() {
    let app = spawn_app().await;
    assert_eq!(app.register(&registration("awa@example.org")).await.status(), StatusCode::CREATED);
    let timed = |body: Value| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let status = app.register(&body).await.status();
            (status, started.elapsed())
        }
    };
    let (mut new, mut taken) = (Vec::new(), Vec::new());
    for n in 0..5 {
        let (status, elapsed) = timed(registration(&format!("new{n}@example.org"))).await;
        assert_eq!(status, StatusCode::CREATED);
        new.push(elapsed);
        let (status, elapsed) = timed(registration("awa@example.org")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        taken.push(elapsed);
    }
    new.sort();
    taken.sort();
    // A password hash dominates both; without it a taken email answers ten times faster.
    assert!(taken[2] * 3 >= new[2], "taken {taken:?} vs new {new:?}");
}

/// A wrong login for a fresh account, sent with a forwarding header.
async fn wrong_login_via(app: &tests::TestApp, n: usize, header: (&str, &str)) -> StatusCode {
    app.request(Method::POST, "/api/v1/auth/login")
        .header(header.0, header.1)
        .json(&json!({"email": format!("ghost{n}@example.org"), "password": "wrong password!"}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_forwarded_client_address_counts_only_behind_a_trusted_proxy() {
    // One failure per account, so four per address.
    let direct = spawn_app_with(|s| s.login_max_failures = 1, |_| {}).await;
    for n in 0..4 {
        let forged = ("X-Forwarded-For", &*format!("198.51.100.{n}"));
        assert_eq!(wrong_login_via(&direct, n, forged).await, StatusCode::UNAUTHORIZED);
    }
    // The peer is no proxy of ours: its header is ignored, the peer is throttled.
    let forged = ("X-Forwarded-For", "198.51.100.99");
    assert_eq!(wrong_login_via(&direct, 9, forged).await, StatusCode::TOO_MANY_REQUESTS);

    let proxied = spawn_app_with(
        |s| {
            s.login_max_failures = 1;
            s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        },
        |_| {},
    )
    .await;
    let client = ("X-Forwarded-For", "203.0.113.7");
    for n in 0..4 {
        assert_eq!(wrong_login_via(&proxied, n, client).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(wrong_login_via(&proxied, 4, client).await, StatusCode::TOO_MANY_REQUESTS);
    // The same client through `Forwarded`, or prefixing a forged hop, is still itself.
    let forwarded = ("Forwarded", r#"for="203.0.113.7:4711";proto=https"#);
    assert_eq!(wrong_login_via(&proxied, 5, forwarded).await, StatusCode::TOO_MANY_REQUESTS);
    let prefixed = ("X-Forwarded-For", "198.51.100.1, 203.0.113.7");
    assert_eq!(wrong_login_via(&proxied, 6, prefixed).await, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy has its own count.
    let other = ("X-Forwarded-For", "203.0.113.8");
    assert_eq!(wrong_login_via(&proxied, 7, other).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn registrations_are_throttled_per_client_address() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = spawn_app_with(|s| s.register_per_hour = 3, |_| {}).await;
    assert_eq!(app.register(&registration("awa@example.org")).await.status(), StatusCode::CREATED);
    assert_eq!(app.register(&registration("binta@example.org")).await.status(), StatusCode::CREATED);
    // A taken email counts too: probing addresses costs the same.
    assert_problem(app.register(&registration("awa@example.org")).await, StatusCode::CONFLICT, "email_taken")
        .await;
    let throttled = app.register(&registration("chloe@example.org")).await;
    let retry_after: u64 = throttled.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&retry_after), "Retry-After {retry_after}");
    assert_problem(throttled, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert_eq!(entity::user::Entity::find().count(&app.db).await.unwrap(), 2);
    // Logins are not registrations.
    assert_eq!(app.login("awa@example.org", TEST_PASSWORD).await.status(), StatusCode::OK);
}

async fn erase_me(app: &tests::TestApp, user: &TestUser, body: Option<Value>) -> reqwest::Response {
    app.send_as(user, Method::DELETE, "/api/v1/me", body.as_ref()).await
}

#[tokio::test]
async fn erasing_my_account_needs_my_password() {
    let app = spawn_app_with(|s| s.login_max_failures = 2, |_| {}).await;
    let awa = app.member("Awa").await;
    let erase = |body: Option<Value>| erase_me(&app, &awa, body);
    for body in [None, Some(json!({}))] {
        let problem =
            assert_problem(erase(body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "password", "{problem}");
    }
    let wrong = erase(Some(json!({"password": "not my password"}))).await;
    assert_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(app.get_as(&awa, "/api/v1/me").await.status(), StatusCode::OK, "still there");
    assert_eq!(erase(Some(json!({"password": TEST_PASSWORD}))).await.status(), StatusCode::NO_CONTENT);
    assert_problem(app.get_as(&awa, "/api/v1/me").await, StatusCode::UNAUTHORIZED, "invalid_token").await;

    // A stolen access token does not give unlimited password guesses.
    let binta = app.member("Binta").await;
    let guess = || erase_me(&app, &binta, Some(json!({"password": "guess guess"})));
    for _ in 0..2 {
        assert_problem(guess().await, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    assert_problem(guess().await, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
}

fn forged(claims: Value, secret: &str) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    encode(&Header::default(), &claims, &EncodingKey::from_secret(secret.as_bytes()).unwrap()).unwrap()
}

#[tokio::test]
async fn invalid_access_tokens_are_401() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let now = chrono::Utc::now().timestamp();
    let claims = |overrides: Value| {
        let mut claims = json!({"sub": awa.id, "iss": "tremplin", "aud": "tremplin-api", "iat": now, "nbf": now, "exp": now + 900, "typ": "access"});
        for (key, value) in overrides.as_object().unwrap() {
            claims[key] = value.clone();
        }
        claims
    };
    let get_me = |token: String| app.request(Method::GET, "/api/v1/me").bearer_auth(token).send();
    assert_eq!(get_me(forged(claims(json!({})), TEST_JWT_SECRET)).await.unwrap().status(), StatusCode::OK);

    let mut tampered = awa.access_token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let none_token = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(json!({})).to_string())
    );
    let cases = [
        (
            "expired",
            forged(claims(json!({"exp": now - 3600, "nbf": now - 7200, "iat": now - 7200})), TEST_JWT_SECRET),
        ),
        ("wrong audience", forged(claims(json!({"aud": "another-api"})), TEST_JWT_SECRET)),
        ("wrong issuer", forged(claims(json!({"iss": "someone-else"})), TEST_JWT_SECRET)),
        ("wrong key", forged(claims(json!({})), "another-secret-another-secret-another")),
        ("tampered", tampered),
        ("alg none", none_token),
        ("garbage", "garbage".into()),
    ];
    for (case, token) in cases {
        let response = get_me(token).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    let anonymous = app.get("/api/v1/me").await;
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reuse_revokes_the_family() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let rotated: Value = app.refresh(&awa.refresh_token).await.json().await.unwrap();
    let second = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, awa.refresh_token);
    let access = rotated["access_token"].as_str().unwrap();
    assert_eq!(
        app.request(Method::GET, "/api/v1/me").bearer_auth(access).send().await.unwrap().status(),
        StatusCode::OK
    );

    // The first token was stolen and replayed: 401, and the live sibling dies too.
    assert_problem(app.refresh(&awa.refresh_token).await, StatusCode::UNAUTHORIZED, "refresh_token_reused")
        .await;
    assert_problem(app.refresh(&second).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;

    // Another session of the same person is not affected.
    let other: Value = app.login(&awa.email, TEST_PASSWORD).await.json().await.unwrap();
    assert_eq!(app.refresh(other["refresh_token"].as_str().unwrap()).await.status(), StatusCode::OK);
    assert_problem(app.refresh("made-up").await, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_let_at_most_one_through() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let attempts = (0..5).map(|_| app.refresh(&awa.refresh_token));
    let statuses: Vec<StatusCode> =
        futures_util::future::join_all(attempts).await.iter().map(|r| r.status()).collect();
    assert!(statuses.iter().filter(|s| **s == StatusCode::OK).count() <= 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let logout = app
        .send_as(
            &awa,
            Method::POST,
            "/api/v1/auth/logout",
            Some(&json!({"refresh_token": awa.refresh_token})),
        )
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_problem(app.refresh(&awa.refresh_token).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token")
        .await;
}

#[tokio::test]
async fn every_role_but_admin_is_forbidden_on_admin_routes() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let target = app.member("Target").await;
    let routes = [
        (Method::GET, "/api/v1/users".to_owned(), None),
        (Method::PATCH, format!("/api/v1/users/{}", target.id), Some(json!({"role": "counsellor"}))),
    ];
    for role in [Role::Member, Role::Counsellor, Role::Facilitator] {
        let user = app.user_with_role(&format!("{role:?}"), role).await;
        for (method, path, body) in &routes {
            let response = app.send_as(&user, method.clone(), path, body.as_ref()).await;
            assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    for (method, path, body) in &routes {
        let mut request = app.request(method.clone(), path);
        if let Some(body) = body {
            request = request.json(body);
        }
        assert_eq!(request.send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(
            app.send_as(&admin, method.clone(), path, body.as_ref()).await.status(),
            StatusCode::OK,
            "{method} {path}"
        );
    }
}

async fn page(app: &tests::TestApp, admin: &TestUser, path: &str) -> Value {
    let response = app.get_as(admin, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn admins_list_filter_and_page_accounts() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    for name in ["Awa", "Binta", "Chloé"] {
        app.member(name).await;
    }
    app.user_with_role("Conseillère", Role::Counsellor).await;

    let counsellors = page(&app, &admin, "/api/v1/users?role=counsellor").await;
    assert_eq!(counsellors["items"].as_array().unwrap().len(), 1);
    let binta = page(&app, &admin, "/api/v1/users?q=BINT").await;
    assert_eq!(binta["items"][0]["display_name"], "Binta");
    assert!(binta["items"][0]["email"].is_string());

    let first = page(&app, &admin, "/api/v1/users?limit=2").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = page(&app, &admin, &format!("/api/v1/users?limit=10&cursor={cursor}")).await;
    let total = first["items"].as_array().unwrap().len() + rest["items"].as_array().unwrap().len();
    assert_eq!(total, 5);
    assert!(rest["next_cursor"].is_null());
    assert_problem(
        app.get_as(&admin, "/api/v1/users?limit=101").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn role_changes_and_disabling_take_effect_at_once() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let awa = app.member("Awa").await;
    let path = format!("/api/v1/users/{}", awa.id);

    let promoted = app.send_as(&admin, Method::PATCH, &path, Some(&json!({"role": "counsellor"}))).await;
    assert_eq!(promoted.json::<Value>().await.unwrap()["role"], "counsellor");
    assert_eq!(app.get_as(&awa, "/api/v1/me").await.json::<Value>().await.unwrap()["role"], "counsellor");

    let disabled = app.send_as(&admin, Method::PATCH, &path, Some(&json!({"disabled": true}))).await;
    assert_eq!(disabled.json::<Value>().await.unwrap()["disabled"], true);
    assert_problem(app.get_as(&awa, "/api/v1/me").await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    assert_problem(app.refresh(&awa.refresh_token).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token")
        .await;
    assert_problem(app.login(&awa.email, TEST_PASSWORD).await, StatusCode::FORBIDDEN, "forbidden").await;

    app.send_as(&admin, Method::PATCH, &path, Some(&json!({"disabled": false}))).await;
    assert_eq!(app.login(&awa.email, TEST_PASSWORD).await.status(), StatusCode::OK);

    let own = format!("/api/v1/users/{}", admin.id);
    assert_problem(
        app.send_as(&admin, Method::PATCH, &own, Some(&json!({"role": "member"}))).await,
        StatusCode::CONFLICT,
        "cannot_modify_self",
    )
    .await;
    let unknown = format!("/api/v1/users/{}", uuid::Uuid::now_v7());
    assert_problem(
        app.send_as(&admin, Method::PATCH, &unknown, Some(&json!({"disabled": true}))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn patch_me_changes_only_the_profile_fields() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let body = json!({
        "display_name": "Awa D.", "timezone": "America/Cayenne", "daily_goal_xp": 30, "bio": "J'aime cuisiner.",
        "role": "admin", "email": "pirate@example.org", "id": uuid::Uuid::now_v7()
    });
    let response = app.send_as(&awa, Method::PATCH, "/api/v1/me", Some(&body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = app.get_as(&awa, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(
        (me["display_name"].as_str(), me["timezone"].as_str()),
        (Some("Awa D."), Some("America/Cayenne"))
    );
    assert_eq!((me["daily_goal_xp"].as_i64(), me["bio"].as_str()), (Some(30), Some("J'aime cuisiner.")));
    assert_eq!((me["role"].as_str(), me["email"].as_str()), (Some("member"), Some(awa.email.as_str())));
    assert_eq!(me["id"], json!(awa.id));

    for (body, field) in [
        (json!({"timezone": "Mars/Olympus"}), "timezone"),
        (json!({"daily_goal_xp": 0}), "daily_goal_xp"),
        (json!({"display_name": ""}), "display_name"),
    ] {
        let problem = assert_problem(
            app.send_as(&awa, Method::PATCH, "/api/v1/me", Some(&body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
}

#[tokio::test]
async fn public_profiles_never_show_the_email() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let binta = app.member("Binta").await;
    let response = app.get_as(&binta, &format!("/api/v1/users/{}", awa.id)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(!text.contains(&awa.email) && !text.contains("email"), "{text}");
    assert_problem(
        app.get_as(&binta, &format!("/api/v1/users/{}", uuid::Uuid::now_v7())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(app.get(&format!("/api/v1/users/{}", awa.id)).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_hash_with_older_parameters_is_upgraded_at_the_next_login() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let weak_params = argon2::Params::new(4096, 1, 1, None).unwrap();
    let weak = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, weak_params)
        .hash_password(TEST_PASSWORD.as_bytes(), &SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap())
        .unwrap()
        .to_string();
    let mut account =
        entity::user::Entity::find_by_id(awa.id).one(&app.db).await.unwrap().unwrap().into_active_model();
    account.password_hash = Set(weak.clone());
    account.update(&app.db).await.unwrap();

    assert_eq!(app.login(&awa.email, TEST_PASSWORD).await.status(), StatusCode::OK);
    let stored = entity::user::Entity::find_by_id(awa.id).one(&app.db).await.unwrap().unwrap().password_hash;
    assert_ne!(stored, weak);
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    assert_eq!(app.login(&awa.email, TEST_PASSWORD).await.status(), StatusCode::OK);
}
