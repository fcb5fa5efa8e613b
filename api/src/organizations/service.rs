//! Organisation rules: creation and who works where. The directory (reads
//! and edits of the place) is `directory`.

use std::collections::HashMap;

use chrono::Utc;
use entity::organization_member::MembershipRole;
use entity::search::search_key;
use entity::{Role, organization, organization_member, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::directory;
use super::dto::{Organization, OrganizationMember, OrganizationName};
use crate::error::{ApiError, ErrorCode};

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
        street: Set(None),
        postcode: Set(None),
        city: Set(None),
        insee_code: Set(None),
        departement: Set(None),
        phone: Set(None),
        email: Set(None),
        website: Set(None),
        description: Set(None),
        timezone: Set(None),
        search_text: Set(search_key(name.as_str())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(directory::view(org, Vec::new()))
}

/// The counsellors and facilitators of an organisation, in the order they
/// joined; disabled and erased accounts are left out.
pub async fn members(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<OrganizationMember>, ApiError> {
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
    Ok(links
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
        .collect())
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
