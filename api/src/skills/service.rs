use chrono::Utc;
use entity::member_skill::{self, SkillIntent};
use entity::skill::{self, Framework};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::dto::{
    CreateSkill, DeclareSkill, MemberSkillView, SkillDetail, SkillView, SkillsFilter, UpdateSkill,
};
use super::offers;
use crate::cache::{Stale, announce};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};

/// The catalogue in code order, filtered in the database.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &SkillsFilter,
    page: PageRequest<String>,
) -> Result<Page<SkillView>, ApiError> {
    let mut query = skill::Entity::find();
    if let Some(framework) = filter.framework {
        query = query.filter(skill::Column::Framework.eq(framework));
    }
    if let Some(category) = filter.category {
        query = query.filter(skill::Column::Category.eq(category));
    }
    if let Some(parent_id) = filter.parent_id {
        query = query.filter(skill::Column::ParentId.eq(parent_id));
    }
    if let Some(q) = SearchText::parse(filter.q.as_deref())? {
        for word in q.words() {
            query = query.filter(Expr::col(skill::Column::SearchText).like(like_contains(&word)));
        }
    }
    if let Some(after) = page.after {
        query = query.filter(skill::Column::Code.gt(after));
    }
    let rows = query.order_by_asc(skill::Column::Code).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(rows.into_iter().map(SkillView::from).collect(), page.limit, |s| s.code.clone()))
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<skill::Model, ApiError> {
    skill::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)
}

pub async fn detail(db: &impl ConnectionTrait, id: Uuid) -> Result<SkillDetail, ApiError> {
    let skill = find(db, id).await?;
    let children = skill::Entity::find()
        .filter(skill::Column::ParentId.eq(id))
        .order_by_asc(skill::Column::Code)
        .all(db)
        .await?;
    Ok(SkillDetail { skill: skill.into(), children: children.into_iter().map(SkillView::from).collect() })
}

/// Adds a skill; every replica's catalogue is dropped when it commits.
pub async fn create(db: &DatabaseConnection, new: CreateSkill) -> Result<SkillView, ApiError> {
    let txn = db.begin().await?;
    if let Some(parent_id) = new.parent_id
        && skill::Entity::find_by_id(parent_id).one(&txn).await?.is_none()
    {
        return Err(ApiError::validation("parent_id", "unknown", "field.skill_parent_unknown"));
    }
    let now = Utc::now();
    let model = skill::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(skill::search_text(&new.code, &new.name, new.name_en.as_deref(), &new.description)),
        code: Set(new.code),
        name: Set(new.name),
        name_en: Set(new.name_en),
        description: Set(new.description),
        framework: Set(new.framework.unwrap_or(Framework::Custom)),
        category: Set(new.category),
        parent_id: Set(new.parent_id),
        level_max: Set(new.level_max),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let created = model.insert(&txn).await.map(SkillView::from).map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(ErrorCode::SkillCodeTaken),
        _ => err.into(),
    })?;
    announce(&txn, Stale::Catalogue).await?;
    txn.commit().await?;
    Ok(created)
}

/// Edits a skill; every replica's catalogue is dropped when it commits.
pub async fn update(db: &DatabaseConnection, id: Uuid, changes: UpdateSkill) -> Result<SkillView, ApiError> {
    let txn = db.begin().await?;
    let current = find(&txn, id).await?;
    let name = changes.name.unwrap_or(current.name.clone());
    let name_en = changes.name_en.or(current.name_en.clone());
    let description = changes.description.unwrap_or(current.description.clone());
    let mut update = current.clone().into_active_model();
    update.search_text = Set(skill::search_text(&current.code, &name, name_en.as_deref(), &description));
    update.name = Set(name);
    update.name_en = Set(name_en);
    update.description = Set(description);
    if let Some(category) = changes.category {
        update.category = Set(category);
    }
    if let Some(level_max) = changes.level_max {
        update.level_max = Set(level_max);
    }
    update.updated_at = Set(Utc::now());
    let updated = update.update(&txn).await?;
    announce(&txn, Stale::Catalogue).await?;
    txn.commit().await?;
    Ok(updated.into())
}

/// The member's skills, in catalogue order.
pub async fn member_skills(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<MemberSkillView>, ApiError> {
    let rows = member_skill::Entity::find()
        .filter(member_skill::Column::UserId.eq(user_id))
        .find_also_related(skill::Entity)
        .order_by_asc(skill::Column::Code)
        .order_by_asc(member_skill::Column::Kind)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(declared, skill)| {
            skill.map(|skill| MemberSkillView {
                skill: skill.into(),
                kind: declared.kind,
                level: declared.level,
            })
        })
        .collect())
}

/// Declares (or changes the level of) a skill the member wants or offers.
pub async fn declare(
    db: &DatabaseConnection,
    user_id: Uuid,
    skill_id: Uuid,
    declared: DeclareSkill,
) -> Result<MemberSkillView, ApiError> {
    let skill = find(db, skill_id).await?;
    if declared.level > skill.level_max {
        return Err(ApiError::invalid_field(
            "level",
            "range",
            "field.skill_level_range",
            &[("max", &skill.level_max.to_string())],
        ));
    }
    let now = Utc::now();
    let row = member_skill::ActiveModel {
        user_id: Set(user_id),
        skill_id: Set(skill_id),
        kind: Set(declared.kind),
        level: Set(declared.level),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let txn = db::begin_write(db).await?;
    member_skill::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                member_skill::Column::UserId,
                member_skill::Column::SkillId,
                member_skill::Column::Kind,
            ])
            .update_columns([member_skill::Column::Level, member_skill::Column::UpdatedAt])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if declared.kind == SkillIntent::Offer {
        offers::refresh(&txn, user_id).await?;
    }
    txn.commit().await?;
    Ok(MemberSkillView { skill: skill.into(), kind: declared.kind, level: declared.level })
}

/// Removes a declared skill (one kind, or both); 404 when there was none.
pub async fn withdraw(
    db: &DatabaseConnection,
    user_id: Uuid,
    skill_id: Uuid,
    kind: Option<SkillIntent>,
) -> Result<(), ApiError> {
    let mut delete = member_skill::Entity::delete_many()
        .filter(member_skill::Column::UserId.eq(user_id))
        .filter(member_skill::Column::SkillId.eq(skill_id));
    if let Some(kind) = kind {
        delete = delete.filter(member_skill::Column::Kind.eq(kind));
    }
    let txn = db::begin_write(db).await?;
    if delete.exec(&txn).await?.rows_affected == 0 {
        return Err(ApiError::NotFound);
    }
    if kind != Some(SkillIntent::Want) {
        offers::refresh(&txn, user_id).await?;
    }
    txn.commit().await?;
    Ok(())
}
