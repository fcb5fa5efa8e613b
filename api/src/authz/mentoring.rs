//! Enchanté's rights: who is a party to a match, and who may see whom.
//!
//! A match is its learner's and its mentor's, except that a proposal the
//! learner has not sent (cohort matching) is the learner's alone: until it is
//! sent it does not exist for the mentor. A block, either way, hides a pair
//! from each other: no public profile, no mentor card, no suggestion.

use entity::block;
use entity::mentor_match::{self, MatchStatus};
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::error::ApiError;

/// Proof that the caller is a party to a match, with the match as it was
/// read. Only this module builds one.
#[derive(Debug, Clone)]
pub struct MatchParty {
    caller_id: Uuid,
    row: mentor_match::Model,
}

impl MatchParty {
    pub fn caller_id(&self) -> Uuid {
        self.caller_id
    }

    pub fn row(&self) -> &mentor_match::Model {
        &self.row
    }

    pub fn is_learner(&self) -> bool {
        self.row.learner_id == self.caller_id
    }

    /// The party who is not the caller.
    pub fn other_id(&self) -> Uuid {
        if self.is_learner() { self.row.mentor_id } else { self.row.learner_id }
    }
}

/// `caller_id`'s side of match `match_id`, if they are a party to it.
pub async fn match_party(
    db: &impl ConnectionTrait,
    match_id: Uuid,
    caller_id: Uuid,
) -> Result<Option<MatchParty>, ApiError> {
    let Some(row) = mentor_match::Entity::find_by_id(match_id).one(db).await? else {
        return Ok(None);
    };
    let party =
        row.learner_id == caller_id || (row.mentor_id == caller_id && row.status != MatchStatus::Proposed);
    Ok(party.then_some(MatchParty { caller_id, row }))
}

/// The same rule for lists, on the mentor's side: matches where `user_id` is
/// the mentor, less the proposals the learner has not sent.
pub fn as_mentor(user_id: Uuid) -> Condition {
    Condition::all()
        .add(mentor_match::Column::MentorId.eq(user_id))
        .add(mentor_match::Column::Status.ne(MatchStatus::Proposed))
}

/// Proof that `viewer` may see `subject` (their public profile, their
/// mentor card): no block between them, either way. Only this module builds
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible {
    viewer: Uuid,
    subject: Uuid,
}

impl Visible {
    pub fn viewer(&self) -> Uuid {
        self.viewer
    }

    pub fn subject(&self) -> Uuid {
        self.subject
    }
}

/// Whether `viewer` may see `subject`.
pub async fn visible(
    db: &impl ConnectionTrait,
    viewer: Uuid,
    subject: Uuid,
) -> Result<Option<Visible>, ApiError> {
    let blocks = block::Entity::find()
        .filter(
            Condition::any()
                .add(block::Column::BlockerId.eq(viewer).and(block::Column::BlockedId.eq(subject)))
                .add(block::Column::BlockerId.eq(subject).and(block::Column::BlockedId.eq(viewer))),
        )
        .count(db)
        .await?;
    Ok((blocks == 0).then_some(Visible { viewer, subject }))
}

/// The same rule for lists: `column` holds someone `viewer` may see — not
/// someone they blocked, nor someone who blocked them.
pub fn visible_to(column: impl ColumnTrait, viewer: Uuid) -> Condition {
    let blocked_by_viewer = Query::select()
        .column(block::Column::BlockedId)
        .from(block::Entity)
        .and_where(block::Column::BlockerId.eq(viewer))
        .to_owned();
    let blocking_viewer = Query::select()
        .column(block::Column::BlockerId)
        .from(block::Entity)
        .and_where(block::Column::BlockedId.eq(viewer))
        .to_owned();
    Condition::all()
        .add(column.not_in_subquery(blocked_by_viewer))
        .add(column.not_in_subquery(blocking_viewer))
}
