//! Personal-data rights: the export is complete, erasure forgets identity while
//! counts stay true, and no table that refers to users can be forgotten.

use std::collections::BTreeSet;

use api::notifications::notice::{self, Notice};
use api::privacy::catalogue::{PERSONAL_DATA, Shows, Via, foreign_keys};
use api::privacy::erasure::purge_inactive;
use chrono::Utc;
use entity::accompaniment::{self, AccompanimentStatus};
use entity::{Role, audit_log, notification, user};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use tests::{TEST_PASSWORD, TestApp, TestUser, assert_problem, spawn_app};
use uuid::Uuid;

/// Tables reachable from `users` through foreign keys that hold no data about
/// a person, each with the reason.
const NOT_PERSONAL: &[(&str, &str)] = &[
    ("lesson_versions", "lesson content; its author is `lessons.created_by`"),
    ("exercises", "lesson content; the person's answers are `attempt_answers` and `review_states`"),
];

/// A new table with a column referring to users fails here until export and
/// erasure know about it (`PERSONAL_DATA`), and every declared reference is a
/// foreign key of the schema.
#[tokio::test]
async fn every_column_referring_to_users_is_covered_by_export_and_erasure() {
    let app = spawn_app().await;
    let keys = foreign_keys(&app.db).await.unwrap();
    let mut in_schema: BTreeSet<(String, String)> = keys
        .iter()
        .filter(|k| k.references == "users")
        .map(|k| (k.table.clone(), k.column.clone()))
        .collect();
    // The users table is personal data by definition (its own id).
    in_schema.insert(("users".into(), "id".into()));
    let key = |table: &str, column: &str| keys.iter().find(|k| k.table == table && k.column == column);
    let to_users = |table: &str, column: &str| {
        table == "users" || key(table, column).is_some_and(|k| k.references == "users")
    };
    let direct: BTreeSet<(String, String)> = PERSONAL_DATA
        .iter()
        .flat_map(|t| t.references.iter().map(move |r| (t.table, r)))
        .filter(|(table, r)| r.via == Via::User && to_users(table, r.column))
        .map(|(table, r)| (table.to_owned(), r.column.to_owned()))
        .collect();
    assert!(in_schema.len() >= 9, "the schema walk found too little: {in_schema:?}");
    assert_eq!(in_schema, direct, "PERSONAL_DATA (api/src/privacy/catalogue.rs) differs from the schema");

    let declared = |table: &str, column: &str| {
        PERSONAL_DATA.iter().any(|t| t.table == table && t.references.iter().any(|r| r.column == column))
    };
    for personal in PERSONAL_DATA {
        for reference in personal.references {
            let (table, column) = (personal.table, reference.column);
            match reference.via {
                Via::User if table == "users" => {}
                // Through a table keyed by the user id (mentor_languages → mentor_profiles.user_id).
                Via::User => {
                    let k =
                        key(table, column).unwrap_or_else(|| panic!("{table}.{column} is no foreign key"));
                    assert!(
                        k.references == "users" || declared(&k.references, &k.referenced_column),
                        "{table}.{column} leads to {}.{}, no user",
                        k.references,
                        k.referenced_column
                    );
                }
                Via::Parent { table: parent, key: parent_key, user_column } => {
                    let k =
                        key(table, column).unwrap_or_else(|| panic!("{table}.{column} is no foreign key"));
                    assert_eq!((k.references.as_str(), k.referenced_column.as_str()), (parent, parent_key));
                    assert!(
                        declared(parent, user_column),
                        "{parent}.{user_column} is not a reference to a person"
                    );
                }
            }
        }
    }
}

/// Child tables too: every table that refers, through any chain of foreign
/// keys, to a user is either in `PERSONAL_DATA` or declared not personal here
/// with its reason (attempt_answers → lesson_attempts → users).
#[tokio::test]
async fn every_table_reaching_users_is_personal_data_or_declared_not_personal() {
    let app = spawn_app().await;
    let keys = foreign_keys(&app.db).await.unwrap();
    let mut reaching: BTreeSet<String> = BTreeSet::from(["users".to_owned()]);
    loop {
        let more: Vec<String> = keys
            .iter()
            .filter(|k| reaching.contains(&k.references) && !reaching.contains(&k.table))
            .map(|k| k.table.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        reaching.extend(more);
    }
    for child in ["attempt_answers", "placement_answers", "mentor_languages", "mentor_offers"] {
        assert!(reaching.contains(child), "the walk misses {child}: {reaching:?}");
    }
    let personal: BTreeSet<String> = PERSONAL_DATA.iter().map(|t| t.table.to_owned()).collect();
    let not_personal: BTreeSet<String> = NOT_PERSONAL.iter().map(|(t, _)| (*t).to_owned()).collect();
    assert!(personal.is_disjoint(&not_personal), "{:?}", personal.intersection(&not_personal));
    let accounted: BTreeSet<String> = personal.union(&not_personal).cloned().collect();
    assert_eq!(
        reaching, accounted,
        "tables reaching users vs PERSONAL_DATA (api/src/privacy/catalogue.rs) and NOT_PERSONAL"
    );
}

/// Rows that involve `user`, made through the services as the product would.
async fn personal_footprint(app: &TestApp, member: &TestUser, counsellor: &TestUser) {
    let notice = Notice::new("match.expired", "notice.match_expired_for_learner", json!({}));
    notice::send(&app.db, member.id, notice).await.unwrap();
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
        consent_recorded_by: Set(None),
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
        let shown = personal.references.iter().any(|r| r.shows != Shows::Nothing);
        assert_eq!(tables.contains_key(personal.table), shown, "{} in the export", personal.table);
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

    let erased = app.delete_me(&awa).await;
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
    assert!(row.email.is_none() && row.phone.is_none() && !row.username.contains("awa"));
    assert!(row.display_name != "Awa" && row.bio.is_none());
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

/// The export of `user`, parsed.
async fn export_of(app: &TestApp, user: &TestUser) -> (String, Value) {
    let response = app.get_as(user, "/api/v1/me/export").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let export = serde_json::from_str(&text).unwrap();
    (text, export)
}

/// The rows of `table` in an export (none when the table is left out).
fn rows<'a>(export: &'a Value, table: &str) -> Vec<&'a Value> {
    export["tables"]
        .get(table)
        .and_then(Value::as_array)
        .map(|rows| rows.iter().collect())
        .unwrap_or_default()
}

/// A stored response holds other people's data: the export never carries
/// idempotency records.
#[tokio::test]
async fn the_export_holds_no_idempotency_record() {
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let zelie = app.member("Zélie-Marguerite").await;
    let blocked = app
        .request(Method::POST, "/api/v1/blocks")
        .bearer_auth(&awa.access_token)
        .header("Idempotency-Key", "block-1")
        .json(&json!({"user_id": zelie.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), StatusCode::CREATED);
    assert!(blocked.text().await.unwrap().contains("Zélie-Marguerite"), "the stored response names her");

    let (text, export) = export_of(&app, &awa).await;
    assert!(export["tables"].get("idempotency_records").is_none(), "{}", export["tables"]);
    for stored in ["block-1", "response_body", "request_hash", "Zélie-Marguerite"] {
        assert!(!text.contains(stored), "the export holds {stored}");
    }
    assert_eq!(rows(&export, "blocks").len(), 1, "her own block is there");
}

/// Blocks and reports are the blocker's and the reporter's; feedback received
/// comes without its author.
#[tokio::test]
async fn the_export_never_tells_who_acted_against_the_person() {
    use crate::mentoring::{act, mentor_with, open_request, post, requested, skill_id};
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["remote"], "languages": ["fr"],
                         "max_active_matches": 2, "accepting": true});
    let karim = mentor_with(&app, "Karim", &skill, 5, &profile).await;
    let awa = app.member("Awa").await;
    let request = open_request(&app, &awa, &skill).await;
    let id = requested(&app, &awa, &request, &karim).await;
    assert_eq!(act(&app, &karim, &id, "accept").await.status(), StatusCode::OK);
    assert_eq!(act(&app, &awa, &id, "complete").await.status(), StatusCode::OK);
    let feedback = format!("/api/v1/matches/{id}/feedback");
    let about_awa = json!({"rating": 2, "comment": "Souvent en retard."});
    assert_eq!(post(&app, &karim, &feedback, Some(&about_awa)).await.status(), StatusCode::CREATED);
    let report = json!({"reported_user_id": karim.id, "match_id": id, "reason": "Propos déplacés."});
    assert_eq!(post(&app, &awa, "/api/v1/reports", Some(&report)).await.status(), StatusCode::CREATED);
    let block = json!({"user_id": awa.id});
    assert_eq!(post(&app, &karim, "/api/v1/blocks", Some(&block)).await.status(), StatusCode::CREATED);

    let (_, of_awa) = export_of(&app, &awa).await;
    let reports = rows(&of_awa, "reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["reason"], "Propos déplacés.", "her own report, with her reason");
    assert!(rows(&of_awa, "blocks").is_empty(), "nobody learns who blocked them");
    let received = rows(&of_awa, "match_feedback");
    assert_eq!(received.len(), 1);
    assert_eq!(
        (received[0]["rating"].as_i64(), received[0]["comment"].as_str()),
        (Some(2), Some("Souvent en retard."))
    );
    assert!(!received[0].to_string().contains(&karim.id.to_string()), "without its author: {}", received[0]);

    let (karim_text, of_karim) = export_of(&app, &karim).await;
    assert!(rows(&of_karim, "reports").is_empty(), "nobody learns who reported them");
    assert!(!karim_text.contains("Propos déplacés."));
    assert_eq!(rows(&of_karim, "blocks").len(), 1, "his own block");
    let given = rows(&of_karim, "match_feedback");
    assert_eq!(given.len(), 1);
    assert_eq!(given[0]["author_id"], json!(karim.id), "what he wrote, as he wrote it");
}

/// Rows where the person only acted for someone else show what they did, not
/// the other member's data.
#[tokio::test]
async fn an_actor_sees_what_they_did_not_the_other_members_data() {
    use crate::accompaniments::consented;
    use crate::workshops::{enrol, modules, schedule, session_body};
    use entity::{enrolment, mentor_match};
    let app = spawn_app().await;
    let modules = modules(&app).await;
    let anim = app.user_with_role("Anim", Role::Facilitator).await;
    let counsellor = app.user_with_role("Conseil", Role::Counsellor).await;
    let awa = app.member("Awa").await;
    consented(&app, &counsellor, &awa).await;
    let workshop = schedule(&app, &anim, &session_body(&modules[0], 10, chrono::Duration::days(3))).await;
    let enrolled = enrol(&app, &counsellor, &workshop, Some(&json!({"member_id": awa.id}))).await;
    assert_eq!(enrolled.status(), StatusCode::CREATED);
    let enrolment_id: Uuid = enrolled.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap();
    // The facilitator waived the prerequisite, with a note about Awa.
    let mut waived: enrolment::ActiveModel =
        enrolment::Entity::find_by_id(enrolment_id).one(&app.db).await.unwrap().unwrap().into();
    waived.prerequisite_overridden_by = Set(Some(anim.id));
    waived.prerequisite_override_reason = Set(Some("Awa a déjà suivi un atelier ailleurs.".into()));
    waived.update(&app.db).await.unwrap();
    // The counsellor then cancels it for her: one row, both of what they did.
    let cancel =
        app.send_as(&counsellor, Method::DELETE, &format!("/api/v1/enrolments/{enrolment_id}"), None).await;
    assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    // A cohort match the counsellor proposed to Awa.
    let skill: Uuid = crate::mentoring::skill_id(&app, "digcomp.4.1").await.parse().unwrap();
    let karim = app.member("Karim").await;
    let request: Uuid = crate::mentoring::open_request(&app, &awa, &skill.to_string()).await.parse().unwrap();
    let now = Utc::now();
    mentor_match::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(request),
        learner_id: Set(awa.id),
        mentor_id: Set(karim.id),
        skill_id: Set(skill),
        status: Set(entity::mentor_match::MatchStatus::Proposed),
        score: Set(Some(80)),
        message: Set(Some("Je voudrais apprendre.".into())),
        organization_id: Set(None),
        proposed_by: Set(Some(counsellor.id)),
        expires_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();

    let (text, of_counsellor) = export_of(&app, &counsellor).await;
    let enrolments = rows(&of_counsellor, "enrolments");
    assert_eq!(enrolments.len(), 1);
    assert_eq!(enrolments[0]["enrolled_by"], json!(counsellor.id));
    assert_eq!(
        enrolments[0].as_object().unwrap().keys().map(String::as_str).collect::<BTreeSet<_>>(),
        BTreeSet::from(["id", "workshop_id", "enrolled_by", "created_at", "cancelled_by", "cancelled_at"])
    );
    assert_eq!(enrolments[0]["workshop_id"], workshop.as_str());
    for theirs in ["member_id", "status", "waitlist_position", "prerequisite_override_reason", "confirmed_at"]
    {
        assert!(enrolments[0].get(theirs).is_none(), "the counsellor's export shows Awa's {theirs}");
    }
    let proposed = rows(&of_counsellor, "mentor_matches");
    assert_eq!(proposed.len(), 1);
    assert_eq!(proposed[0]["proposed_by"], json!(counsellor.id));
    for theirs in ["learner_id", "mentor_id", "message", "status", "score", "request_id"] {
        assert!(proposed[0].get(theirs).is_none(), "the counsellor's export shows the match's {theirs}");
    }
    let (anim_text, of_anim) = export_of(&app, &anim).await;
    let waivers = rows(&of_anim, "enrolments");
    assert_eq!(waivers.len(), 1);
    assert_eq!(waivers[0]["prerequisite_overridden_by"], json!(anim.id));
    assert!(
        waivers[0].get("member_id").is_none() && waivers[0].get("enrolled_by").is_none(),
        "{}",
        waivers[0]
    );
    assert!(!anim_text.contains(&awa.id.to_string()), "the facilitator's export names Awa");
    // (The counsellor's own accompaniment of Awa names her, as it should.)
    for (export, who) in [(&text, "counsellor"), (&anim_text, "facilitator")] {
        for awas in [awa.email.as_str(), "Je voudrais apprendre.", "ailleurs"] {
            assert!(!export.contains(awas), "the {who}'s export holds Awa's {awas}");
        }
    }
    // Nor does the mentor learn of a proposal before Awa sends it.
    let (_, of_karim) = export_of(&app, &karim).await;
    assert!(rows(&of_karim, "mentor_matches").is_empty(), "{:?}", rows(&of_karim, "mentor_matches"));
    // Awa's own export has all of it.
    let (_, of_awa) = export_of(&app, &awa).await;
    assert_eq!(
        rows(&of_awa, "enrolments")[0]["prerequisite_override_reason"],
        "Awa a déjà suivi un atelier ailleurs."
    );
    assert_eq!(rows(&of_awa, "mentor_matches")[0]["message"], "Je voudrais apprendre.");
}

/// Tables that hold the person's data through a parent row are exported too.
#[tokio::test]
async fn the_export_holds_answers_and_mentor_languages() {
    use crate::lessons::{Exercises, answer, published_lesson, start};
    let app = spawn_app().await;
    let author = app.user_with_role("Anim", Role::Facilitator).await;
    let lesson = published_lesson(&app, &author).await;
    let awa = app.member("Awa").await;
    let binta = app.member("Binta").await;
    for member in [&awa, &binta] {
        let exercises = Exercises::of(&app, member, &lesson).await;
        let attempt = start(&app, member, &lesson).await;
        let answered = answer(&app, member, &attempt, &exercises.ids[2], json!({"value": false})).await;
        assert_eq!(answered.status(), StatusCode::OK);
        let placement = app.send_as(member, Method::POST, "/api/v1/placement-tests", None).await;
        assert_eq!(placement.status(), StatusCode::CREATED);
        let placement: Value = placement.json().await.unwrap();
        crate::adaptive::answer_placement(
            &app,
            member,
            placement["id"].as_str().unwrap(),
            &placement["next_exercise"],
            true,
        )
        .await;
    }
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["remote"], "languages": ["fr", "ar"],
                         "max_active_matches": 2, "accepting": true});
    let saved = app.send_as(&awa, Method::PUT, "/api/v1/me/mentor-profile", Some(&profile)).await;
    assert_eq!(saved.status(), StatusCode::OK);

    let (_, export) = export_of(&app, &awa).await;
    let attempt = rows(&export, "lesson_attempts")[0]["id"].clone();
    let answers = rows(&export, "attempt_answers");
    assert_eq!(answers.len(), 1, "her answer, not Binta's");
    assert_eq!((&answers[0]["attempt_id"], answers[0]["tries"].as_i64()), (&attempt, Some(1)));
    let test = rows(&export, "placement_tests")[0]["id"].clone();
    let placed = rows(&export, "placement_answers");
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0]["test_id"], test);
    let languages: BTreeSet<&str> =
        rows(&export, "mentor_languages").iter().map(|l| l["language"].as_str().unwrap()).collect();
    assert_eq!(languages, BTreeSet::from(["ar", "fr"]));
}

/// Erasing a person rewrites what other people's notifications say of them:
/// their display name and their free text become "Compte supprimé", the rest
/// of the text stays; their idempotency records go.
#[tokio::test]
async fn erasure_leaves_no_notification_naming_the_person() {
    use crate::accompaniments::{consented, notifications};
    use crate::mentoring::{act, mentor_with, open_request, requested, skill_id};
    let app = spawn_app().await;
    let skill = skill_id(&app, "digcomp.4.1").await;
    let profile = json!({"bio": "J'aide volontiers.", "modalities": ["remote"], "languages": ["fr"],
                         "max_active_matches": 2, "accepting": true});
    let karim = mentor_with(&app, "Karim", &skill, 5, &profile).await;
    let amina = app.member("Amina").await;
    let counsellor = app.user_with_role("Conseil", Role::Counsellor).await;
    consented(&app, &counsellor, &amina).await;
    let request = open_request(&app, &amina, &skill).await;
    let id = requested(&app, &amina, &request, &karim).await;
    assert_eq!(act(&app, &karim, &id, "accept").await.status(), StatusCode::OK);
    let reason = "Je déménage au 12 rue des Lilas.";
    let cancelled = app
        .request(Method::POST, &format!("/api/v1/matches/{id}/cancel"))
        .bearer_auth(&amina.access_token)
        .header("Idempotency-Key", "cancel-1")
        .json(&json!({"reason": reason}))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    let idempotency_records = |user: Uuid| {
        entity::idempotency_record::Entity::find()
            .filter(entity::idempotency_record::Column::UserId.eq(user))
            .count(&app.db)
    };
    assert_eq!(idempotency_records(amina.id).await.unwrap(), 1);
    let before = [notifications(&app, &karim).await, notifications(&app, &counsellor).await];
    let naming: Vec<&Value> =
        before.iter().flatten().filter(|n| n["body"].as_str().unwrap().contains("Amina")).collect();
    assert_eq!(naming.len(), 3, "requested, cancelled (with her reason), consented: {before:?}");

    let erased =
        app.send_as(&amina, Method::DELETE, "/api/v1/me", Some(&json!({"password": TEST_PASSWORD}))).await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);

    let after = [notifications(&app, &karim).await, notifications(&app, &counsellor).await];
    let text = serde_json::to_string(&after).unwrap();
    assert!(!text.contains("Amina") && !text.contains("Lilas"), "{text}");
    for (was, now) in before.iter().flatten().zip(after.iter().flatten()) {
        assert_eq!(now["id"], was["id"]);
        let expected = was["body"]
            .as_str()
            .unwrap()
            .replace("Amina", "Compte supprimé")
            .replace(reason, "Compte supprimé");
        assert_eq!(now["body"], expected.as_str());
        assert_eq!((&now["title"], &now["data"]), (&was["title"], &was["data"]));
    }
    assert_eq!(idempotency_records(amina.id).await.unwrap(), 0, "her stored requests and responses are gone");
}

/// Only the spans that are the person's change, however many people a text
/// names and in whichever order they are erased.
#[tokio::test]
async fn erasure_rewrites_only_the_persons_own_spans() {
    let app = spawn_app().await;
    let karim = app.member("Karim").await;
    let amina = app.member("Amina").await;
    let binta = app.member("Binta").await;
    let model = |id: Uuid| user::Entity::find_by_id(id).one(&app.db);
    let notice = Notice::new("match.proposed", "notice.match_proposed", json!({}))
        .naming("proposer", &model(karim.id).await.unwrap().unwrap())
        .naming("mentor", &model(amina.id).await.unwrap().unwrap())
        .with("skill", "Amina et Karim, les bases");
    notice::send(&app.db, binta.id, notice).await.unwrap();
    let inbox = || async { crate::accompaniments::notifications(&app, &binta).await[0]["body"].clone() };
    let delete_me = json!({"password": TEST_PASSWORD});

    let erased = app.send_as(&karim, Method::DELETE, "/api/v1/me", Some(&delete_me)).await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    let rest =
        "comme mentor pour « Amina et Karim, les bases ». Vous pouvez envoyer la demande, ou la retirer.";
    assert_eq!(inbox().await, format!("Compte supprimé vous propose Amina {rest}"));
    let erased = app.send_as(&amina, Method::DELETE, "/api/v1/me", Some(&delete_me)).await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        inbox().await,
        format!("Compte supprimé vous propose Compte supprimé {rest}"),
        "the skill's title is nobody's name"
    );
}

/// Mail to the person is theirs, but a body may carry a one-time link: the
/// export shows the message without it, and erasure stops what was pending.
#[tokio::test]
async fn mail_is_exported_without_its_body_and_goes_with_erasure() {
    use api::mail::outbox::{Content, enqueue};
    use entity::outbound_message;
    let app = spawn_app().await;
    let awa = app.member("Awa").await;
    let content = Content {
        subject: "Réinitialiser votre mot de passe".into(),
        text: "Lien : https://tremplin.example/reset/secret-token-123".into(),
        html: "<a href=\"https://tremplin.example/reset/secret-token-123\">Lien</a>".into(),
    };
    enqueue(&app.db, "password_reset", Some(awa.id), &awa.email, content).await.unwrap();

    let (text, export) = export_of(&app, &awa).await;
    let mails = rows(&export, "outbound_messages");
    let kinds: Vec<&str> = mails.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["email_verification", "password_reset"], "registration asks to confirm the address");
    assert_eq!(mails[1]["subject"], "Réinitialiser votre mot de passe");
    assert!(!text.contains("secret-token-123"), "the export carries the link");

    let erased =
        app.send_as(&awa, Method::DELETE, "/api/v1/me", Some(&json!({"password": TEST_PASSWORD}))).await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    let left = outbound_message::Entity::find()
        .filter(outbound_message::Column::UserId.eq(awa.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0, "nothing more goes out to the erased address");
}
