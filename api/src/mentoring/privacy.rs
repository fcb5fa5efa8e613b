//! Erasure of a person's Enchanté data (see `privacy::erasure`): their
//! profile, availability and blocks go; matches, requests, events, sessions,
//! feedback and reports stay for the counts, without the free text the
//! person wrote; what was open with them ends, and the other party is told.

use entity::match_request::{self, MatchRequestStatus};
use entity::mentor_match::{self, MatchStatus};
use entity::{
    availability_slot, block, match_event, match_feedback, match_session, mentor_profile, report, user,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::lifecycle::end_for_safety;
use crate::db::WriteTxn;
use crate::error::ApiError;

/// The tables this module erases, in `PERSONAL_DATA` order.
pub const TABLES: [&str; 9] = [
    "mentor_profiles",
    "availability_slots",
    "mentor_matches",
    "match_requests",
    "match_events",
    "match_sessions",
    "match_feedback",
    "reports",
    "blocks",
];

pub fn handles(table: &str) -> bool {
    TABLES.contains(&table)
}

pub async fn erase(txn: &WriteTxn, table: &str, user_id: Uuid) -> Result<(), ApiError> {
    match table {
        "mentor_profiles" => {
            mentor_profile::Entity::delete_by_id(user_id).exec(txn).await?;
        }
        "availability_slots" => {
            availability_slot::Entity::delete_many()
                .filter(availability_slot::Column::UserId.eq(user_id))
                .exec(txn)
                .await?;
        }
        "mentor_matches" => {
            let person = user::Entity::find_by_id(user_id).one(txn).await?.ok_or(ApiError::NotFound)?;
            let open = mentor_match::Entity::find()
                .filter(mentor_match::Column::Status.is_in(MatchStatus::OPEN))
                .filter(
                    Condition::any()
                        .add(mentor_match::Column::LearnerId.eq(user_id))
                        .add(mentor_match::Column::MentorId.eq(user_id)),
                )
                .all(txn)
                .await?;
            for row in open {
                end_for_safety(txn, &row, &person).await?;
            }
            mentor_match::Entity::update_many()
                .col_expr(mentor_match::Column::Message, Expr::value(Option::<String>::None))
                .filter(mentor_match::Column::LearnerId.eq(user_id))
                .exec(txn)
                .await?;
        }
        "match_requests" => {
            match_request::Entity::update_many()
                .col_expr(match_request::Column::Message, Expr::value(Option::<String>::None))
                .col_expr(match_request::Column::Postcode, Expr::value(Option::<String>::None))
                .filter(match_request::Column::LearnerId.eq(user_id))
                .exec(txn)
                .await?;
            match_request::Entity::update_many()
                .col_expr(match_request::Column::Status, Expr::value(MatchRequestStatus::Closed))
                .filter(match_request::Column::LearnerId.eq(user_id))
                .filter(match_request::Column::Status.eq(MatchRequestStatus::Open))
                .exec(txn)
                .await?;
        }
        "match_events" => {
            match_event::Entity::update_many()
                .col_expr(match_event::Column::Reason, Expr::value(Option::<String>::None))
                .filter(match_event::Column::ActorId.eq(user_id))
                .exec(txn)
                .await?;
        }
        "match_sessions" => {
            match_session::Entity::update_many()
                .col_expr(match_session::Column::Location, Expr::value(Option::<String>::None))
                .filter(match_session::Column::CreatedBy.eq(user_id))
                .exec(txn)
                .await?;
        }
        "match_feedback" => {
            match_feedback::Entity::update_many()
                .col_expr(match_feedback::Column::Comment, Expr::value(Option::<String>::None))
                .filter(match_feedback::Column::AuthorId.eq(user_id))
                .exec(txn)
                .await?;
        }
        "reports" => {
            report::Entity::update_many()
                .col_expr(report::Column::Reason, Expr::value(Option::<String>::None))
                .filter(report::Column::ReporterId.eq(user_id))
                .exec(txn)
                .await?;
        }
        "blocks" => {
            block::Entity::delete_many()
                .filter(
                    Condition::any()
                        .add(block::Column::BlockerId.eq(user_id))
                        .add(block::Column::BlockedId.eq(user_id)),
                )
                .exec(txn)
                .await?;
        }
        other => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "no mentoring erasure written for table {other}"
            )));
        }
    }
    Ok(())
}
