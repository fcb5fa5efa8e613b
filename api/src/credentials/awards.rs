//! Awarding: the one function the earning areas (lessons, adaptive,
//! workshops, mentoring) call, inside the write transaction of the event
//! that earns the achievement, with the fact they own. It depends only on
//! the tables, the achievements' texts and notifications, so the areas that
//! call it do not depend on the rest of `credentials`.

use chrono::Utc;
use entity::{award, skill, user};
use password_hash::rand_core::{OsRng, RngCore};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QuerySelect, Set, Statement,
};
use serde_json::json;
use uuid::Uuid;

use super::achievements::{Achievement, describe};
use crate::db::WriteTxn;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::notifications::notice::{Notice, send};

/// Serialises the choice of the next status-list index on PostgreSQL (the
/// immediate write transaction does it on SQLite).
const STATUS_INDEX_LOCK_KEY: i64 = 0x7472_656d_6261_6467; // "trembadg"

/// What a member did that may earn an achievement, told by the area that
/// owns the fact.
#[derive(Debug, Clone, Copy)]
pub enum Earned {
    /// Mastered a lesson of this skill at this level (lessons).
    SkillLevel { skill_id: Uuid, level: i16 },
    /// Attended a workshop of this programme module (workshops).
    ModuleAttended { module_id: Uuid },
    /// Attended every module of the programme (workshops).
    ProgrammeCompleted,
    /// Reached three completed matches with the learner's feedback, as mentor (mentoring).
    Enchanteur,
    /// Finished a placement test (adaptive).
    PlacementTaken,
}

/// Awards what `fact` earns `user_id`, once: a repeated or concurrent event
/// finds the award there and changes nothing. The member is notified in the
/// same transaction. Facts that earn nothing (a skill outside DigComp) are
/// ignored.
pub async fn award(txn: &WriteTxn, user_id: Uuid, fact: Earned) -> Result<(), ApiError> {
    let Some(achievement) = achievement_of(txn, fact).await? else {
        return Ok(());
    };
    let key = achievement.key();
    if find(txn, user_id, &key).await?.is_some() {
        return Ok(());
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [STATUS_INDEX_LOCK_KEY.into()],
        ))
        .await?;
    }
    let last: Option<Option<i32>> = award::Entity::find()
        .select_only()
        .column_as(award::Column::StatusIndex.max(), "last")
        .into_tuple()
        .one(txn)
        .await?;
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let id = Uuid::now_v7();
    let inserted = award::Entity::insert(award::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        achievement: Set(key.clone()),
        awarded_at: Set(Utc::now()),
        status_index: Set(last.flatten().map_or(0, |last| last + 1)),
        identity_salt: Set(hex::encode(salt)),
        revoked_at: Set(None),
        revoked_by: Set(None),
        revoke_reason: Set(None),
    })
    .on_conflict(
        OnConflict::columns([award::Column::UserId, award::Column::Achievement]).do_nothing().to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted == 0 {
        return Ok(());
    }
    let name = name_for(txn, user_id, &achievement).await?;
    send(
        txn,
        user_id,
        Notice::new(
            "credential.awarded",
            "notice.credential_awarded",
            json!({ "credential_id": id, "achievement": key }),
        )
        .with("achievement", name),
    )
    .await
}

/// The achievement's name in the member's language, for a notice.
pub async fn name_for(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    achievement: &Achievement,
) -> Result<String, ApiError> {
    let locale: Option<String> = user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Locale)
        .into_tuple()
        .one(db)
        .await?;
    let lang = locale.as_deref().map_or(Lang::Fr, Lang::from_locale);
    Ok(describe(db, achievement, lang).await?.map(|d| d.name).unwrap_or_else(|| achievement.key()))
}

async fn achievement_of(db: &impl ConnectionTrait, fact: Earned) -> Result<Option<Achievement>, ApiError> {
    Ok(match fact {
        Earned::SkillLevel { skill_id, level } => skill::Entity::find_by_id(skill_id)
            .one(db)
            .await?
            .filter(|s| s.framework == skill::Framework::Digcomp)
            .map(|s| Achievement::DigCompLevel { code: s.code, level }),
        Earned::ModuleAttended { module_id } => entity::program_module::Entity::find_by_id(module_id)
            .one(db)
            .await?
            .map(|m| Achievement::Module { code: m.code }),
        Earned::ProgrammeCompleted => Some(Achievement::Programme),
        Earned::Enchanteur => Some(Achievement::Enchanteur),
        Earned::PlacementTaken => Some(Achievement::Placement),
    })
}

async fn find(db: &impl ConnectionTrait, user_id: Uuid, key: &str) -> Result<Option<award::Model>, ApiError> {
    Ok(award::Entity::find()
        .filter(award::Column::UserId.eq(user_id))
        .filter(award::Column::Achievement.eq(key))
        .one(db)
        .await?)
}
