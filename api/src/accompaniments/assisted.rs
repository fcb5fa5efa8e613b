//! Accounts opened and rescued with a counsellor (a Mission locale adviser,
//! a tiers-lieu's digital mediator): many people open their first account at
//! a desk, next to someone who helps, and forget passwords.
//!
//! - The counsellor opens the account with the member, who consents in
//!   person to the accompaniment: the account and an `active` accompaniment
//!   are created together, the consent recorded with who took it, when, and
//!   the wording version.
//! - The member signs in with the username and a temporary password (valid 7
//!   days) and must choose their own before anything else.
//! - Later, a counsellor with the member's active consent can give a new
//!   temporary password; the member's audit log says so and every session
//!   ends.

use chrono::{DateTime, Utc};
use entity::accompaniment::{self, AccompanimentStatus};
use entity::webhook_event::EventType;
use entity::{Role, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::dto::{AccompanimentView, NewAssistedAccount};
use super::service::{CURRENT_WORDING, one_view, pending};
use crate::accounts::domain::Password;
use crate::accounts::recovery;
use crate::accounts::service::{NewUser, insert_user};
use crate::auth::password;
use crate::authz::consent;
use crate::cache::{Stale, TtlCache, announce};
use crate::config::MailSettings;
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::notifications::notice::{self, Notice};
use crate::webhooks::events::{self, Subject};

/// The audit action of a counsellor's password reset.
pub const PASSWORD_RESET_BY_COUNSELLOR: &str = "password.reset_by_counsellor";

/// What the counsellor hands over.
pub struct Opened {
    pub user: user::Model,
    pub temporary_password: String,
    pub accompaniment: AccompanimentView,
}

fn outdated_wording() -> ApiError {
    ApiError::conflict_saying(
        ErrorCode::ConsentWordingOutdated,
        "problem.consent_wording_outdated.in_person",
        &[],
    )
}

/// Opens a member account with a temporary password and an active
/// accompaniment by `counsellor`, in one transaction.
pub async fn open_account(
    db: &DatabaseConnection,
    mail: &MailSettings,
    counsellor: &user::Model,
    form: &NewAssistedAccount,
) -> Result<Opened, ApiError> {
    if form.consent_wording_version != CURRENT_WORDING.version {
        return Err(outdated_wording());
    }
    let temporary_password = recovery::temporary_password();
    let password = Password::parse(temporary_password.clone()).map_err(anyhow::Error::msg)?;
    let mut new = NewUser::member(
        &form.display_name,
        form.email.as_deref(),
        form.phone.as_deref(),
        form.locale.as_deref(),
        password,
    )?;
    new.temporary = true;
    let hash = password::hash_limited(temporary_password.clone()).await?;
    let txn = db::begin_write(db).await?;
    let member = insert_user(&txn, mail, &new, hash).await?;
    let now = Utc::now();
    let row = accompaniment::ActiveModel {
        status: Set(AccompanimentStatus::Active),
        consented_at: Set(Some(now)),
        consent_wording_version: Set(Some(CURRENT_WORDING.version.to_owned())),
        consent_recorded_by: Set(Some(counsellor.id)),
        ..pending(counsellor.id, member.id, now)
    }
    .insert(&txn)
    .await?;
    let data = json!({"accompaniment_id": row.id, "counsellor_id": counsellor.id});
    let notice = Notice::new("accompaniment.opened_in_person", "notice.account_opened_in_person", data);
    notice::send(&txn, member.id, notice.naming("counsellor", counsellor)).await?;
    let event = json!({"accompaniment_id": row.id, "member_id": member.id, "counsellor_id": counsellor.id});
    events::emit(&txn, EventType::AccompanimentConsented, Subject::Member(member.id), event).await?;
    txn.commit().await?;
    let accompaniment = one_view(db, row).await?;
    Ok(Opened { user: member, temporary_password, accompaniment })
}

/// Gives a member a new temporary password. Only a counsellor with the
/// member's active consent may; the audit row and the consent check are one
/// statement. Anyone else gets 404.
pub async fn reset_password(
    db: &DatabaseConnection,
    users: &TtlCache<Uuid, user::Model>,
    counsellor: &user::Model,
    member_id: Uuid,
) -> Result<(String, DateTime<Utc>), ApiError> {
    let temporary_password = recovery::temporary_password();
    let hash = password::hash_limited(temporary_password.clone()).await?;
    let txn = db::begin_write(db).await?;
    let member = user::Entity::find_by_id(member_id)
        .filter(user::Column::Role.eq(Role::Member))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    consent::active_audited(&txn, counsellor.id, member.id, PASSWORD_RESET_BY_COUNSELLOR)
        .await?
        .ok_or(ApiError::NotFound)?;
    let expires_at = recovery::reset_to_temporary(&txn, member, hash).await?;
    let data = json!({"counsellor_id": counsellor.id});
    let notice =
        Notice::new("account.password_reset_by_counsellor", "notice.password_reset_by_counsellor", data);
    notice::send(&txn, member_id, notice.naming("counsellor", counsellor)).await?;
    announce(&txn, Stale::User(member_id)).await?;
    txn.commit().await?;
    users.remove(&member_id);
    Ok((temporary_password, expires_at))
}
