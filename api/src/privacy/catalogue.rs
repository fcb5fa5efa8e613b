//! Where personal data lives: `PERSONAL_DATA` lists every table that holds
//! data about a person, directly (a column refers to `users.id`) or through a
//! parent row of theirs (their answers belong to their attempt), with what
//! export shows of it and what erasure does to it. A test walks the live
//! schema's foreign keys (`foreign_keys`), so a new table cannot be forgotten
//! by export or erasure.
//!
//! The declaration, the condition that finds a person's rows (shared by
//! export and erasure) and the schema walk; it calls no other area.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};
use uuid::Uuid;

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

/// How a column leads to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The column holds the person's id (`users.id`, or the key of a table
    /// keyed by it, as `mentor_languages.user_id` → `mentor_profiles.user_id`).
    User,
    /// The column holds the `key` of a row of `table` whose `user_column` is
    /// the person (`attempt_answers.attempt_id` → `lesson_attempts.id`).
    Parent { table: &'static str, key: &'static str, user_column: &'static str },
}

/// What a person named through a reference sees of the row in their export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// The whole row, secrets aside.
    Row,
    /// Only these columns: the person acted on someone else's row, and sees
    /// what they did, not the other member's data.
    Only(&'static [&'static str]),
    /// Nothing: who blocked or reported the person is not theirs to learn,
    /// and stored responses hold other people's data.
    Nothing,
}

/// One way a table's rows refer to a person.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub column: &'static str,
    pub via: Via,
    pub shows: Shows,
    /// `(column, value)`: rows in that state show nothing through this
    /// reference (a cohort proposal is not the mentor's until it is sent).
    pub hidden_while: Option<(&'static str, &'static str)>,
}

/// A direct reference to `users.id` that shows the whole row.
const fn own(column: &'static str) -> Reference {
    Reference { column, via: Via::User, shows: Shows::Row, hidden_while: None }
}

/// A direct reference to `users.id` that shows `columns` only.
const fn acted(column: &'static str, columns: &'static [&'static str]) -> Reference {
    Reference { column, via: Via::User, shows: Shows::Only(columns), hidden_while: None }
}

/// A direct reference to `users.id` that shows nothing.
const fn hidden(column: &'static str) -> Reference {
    Reference { column, via: Via::User, shows: Shows::Nothing, hidden_while: None }
}

/// A reference through the person's row `parent.key` (owned by `parent.user_column`).
const fn through(
    column: &'static str,
    table: &'static str,
    key: &'static str,
    user_column: &'static str,
) -> Reference {
    Reference { column, via: Via::Parent { table, key, user_column }, shows: Shows::Row, hidden_while: None }
}

pub struct PersonalTable {
    pub table: &'static str,
    /// Every way a row of the table refers to a person.
    pub references: &'static [Reference],
    /// Secrets never exported, even to their owner.
    pub secret_columns: &'static [&'static str],
    pub erasure: Erasure,
}

pub const PERSONAL_DATA: &[PersonalTable] = &[
    PersonalTable {
        table: "users",
        references: &[own("id")],
        secret_columns: &["password_hash"],
        erasure: Erasure::Anonymise,
    },
    PersonalTable {
        table: "refresh_tokens",
        references: &[own("user_id")],
        secret_columns: &["token_hash"],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "organization_members",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "accompaniments",
        references: &[own("counsellor_id"), own("member_id"), own("revoked_by")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // The member sees who read their journey; the reader sees what they did.
    PersonalTable {
        table: "audit_log",
        references: &[acted("actor_id", &["id", "actor_id", "action", "created_at"]), own("member_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // Reads by an organisation's API client (named by `api_client_id`).
    PersonalTable {
        table: "client_audit_log",
        references: &[own("member_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "notifications",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    // Where other people's notifications name the person: rewritten, not
    // exported (the notification is someone else's).
    PersonalTable {
        table: "notification_mentions",
        references: &[hidden("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    // Mail to the person. Bodies may carry a one-time link (a password
    // reset): never exported. Erased, nothing more goes out to the address.
    PersonalTable {
        table: "outbound_messages",
        references: &[own("user_id")],
        secret_columns: &["body_text", "body_html"],
        erasure: Erasure::Delete,
    },
    // Password-reset and verification links sent to the person: when, for
    // which address, used or not; never the token.
    PersonalTable {
        table: "account_tokens",
        references: &[own("user_id")],
        secret_columns: &["token_hash"],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "member_skills",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "lesson_attempts",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "attempt_answers",
        references: &[through("attempt_id", "lesson_attempts", "id", "user_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "learning_days",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // Stored responses hold other people's data (and, once, refresh tokens).
    PersonalTable {
        table: "idempotency_records",
        references: &[hidden("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "lessons",
        references: &[own("created_by")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // The author of a training offer sees which offers they created.
    PersonalTable {
        table: "training_offers",
        references: &[own("created_by")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "workshops",
        references: &[own("facilitator_id"), own("created_by")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // The member sees their enrolment whole; whoever enrolled, waived,
    // cancelled or marked it for them sees that they did, on which session.
    PersonalTable {
        table: "enrolments",
        references: &[
            own("member_id"),
            acted("enrolled_by", &["id", "workshop_id", "enrolled_by", "created_at"]),
            acted("prerequisite_overridden_by", &["id", "workshop_id", "prerequisite_overridden_by"]),
            acted("cancelled_by", &["id", "workshop_id", "cancelled_by", "cancelled_at"]),
            acted(
                "attendance_marked_by",
                &["id", "workshop_id", "attendance_marked_by", "attendance_marked_at"],
            ),
        ],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "assessments",
        references: &[own("member_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "calendar_feeds",
        references: &[own("user_id")],
        secret_columns: &["token_hash"],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "review_states",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "placement_tests",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "placement_answers",
        references: &[through("test_id", "placement_tests", "id", "user_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // Enchanté (see `mentoring::privacy`). The children of the mentor profile
    // come first, so that their rows go before the profile does.
    PersonalTable {
        table: "mentor_languages",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "mentor_offers",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "mentor_profiles",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "availability_slots",
        references: &[own("user_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "mentor_matches",
        references: &[
            own("learner_id"),
            Reference { hidden_while: Some(("status", "proposed")), ..own("mentor_id") },
            acted("proposed_by", &["id", "organization_id", "proposed_by", "created_at"]),
        ],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_requests",
        references: &[own("learner_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_events",
        references: &[own("actor_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "match_sessions",
        references: &[own("created_by")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // Feedback received comes without its author (nor its match, which would
    // name them).
    PersonalTable {
        table: "match_feedback",
        references: &[
            own("author_id"),
            acted("subject_id", &["id", "subject_id", "rating", "comment", "created_at"]),
        ],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    // Badges: the member's whole award (the salt of their hashed email
    // aside); whoever revoked one sees that they did. Erasure revokes them
    // and keeps them anonymised (`credentials::service::erase`), so that the
    // status list still says revoked.
    PersonalTable {
        table: "awards",
        references: &[own("user_id"), acted("revoked_by", &["id", "revoked_by", "revoked_at"])],
        secret_columns: &["identity_salt"],
        erasure: Erasure::Keep,
    },
    // A report or a block is the reporter's and the blocker's: the person
    // reported or blocked never learns of it from the export.
    PersonalTable {
        table: "reports",
        references: &[own("reporter_id"), hidden("reported_user_id")],
        secret_columns: &[],
        erasure: Erasure::Keep,
    },
    PersonalTable {
        table: "blocks",
        references: &[own("blocker_id"), hidden("blocked_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    // Webhooks: what was told about the person to which organisation's
    // endpoint, and when (payloads hold ids only). Erased, nothing queued is
    // sent any more; the deliveries go before their events.
    PersonalTable {
        table: "webhook_deliveries",
        references: &[own("member_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
    PersonalTable {
        table: "webhook_events",
        references: &[own("member_id")],
        secret_columns: &[],
        erasure: Erasure::Delete,
    },
];

/// Whether the reference's column leads to `user_id`.
pub(super) fn refers_to(reference: &Reference, user_id: Uuid) -> SimpleExpr {
    match reference.via {
        Via::User => Expr::col(Alias::new(reference.column)).eq(user_id),
        Via::Parent { table, key, user_column } => Expr::col(Alias::new(reference.column)).in_subquery(
            Query::select()
                .column(Alias::new(key))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new(user_column)).eq(user_id))
                .to_owned(),
        ),
    }
}

/// A foreign key of the live schema: `table.column` → `references.referenced_column`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, FromQueryResult)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub references: String,
    pub referenced_column: String,
}

/// Every foreign key of the live schema, for the completeness test of
/// `PERSONAL_DATA` (which walks them from `users`).
pub async fn foreign_keys(db: &impl ConnectionTrait) -> Result<Vec<ForeignKey>, ApiError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT tc.table_name AS \"table\", kcu.column_name AS \"column\",
                    ccu.table_name AS \"references\", ccu.column_name AS referenced_column
             FROM information_schema.table_constraints tc
             JOIN information_schema.key_column_usage kcu
               ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema
             JOIN information_schema.constraint_column_usage ccu
               ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
             WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()"
        }
        _ => {
            "SELECT m.name AS \"table\", f.\"from\" AS \"column\",
                    f.\"table\" AS \"references\", f.\"to\" AS referenced_column
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table'"
        }
    };
    let mut keys =
        ForeignKey::find_by_statement(sea_orm::Statement::from_string(backend, sql)).all(db).await?;
    keys.sort();
    keys.dedup();
    Ok(keys)
}
