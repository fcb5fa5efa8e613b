//! Personal-data rights: the export is complete, erasure forgets identity while
//! counts stay true, and no table that refers to users can be forgotten.

use std::collections::BTreeSet;

use api::accounts::privacy::{PERSONAL_DATA, purge_inactive, user_reference_columns};
use api::notifications::service::{Notice, notify};
use chrono::Utc;
use entity::accompaniment::{self, AccompanimentStatus};
use entity::{Role, audit_log, notification, user};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use tests::{TEST_PASSWORD, TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

/// A new table with a column referring to users fails here until export and
/// erasure know about it (`PERSONAL_DATA`).
#[tokio::test]
async fn every_column_referring_to_users_is_covered_by_export_and_erasure() {
    let app = spawn_app().await;
    let in_schema: BTreeSet<(String, String)> =
        user_reference_columns(&app.db).await.unwrap().into_iter().collect();
    let covered: BTreeSet<(String, String)> = PERSONAL_DATA
        .iter()
        .flat_map(|t| t.user_columns.iter().map(|c| (t.table.to_owned(), (*c).to_owned())))
        .collect();
    assert!(in_schema.len() >= 9, "the schema walk found too little: {in_schema:?}");
    assert_eq!(in_schema, covered, "PERSONAL_DATA (api/src/accounts/privacy.rs) differs from the schema");
}

/// Rows that involve `user`, made through the services as the product would.
async fn personal_footprint(app: &TestApp, member: &TestUser, counsellor: &TestUser) {
    let notice =
        Notice { kind: "test.hello", title: "Bonjour", body: "Un message pour vous.", data: json!({}) };
    notify(&app.db, member.id, notice).await.unwrap();
    let now = Utc::now();
    accompaniment::ActiveModel {
        id: Set(Uuid::now_v7()),
        counsellor_id: Set(counsellor.id),
        member_id: Set(member.id),
        status: Set(AccompanimentStatus::Active),
        requested_at: Set(now),
        consented_at: Set(Some(now)),
        consent_wording_version: Set(Some("test".into())),
        refused_at: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(counsellor.id),
        member_id: Set(member.id),
        action: Set("journey.read".into()),
        created_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_export_holds_every_personal_row_and_no_secret() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let counsellor = app.user_with_role("Conseil", Role::Counsellor).await;
    let binta = app.member("Binta").await;
    personal_footprint(&app, &awa, &counsellor).await;
    personal_footprint(&app, &binta, &counsellor).await;
    app.refresh(&awa.refresh_token).await;

    let response = app.get_as(&awa, "/api/v1/me/export").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    for secret in ["password_hash", "token_hash", "$argon2id$", &awa.refresh_token] {
        assert!(!text.contains(secret), "the export leaks {secret}");
    }
    assert!(!text.contains(&binta.id.to_string()), "the export holds someone else's rows");
    let export: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["user_id"], json!(awa.id));
    let tables = export["tables"].as_object().unwrap();
    let count = |table: &str| tables[table].as_array().unwrap().len();
    for personal in PERSONAL_DATA {
        assert!(tables.contains_key(personal.table), "{} missing from the export", personal.table);
    }
    assert_eq!(count("users"), 1);
    assert_eq!(tables["users"][0]["email"], awa.email);
    assert_eq!(count("refresh_tokens"), 2, "the first token and its rotation");
    assert_eq!((count("notifications"), count("accompaniments"), count("audit_log")), (1, 1, 1));
}

#[tokio::test]
async fn erasure_forgets_the_person_and_keeps_the_counts() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let binta = app.member("Binta").await;
    let counsellor = app.user_with_role("Conseil", Role::Counsellor).await;
    personal_footprint(&app, &awa, &counsellor).await;
    let users_before = user::Entity::find().count(&app.db).await.unwrap();

    let erased = app.send_as(&awa, Method::DELETE, "/api/v1/me", None).await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);

    assert_problem(app.get_as(&awa, "/api/v1/me").await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    assert_problem(app.refresh(&awa.refresh_token).await, StatusCode::UNAUTHORIZED, "invalid_refresh_token")
        .await;
    assert_problem(
        app.login(&awa.email, TEST_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let profile = app.get_as(&binta, &format!("/api/v1/users/{}", awa.id)).await;
    assert_problem(profile, StatusCode::NOT_FOUND, "not_found").await;

    let row = user::Entity::find_by_id(awa.id).one(&app.db).await.unwrap().unwrap();
    assert!(row.erased_at.is_some());
    assert!(!row.email.contains("awa") && row.display_name != "Awa" && row.bio.is_none());
    assert!(!api::auth::password::verify(TEST_PASSWORD, &row.password_hash));
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), users_before, "the person still counts");
    assert_eq!(
        notification::Entity::find()
            .filter(notification::Column::UserId.eq(awa.id))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    let kept = accompaniment::Entity::find()
        .filter(accompaniment::Column::MemberId.eq(awa.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.status, AccompanimentStatus::Revoked);
    assert_eq!(audit_log::Entity::find().count(&app.db).await.unwrap(), 1, "the audit trail stays");

    // The address is free again, and Binta lost nothing.
    let again =
        app.register(&json!({"email": awa.email, "password": TEST_PASSWORD, "display_name": "Awa"})).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(app.get_as(&binta, "/api/v1/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_retention_policy_erases_only_inactive_accounts() {
    let app = spawn_app().await;
    let sleeping = app.member("Dormeur").await;
    let active = app.member("Active").await;
    let mut old = user::Entity::find_by_id(sleeping.id).one(&app.db).await.unwrap().unwrap().into();
    let old_model: &mut user::ActiveModel = &mut old;
    old_model.last_active_at = Set(Utc::now() - chrono::Duration::days(4 * 365));
    old.update(&app.db).await.unwrap();
    let cutoff = Utc::now() - chrono::Duration::days(3 * 365);

    assert_eq!(purge_inactive(&app.db, cutoff, true).await.unwrap(), vec![sleeping.id]);
    assert!(
        user::Entity::find_by_id(sleeping.id).one(&app.db).await.unwrap().unwrap().erased_at.is_none(),
        "dry run"
    );

    assert_eq!(purge_inactive(&app.db, cutoff, false).await.unwrap(), vec![sleeping.id]);
    assert!(user::Entity::find_by_id(sleeping.id).one(&app.db).await.unwrap().unwrap().erased_at.is_some());
    assert!(user::Entity::find_by_id(active.id).one(&app.db).await.unwrap().unwrap().erased_at.is_none());
    assert!(
        purge_inactive(&app.db, cutoff, false).await.unwrap().is_empty(),
        "erased accounts are not purged twice"
    );
}
