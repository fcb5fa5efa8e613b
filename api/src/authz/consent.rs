//! A counsellor's right over a member: an active (consented, unrevoked)
//! accompaniment, checked at the moment it is needed, so a revocation takes
//! effect at once.

use std::collections::HashSet;

use chrono::Utc;
use entity::accompaniment::{self, AccompanimentStatus};
use entity::{Role, audit_log, organization_member, user};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::ApiError;

/// Proof that `counsellor_id` held an active accompaniment of `member_id`
/// when it was made. Only this module builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consent {
    counsellor_id: Uuid,
    member_id: Uuid,
}

impl Consent {
    pub fn counsellor_id(&self) -> Uuid {
        self.counsellor_id
    }

    pub fn member_id(&self) -> Uuid {
        self.member_id
    }
}

/// The consent of `member_id` to `counsellor_id`, if it is active.
pub async fn active(
    db: &impl ConnectionTrait,
    counsellor_id: Uuid,
    member_id: Uuid,
) -> Result<Option<Consent>, ApiError> {
    let found = accompaniment::Entity::find()
        .select_only()
        .column(accompaniment::Column::Id)
        .filter(accompaniment::Column::CounsellorId.eq(counsellor_id))
        .filter(accompaniment::Column::MemberId.eq(member_id))
        .filter(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.map(|_| Consent { counsellor_id, member_id }))
}

/// Like [`active`], and writes the member's audit row of what the counsellor
/// does (`action`) if, and only if, the consent is active — one
/// `INSERT ... SELECT ... WHERE EXISTS` statement.
pub async fn active_audited(
    db: &impl ConnectionTrait,
    counsellor_id: Uuid,
    member_id: Uuid,
    action: &str,
) -> Result<Option<Consent>, ApiError> {
    let row = Query::select()
        .expr(Expr::val(Uuid::now_v7()))
        .expr(Expr::val(counsellor_id))
        .expr(Expr::val(member_id))
        .expr(Expr::val(action))
        .expr(Expr::val(Utc::now()))
        .and_where(Expr::exists(active_row(counsellor_id, member_id)))
        .to_owned();
    let insert = Query::insert()
        .into_table(audit_log::Entity)
        .columns([
            audit_log::Column::Id,
            audit_log::Column::ActorId,
            audit_log::Column::MemberId,
            audit_log::Column::Action,
            audit_log::Column::CreatedAt,
        ])
        .select_from(row)
        .map_err(anyhow::Error::from)?
        .to_owned();
    let granted = db.execute(&insert).await?.rows_affected() == 1;
    Ok(granted.then_some(Consent { counsellor_id, member_id }))
}

fn active_row(counsellor_id: Uuid, member_id: Uuid) -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(accompaniment::Entity)
        .and_where(accompaniment::Column::CounsellorId.eq(counsellor_id))
        .and_where(accompaniment::Column::MemberId.eq(member_id))
        .and_where(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .to_owned()
}

/// The organisations `member_id` consents to hear of them now: those with a
/// counsellor who holds an active accompaniment of the member. A subquery of
/// organisation ids, for the webhook fan-out and for dropping what a
/// revocation no longer allows.
pub fn organizations_consented_by(member_id: Uuid) -> SelectStatement {
    Query::select()
        .column((organization_member::Entity, organization_member::Column::OrganizationId))
        .from(organization_member::Entity)
        .inner_join(
            accompaniment::Entity,
            Expr::col((accompaniment::Entity, accompaniment::Column::CounsellorId))
                .equals((organization_member::Entity, organization_member::Column::UserId)),
        )
        .and_where(accompaniment::Column::MemberId.eq(member_id))
        .and_where(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .to_owned()
}

/// The consents `counsellor_id` holds among `member_ids`, in one query.
pub async fn active_among(
    db: &impl ConnectionTrait,
    counsellor_id: Uuid,
    member_ids: impl IntoIterator<Item = Uuid>,
) -> Result<Consents, ApiError> {
    let members = accompaniment::Entity::find()
        .select_only()
        .column(accompaniment::Column::MemberId)
        .filter(accompaniment::Column::CounsellorId.eq(counsellor_id))
        .filter(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .filter(accompaniment::Column::MemberId.is_in(member_ids.into_iter().collect::<HashSet<_>>()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(Consents { counsellor_id, members })
}

/// The batch form of [`Consent`]: which members of a list consented.
#[derive(Debug)]
pub struct Consents {
    counsellor_id: Uuid,
    members: HashSet<Uuid>,
}

impl Consents {
    pub fn get(&self, member_id: Uuid) -> Option<Consent> {
        self.members.contains(&member_id).then_some(Consent { counsellor_id: self.counsellor_id, member_id })
    }
}

/// Proof that the caller may read a member's record: the member themself, or
/// a counsellor, or an organisation's API client, with the member's active
/// consent (that read audited).
#[derive(Debug, Clone, Copy)]
pub enum RecordReader {
    Themself { member_id: Uuid },
    Counsellor(Consent),
    Client(super::clients::ClientConsent),
}

impl RecordReader {
    pub fn member_id(&self) -> Uuid {
        match self {
            Self::Themself { member_id } => *member_id,
            Self::Counsellor(consent) => consent.member_id,
            Self::Client(consent) => consent.member_id(),
        }
    }

    pub fn is_member(&self) -> bool {
        matches!(self, Self::Themself { .. })
    }
}

/// Who may read `member_id`'s record, writing the audit row `action` when a
/// counsellor reads it. `None` for anyone else (admins included).
pub async fn record_reader(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    member_id: Uuid,
    action: &str,
) -> Result<Option<RecordReader>, ApiError> {
    if caller.id == member_id {
        return Ok(Some(RecordReader::Themself { member_id }));
    }
    if caller.role != Role::Counsellor {
        return Ok(None);
    }
    Ok(active_audited(db, caller.id, member_id, action).await?.map(RecordReader::Counsellor))
}
