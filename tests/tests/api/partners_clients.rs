//! Organisations' API clients (issue 15): OAuth 2.0 client credentials, scoped
//! tokens that never pass for a person's, immediate revocation, and reads of
//! the members who consented to be accompanied by the organisation — each
//! audited with the client as the reader.

use entity::{Role, api_client, client_audit_log};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

use crate::accompaniments::{consented, revoke};
use crate::workshops::{enrol_ok, modules, schedule, session_body};

const FORM: &str = "application/x-www-form-urlencoded";

/// An organisation with one counsellor, created by `admin`.
struct Organisation {
    id: String,
    counsellor: TestUser,
}

async fn organisation(app: &TestApp, admin: &TestUser, name: &str) -> Organisation {
    let body = json!({"name": name, "kind": "mission_locale"});
    let response = app.send_as(admin, Method::POST, "/api/v1/organizations", Some(&body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let counsellor = app.user_with_role(&format!("Conseil{name}"), Role::Counsellor).await;
    let attach = json!({"user_id": counsellor.id});
    let response =
        app.send_as(admin, Method::POST, &format!("/api/v1/organizations/{id}/members"), Some(&attach)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    Organisation { id, counsellor }
}

async fn create_client(app: &TestApp, caller: &TestUser, organisation: &str, scopes: &[&str]) -> Response {
    let body = json!({"name": "Outil de suivi", "scopes": scopes});
    app.send_as(
        caller,
        Method::POST,
        &format!("/api/v1/organizations/{organisation}/api-clients"),
        Some(&body),
    )
    .await
}

/// A new client's `(client_id, client_secret)`.
async fn client(app: &TestApp, admin: &TestUser, organisation: &str, scopes: &[&str]) -> (String, String) {
    let response = create_client(app, admin, organisation, scopes).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    (body["client_id"].as_str().unwrap().to_owned(), body["client_secret"].as_str().unwrap().to_owned())
}

fn token_request(app: &TestApp, form: &str) -> RequestBuilder {
    app.request(Method::POST, "/api/v1/oauth/token").header(CONTENT_TYPE, FORM).body(form.to_owned())
}

/// A token by HTTP Basic, for `scope` (all of the client's when `None`).
async fn token(app: &TestApp, (id, secret): &(String, String), scope: Option<&str>) -> String {
    let form = match scope {
        Some(scope) => format!("grant_type=client_credentials&scope={}", scope.replace(' ', "+")),
        None => "grant_type=client_credentials".to_owned(),
    };
    let response = token_request(app, &form).basic_auth(id, Some(secret)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

async fn oauth_error(response: Response, status: StatusCode, error: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
    body
}

async fn get_with(app: &TestApp, token: &str, path: &str) -> Response {
    app.request(Method::GET, path).bearer_auth(token).send().await.unwrap()
}

fn journey_path(member: &TestUser) -> String {
    format!("/api/v1/members/{}/journey", member.id)
}

#[tokio::test]
async fn a_client_is_created_with_a_secret_shown_once_and_stored_hashed() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;

    let response = create_client(&app, &admin, &org.id, &["members:read", "impact:read"]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    let created: Value = response.json().await.unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    assert!(secret.len() >= 43, "256 bits of secret: {secret}");
    assert_eq!(created["scopes"], json!(["members:read", "impact:read"]));
    assert_eq!(created["organization_id"], org.id);
    assert_eq!(created["revoked_at"], Value::Null);

    let id: Uuid = created["client_id"].as_str().unwrap().parse().unwrap();
    let row = api_client::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.secret_hash, hex::encode(Sha256::digest(secret.as_bytes())));
    assert!(!row.secret_hash.contains(secret));

    let list = app.get_as(&admin, &format!("/api/v1/organizations/{}/api-clients", org.id)).await;
    assert_eq!(list.status(), StatusCode::OK);
    let text = list.text().await.unwrap();
    assert!(!text.contains(secret) && !text.contains("secret"), "never listed: {text}");
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list["items"][0]["client_id"], created["client_id"]);
    assert_eq!(list["items"][0]["name"], "Outil de suivi");

    // Bad input: unknown scope, none, one twice, an empty name; unknown organisation.
    let path = format!("/api/v1/organizations/{}/api-clients", org.id);
    let bad = [
        (json!({"name": "X", "scopes": ["training:write"]}), StatusCode::BAD_REQUEST, "malformed_body"),
        (json!({"name": "X", "scopes": []}), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (
            json!({"name": "X", "scopes": ["impact:read", "impact:read"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"name": "", "scopes": ["impact:read"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ];
    for (body, status, code) in bad {
        assert_problem(app.send_as(&admin, Method::POST, &path, Some(&body)).await, status, code).await;
    }
    let elsewhere = create_client(&app, &admin, &Uuid::now_v7().to_string(), &["impact:read"]).await;
    assert_problem(elsewhere, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn admins_and_the_organisations_managers_manage_clients_never_with_a_client_token() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let other = organisation(&app, &admin, "Courneuve").await;
    let member = app.member("Awa").await;
    let manager = app.user_with_role("Directrice", Role::Counsellor).await;
    let other_manager = app.user_with_role("Directeur", Role::Counsellor).await;
    for (who, organisation) in [(&manager, &org.id), (&other_manager, &other.id)] {
        let attach = json!({"user_id": who.id, "role": "manager"});
        let path = format!("/api/v1/organizations/{organisation}/members");
        assert_eq!(
            app.send_as(&admin, Method::POST, &path, Some(&attach)).await.status(),
            StatusCode::CREATED
        );
    }

    // A plain member of the organisation, a member, a manager of another one: 403.
    for caller in [&member, &org.counsellor, &other_manager] {
        let response = create_client(&app, caller, &org.id, &["impact:read"]).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let list = app.get_as(caller, &format!("/api/v1/organizations/{}/api-clients", org.id)).await;
        assert_problem(list, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let (id, _) = client(&app, &manager, &org.id, &["impact:read"]).await;
    let list: Value = app
        .get_as(&manager, &format!("/api/v1/organizations/{}/api-clients", org.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["client_id"], id);
    let path = format!("/api/v1/organizations/{}/api-clients/{id}", org.id);
    let response = app.send_as(&other_manager, Method::DELETE, &path, None).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(api_client::Entity::find().all(&app.db).await.unwrap()[0].revoked_at.is_none());

    let credentials = client(&app, &admin, &org.id, &["impact:read"]).await;
    let bearer = token(&app, &credentials, None).await;
    let response = app
        .request(Method::POST, &format!("/api/v1/organizations/{}/api-clients", org.id))
        .bearer_auth(&bearer)
        .json(&json!({"name": "Clone", "scopes": ["impact:read"]}))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::FORBIDDEN, "person_required").await;
}

#[tokio::test]
async fn the_token_endpoint_follows_rfc_6749_client_credentials() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let (id, secret) = client(&app, &admin, &org.id, &["members:read", "impact:read"]).await;

    // HTTP Basic, all the client's scopes by default.
    let response = token_request(&app, "grant_type=client_credentials")
        .basic_auth(&id, Some(&secret))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    let grant: Value = response.json().await.unwrap();
    assert_eq!(grant["token_type"], "Bearer");
    assert_eq!(grant["expires_in"], 3600);
    assert_eq!(grant["scope"], "members:read impact:read");
    assert!(grant["access_token"].as_str().is_some_and(|t| !t.is_empty()));

    // Credentials in the body, and a subset of the scopes.
    let form =
        format!("grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=impact:read");
    let response = token_request(&app, &form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["scope"], "impact:read");

    // Wrong secret, by Basic (challenged) and in the body; unknown client.
    let response = token_request(&app, "grant_type=client_credentials")
        .basic_auth(&id, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[WWW_AUTHENTICATE].to_str().unwrap().split(' ').next(), Some("Basic"));
    oauth_error(response, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret=wrong");
    oauth_error(token_request(&app, &form).send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_client")
        .await;
    let form = format!("grant_type=client_credentials&client_id={}&client_secret={secret}", Uuid::now_v7());
    oauth_error(token_request(&app, &form).send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_client")
        .await;

    // A scope the client does not hold, or that does not exist.
    for scope in ["workshops:enrol", "members:read+training:write"] {
        let form = format!("grant_type=client_credentials&scope={scope}");
        let response = token_request(&app, &form).basic_auth(&id, Some(&secret)).send().await.unwrap();
        oauth_error(response, StatusCode::BAD_REQUEST, "invalid_scope").await;
    }
    // Another grant, no grant, both authentication methods, not a form.
    let response =
        token_request(&app, "grant_type=password").basic_auth(&id, Some(&secret)).send().await.unwrap();
    oauth_error(response, StatusCode::BAD_REQUEST, "unsupported_grant_type").await;
    let response =
        token_request(&app, "scope=impact:read").basic_auth(&id, Some(&secret)).send().await.unwrap();
    oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let response = token_request(&app, &form).basic_auth(&id, Some(&secret)).send().await.unwrap();
    oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let response = app
        .request(Method::POST, "/api/v1/oauth/token")
        .basic_auth(&id, Some(&secret))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    let twice = "grant_type=client_credentials&grant_type=client_credentials";
    let response = token_request(&app, twice).basic_auth(&id, Some(&secret)).send().await.unwrap();
    oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn failed_client_authentications_are_throttled_like_logins() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let (id, secret) = client(&app, &admin, &org.id, &["impact:read"]).await;
    for _ in 0..5 {
        let response = token_request(&app, "grant_type=client_credentials")
            .basic_auth(&id, Some("guess"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = token_request(&app, "grant_type=client_credentials")
        .basic_auth(&id, Some(&secret))
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
}

#[tokio::test]
async fn a_client_token_never_acts_for_a_person_and_person_tokens_still_work() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let credentials =
        client(&app, &admin, &org.id, &["members:read", "workshops:read", "workshops:enrol", "impact:read"])
            .await;
    let bearer = token(&app, &credentials, None).await;

    for path in [
        "/api/v1/me",
        "/api/v1/me/export",
        "/api/v1/me/audit-log",
        "/api/v1/me/enrolments",
        "/api/v1/users",
        "/api/v1/me/notifications",
    ] {
        assert_problem(get_with(&app, &bearer, path).await, StatusCode::FORBIDDEN, "person_required").await;
    }
    let response = app
        .request(Method::POST, "/api/v1/accompaniments")
        .bearer_auth(&bearer)
        .json(&json!({"member_id": Uuid::now_v7()}))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::FORBIDDEN, "person_required").await;
    let response = app
        .request(Method::DELETE, "/api/v1/me")
        .bearer_auth(&bearer)
        .json(&json!({"password": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::FORBIDDEN, "person_required").await;
    // Public reads take it as a visitor's.
    assert_eq!(get_with(&app, &bearer, "/api/v1/workshops").await.status(), StatusCode::OK);
    assert_eq!(get_with(&app, &bearer, "/api/v1/organizations").await.status(), StatusCode::OK);

    // A person's token is still a person's, and never a client's.
    assert_eq!(app.get_as(&admin, "/api/v1/me").await.status(), StatusCode::OK);
    let member_path = format!("/api/v1/organizations/{}/accompanied-members", org.id);
    assert_problem(app.get_as(&org.counsellor, &member_path).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(
        get_with(&app, "not-a-token", &member_path).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn revoking_a_client_stops_its_live_tokens_at_once() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let credentials = client(&app, &admin, &org.id, &["members:read", "impact:read"]).await;
    let bearer = token(&app, &credentials, None).await;
    let members = format!("/api/v1/organizations/{}/accompanied-members", org.id);
    assert_eq!(get_with(&app, &bearer, &members).await.status(), StatusCode::OK);

    let path = format!("/api/v1/organizations/{}/api-clients/{}", org.id, credentials.0);
    assert_eq!(app.send_as(&admin, Method::DELETE, &path, None).await.status(), StatusCode::NO_CONTENT);
    assert_problem(get_with(&app, &bearer, &members).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    assert_problem(
        get_with(&app, &bearer, "/api/v1/impact").await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let form =
        format!("grant_type=client_credentials&client_id={}&client_secret={}", credentials.0, credentials.1);
    oauth_error(token_request(&app, &form).send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_client")
        .await;

    // Listed as revoked; revoking again is no error; another organisation's path finds nothing.
    let list: Value = app
        .get_as(&admin, &format!("/api/v1/organizations/{}/api-clients", org.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"][0]["revoked_at"].is_string());
    assert_eq!(app.send_as(&admin, Method::DELETE, &path, None).await.status(), StatusCode::NO_CONTENT);
    let other = organisation(&app, &admin, "Ailleurs").await;
    let wrong = format!("/api/v1/organizations/{}/api-clients/{}", other.id, credentials.0);
    assert_problem(
        app.send_as(&admin, Method::DELETE, &wrong, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_client_reads_only_consenting_members_and_each_read_is_audited() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let other = organisation(&app, &admin, "Courneuve").await;
    let member = app.member("Awa").await;
    let stranger = app.member("Binta").await;
    let theirs = app.member("Chloé").await;
    consented(&app, &other.counsellor, &theirs).await;
    let credentials = client(&app, &admin, &org.id, &["members:read"]).await;
    let bearer = token(&app, &credentials, None).await;

    // No consent yet: 404 as for counsellors, and nothing is audited.
    assert_problem(get_with(&app, &bearer, &journey_path(&member)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_problem(get_with(&app, &bearer, &journey_path(&theirs)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_problem(
        get_with(&app, &bearer, &journey_path(&stranger)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(client_audit_log::Entity::find().all(&app.db).await.unwrap().is_empty());

    // After consent to the organisation's counsellor.
    let accompaniment = consented(&app, &org.counsellor, &member).await;
    let response = get_with(&app, &bearer, &journey_path(&member)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let journey: Value = response.json().await.unwrap();
    assert_eq!(journey["member"]["id"], member.id.to_string());
    assert_eq!(journey["accompaniments"][0]["status"], "active");
    let rows = client_audit_log::Entity::find()
        .filter(client_audit_log::Column::MemberId.eq(member.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].api_client_id.to_string(), credentials.0);
    assert_eq!(rows[0].action, "journey.read");

    // The list names the consenting member only.
    let list: Value =
        get_with(&app, &bearer, &format!("/api/v1/organizations/{}/accompanied-members", org.id))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["member"]["id"], member.id.to_string());
    assert_eq!(list["items"][0]["accompaniment_id"], accompaniment);
    let elsewhere =
        get_with(&app, &bearer, &format!("/api/v1/organizations/{}/accompanied-members", other.id)).await;
    assert_problem(elsewhere, StatusCode::NOT_FOUND, "not_found").await;

    // The member sees the client, by name and organisation, in their audit log.
    let log: Value = app.get_as(&member, "/api/v1/me/audit-log").await.json().await.unwrap();
    let entry = &log["items"][0];
    assert_eq!(entry["actor_kind"], "api_client");
    assert_eq!(entry["actor"]["display_name"], "Outil de suivi");
    assert_eq!(entry["actor"]["organizations"][0]["id"], org.id);
    assert_eq!(entry["action"], "journey.read");

    // A counsellor read and the client read, newest first, page by page.
    assert_eq!(app.get_as(&org.counsellor, &journey_path(&member)).await.status(), StatusCode::OK);
    let page: Value = app.get_as(&member, "/api/v1/me/audit-log?limit=1").await.json().await.unwrap();
    assert_eq!(page["items"][0]["actor_kind"], "person");
    let cursor = page["next_cursor"].as_str().unwrap();
    let next: Value = app
        .get_as(&member, &format!("/api/v1/me/audit-log?limit=1&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next["items"][0]["actor_kind"], "api_client");
    assert_eq!(next["next_cursor"], Value::Null);

    // Revoked consent: 404 at once, and out of the list.
    assert_eq!(revoke(&app, &member, &accompaniment).await.status(), StatusCode::NO_CONTENT);
    assert_problem(get_with(&app, &bearer, &journey_path(&member)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let list: Value =
        get_with(&app, &bearer, &format!("/api/v1/organizations/{}/accompanied-members", org.id))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(list["items"], json!([]));
    let audited = client_audit_log::Entity::find().all(&app.db).await.unwrap().len();
    assert_eq!(audited, 1, "refused reads are not audited");
}

#[tokio::test]
async fn a_token_without_the_routes_scope_gets_403_insufficient_scope() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let member = app.member("Awa").await;
    consented(&app, &org.counsellor, &member).await;
    let credentials = client(&app, &admin, &org.id, &["members:read", "impact:read"]).await;
    let impact_only = token(&app, &credentials, Some("impact:read")).await;
    let members_only = token(&app, &credentials, Some("members:read")).await;

    let body = assert_problem(
        get_with(&app, &impact_only, &journey_path(&member)).await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("members:read"), "{body}");
    let list = format!("/api/v1/organizations/{}/accompanied-members", org.id);
    assert_problem(get_with(&app, &impact_only, &list).await, StatusCode::FORBIDDEN, "insufficient_scope")
        .await;
    assert_problem(
        get_with(&app, &members_only, "/api/v1/impact").await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    )
    .await;
    let enrolments = format!("/api/v1/members/{}/enrolments", member.id);
    assert_problem(
        get_with(&app, &members_only, &enrolments).await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    )
    .await;
    assert!(client_audit_log::Entity::find().all(&app.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn workshops_read_lists_a_consenting_members_enrolments_audited() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let member = app.member("Awa").await;
    let stranger = app.member("Binta").await;
    let modules = modules(&app).await;
    let session = schedule(&app, &anim, &session_body(&modules[0], 5, chrono::Duration::days(3))).await;
    enrol_ok(&app, &member, &session).await;
    enrol_ok(&app, &stranger, &session).await;
    consented(&app, &org.counsellor, &member).await;
    let credentials = client(&app, &admin, &org.id, &["workshops:read"]).await;
    let bearer = token(&app, &credentials, None).await;

    let response = get_with(&app, &bearer, &format!("/api/v1/members/{}/enrolments", member.id)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["workshop"]["id"], session);
    let stranger_path = format!("/api/v1/members/{}/enrolments", stranger.id);
    assert_problem(get_with(&app, &bearer, &stranger_path).await, StatusCode::NOT_FOUND, "not_found").await;
    let actions: Vec<String> =
        client_audit_log::Entity::find().all(&app.db).await.unwrap().into_iter().map(|r| r.action).collect();
    assert_eq!(actions, ["enrolments.read"]);
    // A person's token is not a client's here.
    assert_problem(app.get_as(&org.counsellor, &stranger_path).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
}

#[tokio::test]
async fn impact_read_gives_the_clients_own_organisation_only() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let other = organisation(&app, &admin, "Courneuve").await;
    let credentials = client(&app, &admin, &org.id, &["impact:read"]).await;
    let bearer = token(&app, &credentials, None).await;

    let response = get_with(&app, &bearer, "/api/v1/impact").await;
    assert_eq!(response.status(), StatusCode::OK);
    let by_client: Value = response.json().await.unwrap();
    let by_counsellor: Value = app.get_as(&org.counsellor, "/api/v1/impact").await.json().await.unwrap();
    assert_eq!(by_client, by_counsellor, "the same k-suppressed figures as the organisation's counsellors");
    assert_eq!(by_client["organization_id"], org.id);
    let own = get_with(&app, &bearer, &format!("/api/v1/impact?organization_id={}", org.id)).await;
    assert_eq!(own.status(), StatusCode::OK);
    let theirs = get_with(&app, &bearer, &format!("/api/v1/impact?organization_id={}", other.id)).await;
    assert_problem(theirs, StatusCode::FORBIDDEN, "forbidden").await;
    // Members still get 403 as before.
    let member = app.member("Awa").await;
    assert_problem(app.get_as(&member, "/api/v1/impact").await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn audit_rows_naming_a_client_survive_export_and_erasure() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = organisation(&app, &admin, "Epinay").await;
    let member = app.member("Awa").await;
    consented(&app, &org.counsellor, &member).await;
    let credentials = client(&app, &admin, &org.id, &["members:read"]).await;
    let bearer = token(&app, &credentials, None).await;
    assert_eq!(get_with(&app, &bearer, &journey_path(&member)).await.status(), StatusCode::OK);

    let export = app.get_as(&member, "/api/v1/me/export").await;
    assert_eq!(export.status(), StatusCode::OK);
    let text = export.text().await.unwrap();
    assert!(
        text.contains("client_audit_log") && text.contains(&credentials.0),
        "the export shows the client's read"
    );

    assert_eq!(app.delete_me(&member).await.status(), StatusCode::NO_CONTENT);
    let rows = client_audit_log::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1, "the audit trail stays");
    assert_eq!(rows[0].member_id, member.id);
    assert_problem(get_with(&app, &bearer, &journey_path(&member)).await, StatusCode::NOT_FOUND, "not_found")
        .await;
}
