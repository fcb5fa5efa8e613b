//! Organisation rules: creation, the directory, and who works where.

use std::collections::HashMap;

use chrono::Utc;
use entity::organization_member::MembershipRole;
use entity::{Role, organization, organization_member, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::dto::{
    Organization, OrganizationDetail, OrganizationMember, OrganizationName, OrganizationsFilter,
};
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};

/// Roles that work for an organisation; members and admins are not attached.
pub const ATTACHABLE_ROLES: [Role; 2] = [Role::Counsellor, Role::Facilitator];

pub async fn create(
    db: &impl ConnectionTrait,
    name: OrganizationName,
    kind: organization::OrganizationKind,
) -> Result<Organization, ApiError> {
    let now = Utc::now();
    let org = organization::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.as_str().to_owned()),
        kind: Set(kind),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(org.into())
}

/// The directory, newest first (ids are time-ordered UUIDv7).
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &OrganizationsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<Organization>, ApiError> {
    let mut query = organization::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(organization::Column::Kind.eq(kind));
    }
    if let Some(after) = page.after {
        query = query.filter(organization::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(organization::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(Organization::from).collect(), page.limit, |o| o.id))
}

pub async fn detail(db: &impl ConnectionTrait, id: Uuid) -> Result<OrganizationDetail, ApiError> {
    let org = organization::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    let links = organization_member::Entity::find()
        .filter(organization_member::Column::OrganizationId.eq(id))
        .order_by_asc(organization_member::Column::CreatedAt)
        .order_by_asc(organization_member::Column::UserId)
        .all(db)
        .await?;
    let users: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(links.iter().map(|l| l.user_id)))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let members = links
        .into_iter()
        .filter_map(|link| {
            users.get(&link.user_id).map(|u| OrganizationMember {
                user_id: u.id,
                display_name: u.display_name.clone(),
                role: u.role,
                organization_role: link.role,
                joined_at: link.created_at,
            })
        })
        .collect();
    Ok(OrganizationDetail { id: org.id, name: org.name, kind: org.kind, created_at: org.created_at, members })
}

/// Attaches a counsellor or facilitator. The organisation in the path is 404
/// when absent; the account named in the body is a 422 on `user_id` (unknown,
/// disabled or erased, or of another role), so a client can tell which one
/// is wrong.
pub async fn attach(
    db: &impl ConnectionTrait,
    organization_id: Uuid,
    user_id: Uuid,
    role: MembershipRole,
) -> Result<OrganizationMember, ApiError> {
    organization::Entity::find_by_id(organization_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let account = user::Entity::find_by_id(user_id)
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation("user_id", "unknown_user", "field.unknown_account"))?;
    if !ATTACHABLE_ROLES.contains(&account.role) {
        return Err(ApiError::validation("user_id", "role", "field.organization_member_role"));
    }
    let existing = organization_member::Entity::find_by_id((organization_id, user_id)).one(db).await?;
    if existing.is_some() {
        return Err(ApiError::conflict(ErrorCode::AlreadyMember));
    }
    // The primary key still decides when two attachments race past the check.
    let link = organization_member::ActiveModel {
        organization_id: Set(organization_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        role: Set(role),
    }
    .insert(db)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(ErrorCode::AlreadyMember),
        _ => err.into(),
    })?;
    Ok(OrganizationMember {
        user_id: account.id,
        display_name: account.display_name,
        role: account.role,
        organization_role: link.role,
        joined_at: link.created_at,
    })
}

/// Changes what a person attached to the organisation may do for it: 404 when
/// the organisation or the membership is absent.
pub async fn change_role(
    db: &impl ConnectionTrait,
    organization_id: Uuid,
    user_id: Uuid,
    role: MembershipRole,
) -> Result<OrganizationMember, ApiError> {
    let link = organization_member::Entity::find_by_id((organization_id, user_id)).one(db).await?;
    let link = link.ok_or(ApiError::NotFound)?;
    let account = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let mut change: organization_member::ActiveModel = link.into();
    change.role = Set(role);
    let link = change.update(db).await?;
    Ok(OrganizationMember {
        user_id: account.id,
        display_name: account.display_name,
        role: account.role,
        organization_role: link.role,
        joined_at: link.created_at,
    })
}
