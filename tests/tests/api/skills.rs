use entity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tests::{TestApp, assert_problem, spawn_app};

async fn skills(app: &TestApp, query: &str) -> Vec<Value> {
    let response = app.get(&format!("/api/v1/skills?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

fn codes(items: &[Value]) -> Vec<&str> {
    items.iter().map(|s| s["code"].as_str().unwrap()).collect()
}

async fn skill_id(app: &TestApp, code: &str) -> String {
    let found = skills(app, &format!("q={code}&limit=100")).await;
    found.iter().find(|s| s["code"] == code).unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_catalogue_filters_and_searches_without_accents_or_case() {
    let app = spawn_app().await;
    let safety = skill_id(&app, "digcomp.4").await;
    let children = skills(&app, &format!("parent_id={safety}")).await;
    assert_eq!(codes(&children), ["digcomp.4.1", "digcomp.4.2", "digcomp.4.3", "digcomp.4.4"]);

    assert!(codes(&skills(&app, "q=SECURITE").await).contains(&"digcomp.4"));
    assert_eq!(codes(&skills(&app, "q=données%20PERSONNELLES").await), ["digcomp.4.2"]);
    assert_eq!(codes(&skills(&app, "q=netiquette").await), ["digcomp.2.5"]);
    assert!(
        codes(&skills(&app, "q=privacy").await).contains(&"digcomp.4.2"),
        "English names are searched too"
    );
    assert!(skills(&app, "q=zzzz").await.is_empty());

    let soft = skills(&app, "category=soft&limit=100").await;
    assert!(!soft.is_empty() && soft.iter().all(|s| s["framework"] == "impose_toi"));
    let digcomp = skills(&app, "framework=digcomp&limit=100").await;
    assert_eq!(digcomp.len(), 26);
    assert_problem(
        app.get("/api/v1/skills?framework=other").await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;
}

#[tokio::test]
async fn the_catalogue_pages_in_code_order() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/skills?framework=digcomp&limit=7".to_owned();
    loop {
        let page: Value = app.get(&path).await.json().await.unwrap();
        seen.extend(codes(page["items"].as_array().unwrap()).into_iter().map(str::to_owned));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/skills?framework=digcomp&limit=7&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!((seen.len(), seen.clone()), (26, sorted));
}

#[tokio::test]
async fn a_skill_comes_with_its_children() {
    let app = spawn_app().await;
    let id = skill_id(&app, "digcomp.2").await;
    let detail: Value = app.get(&format!("/api/v1/skills/{id}")).await.json().await.unwrap();
    assert_eq!(detail["code"], "digcomp.2");
    assert_eq!(detail["name_en"], "Communication and collaboration");
    assert_eq!(detail["children"].as_array().unwrap().len(), 6);
    assert_problem(
        app.get(&format!("/api/v1/skills/{}", uuid::Uuid::now_v7())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(app.get("/api/v1/skills/42").await, StatusCode::BAD_REQUEST, "malformed_path").await;
}

#[tokio::test]
async fn admins_add_and_edit_skills() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let facilitator = app.user_with_role("Anim", Role::Facilitator).await;
    let body = json!({"code": "metier.cuisine", "name": "Cuisiner en collectivité", "category": "professional", "level_max": 4});

    assert_problem(
        app.send_as(&facilitator, Method::POST, "/api/v1/skills", Some(&body)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let created = app.send_as(&admin, Method::POST, "/api/v1/skills", Some(&body)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let skill: Value = created.json().await.unwrap();
    assert_eq!((skill["framework"].as_str(), skill["level_max"].as_i64()), (Some("custom"), Some(4)));
    assert_eq!(location, format!("/api/v1/skills/{}", skill["id"].as_str().unwrap()));
    assert_problem(
        app.send_as(&admin, Method::POST, "/api/v1/skills", Some(&body)).await,
        StatusCode::CONFLICT,
        "skill_code_taken",
    )
    .await;

    for (invalid, field) in [
        (json!({"code": "Métier cuisine", "name": "x", "category": "professional", "level_max": 4}), "code"),
        (json!({"code": "metier.x", "name": "x", "category": "professional", "level_max": 9}), "level_max"),
        (
            json!({"code": "metier.y", "name": "x", "category": "professional", "level_max": 4, "parent_id": uuid::Uuid::now_v7()}),
            "parent_id",
        ),
    ] {
        let problem = assert_problem(
            app.send_as(&admin, Method::POST, "/api/v1/skills", Some(&invalid)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }

    let path = format!("/api/v1/skills/{}", skill["id"].as_str().unwrap());
    let edited = app.send_as(&admin, Method::PATCH, &path, Some(&json!({"name": "Pâtisserie"}))).await;
    assert_eq!(edited.json::<Value>().await.unwrap()["name"], "Pâtisserie");
    assert_eq!(codes(&skills(&app, "q=patisserie").await), ["metier.cuisine"]);
    assert!(skills(&app, "q=collectivite").await.is_empty(), "the old name is no longer found");
}

#[tokio::test]
async fn members_declare_what_they_want_and_offer() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let binta = app.member("Binta").await;
    let email_skill = skill_id(&app, "digcomp.2.1").await;
    let pitch = skill_id(&app, "impose_toi.pitch").await;
    let path = format!("/api/v1/me/skills/{email_skill}");

    let declared = app.send_as(&awa, Method::PUT, &path, Some(&json!({"kind": "want", "level": 2}))).await;
    assert_eq!(declared.status(), StatusCode::OK);
    app.send_as(&awa, Method::PUT, &path, Some(&json!({"kind": "want", "level": 3}))).await;
    app.send_as(
        &awa,
        Method::PUT,
        &format!("/api/v1/me/skills/{pitch}"),
        Some(&json!({"kind": "offer", "level": 2})),
    )
    .await;

    let mine: Value = app.get_as(&awa, "/api/v1/me/skills").await.json().await.unwrap();
    let entries: Vec<(&str, &str, i64)> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["skill"]["code"].as_str().unwrap(), e["kind"].as_str().unwrap(), e["level"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(entries, [("digcomp.2.1", "want", 3), ("impose_toi.pitch", "offer", 2)]);
    let theirs: Value = app.get_as(&binta, "/api/v1/me/skills").await.json().await.unwrap();
    assert!(theirs["items"].as_array().unwrap().is_empty());

    let profile: Value = app.get_as(&binta, &format!("/api/v1/users/{}", awa.id)).await.json().await.unwrap();
    assert_eq!(profile["offered_skills"][0]["code"], "impose_toi.pitch");
    assert_eq!(profile["offered_skills"].as_array().unwrap().len(), 1, "wanted skills stay private");

    let too_high = app
        .send_as(
            &awa,
            Method::PUT,
            &format!("/api/v1/me/skills/{pitch}"),
            Some(&json!({"kind": "want", "level": 5})),
        )
        .await;
    assert_eq!(
        assert_problem(too_high, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await["errors"][0]["field"],
        "level"
    );
    let off_scale = app.send_as(&awa, Method::PUT, &path, Some(&json!({"kind": "want", "level": 9}))).await;
    assert_problem(off_scale, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let unknown = format!("/api/v1/me/skills/{}", uuid::Uuid::now_v7());
    assert_problem(
        app.send_as(&awa, Method::PUT, &unknown, Some(&json!({"kind": "want", "level": 1}))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    assert_problem(
        app.send_as(&binta, Method::DELETE, &path, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        app.send_as(&awa, Method::DELETE, &format!("{path}?kind=want"), None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        app.send_as(&awa, Method::DELETE, &format!("{path}?kind=want"), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

/// A skill's problems and field messages read in the caller's language.
#[tokio::test]
async fn skill_texts_read_in_english_for_whoever_reads_english() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    crate::languages::speak_english(&app, &admin).await;
    let body =
        json!({"code": "metier.cuisine", "name": "Cuisiner", "category": "professional", "level_max": 4});
    let create = |body: Value| {
        let (app, admin) = (&app, &admin);
        async move { app.send_as(admin, Method::POST, "/api/v1/skills", Some(&body)).await }
    };
    assert_eq!(create(body.clone()).await.status(), StatusCode::CREATED);
    let taken = assert_problem(create(body.clone()).await, StatusCode::CONFLICT, "skill_code_taken").await;
    assert_eq!(taken["detail"], "Another skill already uses this code.");
    let mut orphan = body.clone();
    orphan["code"] = json!("metier.patisserie");
    orphan["parent_id"] = json!(uuid::Uuid::now_v7());
    let orphan =
        assert_problem(create(orphan).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(orphan["errors"][0]["message"], "This parent skill does not exist.");

    let pitch = skill_id(&app, "impose_toi.pitch").await;
    let path = format!("/api/v1/me/skills/{pitch}");
    let too_high = json!({"kind": "want", "level": 5});
    let reader = crate::languages::english_member(&app, "Sam").await;
    let english = app.send_as(&reader, Method::PUT, &path, Some(&too_high)).await;
    let english = assert_problem(english, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(english["errors"][0]["message"], "The level of this skill goes from 1 to 4.");
    let lecteur = app.member("Awa").await;
    let french = app.send_as(&lecteur, Method::PUT, &path, Some(&too_high)).await;
    let french = assert_problem(french, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(french["errors"][0]["message"], "Le niveau de cette compétence va de 1 à 4.");
}
