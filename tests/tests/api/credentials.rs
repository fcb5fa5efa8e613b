//! Open Badges through HTTP: achievements awarded once by the real earning
//! flows (a mastered lesson, attendance, mentoring with feedback, a placement
//! test), VC-JWTs checked with the published JWKS (not through our verify
//! endpoint), verification, revocation through the status list, the baked
//! SVG, privacy (another member's credential, export, erasure).

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{Role, award};
use flate2::read::GzDecoder;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tests::{TestApp, TestUser, assert_problem, spawn_app};

use crate::accompaniments::notifications;
use crate::adaptive::run_placement;
use crate::lessons::{Exercises, answer, published_lesson, start};
use crate::mentoring::{act, mentor_with, open_request, post, requested, skill_id};
use crate::workshops::{attended, modules};

/// `TREMPLIN_PUBLIC_URL` of the test instances (the default).
const PUBLIC_URL: &str = "http://127.0.0.1:8080";
const ISSUER: &str = "http://127.0.0.1:8080/api/v1/issuer";

/// Completes an attempt at `lesson` with every answer right (mastered).
async fn master(app: &TestApp, member: &TestUser, lesson: &str) -> reqwest::Response {
    let exercises = Exercises::of(app, member, lesson).await;
    let attempt = start(app, member, lesson).await;
    for (index, right) in exercises.right_answers().into_iter().enumerate() {
        answer(app, member, &attempt, &exercises.ids[index], right).await;
    }
    app.send_as(member, Method::POST, &format!("/api/v1/attempts/{attempt}/complete"), None).await
}

async fn my_credentials(app: &TestApp, member: &TestUser) -> Vec<Value> {
    let response = app.get_as(member, "/api/v1/me/credentials").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

async fn awards_of(app: &TestApp, member: &TestUser) -> Vec<award::Model> {
    award::Entity::find().filter(award::Column::UserId.eq(member.id)).all(&app.db).await.unwrap()
}

async fn verify(app: &TestApp, jwt: &str) -> Value {
    let response = app.post_json("/api/v1/credentials/verify", &json!({ "credential": jwt })).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Decodes a VC-JWT with the key its `kid` names in the published JWKS.
async fn decode_with_jwks(app: &TestApp, jwt: &str) -> (jsonwebtoken::Header, Value) {
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    let jwks: JwkSet = app.get("/.well-known/jwks.json").await.json().await.unwrap();
    let jwk = jwks.find(header.kid.as_deref().unwrap()).expect("the kid is published");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.set_issuer(&[ISSUER]);
    let data = jsonwebtoken::decode::<Value>(jwt, &DecodingKey::from_jwk(jwk).unwrap(), &validation).unwrap();
    (data.header, data.claims)
}

/// The bit of the status list entry `entry`, read from the published list.
async fn status_bit(app: &TestApp, entry: &Value) -> bool {
    let url = entry["statusListCredential"].as_str().unwrap();
    let list: Value = app.get(url.strip_prefix(PUBLIC_URL).unwrap()).await.json().await.unwrap();
    assert_eq!(list["type"], json!(["VerifiableCredential", "BitstringStatusListCredential"]));
    assert_eq!(list["credentialSubject"]["statusPurpose"], "revocation");
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let compressed = URL_SAFE_NO_PAD.decode(encoded.strip_prefix('u').expect("multibase base64url")).unwrap();
    let mut bits = Vec::new();
    GzDecoder::new(compressed.as_slice()).read_to_end(&mut bits).unwrap();
    assert!(bits.len() >= 16 * 1024, "a list holds at least 16 KB");
    let index: usize = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
    bits[index / 8] & (0x80 >> (index % 8)) != 0
}

#[tokio::test]
async fn a_mastered_lesson_awards_a_credential_that_verifies_until_it_is_revoked() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let member = app.member("Awa").await;
    let other = app.member("Léo").await;
    assert!(my_credentials(&app, &member).await.is_empty());

    // Mastered twice: one award, one notice.
    for _ in 0..2 {
        assert_eq!(master(&app, &member, &lesson).await.status(), StatusCode::OK);
    }
    let listed = my_credentials(&app, &member).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["achievement"]["key"], "digcomp.4.1.level-2");
    assert_eq!(listed[0]["status"], "active");
    let awarded: Vec<Value> = notifications(&app, &member)
        .await
        .into_iter()
        .filter(|n| n["kind"] == "credential.awarded")
        .collect();
    assert_eq!(awarded.len(), 1);
    let id = listed[0]["id"].as_str().unwrap().to_owned();

    // The VC-JWT, checked with the published keys.
    let detail: Value =
        app.get_as(&member, &format!("/api/v1/me/credentials/{id}")).await.json().await.unwrap();
    let jwt = detail["credential"].as_str().unwrap().to_owned();
    let (header, vc) = decode_with_jwks(&app, &jwt).await;
    assert_eq!((header.alg, header.typ.as_deref()), (Algorithm::RS256, Some("vc+jwt")));
    assert_eq!(
        vc["@context"],
        json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(vc["type"], json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(vc["id"], format!("urn:uuid:{id}"));
    assert_eq!(
        (vc["jti"].as_str(), vc["iss"].as_str()),
        (Some(format!("urn:uuid:{id}").as_str()), Some(ISSUER))
    );
    assert!(vc.get("exp").is_none() && vc["nbf"].is_i64());
    assert_eq!(
        vc["issuer"],
        json!({"id": ISSUER, "type": ["Profile"], "name": "Tremplin", "url": PUBLIC_URL})
    );
    assert!(vc["validFrom"].as_str().unwrap().ends_with('Z'));
    let subject = &vc["credentialSubject"];
    assert_eq!(subject["type"], json!(["AchievementSubject"]));
    assert_eq!(
        subject["identifier"],
        json!([{"type": "IdentityObject", "identityHash": "Awa", "identityType": "name", "hashed": false}]),
        "no email unless the member asks"
    );
    let achievement = &subject["achievement"];
    assert_eq!(achievement["type"], json!(["Achievement"]));
    assert_eq!(achievement["id"], format!("{PUBLIC_URL}/api/v1/achievements/digcomp.4.1.level-2"));
    assert_eq!(vc["name"], achievement["name"]);
    assert_eq!(achievement["inLanguage"], "fr");
    assert!(achievement["description"].as_str().unwrap().contains("niveau 2"));
    assert!(!achievement["criteria"]["narrative"].as_str().unwrap().is_empty());
    assert_eq!(achievement["image"]["type"], "Image");
    let image = achievement["image"]["id"].as_str().unwrap().strip_prefix(PUBLIC_URL).unwrap().to_owned();
    let svg = app.get(&image).await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<title"));
    let alignment = &achievement["alignment"][0];
    assert_eq!(
        (&alignment["type"], &alignment["targetCode"], &alignment["targetFramework"]),
        (&json!(["Alignment"]), &json!("4.1"), &json!("DigComp 2.2"))
    );
    assert!(alignment["targetName"].is_string() && alignment["targetUrl"].is_string());
    let status = &vc["credentialStatus"];
    assert_eq!(
        (&status["type"], &status["statusPurpose"]),
        (&json!("BitstringStatusListEntry"), &json!("revocation"))
    );
    assert!(!status_bit(&app, status).await);

    // The bare JWT, and the email hashed with a salt when asked for.
    let bare = app
        .request(Method::GET, &format!("/api/v1/me/credentials/{id}"))
        .bearer_auth(&member.access_token)
        .header("accept", "application/vc+jwt")
        .send()
        .await
        .unwrap();
    assert_eq!(bare.headers()["content-type"], "application/vc+jwt");
    assert_eq!(bare.text().await.unwrap(), jwt);
    let with_email: Value = app
        .get_as(&member, &format!("/api/v1/me/credentials/{id}?with_email=true"))
        .await
        .json()
        .await
        .unwrap();
    let (_, vc_with_email) = decode_with_jwks(&app, with_email["credential"].as_str().unwrap()).await;
    let hashed = &vc_with_email["credentialSubject"]["identifier"][1];
    let salt = hashed["salt"].as_str().unwrap();
    assert_eq!((&hashed["identityType"], &hashed["hashed"]), (&json!("emailAddress"), &json!(true)));
    let expected =
        format!("sha256${}", hex::encode(Sha256::digest(format!("{}{salt}", member.email.to_lowercase()))));
    assert_eq!(hashed["identityHash"], expected);
    assert!(!vc_with_email.to_string().contains(&member.email));

    // The baked image holds the credential.
    let baked = app.get_as(&member, &format!("/api/v1/me/credentials/{id}/badge.svg")).await;
    assert_eq!(baked.headers()["content-type"], "image/svg+xml");
    let baked = baked.text().await.unwrap();
    assert!(baked.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""));
    assert!(baked.contains(&format!("<openbadges:credential>{jwt}</openbadges:credential>")));

    // Another member: 404 everywhere.
    for path in [format!("/api/v1/me/credentials/{id}"), format!("/api/v1/me/credentials/{id}/badge.svg")] {
        assert_problem(app.get_as(&other, &path).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    // Verification, and one byte of the payload changed.
    let verified = verify(&app, &jwt).await;
    assert_eq!((&verified["valid"], &verified["revoked"]), (&json!(true), &json!(false)), "{verified}");
    assert_eq!(verified["issuer"]["id"], ISSUER);
    assert_eq!(verified["achievement"]["name"], achievement["name"]);
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    let at = payload.iter().position(|b| *b == b'2').unwrap();
    payload[at] = b'3';
    let tampered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(&payload), parts[2]);
    let refused = verify(&app, &tampered).await;
    assert_eq!(refused["valid"], false);
    assert_eq!(refused["errors"], json!(["invalid_signature"]));
    assert!(refused["achievement"].is_null());
    assert_eq!(verify(&app, "not a jwt").await["errors"], json!(["malformed"]));

    // Revocation: facilitators and admins only, with a reason, once.
    let revoke = format!("/api/v1/credentials/{id}/revoke");
    let reason = json!({"reason": "Attribué par erreur"});
    assert_problem(
        app.send_as(&member, Method::POST, &revoke, Some(&reason)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.send_as(&author, Method::POST, &revoke, Some(&json!({"reason": ""}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let revoked = app.send_as(&author, Method::POST, &revoke, Some(&reason)).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(revoked.json::<Value>().await.unwrap()["status"], "revoked");
    assert_problem(
        app.send_as(&author, Method::POST, &revoke, Some(&reason)).await,
        StatusCode::CONFLICT,
        "credential_revoked",
    )
    .await;
    assert!(status_bit(&app, status).await, "the status list marks it");
    let after = verify(&app, &jwt).await;
    assert_eq!((&after["valid"], &after["revoked"]), (&json!(false), &json!(true)));
    assert_eq!(after["errors"], json!(["revoked"]));
    assert_eq!(my_credentials(&app, &member).await[0]["status"], "revoked");
    let told = notifications(&app, &member).await;
    assert!(
        told.iter().any(|n| n["kind"] == "credential.revoked"
            && n["body"].as_str().unwrap().contains("Attribué par erreur"))
    );
}

#[tokio::test]
async fn concurrent_completions_award_once_and_every_award_has_its_own_status_bit() {
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let mut members = Vec::new();
    for index in 0..4 {
        members.push(app.member(&format!("Membre{index}")).await);
    }
    // Each member completes two mastered attempts at once.
    let mut ready = Vec::new();
    for member in &members {
        for _ in 0..2 {
            let exercises = Exercises::of(&app, member, &lesson).await;
            let attempt = start(&app, member, &lesson).await;
            for (index, right) in exercises.right_answers().into_iter().enumerate() {
                answer(&app, member, &attempt, &exercises.ids[index], right).await;
            }
            ready.push((member, attempt));
        }
    }
    let paths: Vec<(&TestUser, String)> = ready
        .iter()
        .map(|(member, attempt)| (*member, format!("/api/v1/attempts/{attempt}/complete")))
        .collect();
    let completions = paths.iter().map(|(member, path)| app.send_as(member, Method::POST, path, None));
    for response in futures_util::future::join_all(completions).await {
        assert_eq!(response.status(), StatusCode::OK);
    }
    let mut indices = Vec::new();
    for member in &members {
        let awards = awards_of(&app, member).await;
        assert_eq!(awards.len(), 1, "one award per member");
        indices.push(awards[0].status_index);
    }
    indices.sort_unstable();
    indices.dedup();
    assert_eq!(indices.len(), members.len(), "distinct status bits");
}

#[tokio::test]
async fn attendance_awards_each_module_then_the_programme_and_the_journey_shows_them() {
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let member = app.member("Awa").await;
    attended(&app, &anim, &member, &modules[0]).await;
    let keys: Vec<String> = awards_of(&app, &member).await.into_iter().map(|a| a.achievement).collect();
    assert_eq!(keys, vec!["impose_toi.se_reveler".to_owned()]);
    attended(&app, &anim, &member, &modules[1]).await;
    attended(&app, &anim, &member, &modules[2]).await;
    // A second session of a module attended earns nothing new.
    attended(&app, &anim, &member, &modules[0]).await;
    let mut keys: Vec<String> = awards_of(&app, &member).await.into_iter().map(|a| a.achievement).collect();
    keys.sort();
    assert_eq!(
        keys,
        ["impose_toi.programme", "impose_toi.s_affirmer", "impose_toi.s_imposer", "impose_toi.se_reveler"]
    );
    let journey: Value =
        app.get_as(&member, &format!("/api/v1/members/{}/journey", member.id)).await.json().await.unwrap();
    let badges = journey["sections"]["badges"].as_array().unwrap();
    assert_eq!(badges.len(), 4);
    assert_eq!(badges[0]["achievement"], "impose_toi.programme", "newest first");
    let programme: Value = app.get("/api/v1/achievements/impose_toi.programme").await.json().await.unwrap();
    assert_eq!(programme["type"], json!(["Achievement"]));
    assert_eq!(programme["alignment"].as_array().unwrap().len(), 6, "the six soft skills of the modules");
    assert_problem(app.get("/api/v1/achievements/nothing.here").await, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn a_third_completed_match_with_feedback_makes_an_enchanteur() {
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["remote", "in_person"], "languages": ["fr"],
                         "postcode": "93800", "max_active_matches": 5, "accepting": true});
    let mentor = mentor_with(&app, "Karim", &skill, 5, &profile).await;
    for (index, name) in ["Awa", "Léo", "Inès"].into_iter().enumerate() {
        assert!(awards_of(&app, &mentor).await.is_empty(), "not before the third");
        let learner = app.member(name).await;
        let request = open_request(&app, &learner, &skill).await;
        let id = requested(&app, &learner, &request, &mentor).await;
        assert_eq!(act(&app, &mentor, &id, "accept").await.status(), StatusCode::OK);
        assert_eq!(act(&app, &learner, &id, "complete").await.status(), StatusCode::OK);
        let feedback = format!("/api/v1/matches/{id}/feedback");
        // The mentor's own feedback counts for nothing.
        let mentor_feedback = post(&app, &mentor, &feedback, Some(&json!({"rating": 5}))).await;
        assert_eq!(mentor_feedback.status(), StatusCode::CREATED);
        if index == 2 {
            assert!(awards_of(&app, &mentor).await.is_empty(), "the mentor's feedback earns nothing");
        }
        let rated = post(&app, &learner, &feedback, Some(&json!({"rating": 4}))).await;
        assert_eq!(rated.status(), StatusCode::CREATED);
    }
    let awards = awards_of(&app, &mentor).await;
    assert_eq!(awards.iter().map(|a| a.achievement.as_str()).collect::<Vec<_>>(), ["enchante.enchanteur"]);
}

#[tokio::test]
async fn a_placement_test_taken_awards_its_badge_and_erasure_revokes_it() {
    let app = spawn_app().await;
    let member = app.member("Awa").await;
    run_placement(&app, &member, true).await;
    let listed = my_credentials(&app, &member).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["achievement"]["key"], "numerizen.placement");
    assert_eq!(listed[0]["achievement"]["alignment"].as_array().unwrap().len(), 5, "the five DigComp areas");
    let id = listed[0]["id"].as_str().unwrap();
    let detail: Value =
        app.get_as(&member, &format!("/api/v1/me/credentials/{id}")).await.json().await.unwrap();
    let jwt = detail["credential"].as_str().unwrap().to_owned();
    let (_, vc) = decode_with_jwks(&app, &jwt).await;

    let export: Value = app.get_as(&member, "/api/v1/me/export").await.json().await.unwrap();
    let exported = export.to_string();
    assert!(exported.contains("numerizen.placement"), "the export lists the awards");
    let salt = &awards_of(&app, &member).await[0].identity_salt;
    assert!(!exported.contains(salt.as_str()), "the salt stays secret");

    assert_eq!(app.delete_me(&member).await.status(), StatusCode::NO_CONTENT);
    let kept = &awards_of(&app, &member).await[0];
    assert!(kept.revoked_at.is_some() && kept.identity_salt.is_empty());
    assert_eq!(kept.revoke_reason.as_deref(), Some("erasure"));
    assert!(status_bit(&app, &vc["credentialStatus"]).await);
    assert_eq!(verify(&app, &jwt).await["revoked"], true);
}

#[tokio::test]
async fn the_issuer_profile_and_keys_are_public() {
    let app = spawn_app().await;
    let profile: Value = app.get("/api/v1/issuer").await.json().await.unwrap();
    assert_eq!((&profile["id"], &profile["type"]), (&json!(ISSUER), &json!(["Profile"])));
    let jwks: Value = app.get("/.well-known/jwks.json").await.json().await.unwrap();
    assert_eq!(jwks["keys"], json!([]), "no key before the first credential");
    assert_problem(app.get("/api/v1/status-lists/2").await, StatusCode::NOT_FOUND, "not_found").await;
    let list: Value = app.get("/api/v1/status-lists/1").await.json().await.unwrap();
    assert_eq!(list["issuer"], ISSUER);
}

/// A mastered lesson's credential as a VC-JWT.
async fn a_credential(app: &TestApp, name: &str) -> String {
    let author = app.user_with_role(&format!("Anim{name}"), Role::Facilitator).await;
    let lesson = published_lesson(app, &author).await;
    let member = app.member(name).await;
    assert_eq!(master(app, &member, &lesson).await.status(), StatusCode::OK);
    let id = my_credentials(app, &member).await[0]["id"].as_str().unwrap().to_owned();
    let detail: Value =
        app.get_as(&member, &format!("/api/v1/me/credentials/{id}")).await.json().await.unwrap();
    detail["credential"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_configured_key_takes_over_and_the_development_key_stays_published() {
    let app = spawn_app().await;
    let before = a_credential(&app, "Awa").await;
    let old_kid = jsonwebtoken::decode_header(&before).unwrap().kid.unwrap();
    // Another instance's generated key stands for the one an operator configures.
    let elsewhere = spawn_app().await;
    a_credential(&elsewhere, "Léo").await;
    let pem = entity::credential_key::Entity::find()
        .one(&elsewhere.db)
        .await
        .unwrap()
        .unwrap()
        .private_pem
        .unwrap();
    let rotated = app
        .replica(|settings| {
            settings.credentials.key = Some(api::config::CredentialKeyPem::parse(&pem).unwrap());
        })
        .await;
    let after = a_credential(&rotated, "Inès").await;
    let new_kid = jsonwebtoken::decode_header(&after).unwrap().kid.unwrap();
    assert_ne!(new_kid, old_kid);
    let jwks: JwkSet = rotated.get("/.well-known/jwks.json").await.json().await.unwrap();
    assert!(jwks.find(&old_kid).is_some() && jwks.find(&new_kid).is_some(), "both keys published");
    for jwt in [&before, &after] {
        let verified = verify(&rotated, jwt).await;
        assert_eq!(verified["valid"], true, "{verified}");
        decode_with_jwks(&rotated, jwt).await;
    }
    drop(rotated);
}
