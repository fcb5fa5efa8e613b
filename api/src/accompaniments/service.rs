//! Accompaniment rules. Consent first: a counsellor asks, only the member can
//! consent or refuse, and either of them can end it at any time.
//!
//! Every state change is one conditional `UPDATE ... WHERE status IN (...)`,
//! the first statement of its transaction: of two concurrent changes one wins
//! and the other is a 409, and SQLite takes its write lock without upgrading a
//! stale read. The notification is written in the same transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::accompaniment::{self, AccompanimentStatus};
use entity::webhook_event::EventType;
use entity::{Role, organization, organization_member, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::dto::{
    AccompanimentDetail, AccompanimentView, AccompanimentsFilter, ConsentWording, CounsellorParty,
};
use crate::accounts::party::{Party, parties};
use crate::error::{ApiError, ErrorCode};
use crate::notifications::notice::{self, Notice};
use crate::organizations::dto::Organization;
use crate::pagination::{Page, PageRequest};
use crate::webhooks::events::{self, Subject};

/// A version of the consent text. A new version is added (never edited) when
/// what a counsellor can see changes; consents keep the version they were given on.
pub struct Wording {
    pub version: &'static str,
    pub text: &'static str,
}

/// The text a member consents to today.
pub const CURRENT_WORDING: Wording = Wording {
    version: "2026-11",
    text: "En acceptant, vous autorisez ce conseiller ou cette conseillère à voir votre parcours sur Tremplin :\n\
- vos progrès dans les leçons ;\n\
- vos compétences ;\n\
- vos mises en relation avec des mentors ;\n\
- vos ateliers ;\n\
- vos questionnaires sur la confiance en soi.\n\
Il ou elle voit aussi quels autres conseillers vous accompagnent.\n\
Chaque fois qu'il ou elle regarde votre parcours, c'est noté. Vous pouvez voir qui a regardé, et quand.\n\
Vous pouvez retirer votre accord à tout moment. Le retrait compte tout de suite.",
};

/// Every version ever shown, so that an old consent still shows its own text.
const WORDINGS: &[Wording] = &[CURRENT_WORDING];

fn wording_of(row: &accompaniment::Model) -> ConsentWording {
    let wording = row
        .consent_wording_version
        .as_deref()
        .and_then(|version| WORDINGS.iter().find(|w| w.version == version))
        .unwrap_or(&CURRENT_WORDING);
    ConsentWording {
        version: wording.version,
        text: wording.text,
        current: wording.version == CURRENT_WORDING.version,
    }
}

const OPEN: [AccompanimentStatus; 2] = [AccompanimentStatus::Pending, AccompanimentStatus::Active];

fn accompaniment_exists() -> ApiError {
    ApiError::conflict(ErrorCode::AccompanimentExists)
}

fn invalid_transition(status: AccompanimentStatus) -> ApiError {
    let id = match status {
        AccompanimentStatus::Pending => "problem.invalid_transition.accompaniment_pending",
        AccompanimentStatus::Active => "problem.invalid_transition.accompaniment_active",
        AccompanimentStatus::Refused => "problem.invalid_transition.accompaniment_refused",
        AccompanimentStatus::Revoked => "problem.invalid_transition.accompaniment_revoked",
    };
    ApiError::conflict_saying(ErrorCode::InvalidTransition, id, &[])
}

/// Who may act on an accompaniment. Anyone else gets 404: the API never tells
/// that someone else's accompaniment exists.
#[derive(Clone, Copy)]
enum Side {
    Member,
    EitherParty,
}

async fn find_as(
    db: &impl ConnectionTrait,
    id: Uuid,
    caller_id: Uuid,
    side: Side,
) -> Result<accompaniment::Model, ApiError> {
    let row = accompaniment::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    let allowed = match side {
        Side::Member => row.member_id == caller_id,
        Side::EitherParty => row.member_id == caller_id || row.counsellor_id == caller_id,
    };
    if allowed { Ok(row) } else { Err(ApiError::NotFound) }
}

/// Applies `changes` if the accompaniment is still in one of `from`.
async fn transition(
    txn: &DatabaseTransaction,
    id: Uuid,
    from: &[AccompanimentStatus],
    changes: accompaniment::ActiveModel,
) -> Result<bool, ApiError> {
    let result = accompaniment::Entity::update_many()
        .set(changes)
        .filter(accompaniment::Column::Id.eq(id))
        .filter(accompaniment::Column::Status.is_in(from.iter().copied()))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn reload(db: &impl ConnectionTrait, id: Uuid) -> Result<accompaniment::Model, ApiError> {
    accompaniment::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

/// A new accompaniment request of `counsellor_id` for `member_id`.
pub(super) fn pending(
    counsellor_id: Uuid,
    member_id: Uuid,
    now: DateTime<Utc>,
) -> accompaniment::ActiveModel {
    accompaniment::ActiveModel {
        id: Set(Uuid::now_v7()),
        counsellor_id: Set(counsellor_id),
        member_id: Set(member_id),
        status: Set(AccompanimentStatus::Pending),
        requested_at: Set(now),
        consented_at: Set(None),
        consent_wording_version: Set(None),
        refused_at: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        updated_at: Set(now),
        consent_recorded_by: Set(None),
    }
}

/// A counsellor asks to follow a member. The member must be an active account
/// with the `member` role; anything else is 404, as if it did not exist.
pub async fn request(
    db: &DatabaseConnection,
    counsellor: &user::Model,
    member_id: Uuid,
) -> Result<AccompanimentView, ApiError> {
    let member = user::Entity::find_by_id(member_id)
        .filter(user::Column::Role.eq(Role::Member))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let open = accompaniment::Entity::find()
        .filter(accompaniment::Column::CounsellorId.eq(counsellor.id))
        .filter(accompaniment::Column::MemberId.eq(member.id))
        .filter(accompaniment::Column::Status.is_in(OPEN))
        .one(db)
        .await?;
    if open.is_some() {
        return Err(accompaniment_exists());
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    // The partial unique index `uniq_accompaniments_open_pair` decides when
    // two requests race past the check above.
    let row =
        pending(counsellor.id, member.id, now).insert(&txn).await.map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => accompaniment_exists(),
            _ => err.into(),
        })?;
    let data = json!({"accompaniment_id": row.id, "counsellor_id": counsellor.id});
    let notice = Notice::new("accompaniment.requested", "notice.accompaniment_requested", data);
    notice::send(&txn, member.id, notice.naming("counsellor", counsellor)).await?;
    txn.commit().await?;
    one_view(db, row).await
}

/// The caller's accompaniments, newest first: as the member (who follows or
/// asks to follow them) and as the counsellor (whom they follow).
pub async fn mine(
    db: &impl ConnectionTrait,
    caller_id: Uuid,
    filter: &AccompanimentsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<AccompanimentView>, ApiError> {
    let mut query = accompaniment::Entity::find().filter(
        Condition::any()
            .add(accompaniment::Column::MemberId.eq(caller_id))
            .add(accompaniment::Column::CounsellorId.eq(caller_id)),
    );
    if let Some(status) = filter.status {
        query = query.filter(accompaniment::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        query = query.filter(accompaniment::Column::Id.lt(after));
    }
    // The extra row only tells `from_rows` that a next page exists.
    let rows = query.order_by_desc(accompaniment::Column::Id).limit(page.limit + 1).all(db).await?;
    let views = views(db, rows).await?;
    Ok(Page::from_rows(views, page.limit, |v| v.id))
}

pub async fn detail(
    db: &impl ConnectionTrait,
    caller_id: Uuid,
    id: Uuid,
) -> Result<AccompanimentDetail, ApiError> {
    let row = find_as(db, id, caller_id, Side::EitherParty).await?;
    one_detail(db, row).await
}

/// The member consents: `pending` → `active`, recording when and the version
/// of the text. The counsellor is notified.
pub async fn consent(
    db: &DatabaseConnection,
    member: &user::Model,
    id: Uuid,
    wording_version: Option<&str>,
) -> Result<AccompanimentDetail, ApiError> {
    let row = find_as(db, id, member.id, Side::Member).await?;
    if row.status != AccompanimentStatus::Pending {
        return Err(invalid_transition(row.status));
    }
    if wording_version.is_some_and(|version| version != CURRENT_WORDING.version) {
        return Err(ApiError::conflict(ErrorCode::ConsentWordingOutdated));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let changes = accompaniment::ActiveModel {
        status: Set(AccompanimentStatus::Active),
        consented_at: Set(Some(now)),
        consent_wording_version: Set(Some(CURRENT_WORDING.version.to_owned())),
        updated_at: Set(now),
        ..Default::default()
    };
    if !transition(&txn, id, &[AccompanimentStatus::Pending], changes).await? {
        drop(txn);
        return Err(invalid_transition(reload(db, id).await?.status));
    }
    let data = json!({"accompaniment_id": id, "member_id": member.id});
    let notice = Notice::new("accompaniment.consented", "notice.accompaniment_consented", data)
        .naming("member", member);
    notice::send(&txn, row.counsellor_id, notice).await?;
    let event = json!({"accompaniment_id": id, "member_id": member.id, "counsellor_id": row.counsellor_id});
    events::emit(&txn, EventType::AccompanimentConsented, Subject::Member(member.id), event).await?;
    txn.commit().await?;
    one_detail(db, reload(db, id).await?).await
}

/// The member refuses a request: `pending` → `refused`. The counsellor is notified.
pub async fn refuse(
    db: &DatabaseConnection,
    member: &user::Model,
    id: Uuid,
) -> Result<AccompanimentView, ApiError> {
    let row = find_as(db, id, member.id, Side::Member).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let changes = accompaniment::ActiveModel {
        status: Set(AccompanimentStatus::Refused),
        refused_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    };
    if !transition(&txn, id, &[AccompanimentStatus::Pending], changes).await? {
        drop(txn);
        return Err(invalid_transition(reload(db, id).await?.status));
    }
    let data = json!({"accompaniment_id": id, "member_id": member.id});
    let notice =
        Notice::new("accompaniment.refused", "notice.accompaniment_refused", data).naming("member", member);
    notice::send(&txn, row.counsellor_id, notice).await?;
    txn.commit().await?;
    one_view(db, reload(db, id).await?).await
}

/// Either party ends a pending or active accompaniment: `revoked`, at once
/// (the journey checks consent at every request). The other party is notified.
pub async fn revoke(db: &DatabaseConnection, caller: &user::Model, id: Uuid) -> Result<(), ApiError> {
    let row = find_as(db, id, caller.id, Side::EitherParty).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let changes = accompaniment::ActiveModel {
        status: Set(AccompanimentStatus::Revoked),
        revoked_at: Set(Some(now)),
        revoked_by: Set(Some(caller.id)),
        updated_at: Set(now),
        ..Default::default()
    };
    if !transition(&txn, id, &OPEN, changes).await? {
        drop(txn);
        return Err(invalid_transition(reload(db, id).await?.status));
    }
    let (recipient, text) = if caller.id == row.member_id {
        (row.counsellor_id, "notice.accompaniment_revoked_by_member")
    } else {
        (row.member_id, "notice.accompaniment_revoked_by_counsellor")
    };
    let data = json!({"accompaniment_id": id, "revoked_by": caller.id});
    let notice = Notice::new("accompaniment.revoked", text, data).naming("person", caller);
    notice::send(&txn, recipient, notice).await?;
    if row.status == AccompanimentStatus::Active {
        // What was queued for organisations the member no longer consents to
        // goes at once; the one the consent ended with is told it ended.
        events::drop_unconsented(&txn, row.member_id).await?;
        let event =
            json!({"accompaniment_id": id, "member_id": row.member_id, "counsellor_id": row.counsellor_id});
        let subject =
            Subject::EndedAccompaniment { member_id: row.member_id, counsellor_id: row.counsellor_id };
        events::emit(&txn, EventType::AccompanimentRevoked, subject, event).await?;
    }
    txn.commit().await?;
    Ok(())
}

pub(super) async fn one_view(
    db: &impl ConnectionTrait,
    row: accompaniment::Model,
) -> Result<AccompanimentView, ApiError> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("an accompaniment view went missing")))
}

async fn one_detail(
    db: &impl ConnectionTrait,
    row: accompaniment::Model,
) -> Result<AccompanimentDetail, ApiError> {
    let consent = wording_of(&row);
    Ok(AccompanimentDetail { accompaniment: one_view(db, row).await?, consent })
}

/// Counsellors (or any staff) with the organisations they work for, in the
/// order they joined them.
pub async fn counsellor_parties(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, CounsellorParty>, ApiError> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    let names = parties(db, ids.iter().copied()).await?;
    let links = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.is_in(ids.iter().copied()))
        .order_by_asc(organization_member::Column::CreatedAt)
        .all(db)
        .await?;
    let rows = organization::Entity::find()
        .filter(organization::Column::Id.is_in(links.iter().map(|l| l.organization_id)))
        .all(db)
        .await?;
    let organizations: HashMap<Uuid, Organization> =
        crate::organizations::directory::views(db, rows).await?.into_iter().map(|o| (o.id, o)).collect();
    let mut out: HashMap<Uuid, CounsellorParty> = ids
        .into_iter()
        .map(|id| {
            let Party { id, display_name } = names.get(id);
            (id, CounsellorParty { id, display_name, organizations: Vec::new() })
        })
        .collect();
    for link in links {
        if let (Some(party), Some(org)) =
            (out.get_mut(&link.user_id), organizations.get(&link.organization_id))
        {
            party.organizations.push(org.clone());
        }
    }
    Ok(out)
}

/// Views of `rows`, in the same order, with a fixed number of queries.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<accompaniment::Model>,
) -> Result<Vec<AccompanimentView>, ApiError> {
    let counsellors = counsellor_parties(db, rows.iter().map(|r| r.counsellor_id)).await?;
    let members = parties(db, rows.iter().map(|r| r.member_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| AccompanimentView {
            id: row.id,
            counsellor: counsellors.get(&row.counsellor_id).cloned().unwrap_or_else(|| {
                let Party { id, display_name } = members.get(row.counsellor_id);
                CounsellorParty { id, display_name, organizations: Vec::new() }
            }),
            member: members.get(row.member_id),
            status: row.status,
            requested_at: row.requested_at,
            consented_at: row.consented_at,
            consent_wording_version: row.consent_wording_version,
            refused_at: row.refused_at,
            revoked_at: row.revoked_at,
            revoked_by: row.revoked_by,
            updated_at: row.updated_at,
            consent_recorded_by: row.consent_recorded_by,
        })
        .collect())
}
