//! What a member's learning adds up to: mastery per skill (lessons mastered
//! and not lapsed in review), the lessons completed, the next ones on the
//! path, XP and streak. Calls `rows`, `review` and `learning_days`.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use entity::{learning_day, lesson_attempt, lesson_version, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::dto::{LessonSummary, Mastery, Progress};
use super::learning_days::{member_zone, streak_of};
use super::review::{self, Lapse};
use super::rows::{shown_versions, summaries};
use super::streak;
use crate::error::ApiError;

/// The score of an attempt where every exercise was eventually answered
/// right: only such attempts count for mastery (retries stay free).
pub const MASTERED_SCORE: i16 = 100;
const NEXT_LESSONS: u64 = 3;

/// The member's mastery now (two queries).
pub async fn member_mastery(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Mastery>, ApiError> {
    let mastered = mastered_versions(db, user_id).await?;
    Ok(mastery(&mastered, &review::lapses(db, user_id).await?))
}

/// Per skill, the highest level among the lesson versions the member
/// mastered and still retains: a lesson stops counting while more than half
/// of its exercises are lapsed in review, and counts again once they are
/// retained.
pub fn mastery(mastered: &[lesson_version::Model], lapses: &[Lapse]) -> Vec<Mastery> {
    let mut lapsed_per_version: HashMap<Uuid, i32> = HashMap::new();
    for lapse in lapses {
        *lapsed_per_version.entry(lapse.lesson_version_id).or_default() += 1;
    }
    let mut levels: HashMap<Uuid, i16> = HashMap::new();
    for version in mastered {
        let lapsed = lapsed_per_version.get(&version.id).copied().unwrap_or(0);
        if lapsed * 2 > version.exercise_count {
            continue;
        }
        let level = levels.entry(version.skill_id).or_default();
        *level = Ord::max(*level, version.level);
    }
    let mut mastery: Vec<Mastery> =
        levels.into_iter().map(|(skill_id, level)| Mastery { skill_id, level }).collect();
    mastery.sort_by_key(|m| m.skill_id);
    mastery
}

/// The lesson versions the member completed with every exercise eventually
/// answered right ([`MASTERED_SCORE`]), each once (one query).
pub async fn mastered_versions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<lesson_version::Model>, ApiError> {
    let mastered = lesson_attempt::Entity::find()
        .select_only()
        .column(lesson_attempt::Column::LessonVersionId)
        .filter(lesson_attempt::Column::UserId.eq(user_id))
        .filter(lesson_attempt::Column::CompletedAt.is_not_null())
        .filter(lesson_attempt::Column::Score.eq(MASTERED_SCORE))
        .into_query();
    Ok(lesson_version::Entity::find()
        .filter(lesson_version::Column::Id.in_subquery(mastered))
        .all(db)
        .await?)
}

/// The lessons the member completed at least once, mastered or not (one query).
pub async fn completed_lessons(db: &impl ConnectionTrait, user_id: Uuid) -> Result<BTreeSet<Uuid>, ApiError> {
    let ids: Vec<Uuid> = lesson_attempt::Entity::find()
        .select_only()
        .column(lesson_attempt::Column::LessonId)
        .distinct()
        .filter(lesson_attempt::Column::UserId.eq(user_id))
        .filter(lesson_attempt::Column::CompletedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The next published lessons of the path the member has not completed.
pub async fn next_lessons(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<LessonSummary>, ApiError> {
    let done = completed_lessons(db, user_id).await?;
    let versions = shown_versions(false)
        .filter(lesson_version::Column::LessonId.is_not_in(done))
        .order_by_asc(lesson_version::Column::Position)
        .order_by_asc(lesson_version::Column::LessonId)
        .limit(NEXT_LESSONS)
        .all(db)
        .await?;
    summaries(db, versions).await
}

pub async fn progress(db: &impl ConnectionTrait, user: &user::Model) -> Result<Progress, ApiError> {
    let attempts = lesson_attempt::Entity::find()
        .filter(lesson_attempt::Column::UserId.eq(user.id))
        .filter(lesson_attempt::Column::CompletedAt.is_not_null())
        .all(db)
        .await?;
    let xp_total = attempts.iter().map(|a| i64::from(a.xp_awarded)).sum();
    let lessons_completed = attempts.iter().map(|a| a.lesson_id).collect::<BTreeSet<_>>().len() as i64;
    let today = streak::local_day(Utc::now(), member_zone(user));
    let today_xp = learning_day::Entity::find_by_id((user.id, today)).one(db).await?.map_or(0, |d| d.xp);
    Ok(Progress {
        xp_total,
        streak: streak_of(db, user).await?,
        today_xp,
        daily_goal_xp: user.daily_goal_xp,
        mastery: member_mastery(db, user.id).await?,
        lessons_completed,
        today,
    })
}
