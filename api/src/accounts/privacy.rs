//! Personal-data rights (RGPD): export everything held about a person, and
//! erase it while keeping aggregate statistics true.
//!
//! `PERSONAL_DATA` lists every table with a column that refers to a user. A
//! test compares it with the live schema, so a new table cannot be forgotten
//! by export or erasure.

use chrono::Utc;
use entity::{
    accompaniment, idempotency_record, member_skill, notification, organization_member, refresh_token,
    review_state, user,
};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, JsonValue,
    QueryFilter, Set, TransactionTrait,
};
use serde_json::{Map, json};
use uuid::Uuid;

use super::throttle::{LoginScopes, forget_account};
use crate::error::ApiError;

/// What erasure does to a table's rows that refer to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// The row is the person: identity and free text are overwritten.
    Anonymise,
    /// Rows only make sense for the person (sessions, notifications...).
    Delete,
    /// Rows feed counts or are someone else's guarantee (audit log); they hold
    /// no identity once the user row is anonymised.
    Keep,
}

pub struct PersonalTable {
    pub table: &'static str,
    /// Columns that refer to `users.id`.
    pub user_columns: &'static [&'static str],
    /// Secrets never exported, even to their owner.
    pub secret_columns: &'static [&'static str],
    pub erasure: Erasure,
}

pub const PERSONAL_DATA: &[PersonalTable] = &[
    PersonalTable {
        table: "users",
        user_columns: &["id"],
        secret_columns: &["password_hash"],
        erasure: Erasure::Anonymise,
    },
    PersonalTable {
        table: "refresh_tokens",
        user_columns: &["user_id"],
        secret_columns: &["token_hash"],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "organization_members",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "accompaniments",
        user_columns: &["counsellor_id", "member_id", "revoked_by"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "audit_log",
        user_columns: &["actor_id", "member_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "notifications",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "member_skills",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "lesson_attempts",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "learning_days",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "idempotency_records",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "lessons",
        user_columns: &["created_by"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "workshops",
        user_columns: &["facilitator_id", "created_by"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "enrolments",
        user_columns: &[
            "member_id",
            "enrolled_by",
            "prerequisite_overridden_by",
            "cancelled_by",
            "attendance_marked_by",
        ],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "assessments",
        user_columns: &["member_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "calendar_feeds",
        user_columns: &["user_id"],
        secret_columns: &["token_hash"],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "review_states",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "placement_tests",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // Enchanté (see `mentoring::privacy`). A report or a block must never
    // tell the person reported or blocked who did it: the export, which
    // cannot tell the two sides apart, leaves out those columns.
    PersonalTable {
        table: "mentor_profiles",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "availability_slots",
        user_columns: &["user_id"],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "mentor_matches",
        user_columns: &["learner_id", "mentor_id", "proposed_by"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_requests",
        user_columns: &["learner_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_events",
        user_columns: &["actor_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_sessions",
        user_columns: &["created_by"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_feedback",
        user_columns: &["author_id", "subject_id"],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "reports",
        user_columns: &["reporter_id", "reported_user_id"],
        secret_columns: &["reporter_id", "match_id", "reason"],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "blocks",
        user_columns: &["blocker_id", "blocked_id"],
        secret_columns: &["blocker_id"],
        erasure: Erasure::Delete,
    },
];

/// Every row that refers to `user_id`, table by table, as one JSON document.
pub async fn export(db: &impl ConnectionTrait, user_id: Uuid) -> Result<JsonValue, ApiError> {
    let mut tables = Map::new();
    for personal in PERSONAL_DATA {
        let mut refers_to_user = Condition::any();
        for column in personal.user_columns {
            refers_to_user = refers_to_user.add(Expr::col(Alias::new(*column)).eq(user_id));
        }
        let select = Query::select()
            .expr(Expr::col(sea_orm::sea_query::Asterisk))
            .from(Alias::new(personal.table))
            .cond_where(refers_to_user)
            .to_owned();
        let statement = db.get_database_backend().build(&select);
        let mut rows = JsonValue::find_by_statement(statement).all(db).await?;
        for row in &mut rows {
            if let Some(object) = row.as_object_mut() {
                for secret in personal.secret_columns {
                    object.remove(*secret);
                }
            }
        }
        tables.insert(personal.table.to_owned(), JsonValue::Array(rows));
    }
    Ok(json!({
        "format": "tremplin-export-v1",
        "exported_at": Utc::now(),
        "user_id": user_id,
        "tables": tables,
    }))
}

/// Erases a person in one transaction: sessions and personal rows deleted,
/// identity and free text overwritten, open accompaniments closed; the user
/// row itself stays (anonymised) so that counts and references stay true.
pub async fn erase(db: &DatabaseConnection, user_id: Uuid) -> Result<(), ApiError> {
    let txn = db.begin().await?;
    let account = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(ApiError::NotFound)?;
    if account.erased_at.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    for personal in PERSONAL_DATA {
        match (personal.erasure, personal.table) {
            (Erasure::Delete, "refresh_tokens") => {
                refresh_token::Entity::delete_many()
                    .filter(refresh_token::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            (Erasure::Delete, "notifications") => {
                notification::Entity::delete_many()
                    .filter(notification::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            (Erasure::Delete, "member_skills") => {
                member_skill::Entity::delete_many()
                    .filter(member_skill::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            (Erasure::Delete, "organization_members") => {
                organization_member::Entity::delete_many()
                    .filter(organization_member::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            (Erasure::Keep, "accompaniments") => {
                accompaniment::Entity::update_many()
                    .set(accompaniment::ActiveModel {
                        status: Set(accompaniment::AccompanimentStatus::Revoked),
                        revoked_at: Set(Some(now)),
                        revoked_by: Set(Some(user_id)),
                        updated_at: Set(now),
                        ..Default::default()
                    })
                    .filter(
                        Condition::any()
                            .add(accompaniment::Column::MemberId.eq(user_id))
                            .add(accompaniment::Column::CounsellorId.eq(user_id)),
                    )
                    .filter(accompaniment::Column::Status.is_in([
                        accompaniment::AccompanimentStatus::Pending,
                        accompaniment::AccompanimentStatus::Active,
                    ]))
                    .exec(&txn)
                    .await?;
            }
            // Learning history feeds counts and holds no free text; authored
            // lessons belong to the programme.
            (
                Erasure::Keep,
                "audit_log" | "lesson_attempts" | "learning_days" | "lessons" | "placement_tests",
            ) => {}
            (Erasure::Delete, "review_states") => {
                review_state::Entity::delete_many()
                    .filter(review_state::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            // Sessions run belong to the programme; measures hold no free text
            // and feed the impact figures.
            (Erasure::Keep, "workshops" | "assessments") => {}
            // Seats of sessions still to come go to the waiting list; past
            // enrolments stay for the counts, without the free text others
            // wrote about the person.
            (Erasure::Keep, "enrolments") => {
                crate::workshops::service::release_for_erasure(&txn, user_id).await?;
            }
            (Erasure::Delete, "calendar_feeds") => {
                entity::calendar_feed::Entity::delete_many()
                    .filter(entity::calendar_feed::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            (Erasure::Delete, "idempotency_records") => {
                idempotency_record::Entity::delete_many()
                    .filter(idempotency_record::Column::UserId.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            (Erasure::Anonymise, "users") => {
                forget_account(&txn, LoginScopes::new(&account.email, None).account()).await?;
                user::Entity::update_many()
                    .set(user::ActiveModel {
                        email: Set(format!("erased+{user_id}@invalid")),
                        password_hash: Set("!".into()),
                        display_name: Set("Compte supprimé".into()),
                        bio: Set(None),
                        disabled_at: Set(Some(now)),
                        erased_at: Set(Some(now)),
                        updated_at: Set(now),
                        ..Default::default()
                    })
                    .filter(user::Column::Id.eq(user_id))
                    .exec(&txn)
                    .await?;
            }
            // Enchanté: profiles, availability and blocks deleted; matches and
            // their history kept for the counts, without the person's free text.
            (_, table) if crate::mentoring::privacy::handles(table) => {
                crate::mentoring::privacy::erase(&txn, table, user_id).await?;
            }
            (erasure, table) => {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "no {erasure:?} erasure written for table {table}"
                )));
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

/// The retention policy: accounts inactive (no login nor refresh) since
/// before `cutoff` are erased, or only listed with `dry_run`.
pub async fn purge_inactive(
    db: &DatabaseConnection,
    cutoff: chrono::DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<Uuid>, ApiError> {
    let inactive: Vec<Uuid> = user::Entity::find()
        .filter(user::Column::ErasedAt.is_null())
        .filter(user::Column::LastActiveAt.lt(cutoff))
        .all(db)
        .await?
        .into_iter()
        .map(|account| account.id)
        .collect();
    if !dry_run {
        for id in &inactive {
            erase(db, *id).await?;
        }
    }
    Ok(inactive)
}

/// Columns of the live schema that refer to `users.id`, as `(table, column)`,
/// for the completeness test of `PERSONAL_DATA`.
pub async fn user_reference_columns(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, ApiError> {
    #[derive(FromQueryResult)]
    struct Reference {
        table_name: String,
        column_name: String,
    }
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT tc.table_name AS table_name, kcu.column_name AS column_name
             FROM information_schema.table_constraints tc
             JOIN information_schema.key_column_usage kcu
               ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
             JOIN information_schema.constraint_column_usage ccu
               ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
             WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND tc.table_schema = current_schema()"
        }
        _ => {
            "SELECT m.name AS table_name, f.\"from\" AS column_name
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = 'users'"
        }
    };
    let rows = Reference::find_by_statement(sea_orm::Statement::from_string(backend, sql)).all(db).await?;
    let mut columns: Vec<(String, String)> =
        rows.into_iter().map(|r| (r.table_name, r.column_name)).collect();
    // The users table is personal data by definition (its own id).
    columns.push(("users".into(), "id".into()));
    columns.sort();
    columns.dedup();
    Ok(columns)
}
