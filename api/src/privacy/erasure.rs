//! The right to erasure and the retention policy: a person's rows deleted or
//! anonymised in one transaction, table by table as `PERSONAL_DATA` declares
//! it, so that aggregate statistics stay true.
//!
//! Erasure reaches into the areas that hold personal data (accounts,
//! mentoring, workshops, notifications) through their own erasure functions;
//! none of them calls back here.

use chrono::Utc;
use entity::{accompaniment, user};
use sea_orm::sea_query::{Alias, Condition, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
};
use uuid::Uuid;

use super::catalogue::{Erasure, PERSONAL_DATA, PersonalTable, refers_to};
use crate::accounts::party::ERASED_DISPLAY_NAME;
use crate::accounts::throttle::{LoginScopes, forget_account};
use crate::accounts::usernames;
use crate::cache::{Stale, TtlCache, announce};
use crate::db;
use crate::error::ApiError;

/// Deletes every row of `personal` that refers to `user_id`, whichever way.
async fn delete_rows(
    txn: &DatabaseTransaction,
    personal: &PersonalTable,
    user_id: Uuid,
) -> Result<(), ApiError> {
    let mut any = Condition::any();
    for reference in personal.references {
        any = any.add(refers_to(reference, user_id));
    }
    let delete = Query::delete().from_table(Alias::new(personal.table)).cond_where(any).to_owned();
    txn.execute(&delete).await?;
    Ok(())
}

/// `DELETE /me`: erases the person (see `erase_account`) and drops this
/// replica's cached copy of the account (the others hear of it).
pub async fn erase(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    user_id: Uuid,
) -> Result<(), ApiError> {
    erase_account(db, user_id).await?;
    users.remove(&user_id);
    Ok(())
}

/// Erases a person in one transaction: sessions and personal rows deleted,
/// identity and free text overwritten, open accompaniments closed; the user
/// row itself stays (anonymised) so that counts and references stay true.
async fn erase_account(db: &DatabaseConnection, user_id: Uuid) -> Result<(), ApiError> {
    let txn = db::begin_write(db).await?;
    let account = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(ApiError::NotFound)?;
    if account.erased_at.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    for personal in PERSONAL_DATA {
        match (personal.erasure, personal.table) {
            // Enchanté: profiles, availability and blocks deleted; matches and
            // their history kept for the counts, without the person's free text.
            (_, table) if crate::mentoring::privacy::handles(table) => {
                crate::mentoring::privacy::erase(&txn, table, user_id).await?;
            }
            (Erasure::Delete, "notification_mentions") => {
                crate::notifications::service::forget_mentions(&txn, user_id, ERASED_DISPLAY_NAME).await?;
            }
            (Erasure::Delete, _) => delete_rows(&txn, personal, user_id).await?,
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
            // lessons belong to the programme; sessions run belong to the
            // programme; measures hold no free text and feed the impact figures;
            // training offers belong to their centre.
            (
                Erasure::Keep,
                "audit_log" | "client_audit_log" | "lesson_attempts" | "attempt_answers" | "learning_days"
                | "lessons" | "placement_tests" | "placement_answers" | "workshops" | "assessments"
                | "training_offers",
            ) => {}
            // Seats of sessions still to come go to the waiting list; past
            // enrolments stay for the counts, without the free text others
            // wrote about the person.
            (Erasure::Keep, "awards") => crate::credentials::service::erase(&txn, user_id).await?,
            (Erasure::Keep, "enrolments") => {
                crate::workshops::erasure::release_for_erasure(&txn, user_id).await?;
            }
            (Erasure::Anonymise, "users") => {
                let identifiers =
                    [account.email.as_deref(), account.phone.as_deref(), Some(&account.username)];
                for identifier in identifiers.into_iter().flatten() {
                    forget_account(&txn, LoginScopes::new(identifier, None).account()).await?;
                }
                // The username is never given again; only its hash stays.
                entity::retired_username::ActiveModel {
                    username_hash: Set(usernames::retired_hash(&account.username)),
                }
                .insert(&txn)
                .await?;
                user::Entity::update_many()
                    .set(user::ActiveModel {
                        email: Set(None),
                        phone: Set(None),
                        username: Set(format!("erased.{}", user_id.simple())),
                        email_verified_at: Set(None),
                        password_change_required: Set(false),
                        temporary_password_expires_at: Set(None),
                        password_hash: Set("!".into()),
                        display_name: Set(ERASED_DISPLAY_NAME.into()),
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
            (erasure, table) => {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "no {erasure:?} erasure written for table {table}"
                )));
            }
        }
    }
    announce(&txn, Stale::User(user_id)).await?;
    txn.commit().await?;
    Ok(())
}

/// The retention policy: accounts inactive (no login nor refresh) since
/// before `cutoff` are erased, or only listed with `dry_run`. It runs in the
/// `tremplin purge` process, whose user cache no request reads; the servers'
/// copies expire within `USER_CACHE_TTL`.
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
            erase_account(db, *id).await?;
        }
    }
    Ok(inactive)
}
