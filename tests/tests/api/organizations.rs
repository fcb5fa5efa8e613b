//! Partner organisations: admins create them and attach counsellors and
//! facilitators; the directory of places is public; admins (and the
//! organisation's managers) edit a place.

use entity::Role;
use entity::organization_member;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

const KINDS: [&str; 8] = [
    "mission_locale",
    "france_travail",
    "tiers_lieu",
    "training_center",
    "association",
    "local_authority",
    "incubator",
    "mediation_network",
];

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> Response {
    app.send_as(user, Method::POST, "/api/v1/organizations", Some(body)).await
}

pub async fn create_ok(app: &TestApp, admin: &TestUser, name: &str, kind: &str) -> Value {
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
    let edit = app.request(Method::PATCH, &format!("/api/v1/organizations/{org_id}")).json(&json!({})).send();
    assert_problem(edit.await.unwrap(), StatusCode::UNAUTHORIZED, "unauthenticated").await;

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

/// `PATCH /organizations/{id}`.
pub async fn edit(app: &TestApp, user: &TestUser, org_id: &str, body: &Value) -> Response {
    app.send_as(user, Method::PATCH, &format!("/api/v1/organizations/{org_id}"), Some(body)).await
}

fn efficience() -> Value {
    json!({
        "address": {"street": "1 rue de Paris", "postcode": "93800", "city": "Épinay-sur-Seine",
                    "insee_code": "93031"},
        "phone": "01 48 00 00 00",
        "email": "Contact@Efficience.fr",
        "website": "https://efficience.fr",
        "description": "Tiers-lieu : médiation numérique et ateliers.",
        "opening_hours": {"timezone": "Europe/Paris", "slots": [
            {"weekday": 2, "start": "14:00", "end": "18:00"},
            {"weekday": 1, "start": "09:00", "end": "12:30"}
        ]},
        "services": ["printing", "digital_mediation", "wheelchair_accessible"]
    })
}

async fn public_list(app: &TestApp, query: &str) -> Vec<String> {
    let response = app.get(&format!("/api/v1/organizations{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn an_admin_fills_a_place_in_and_anyone_reads_it_without_a_token_nor_staff_names() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = create_ok(&app, &admin, "Efficience", "tiers_lieu").await;
    let org_id = org["id"].as_str().unwrap();
    assert!(org["address"].is_null());
    assert_eq!(org["services"], json!([]));
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    assert_eq!(attach(&app, &admin, org_id, counsellor.id).await.status(), StatusCode::CREATED);

    let response = edit(&app, &admin, org_id, &efficience()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let edited: Value = response.json().await.unwrap();
    assert_eq!(edited["address"]["departement"], "93");
    assert_eq!(edited["phone"], "+33148000000");
    assert_eq!(edited["email"], "contact@efficience.fr");
    assert_eq!(edited["services"], json!(["digital_mediation", "printing", "wheelchair_accessible"]));
    assert_eq!(
        edited["opening_hours"]["slots"],
        json!([{"weekday": 1, "start": "09:00", "end": "12:30"}, {"weekday": 2, "start": "14:00", "end": "18:00"}])
    );

    let public = app.get(&format!("/api/v1/organizations/{org_id}")).await;
    assert_eq!(public.status(), StatusCode::OK);
    let public: Value = public.json().await.unwrap();
    assert_eq!(public["address"]["city"], "Épinay-sur-Seine");
    assert_eq!(public["address"]["insee_code"], "93031");
    assert_eq!(public["opening_hours"]["timezone"], "Europe/Paris");
    assert!(public.get("members").is_none(), "the public sees no staff: {public}");
    assert!(!public.to_string().contains("Karim"));
    let signed_in = show(&app, &app.member("Awa").await, org_id).await;
    assert_eq!(signed_in["members"][0]["display_name"], "Karim");

    // Only what is given changes; `null` clears.
    let response = edit(&app, &admin, org_id, &json!({"website": null, "services": []})).await;
    let cleared: Value = response.json().await.unwrap();
    assert!(cleared["website"].is_null());
    assert_eq!(cleared["services"], json!([]));
    assert_eq!(cleared["phone"], "+33148000000");
    assert_eq!(cleared["address"]["postcode"], "93800");
}

#[tokio::test]
async fn the_public_directory_filters_by_kind_departement_service_and_words() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let places = [
        ("Efficience", "tiers_lieu", "93800", "Épinay-sur-Seine", json!(["digital_mediation", "printing"])),
        ("Le POLE", "association", "93120", "La Courneuve", json!(["job_coaching"])),
        ("Cyber-base Ajaccio", "mediation_network", "20000", "Ajaccio", json!(["digital_mediation"])),
        ("Médiathèque de Bastia", "local_authority", "20200", "Bastia", json!(["printing"])),
        ("Case numérique", "tiers_lieu", "97400", "Saint-Denis", json!(["french_courses"])),
    ];
    for (name, kind, postcode, city, services) in places {
        let org = create_ok(&app, &admin, name, kind).await;
        let body = json!({"address": {"street": "1 place de la Mairie", "postcode": postcode, "city": city},
                          "services": services});
        assert_eq!(edit(&app, &admin, org["id"].as_str().unwrap(), &body).await.status(), StatusCode::OK);
    }
    create_ok(&app, &admin, "Sans adresse", "association").await;

    assert_eq!(public_list(&app, "?departement=93").await, ["Le POLE", "Efficience"]);
    assert_eq!(public_list(&app, "?departement=2a").await, ["Cyber-base Ajaccio"]);
    assert_eq!(public_list(&app, "?departement=2B").await, ["Médiathèque de Bastia"]);
    assert_eq!(public_list(&app, "?departement=974").await, ["Case numérique"]);
    assert_eq!(public_list(&app, "?service=printing").await, ["Médiathèque de Bastia", "Efficience"]);
    assert_eq!(public_list(&app, "?service=digital_mediation&departement=93").await, ["Efficience"]);
    assert_eq!(public_list(&app, "?kind=tiers_lieu").await, ["Case numérique", "Efficience"]);
    assert_eq!(public_list(&app, "?q=courneuve").await, ["Le POLE"]);
    assert_eq!(public_list(&app, "?q=MEDIATHEQUE%20bastia").await, ["Médiathèque de Bastia"]);
    assert_eq!(public_list(&app, "?q=epinay&service=job_coaching").await, Vec::<String>::new());
    assert_eq!(public_list(&app, "").await.len(), 6);

    let problem = assert_problem(
        app.get("/api/v1/organizations?departement=2C").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "departement");
    assert_problem(
        app.get("/api/v1/organizations?service=sauna").await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;
}

#[tokio::test]
async fn a_place_with_invalid_details_is_refused_field_by_field() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = create_ok(&app, &admin, "Efficience", "tiers_lieu").await;
    let org_id = org["id"].as_str().unwrap();
    let address = |postcode: &str, insee: &str| json!({"address": {"street": "1 rue de Paris", "postcode": postcode, "city": "Épinay", "insee_code": insee}});
    let hours = |timezone: &str, start: &str, end: &str| json!({"opening_hours": {"timezone": timezone, "slots": [{"weekday": 1, "start": start, "end": end}]}});
    for (body, field, code) in [
        (address("9380", "93031"), "address.postcode", "postcode"),
        (address("2A004", "93031"), "address.postcode", "postcode"),
        (address("93800", "2C004"), "address.insee_code", "insee_code"),
        (json!({"website": "http://efficience.fr"}), "website", "url"),
        (json!({"website": "efficience"}), "website", "url"),
        (json!({"phone": "12"}), "phone", "phone"),
        (json!({"email": "pas-une-adresse"}), "email", "email"),
        (hours("Europe/Paris", "09:00", "25:00"), "opening_hours.slots[0].end", "time"),
        (hours("Europe/Paris", "18:00", "09:00"), "opening_hours.slots[0].end", "range"),
        (hours("Mars/Olympus", "09:00", "12:00"), "opening_hours.timezone", "timezone"),
        (json!({"services": ["printing", "printing"]}), "services", "unique"),
        (json!({"description": ""}), "description", "length"),
    ] {
        let problem = assert_problem(
            edit(&app, &admin, org_id, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some(field), Some(code)),
            "{body}"
        );
        assert!(!problem["errors"][0]["message"].as_str().unwrap().is_empty());
    }
    assert_problem(
        edit(&app, &admin, org_id, &json!({"services": ["sauna"]})).await,
        StatusCode::BAD_REQUEST,
        "malformed_body",
    )
    .await;
    let unknown = edit(&app, &admin, &Uuid::now_v7().to_string(), &efficience()).await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    // Nothing was stored by the refused edits.
    let shown: Value = app.get(&format!("/api/v1/organizations/{org_id}")).await.json().await.unwrap();
    assert!(shown["address"].is_null() && shown["website"].is_null() && shown["opening_hours"].is_null());
}

#[tokio::test]
async fn workshops_and_match_sessions_name_a_place_of_the_directory() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = create_ok(&app, &admin, "Efficience", "tiers_lieu").await;
    let org_id = org["id"].as_str().unwrap();
    assert_eq!(edit(&app, &admin, org_id, &efficience()).await.status(), StatusCode::OK);
    let facilitator = app.user_with_role("Fatou", Role::Facilitator).await;
    let module = crate::workshops::modules(&app).await[0].clone();

    let mut body = crate::workshops::session_body(&module, 10, chrono::Duration::days(3));
    body.as_object_mut().unwrap().remove("location");
    body["place_id"] = json!(org_id);
    let response = app.send_as(&facilitator, Method::POST, "/api/v1/workshops", Some(&body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let workshop: Value = response.json().await.unwrap();
    assert_eq!(workshop["place"]["id"], org_id);
    assert_eq!(workshop["place"]["address"]["postcode"], "93800");
    assert_eq!(workshop["location"], "Efficience, 1 rue de Paris, 93800 Épinay-sur-Seine");
    let listed: Value = app.get("/api/v1/workshops").await.json().await.unwrap();
    assert_eq!(listed["items"][0]["place"]["name"], "Efficience");

    body["place_id"] = json!(Uuid::now_v7());
    let problem = assert_problem(
        app.send_as(&facilitator, Method::POST, "/api/v1/workshops", Some(&body)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("place_id"), Some("unknown_place"))
    );
    body.as_object_mut().unwrap().remove("place_id");
    let problem = assert_problem(
        app.send_as(&facilitator, Method::POST, "/api/v1/workshops", Some(&body)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "location");

    // A match session too.
    let learner = app.member("Amina").await;
    let skill = crate::mentoring::skill_id(&app, "digcomp.1.1").await;
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["in_person"], "languages": ["fr"],
                         "postcode": "93800", "max_active_matches": 3, "accepting": true});
    let mentor = crate::mentoring::mentor_with(&app, "Moussa", &skill, 6, &profile).await;
    let request = crate::mentoring::open_request(&app, &learner, &skill).await;
    let accepted = crate::mentoring::requested(&app, &learner, &request, &mentor).await;
    assert_eq!(crate::mentoring::act(&app, &mentor, &accepted, "accept").await.status(), StatusCode::OK);
    let starts_at = chrono::Utc::now() + chrono::Duration::days(2);
    let path = format!("/api/v1/matches/{accepted}/sessions");
    let session =
        json!({"starts_at": starts_at, "duration_minutes": 60, "modality": "in_person", "place_id": org_id});
    let response = app.send_as(&learner, Method::POST, &path, Some(&session)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["place"]["name"], "Efficience");
    let sessions: Value = app.get_as(&mentor, &path).await.json().await.unwrap();
    assert_eq!(sessions["items"][0]["place"]["id"], org_id);
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

/// Attaches `user` to `org_id` as a manager.
pub async fn attach_manager(app: &TestApp, admin: &TestUser, org_id: &str, user: &TestUser) {
    let path = format!("/api/v1/organizations/{org_id}/members");
    let body = json!({"user_id": user.id, "role": "manager"});
    assert_eq!(app.send_as(admin, Method::POST, &path, Some(&body)).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_manager_edits_their_own_place_and_no_other() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let own = create_ok(&app, &admin, "Efficience", "tiers_lieu").await["id"].as_str().unwrap().to_owned();
    let other = create_ok(&app, &admin, "Le POLE", "association").await["id"].as_str().unwrap().to_owned();
    let manager = app.user_with_role("Lina", Role::Facilitator).await;
    attach_manager(&app, &admin, &own, &manager).await;
    let plain = app.user_with_role("Karim", Role::Counsellor).await;
    assert_eq!(attach(&app, &admin, &own, plain.id).await.status(), StatusCode::CREATED);

    let response = edit(&app, &manager, &own, &efficience()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_problem(edit(&app, &manager, &other, &efficience()).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    let change = json!({"description": "Détourné"});
    assert_problem(edit(&app, &plain, &own, &change).await, StatusCode::FORBIDDEN, "forbidden").await;
    let untouched: Value = app.get(&format!("/api/v1/organizations/{other}")).await.json().await.unwrap();
    assert!(untouched["address"].is_null() && untouched["description"].is_null());
    let kept: Value = app.get(&format!("/api/v1/organizations/{own}")).await.json().await.unwrap();
    assert_eq!(kept["description"], "Tiers-lieu : médiation numérique et ateliers.");
}
