//! Partner organisations: admins create them and attach counsellors and
//! facilitators; anyone signed in reads the directory.

use entity::Role;
use entity::organization_member;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

const KINDS: [&str; 5] = ["mission_locale", "france_travail", "tiers_lieu", "training_center", "association"];

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> Response {
    app.send_as(user, Method::POST, "/api/v1/organizations", Some(body)).await
}

async fn create_ok(app: &TestApp, admin: &TestUser, name: &str, kind: &str) -> Value {
    let response = create(app, admin, &json!({"name": name, "kind": kind})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn attach(app: &TestApp, user: &TestUser, org_id: &str, user_id: Uuid) -> Response {
    let path = format!("/api/v1/organizations/{org_id}/members");
    app.send_as(user, Method::POST, &path, Some(&json!({"user_id": user_id}))).await
}

async fn show(app: &TestApp, user: &TestUser, org_id: &str) -> Value {
    let response = app.get_as(user, &format!("/api/v1/organizations/{org_id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn admin_routes_are_403_for_every_other_role_and_401_anonymously() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = create_ok(&app, &admin, "Le POLE", "association").await;
    let org_id = org["id"].as_str().unwrap();
    let staff = app.user_with_role("Karim", Role::Counsellor).await;
    let body = json!({"name": "Efficience", "kind": "tiers_lieu"});

    let member = app.member("Awa").await;
    let counsellor = app.user_with_role("Nadia", Role::Counsellor).await;
    let facilitator = app.user_with_role("Sami", Role::Facilitator).await;
    for caller in [&member, &counsellor, &facilitator] {
        assert_problem(create(&app, caller, &body).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_problem(attach(&app, caller, org_id, staff.id).await, StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
    let anonymous = app.post_json("/api/v1/organizations", &body).await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let anonymous = app
        .post_json(&format!("/api/v1/organizations/{org_id}/members"), &json!({"user_id": staff.id}))
        .await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    for path in ["/api/v1/organizations".to_owned(), format!("/api/v1/organizations/{org_id}")] {
        assert_problem(app.get(&path).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    assert_eq!(attach(&app, &admin, org_id, staff.id).await.status(), StatusCode::CREATED);
    assert_eq!(organization_member::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn an_admin_creates_an_organisation_and_anyone_signed_in_reads_it() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let response =
        create(&app, &admin, &json!({"name": "  Mission locale d'Épinay  ", "kind": "mission_locale"})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/organizations/{id}"));
    assert_eq!(created["name"], "Mission locale d'Épinay");
    assert_eq!(created["kind"], "mission_locale");
    assert!(created["created_at"].is_string());

    let member = app.member("Awa").await;
    let shown = show(&app, &member, id).await;
    assert_eq!(shown["name"], "Mission locale d'Épinay");
    assert_eq!(shown["members"], json!([]));
    let listed: Value = app.get_as(&member, "/api/v1/organizations").await.json().await.unwrap();
    assert_eq!(listed["items"][0]["id"], id);
    assert!(listed["next_cursor"].is_null());

    let unknown = app.get_as(&member, &format!("/api/v1/organizations/{}", Uuid::now_v7())).await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let malformed = app.get_as(&member, "/api/v1/organizations/not-a-uuid").await;
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_path").await;
}

#[tokio::test]
async fn kinds_and_names_are_checked() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    for kind in KINDS {
        let created = create_ok(&app, &admin, &format!("Organisation {kind}"), kind).await;
        assert_eq!(created["kind"], kind);
    }
    // `kind` is a closed set read by serde: anything else is a malformed body.
    for body in [
        json!({"name": "X", "kind": "ngo"}),
        json!({"name": "X", "kind": "Mission_Locale"}),
        json!({"name": "X"}),
        json!({"name": "X", "kind": 3}),
    ] {
        assert_problem(create(&app, &admin, &body).await, StatusCode::BAD_REQUEST, "malformed_body").await;
    }
    for name in [String::new(), "   ".into(), "é".repeat(201), "a\u{7}b".into()] {
        let problem = assert_problem(
            create(&app, &admin, &json!({"name": name, "kind": "association"})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "name");
    }
    assert_eq!(
        create(&app, &admin, &json!({"name": "é".repeat(200), "kind": "association"})).await.status(),
        201
    );
}

#[tokio::test]
async fn counsellors_and_facilitators_are_attached_and_other_accounts_are_not() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = create_ok(&app, &admin, "France Travail Saint-Denis", "france_travail").await;
    let org_id = org["id"].as_str().unwrap();
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let facilitator = app.user_with_role("Sami", Role::Facilitator).await;

    let response = attach(&app, &admin, org_id, counsellor.id).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["location"], format!("/api/v1/organizations/{org_id}").as_str());
    let attached: Value = response.json().await.unwrap();
    assert_eq!(attached["user_id"], counsellor.id.to_string());
    assert_eq!(attached["display_name"], "Karim");
    assert_eq!(attached["role"], "counsellor");
    assert!(attached["joined_at"].is_string());
    assert_eq!(attach(&app, &admin, org_id, facilitator.id).await.status(), StatusCode::CREATED);

    assert_problem(attach(&app, &admin, org_id, counsellor.id).await, StatusCode::CONFLICT, "already_member")
        .await;

    let member = app.member("Awa").await;
    for (user_id, code) in [(member.id, "role"), (admin.id, "role"), (Uuid::now_v7(), "unknown_user")] {
        let problem = assert_problem(
            attach(&app, &admin, org_id, user_id).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some("user_id"), Some(code))
        );
    }
    let unknown_org = attach(&app, &admin, &Uuid::now_v7().to_string(), counsellor.id).await;
    assert_problem(unknown_org, StatusCode::NOT_FOUND, "not_found").await;

    let shown = show(&app, &member, org_id).await;
    let members: Vec<(&str, &str, &str)> = shown["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (m["user_id"].as_str().unwrap(), m["display_name"].as_str().unwrap(), m["role"].as_str().unwrap())
        })
        .collect();
    let (karim, sami) = (counsellor.id.to_string(), facilitator.id.to_string());
    assert_eq!(
        members,
        vec![(karim.as_str(), "Karim", "counsellor"), (sami.as_str(), "Sami", "facilitator")]
    );
    assert!(!shown.to_string().contains('@'), "no email may leak: {shown}");

    // A disabled account is no longer listed, and cannot be attached elsewhere.
    let path = format!("/api/v1/users/{}", facilitator.id);
    let disabled = app.send_as(&admin, Method::PATCH, &path, Some(&json!({"disabled": true}))).await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(show(&app, &member, org_id).await["members"].as_array().unwrap().len(), 1);
    let other = create_ok(&app, &admin, "Efficience", "tiers_lieu").await;
    let problem = assert_problem(
        attach(&app, &admin, other["id"].as_str().unwrap(), facilitator.id).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown_user");
}

#[tokio::test]
async fn the_directory_pages_newest_first_and_filters_by_kind() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let mut ids = Vec::new();
    for (name, kind) in [("A", "association"), ("B", "tiers_lieu"), ("C", "association")] {
        ids.push(create_ok(&app, &admin, name, kind).await["id"].as_str().unwrap().to_owned());
    }
    let member = app.member("Awa").await;
    let first: Value = app.get_as(&member, "/api/v1/organizations?limit=2").await.json().await.unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get_as(&member, &format!("/api/v1/organizations?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(second["next_cursor"].is_null());
    let seen: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(seen, vec![ids[2].as_str(), ids[1].as_str(), ids[0].as_str()]);

    let associations: Value =
        app.get_as(&member, "/api/v1/organizations?kind=association").await.json().await.unwrap();
    let names: Vec<&str> =
        associations["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["C", "A"]);
    let unknown_kind = app.get_as(&member, "/api/v1/organizations?kind=ngo").await;
    assert_problem(unknown_kind, StatusCode::BAD_REQUEST, "malformed_query").await;
}

#[tokio::test]
async fn admins_name_an_organisations_managers() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = create_ok(&app, &admin, "Efficience", "tiers_lieu").await;
    let org_id = org["id"].as_str().unwrap();
    let mediator = app.user_with_role("Lina", Role::Facilitator).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let members_path = format!("/api/v1/organizations/{org_id}/members");

    // Attached as a plain member unless the admin says otherwise.
    let plain = attach(&app, &admin, org_id, counsellor.id).await;
    assert_eq!(plain.status(), StatusCode::CREATED);
    assert_eq!(plain.json::<Value>().await.unwrap()["organization_role"], "member");
    let body = json!({"user_id": mediator.id, "role": "manager"});
    let manager = app.send_as(&admin, Method::POST, &members_path, Some(&body)).await;
    assert_eq!(manager.status(), StatusCode::CREATED);
    let manager: Value = manager.json().await.unwrap();
    assert_eq!(
        (manager["role"].as_str(), manager["organization_role"].as_str()),
        (Some("facilitator"), Some("manager"))
    );

    // Only an admin changes a role, even a manager cannot.
    let counsellor_path = format!("{members_path}/{}", counsellor.id);
    let promote = json!({"role": "manager"});
    for caller in [&mediator, &counsellor] {
        let refused = app.send_as(caller, Method::PATCH, &counsellor_path, Some(&promote)).await;
        assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let promoted = app.send_as(&admin, Method::PATCH, &counsellor_path, Some(&promote)).await;
    assert_eq!(promoted.status(), StatusCode::OK);
    assert_eq!(promoted.json::<Value>().await.unwrap()["organization_role"], "manager");
    let shown = show(&app, &counsellor, org_id).await;
    let roles: Vec<&str> = shown["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["organization_role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, vec!["manager", "manager"]);
    let demoted =
        app.send_as(&admin, Method::PATCH, &counsellor_path, Some(&json!({"role": "member"}))).await;
    assert_eq!(demoted.json::<Value>().await.unwrap()["organization_role"], "member");
    let stored = organization_member::Entity::find_by_id((org_id.parse::<Uuid>().unwrap(), counsellor.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.role, organization_member::MembershipRole::Member);

    // Unknown roles are malformed; a person not attached, or an unknown organisation, is 404.
    let bad = app.send_as(&admin, Method::PATCH, &counsellor_path, Some(&json!({"role": "owner"}))).await;
    assert_problem(bad, StatusCode::BAD_REQUEST, "malformed_body").await;
    let stranger = app.user_with_role("Sami", Role::Counsellor).await;
    let not_attached = format!("{members_path}/{}", stranger.id);
    let missing = app.send_as(&admin, Method::PATCH, &not_attached, Some(&promote)).await;
    assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
    let elsewhere = format!("/api/v1/organizations/{}/members/{}", Uuid::now_v7(), counsellor.id);
    let missing = app.send_as(&admin, Method::PATCH, &elsewhere, Some(&promote)).await;
    assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
}
