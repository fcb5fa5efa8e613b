use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::{notification, notification_mention};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::schema::string_set;

/// A notification body that names people: the spans holding someone's display
/// name or free text are kept, so that erasing that person can rewrite them
/// (`forget_mentions`) without guessing where they are in the text.
#[derive(Debug, Default)]
pub(super) struct Body {
    pub(super) text: String,
    /// `(start, length, user_id)`, byte spans of `text`, in order.
    pub(super) mentions: Vec<(usize, usize, Uuid)>,
}

impl Body {
    /// Text that names nobody.
    pub fn text(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// `text` that is `person`'s: their display name, or free text they wrote.
    pub fn mention(mut self, person: Uuid, text: &str) -> Self {
        if !text.is_empty() {
            self.mentions.push((self.text.len(), text.len(), person));
            self.text.push_str(text);
        }
        self
    }
}

/// Writes one notification and the spans of its body that name people.
pub(super) async fn store(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    kind: &str,
    title: String,
    body: Body,
    data: serde_json::Value,
) -> Result<(), ApiError> {
    let id = Uuid::now_v7();
    notification::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        kind: Set(kind.to_owned()),
        title: Set(title),
        body: Set(body.text),
        data: Set(data),
        created_at: Set(Utc::now()),
        read_at: Set(None),
    }
    .insert(db)
    .await?;
    store_mentions(db, id, &body.mentions).await
}

async fn store_mentions(
    db: &impl ConnectionTrait,
    notification_id: Uuid,
    mentions: &[(usize, usize, Uuid)],
) -> Result<(), ApiError> {
    let mut rows = Vec::with_capacity(mentions.len());
    for &(start, length, user_id) in mentions {
        rows.push(notification_mention::ActiveModel {
            notification_id: Set(notification_id),
            start: Set(i32::try_from(start).map_err(anyhow::Error::from)?),
            length: Set(i32::try_from(length).map_err(anyhow::Error::from)?),
            user_id: Set(user_id),
        });
    }
    notification_mention::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Erasure of `user_id`: in every notification that names them, their
/// display name and free text become `replacement`; the other spans move
/// with the text. Their own notifications are deleted with `PERSONAL_DATA`.
pub async fn forget_mentions(
    txn: &DatabaseTransaction,
    user_id: Uuid,
    replacement: &str,
) -> Result<(), ApiError> {
    let naming: BTreeSet<Uuid> = notification_mention::Entity::find()
        .filter(notification_mention::Column::UserId.eq(user_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.notification_id)
        .collect();
    for id in naming {
        let Some(notice) = notification::Entity::find_by_id(id).one(txn).await? else { continue };
        let mentions = notification_mention::Entity::find()
            .filter(notification_mention::Column::NotificationId.eq(id))
            .order_by_asc(notification_mention::Column::Start)
            .all(txn)
            .await?;
        let mut rewritten = Body::default();
        let mut cursor = 0;
        for mention in &mentions {
            let start = usize::try_from(mention.start).map_err(anyhow::Error::from)?;
            let end = start + usize::try_from(mention.length).map_err(anyhow::Error::from)?;
            let (Some(before), Some(text)) = (notice.body.get(cursor..start), notice.body.get(start..end))
            else {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "mention {start}..{end} outside notification {id}"
                )));
            };
            rewritten = rewritten.text(before);
            rewritten = if mention.user_id == user_id {
                rewritten.text(replacement)
            } else {
                rewritten.mention(mention.user_id, text)
            };
            cursor = end;
        }
        rewritten = rewritten.text(notice.body.get(cursor..).unwrap_or_default());
        notification::Entity::update_many()
            .col_expr(notification::Column::Body, Expr::value(rewritten.text))
            .filter(notification::Column::Id.eq(id))
            .exec(txn)
            .await?;
        notification_mention::Entity::delete_many()
            .filter(notification_mention::Column::NotificationId.eq(id))
            .exec(txn)
            .await?;
        store_mentions(txn, id, &rewritten.mentions).await?;
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    #[schema(value_type = NotificationKind)]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

string_set!(
    /// `NotificationView.kind`: the `kind` of every `Notice` the services send.
    NotificationKind,
    "What a notification is about; `data` holds the ids to link to.",
    [
        ("accompaniment.requested", "A counsellor asks to follow you."),
        ("accompaniment.consented", "The member consented to your accompaniment."),
        ("accompaniment.refused", "The member refused your accompaniment."),
        ("accompaniment.revoked", "An accompaniment was ended by the other party."),
        ("match.proposed", "Cohort matching proposes you a mentor."),
        ("match.requested", "A learner asks you to mentor them."),
        ("match.accepted", "The mentor accepted your request."),
        ("match.declined", "The mentor declined your request."),
        ("match.withdrawn", "The learner withdrew their request."),
        ("match.expired", "A request expired unanswered."),
        ("match.cancelled", "The other party cancelled the match."),
        ("match.completed", "The match is completed: you can give feedback."),
        ("match.session_planned", "A session of your match was planned."),
        ("workshop.enrolled", "You were enrolled in a workshop session."),
        ("workshop.seat_confirmed", "A seat freed up: you are off the waiting list."),
        ("workshop.updated", "A session you are enrolled in changed time or place."),
        ("workshop.cancelled", "A session you are enrolled in was cancelled."),
        ("workshop.enrolment_cancelled", "Your enrolment was cancelled."),
        ("credential.awarded", "You earned an achievement: its credential is ready."),
        ("credential.revoked", "One of your credentials was revoked, with the reason."),
    ]
);

impl From<notification::Model> for NotificationView {
    fn from(n: notification::Model) -> Self {
        NotificationView {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            data: n.data,
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

/// The inbox, newest first (ids are time-ordered).
pub async fn inbox(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<NotificationView>, ApiError> {
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if let Some(after) = page.after {
        query = query.filter(notification::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(notification::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(NotificationView::from).collect(), page.limit, |n| n.id))
}

/// Marks one of the user's notifications read; someone else's is "not found".
pub async fn mark_read(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> Result<(), ApiError> {
    let exists = notification::Entity::find_by_id(id)
        .filter(notification::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .is_some();
    if !exists {
        return Err(ApiError::NotFound);
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
