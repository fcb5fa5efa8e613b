//! The match lifecycle: creating a match (a learner's request, a cohort
//! proposal) and every change of its status.
//!
//!
//! ```text
//! proposed ──confirm──▶ requested ──accept──▶ accepted ──complete──▶ completed
//!    │                    │ decline ▶ declined      └──cancel──▶ cancelled
//!    └──withdraw──▶ withdrawn ◀──withdraw── │ (deadline) ▶ expired
//! ```
//!
//! Only the learner confirms or withdraws, only the mentor accepts or
//! declines, either party cancels or completes; anyone else gets 404. A
//! transition from any other status is a 409 `invalid_transition`.
//!
//! A `proposed` match (cohort matching) is the learner's to send
//! (`confirm`, `POST /matches/{id}/request`) or not: until then it does not
//! exist for the mentor — no view, no list entry, no action (404).
//!
//! Every change is a conditional `UPDATE ... WHERE status IN (...)` in an
//! immediate write transaction (SQLite) together with its `match_events`
//! row and its notification: of two concurrent changes one wins, the other
//! is a 409. Accepting also takes the mentor's seat: the transaction first
//! locks the mentor's profile row (`FOR UPDATE` on PostgreSQL; SQLite's
//! write lock is already exclusive), then counts the accepted matches, so two
//! acceptances can never both take the last seat.
//!
//! Calls the shared reads (`mentors`), `requests` (the score inputs of a
//! request), `match_views` (the view it answers with), `expiry`,
//! `authz::mentoring` (who is a party, who may ask whom) and `notifications`.

use chrono::{DateTime, Duration, Utc};
use entity::match_request::{self, MatchRequestStatus};
use entity::mentor_match::{self, MatchStatus};
use entity::{match_event, mentor_profile, skill, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::dto::{MatchView, NewMatch};
use super::match_views::one_view;
use super::mentors::{active_match_counts, load_mentors};
use super::requests::request_features;
use super::scoring;
use crate::accounts::party::Party;
use crate::authz::mentoring::{MatchParty, visible};
use crate::db::{WriteTxn, begin_write};
use crate::error::{ApiError, ErrorCode};
use crate::notifications::notice::{self, Notice};

/// A 409 that says which status the match is in.
fn invalid_transition(status: MatchStatus) -> ApiError {
    let text = match status {
        MatchStatus::Proposed => "problem.invalid_transition.match_proposed",
        MatchStatus::Requested => "problem.invalid_transition.match_requested",
        MatchStatus::Accepted => "problem.invalid_transition.match_accepted",
        MatchStatus::Declined => "problem.invalid_transition.match_declined",
        MatchStatus::Withdrawn => "problem.invalid_transition.match_withdrawn",
        MatchStatus::Expired => "problem.invalid_transition.match_expired",
        MatchStatus::Completed => "problem.invalid_transition.match_completed",
        MatchStatus::Cancelled => "problem.invalid_transition.match_cancelled",
    };
    ApiError::conflict_saying(ErrorCode::InvalidTransition, text, &[])
}

async fn reload(db: &impl ConnectionTrait, id: Uuid) -> Result<mentor_match::Model, ApiError> {
    mentor_match::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

/// Applies `to` if the match is still in the status it was read in (one of
/// `from`) and, for a request, not past its deadline; records the event with
/// that status. Returns whether it applied.
async fn transition(
    txn: &WriteTxn,
    row: &mentor_match::Model,
    from: &[MatchStatus],
    to: MatchStatus,
    actor: Option<Uuid>,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let mut changes =
        mentor_match::ActiveModel { status: Set(to), updated_at: Set(now), ..Default::default() };
    if to == MatchStatus::Requested {
        changes.expires_at = Set(row.expires_at);
    }
    let mut update = mentor_match::Entity::update_many()
        .set(changes)
        .filter(mentor_match::Column::Id.eq(row.id))
        .filter(mentor_match::Column::Status.eq(row.status));
    if !from.contains(&row.status) {
        return Ok(false);
    }
    if row.status == MatchStatus::Requested && to != MatchStatus::Expired {
        update = update.filter(
            Condition::any()
                .add(mentor_match::Column::ExpiresAt.is_null())
                .add(mentor_match::Column::ExpiresAt.gt(now)),
        );
    }
    if update.exec(txn).await?.rows_affected != 1 {
        return Ok(false);
    }
    record(txn, row.id, actor, Some(row.status), to, reason, now).await?;
    Ok(true)
}

async fn record(
    db: &WriteTxn,
    match_id: Uuid,
    actor: Option<Uuid>,
    from: Option<MatchStatus>,
    to: MatchStatus,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    match_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        match_id: Set(match_id),
        actor_id: Set(actor),
        from_status: Set(from),
        to_status: Set(to),
        reason: Set(reason),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn set_request_status(
    txn: &WriteTxn,
    request_id: Uuid,
    status: MatchRequestStatus,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    match_request::Entity::update_many()
        .set(match_request::ActiveModel { status: Set(status), updated_at: Set(now), ..Default::default() })
        .filter(match_request::Column::Id.eq(request_id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn skill_name(db: &impl ConnectionTrait, skill_id: Uuid) -> Result<String, ApiError> {
    Ok(skill::Entity::find_by_id(skill_id).one(db).await?.map(|s| s.name).unwrap_or_default())
}

/// The learner asks a mentor for one of their open requests.
pub async fn create(
    db: &DatabaseConnection,
    caller: &user::Model,
    new: NewMatch,
    ttl: Duration,
) -> Result<MatchView, ApiError> {
    let request = match_request::Entity::find_by_id(new.request_id)
        .filter(match_request::Column::LearnerId.eq(caller.id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation("request_id", "unknown_request", "field.own_request_unknown"))?;
    if request.status != MatchRequestStatus::Open {
        return Err(ApiError::conflict(ErrorCode::RequestNotOpen));
    }
    let now = Utc::now();
    let monday = scoring::reference_monday(now);
    let features = request_features(db, &request, monday).await?;
    let mentors = load_mentors(db, &[new.mentor_id], monday).await?;
    let unknown = || ApiError::validation("mentor_id", "unknown_mentor", "field.mentor_unknown");
    let mentor = mentors.get(&new.mentor_id).ok_or_else(unknown)?;
    let mentor_features = mentor.features(request.skill_id);
    let blocked = visible(db, caller.id, new.mentor_id).await?.is_none();
    scoring::eligibility(&features, &mentor_features, blocked)
        .map_err(|why| ApiError::validation("mentor_id", why.code(), why.message()))?;
    let score = scoring::score(&features, &mentor_features);

    let txn = begin_write(db).await?;
    let row = mentor_match::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(request.id),
        learner_id: Set(caller.id),
        mentor_id: Set(new.mentor_id),
        skill_id: Set(request.skill_id),
        status: Set(MatchStatus::Requested),
        score: Set(Some(i16::from(score.total))),
        message: Set(new.message.map(|m| m.trim().to_owned()).or(request.message.clone())),
        organization_id: Set(None),
        proposed_by: Set(None),
        expires_at: Set(Some(now + ttl)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(ErrorCode::MatchExists),
        _ => err.into(),
    })?;
    record(&txn, row.id, Some(caller.id), None, MatchStatus::Requested, None, now).await?;
    let skill = skill_name(&txn, request.skill_id).await?;
    let data = json!({"match_id": row.id, "learner_id": caller.id});
    let notice = Notice::new("match.requested", "notice.match_requested", data)
        .naming("person", caller)
        .with("skill", skill);
    notice::send(&txn, row.mentor_id, notice).await?;
    txn.commit().await?;
    one_view(db, row, caller.id).await
}

/// What a party may do, and what it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Confirm,
    Accept,
    Decline,
    Withdraw,
    Cancel,
    Complete,
}

impl Action {
    fn allowed(self, party: &MatchParty) -> bool {
        match self {
            Action::Accept | Action::Decline => !party.is_learner(),
            Action::Confirm | Action::Withdraw => party.is_learner(),
            Action::Cancel | Action::Complete => true,
        }
    }

    fn from(self) -> &'static [MatchStatus] {
        match self {
            Action::Confirm => &[MatchStatus::Proposed],
            Action::Accept | Action::Decline => &[MatchStatus::Requested],
            Action::Withdraw => &[MatchStatus::Proposed, MatchStatus::Requested],
            Action::Cancel | Action::Complete => &[MatchStatus::Accepted],
        }
    }

    fn to(self) -> MatchStatus {
        match self {
            Action::Confirm => MatchStatus::Requested,
            Action::Accept => MatchStatus::Accepted,
            Action::Decline => MatchStatus::Declined,
            Action::Withdraw => MatchStatus::Withdrawn,
            Action::Cancel => MatchStatus::Cancelled,
            Action::Complete => MatchStatus::Completed,
        }
    }
}

/// Takes the mentor's seat lock: no other acceptance for this mentor can
/// count their matches until this transaction ends.
async fn lock_mentor(txn: &WriteTxn, mentor_id: Uuid) -> Result<Option<i16>, ApiError> {
    let mut query = mentor_profile::Entity::find_by_id(mentor_id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.one(txn).await?.map(|p| p.max_active_matches))
}

/// Runs `action` on the match of `party` for `caller` (the same person).
pub async fn act(
    db: &DatabaseConnection,
    caller: &user::Model,
    party: &MatchParty,
    action: Action,
    reason: Option<String>,
    ttl: Duration,
) -> Result<MatchView, ApiError> {
    let id = party.row().id;
    if !action.allowed(party) {
        return Err(ApiError::Forbidden);
    }
    let mut row = party.row().clone();
    if !action.from().contains(&row.status) {
        return Err(invalid_transition(row.status));
    }
    let now = Utc::now();
    let txn = begin_write(db).await?;
    if action == Action::Accept {
        let max = lock_mentor(&txn, row.mentor_id).await?.unwrap_or(0);
        let active =
            active_match_counts(&txn, &[row.mentor_id]).await?.get(&row.mentor_id).copied().unwrap_or(0);
        if active >= i64::from(max) {
            return Err(ApiError::conflict(ErrorCode::MentorAtCapacity));
        }
    }
    if action == Action::Confirm {
        row.expires_at = Some(now + ttl);
    }
    let reason = reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if !transition(&txn, &row, action.from(), action.to(), Some(caller.id), reason.clone(), now).await? {
        drop(txn);
        let current = reload(db, id).await?;
        if current.status == MatchStatus::Requested && current.expires_at.is_some_and(|at| at <= now) {
            super::expiry::expire_one(db, &current, now).await?;
            return Err(invalid_transition(MatchStatus::Expired));
        }
        return Err(invalid_transition(current.status));
    }
    match action {
        Action::Accept => set_request_status(&txn, row.request_id, MatchRequestStatus::Matched, now).await?,
        Action::Cancel => set_request_status(&txn, row.request_id, MatchRequestStatus::Open, now).await?,
        _ => {}
    }
    announce(&txn, &row, action, caller, reason.as_deref()).await?;
    txn.commit().await?;
    one_view(db, reload(db, id).await?, caller.id).await
}

/// The notification of a transition to the other party (nobody is told of
/// a proposal the learner withdrew before sending it).
async fn announce(
    txn: &WriteTxn,
    row: &mentor_match::Model,
    action: Action,
    caller: &user::Model,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    if action == Action::Withdraw && row.status == MatchStatus::Proposed {
        return Ok(());
    }
    let other = if caller.id == row.learner_id { row.mentor_id } else { row.learner_id };
    let skill = skill_name(txn, row.skill_id).await?;
    // Decline and cancel end with the reason given, when there is one.
    let (kind, text) = match (action, reason.is_some()) {
        (Action::Confirm, _) => ("match.requested", "notice.match_requested"),
        (Action::Accept, _) => ("match.accepted", "notice.match_accepted"),
        (Action::Decline, false) => ("match.declined", "notice.match_declined"),
        (Action::Decline, true) => ("match.declined", "notice.match_declined_with_reason"),
        (Action::Withdraw, _) => ("match.withdrawn", "notice.match_withdrawn"),
        (Action::Cancel, false) => ("match.cancelled", "notice.match_cancelled"),
        (Action::Cancel, true) => ("match.cancelled", "notice.match_cancelled_with_reason"),
        (Action::Complete, _) => ("match.completed", "notice.match_completed"),
    };
    let mut notice =
        Notice::new(kind, text, json!({"match_id": row.id})).naming("person", caller).with("skill", skill);
    if let Some(reason) = reason {
        notice = notice.quoting("reason", caller.id, reason);
    }
    notice::send(txn, other, notice).await
}

/// Ends an open match because `blocker` blocked the other party: the learner
/// withdraws or the mentor declines a proposal or request, either cancels an
/// accepted match. No reason is recorded: nobody learns of the block.
pub async fn end_for_safety(
    txn: &WriteTxn,
    row: &mentor_match::Model,
    blocker: &user::Model,
) -> Result<(), ApiError> {
    let learner = blocker.id == row.learner_id;
    let action = match row.status {
        MatchStatus::Accepted => Action::Cancel,
        MatchStatus::Proposed | MatchStatus::Requested if learner => Action::Withdraw,
        MatchStatus::Requested => Action::Decline,
        // A proposal the learner has not sent: the mentor cannot decline it yet.
        MatchStatus::Proposed => Action::Withdraw,
        _ => return Ok(()),
    };
    let now = Utc::now();
    let changes =
        mentor_match::ActiveModel { status: Set(action.to()), updated_at: Set(now), ..Default::default() };
    let updated = mentor_match::Entity::update_many()
        .set(changes)
        .filter(mentor_match::Column::Id.eq(row.id))
        .filter(mentor_match::Column::Status.eq(row.status))
        .exec(txn)
        .await?;
    if updated.rows_affected == 1 {
        record(txn, row.id, Some(blocker.id), Some(row.status), action.to(), None, now).await?;
        if action == Action::Cancel {
            set_request_status(txn, row.request_id, MatchRequestStatus::Open, now).await?;
        }
        announce(txn, row, action, blocker, None).await?;
    }
    Ok(())
}

/// Creates the `proposed` matches of a cohort, with their events and the
/// learners' notifications, in the caller's transaction.
pub async fn propose(
    txn: &WriteTxn,
    proposer: &user::Model,
    organization_id: Uuid,
    request: &match_request::Model,
    mentor: &Party,
    score: u8,
    skill: &str,
) -> Result<Uuid, ApiError> {
    let now = Utc::now();
    let row = mentor_match::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(request.id),
        learner_id: Set(request.learner_id),
        mentor_id: Set(mentor.id),
        skill_id: Set(request.skill_id),
        status: Set(MatchStatus::Proposed),
        score: Set(Some(i16::from(score))),
        message: Set(request.message.clone()),
        organization_id: Set(Some(organization_id)),
        proposed_by: Set(Some(proposer.id)),
        expires_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(ErrorCode::MatchExists),
        _ => err.into(),
    })?;
    record(txn, row.id, Some(proposer.id), None, MatchStatus::Proposed, None, now).await?;
    let data = json!({"match_id": row.id, "mentor_id": mentor.id});
    // The mentor's display name is theirs: a mention, as the proposer's is.
    let notice = Notice::new("match.proposed", "notice.match_proposed", data)
        .naming("proposer", proposer)
        .quoting("mentor", mentor.id, &mentor.display_name)
        .with("skill", skill);
    notice::send(txn, request.learner_id, notice).await?;
    Ok(row.id)
}
