use chrono::{DateTime, Utc};
use entity::notification;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

/// A notification to send; `kind` is a stable machine name (`accompaniment.requested`)
/// and `data` carries the ids a front-end needs to link to the object.
pub struct Notice<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub data: serde_json::Value,
}

/// Stores a notification for `user_id`, inside the caller's transaction when
/// given one, so it exists exactly when the change it announces does.
pub async fn notify(db: &impl ConnectionTrait, user_id: Uuid, notice: Notice<'_>) -> Result<(), ApiError> {
    notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        kind: Set(notice.kind.to_owned()),
        title: Set(notice.title.to_owned()),
        body: Set(notice.body.to_owned()),
        data: Set(notice.data),
        created_at: Set(Utc::now()),
        read_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    #[schema(value_type = crate::openapi::NotificationKind)]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

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
