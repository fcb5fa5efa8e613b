//! Training offers: a centre's managers write drafts, publish, archive and
//! date them; the catalogue of published offers is public, with its filters.

use chrono::{Duration, Utc};
use entity::Role;
use entity::training_offer;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

use crate::mentoring::skill_id;
use crate::organizations::{create_ok, edit};

pub fn offer_body(organization: &str, skill: &str) -> Value {
    json!({
        "organization_id": organization,
        "title": "Conseiller numérique",
        "description": "Accompagner les publics vers l'autonomie numérique.",
        "skills": [{"skill_id": skill, "level": 4}],
        "certification": "Titre professionnel Conseiller médiateur numérique",
        "certification_code": "rncp 37245",
        "prerequisites": "Savoir utiliser un ordinateur.",
        "modality": "blended",
        "duration_hours": 400,
        "cost_euros": 0,
        "funding": ["region", "cpf"],
        "accessibility": "Locaux accessibles en fauteuil roulant.",
        "contact_email": "Formation@Centre.fr",
        "contact_phone": "01 49 00 00 00"
    })
}

async fn post(app: &TestApp, user: &TestUser, path: &str, body: Option<&Value>) -> Response {
    app.send_as(user, Method::POST, path, body).await
}

/// A training centre in `postcode`; returns its id.
pub async fn centre(app: &TestApp, admin: &TestUser, name: &str, postcode: &str) -> String {
    let org = create_ok(app, admin, name, "training_center").await;
    let id = org["id"].as_str().unwrap().to_owned();
    let address = json!({"address": {"street": "2 rue de la Gare", "postcode": postcode, "city": "Ville"}});
    assert_eq!(edit(app, admin, &id, &address).await.status(), StatusCode::OK);
    id
}

/// A draft offer; returns its id.
pub async fn draft(app: &TestApp, manager: &TestUser, body: &Value) -> String {
    let response = post(app, manager, "/api/v1/training-offers", Some(body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn published(app: &TestApp, manager: &TestUser, body: &Value) -> String {
    let id = draft(app, manager, body).await;
    let response = post(app, manager, &format!("/api/v1/training-offers/{id}/publish"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

async fn catalogue(app: &TestApp, query: &str) -> Vec<String> {
    let response = app.get(&format!("/api/v1/training-offers{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|o| o["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn an_offer_goes_from_draft_to_published_to_archived_and_keeps_its_page() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = centre(&app, &admin, "Greta 93", "93800").await;
    let skill = skill_id(&app, "digcomp.1.1").await;

    let response = post(&app, &admin, "/api/v1/training-offers", Some(&offer_body(&org, &skill))).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/training-offers/{id}"));
    assert_eq!(created["public_url"], location);
    assert_eq!(created["status"], "draft");
    assert_eq!(created["certification_code"], "RNCP37245");
    assert_eq!(created["contact_email"], "formation@centre.fr");
    assert_eq!(created["contact_phone"], "+33149000000");
    assert_eq!(created["funding"], json!(["cpf", "region"]));
    assert_eq!(created["skills"][0]["code"], "digcomp.1.1");
    assert_eq!(created["skills"][0]["level"], 4);
    assert_eq!(created["organization"]["name"], "Greta 93");

    // A draft is invisible to the public and to other accounts.
    assert_problem(app.get(&location).await, StatusCode::NOT_FOUND, "not_found").await;
    let member = app.member("Awa").await;
    assert_problem(app.get_as(&member, &location).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.get_as(&admin, &location).await.status(), StatusCode::OK);
    assert!(catalogue(&app, "").await.is_empty());

    let starts_on = (Utc::now() + Duration::days(30)).date_naive();
    let session = json!({"starts_on": starts_on, "ends_on": starts_on + Duration::days(60), "seats": 12,
                         "application_deadline": starts_on - Duration::days(7), "place_id": org});
    let response = post(&app, &admin, &format!("{location}/sessions"), Some(&session)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let dated: Value = response.json().await.unwrap();
    assert_eq!(dated["place"]["address"]["departement"], "93");

    let response = post(&app, &admin, &format!("{location}/publish"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let shown: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(shown["status"], "published");
    assert_eq!(shown["sessions"][0]["seats"], 12);
    assert!(shown["published_at"].is_string());
    assert_eq!(catalogue(&app, "").await, ["Conseiller numérique"]);
    assert_problem(
        post(&app, &admin, &format!("{location}/publish"), None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;

    let edited =
        app.send_as(&admin, Method::PATCH, &location, Some(&json!({"title": "Médiateur numérique"}))).await;
    assert_eq!(edited.status(), StatusCode::OK);
    assert_eq!(catalogue(&app, "").await, ["Médiateur numérique"]);

    assert_eq!(post(&app, &admin, &format!("{location}/archive"), None).await.status(), StatusCode::OK);
    assert!(catalogue(&app, "").await.is_empty());
    let archived: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(
        (archived["status"].as_str(), archived["title"].as_str()),
        (Some("archived"), Some("Médiateur numérique"))
    );
    for (method, path, body) in [
        (Method::POST, format!("{location}/archive"), None),
        (Method::POST, format!("{location}/publish"), None),
        (Method::PATCH, location.clone(), Some(json!({"title": "Autre"}))),
        (Method::POST, format!("{location}/sessions"), Some(session.clone())),
    ] {
        let response = app.send_as(&admin, method, &path, body.as_ref()).await;
        assert_problem(response, StatusCode::CONFLICT, "invalid_transition").await;
    }
    let stored = training_offer::Entity::find().all(&app.db).await.unwrap();
    assert_eq!((stored.len(), stored[0].title.as_str()), (1, "Médiateur numérique"));
}

#[tokio::test]
async fn only_managers_write_offers_and_bad_fields_are_422() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let org = centre(&app, &admin, "Greta 93", "93800").await;
    let skill = skill_id(&app, "digcomp.1.1").await;
    let offer = draft(&app, &admin, &offer_body(&org, &skill)).await;
    let counsellor = app.user_with_role("Karim", Role::Counsellor).await;
    let member = app.member("Awa").await;
    for caller in [&member, &counsellor] {
        let created = post(&app, caller, "/api/v1/training-offers", Some(&offer_body(&org, &skill))).await;
        assert_problem(created, StatusCode::FORBIDDEN, "forbidden").await;
        let path = format!("/api/v1/training-offers/{offer}");
        let edited = app.send_as(caller, Method::PATCH, &path, Some(&json!({"title": "Détourné"}))).await;
        assert_problem(edited, StatusCode::FORBIDDEN, "forbidden").await;
        assert_problem(
            post(&app, caller, &format!("{path}/publish"), None).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(training_offer::Entity::find().count(&app.db).await.unwrap(), 1);

    let tiers_lieu =
        create_ok(&app, &admin, "Efficience", "tiers_lieu").await["id"].as_str().unwrap().to_owned();
    let with = |field: &str, value: Value| {
        let mut body = offer_body(&org, &skill);
        body[field] = value;
        body
    };
    for (body, field, code) in [
        (with("certification_code", json!("RNCP12")), "certification_code", "certification_code"),
        (with("certification_code", json!("RX1234")), "certification_code", "certification_code"),
        (with("organization_id", json!(tiers_lieu)), "organization_id", "not_a_training_centre"),
        (with("organization_id", json!(Uuid::now_v7())), "organization_id", "unknown"),
        (
            with("skills", json!([{"skill_id": Uuid::now_v7(), "level": 3}])),
            "skills[0].skill_id",
            "unknown_skill",
        ),
        (with("skills", json!([{"skill_id": skill, "level": 9}])), "skills[0].level", "range"),
        (with("skills", json!([])), "skills", "length"),
        (with("funding", json!(["cpf", "cpf"])), "funding", "unique"),
        (with("place_id", json!(Uuid::now_v7())), "place_id", "unknown_place"),
        (with("duration_hours", json!(0)), "duration_hours", "range"),
    ] {
        let problem = assert_problem(
            post(&app, &admin, "/api/v1/training-offers", Some(&body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some(field), Some(code)),
            "{body}"
        );
    }
    let bad_modality = with("modality", json!("by_pigeon"));
    assert_problem(
        post(&app, &admin, "/api/v1/training-offers", Some(&bad_modality)).await,
        StatusCode::BAD_REQUEST,
        "malformed_body",
    )
    .await;

    let today = Utc::now().date_naive();
    let path = format!("/api/v1/training-offers/{offer}/sessions");
    for (session, field, code) in [
        (json!({"starts_on": today - Duration::days(1), "ends_on": today}), "starts_on", "past"),
        (json!({"starts_on": today + Duration::days(5), "ends_on": today}), "ends_on", "before_start"),
        (
            json!({"starts_on": today, "ends_on": today, "application_deadline": today + Duration::days(1)}),
            "application_deadline",
            "after_start",
        ),
        (json!({"starts_on": today, "ends_on": today, "seats": 0}), "seats", "range"),
    ] {
        let problem = assert_problem(
            post(&app, &admin, &path, Some(&session)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some(field), Some(code))
        );
    }
    let unknown =
        post(&app, &admin, &format!("/api/v1/training-offers/{}/publish", Uuid::now_v7()), None).await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_public_catalogue_filters_published_offers() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let epinay = centre(&app, &admin, "Greta 93", "93800").await;
    let paris = centre(&app, &admin, "Afpa Paris", "75011").await;
    let digital = skill_id(&app, "digcomp.1.1").await;
    let safety = skill_id(&app, "digcomp.4.2").await;
    let skills: Value = app.get("/api/v1/skills?framework=impose_toi").await.json().await.unwrap();
    let soft = skills["items"][0]["id"].as_str().unwrap().to_owned();

    let offer = |org: &str, title: &str, skill: &str, modality: &str, funding: Value, place: Option<&str>| {
        let mut body = offer_body(org, skill);
        body["title"] = json!(title);
        body["modality"] = json!(modality);
        body["funding"] = funding;
        body["place_id"] = json!(place);
        body
    };
    let first = published(
        &app,
        &admin,
        &offer(&epinay, "Bureautique", &digital, "in_person", json!(["cpf"]), Some(&epinay)),
    )
    .await;
    published(
        &app,
        &admin,
        &offer(&paris, "Cybersécurité", &safety, "remote", json!(["france_travail"]), None),
    )
    .await;
    published(
        &app,
        &admin,
        &offer(&paris, "Prise de parole", &soft, "in_person", json!(["free"]), Some(&paris)),
    )
    .await;
    draft(&app, &admin, &offer(&epinay, "Brouillon", &digital, "in_person", json!(["cpf"]), Some(&epinay)))
        .await;
    // A remote offer with a session in Seine-Saint-Denis is found there too.
    let remote =
        published(&app, &admin, &offer(&paris, "Réseaux", &digital, "remote", json!(["region"]), None)).await;
    let in_two_months = (Utc::now() + Duration::days(60)).date_naive();
    let session = json!({"starts_on": in_two_months, "ends_on": in_two_months, "place_id": epinay});
    let path = format!("/api/v1/training-offers/{remote}/sessions");
    assert_eq!(post(&app, &admin, &path, Some(&session)).await.status(), StatusCode::CREATED);
    let next_week = (Utc::now() + Duration::days(7)).date_naive();
    let session = json!({"starts_on": next_week, "ends_on": next_week});
    let path = format!("/api/v1/training-offers/{first}/sessions");
    assert_eq!(post(&app, &admin, &path, Some(&session)).await.status(), StatusCode::CREATED);

    assert_eq!(catalogue(&app, "").await, ["Réseaux", "Prise de parole", "Cybersécurité", "Bureautique"]);
    assert_eq!(catalogue(&app, &format!("?skill_id={digital}")).await, ["Réseaux", "Bureautique"]);
    assert_eq!(catalogue(&app, "?framework=impose_toi").await, ["Prise de parole"]);
    assert_eq!(catalogue(&app, "?departement=93").await, ["Réseaux", "Bureautique"]);
    assert_eq!(
        catalogue(&app, &format!("?departement=93&skill_id={digital}&modality=remote")).await,
        ["Réseaux"]
    );
    assert_eq!(catalogue(&app, "?departement=75").await, ["Prise de parole"]);
    assert_eq!(catalogue(&app, "?funding=france_travail").await, ["Cybersécurité"]);
    assert_eq!(catalogue(&app, "?modality=in_person").await, ["Prise de parole", "Bureautique"]);
    let after = (Utc::now() + Duration::days(30)).date_naive();
    assert_eq!(catalogue(&app, &format!("?starts_after={after}")).await, ["Réseaux"]);
    assert_eq!(catalogue(&app, "?q=CYBERSECURITE").await, ["Cybersécurité"]);
    assert_eq!(catalogue(&app, "?limit=3").await.len(), 3);
    let problem = assert_problem(
        app.get("/api/v1/training-offers?departement=999").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "departement");
    assert_problem(
        app.get("/api/v1/training-offers?funding=lottery").await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;
}

#[tokio::test]
async fn a_centre_manager_writes_their_centre_offers_and_not_another_centres() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let own = centre(&app, &admin, "Greta 93", "93800").await;
    let other = centre(&app, &admin, "Afpa Paris", "75011").await;
    let skill = skill_id(&app, "digcomp.1.1").await;
    let manager = app.user_with_role("Lina", Role::Facilitator).await;
    crate::organizations::attach_manager(&app, &admin, &own, &manager).await;
    let rival = app.user_with_role("Rachid", Role::Facilitator).await;
    crate::organizations::attach_manager(&app, &admin, &other, &rival).await;

    let mine = draft(&app, &manager, &offer_body(&own, &skill)).await;
    let theirs = draft(&app, &rival, &offer_body(&other, &skill)).await;
    let refused = post(&app, &manager, "/api/v1/training-offers", Some(&offer_body(&other, &skill))).await;
    assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;

    let path = format!("/api/v1/training-offers/{theirs}");
    assert_problem(app.get_as(&manager, &path).await, StatusCode::NOT_FOUND, "not_found").await;
    let edited = app.send_as(&manager, Method::PATCH, &path, Some(&json!({"title": "Détourné"}))).await;
    assert_problem(edited, StatusCode::FORBIDDEN, "forbidden").await;
    for action in ["publish", "archive"] {
        let acted = post(&app, &manager, &format!("{path}/{action}"), None).await;
        assert_problem(acted, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let shown: Value = app.get_as(&rival, &path).await.json().await.unwrap();
    assert_eq!(
        (shown["title"].as_str(), shown["status"].as_str()),
        (Some("Conseiller numérique"), Some("draft"))
    );

    let own_path = format!("/api/v1/training-offers/{mine}");
    assert_eq!(app.get_as(&manager, &own_path).await.status(), StatusCode::OK);
    assert_eq!(post(&app, &manager, &format!("{own_path}/publish"), None).await.status(), StatusCode::OK);
    assert_eq!(catalogue(&app, "").await, ["Conseiller numérique"]);
}
