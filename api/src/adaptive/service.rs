//! Adaptive learning with the database: placement tests and recommendations.
//! Calls `catalogue`, `placement` (pure) and `lessons` below it; a finished
//! placement test awards its badge (`credentials::awards`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::Utc;
use entity::member_skill::{self, SkillIntent};
use entity::webhook_event::EventType;
use entity::workshop::{self, WorkshopStatus};
use entity::{exercise, placement_answer, placement_item, placement_test, program_module, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::catalogue::{Catalogue, closest_to};
use super::dto::AREAS;
use super::dto::{
    AreaLevel, LessonRecommendation, MentorRecommendation, PlacementExercise, PlacementResult,
    PlacementStarted, PlacementStep, Recommendations, ReviewRecommendation, WorkshopRecommendation,
};
use super::placement::{self, Item, Response};
use crate::credentials::awards::{Earned, award};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::i18n;
use crate::lessons::dto::LessonSummary;
use crate::lessons::exercises::{grade_exercise, member_exercise};
use crate::lessons::grading::Answer;
use crate::lessons::progress;
use crate::lessons::review::{self, Lapse};
use crate::pagination::PageRequest;
use crate::webhooks::events::{self, Subject};

/// Average level at or below which learning alone is not advised.
const ACCOMPANIMENT_LEVEL: f64 = 2.0;
/// Lapsed exercises of one skill after which a mentor is suggested.
const LAPSES_BEFORE_MENTOR: usize = 3;
const RECOMMENDED_LESSONS: usize = 5;
const NEXT_DUE_SHOWN: u64 = 3;
const NEXT_WORKSHOPS: u64 = 2;

/// A placement item in the shape of a lesson exercise, to grade it and show
/// it with the same code (its difficulty stays hidden).
fn as_exercise(item: &placement_item::Model) -> exercise::Model {
    exercise::Model {
        id: item.id,
        lesson_version_id: Uuid::nil(),
        position: 0,
        kind: item.kind,
        prompt: item.prompt.clone(),
        explanation: item.explanation.clone(),
        hint: None,
        options: item.options.clone(),
        answer_key: item.answer_key.clone(),
        image_url: None,
        image_alt: None,
        audio_url: None,
        difficulty: None,
    }
}

fn placement_exercise(item: &placement_item::Model, catalogue: &Catalogue) -> PlacementExercise {
    PlacementExercise {
        area: item.area.clone(),
        area_name: catalogue.skill_by_code(&item.area).map(|s| s.name.clone()).unwrap_or_default(),
        exercise: member_exercise(&as_exercise(item)),
    }
}

async fn area_items(db: &impl ConnectionTrait, area: &str) -> Result<Vec<placement_item::Model>, ApiError> {
    Ok(placement_item::Entity::find()
        .filter(placement_item::Column::Area.eq(area))
        .order_by_asc(placement_item::Column::Id)
        .all(db)
        .await?)
}

/// The next item of the test from `area` on, given the answers so far; `None`
/// when every area is done.
async fn next_placement_item(
    db: &impl ConnectionTrait,
    answers: &[placement_answer::Model],
    from_area: usize,
) -> Result<Option<placement_item::Model>, ApiError> {
    for area in AREAS.iter().skip(from_area) {
        let items = area_items(db, area).await?;
        let asked: HashSet<Uuid> = answers.iter().map(|a| a.item_id).collect();
        let responses: Vec<Response> = answers
            .iter()
            .filter(|a| a.area == *area)
            .map(|a| Response { difficulty: a.difficulty, correct: a.correct })
            .collect();
        let remaining: Vec<Item> = items
            .iter()
            .filter(|i| !asked.contains(&i.id))
            .map(|i| Item { id: i.id, difficulty: i.difficulty })
            .collect();
        if placement::area_finished(&responses, remaining.len()) {
            continue;
        }
        if let Some(next) = placement::next_item(placement::estimate(&responses), &remaining) {
            return Ok(items.into_iter().find(|i| i.id == next.id));
        }
    }
    Ok(None)
}

pub async fn start_placement(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    user_id: Uuid,
) -> Result<PlacementStarted, ApiError> {
    let first = next_placement_item(db, &[], 0)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the placement item bank is empty")))?;
    let test = placement_test::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        started_at: Set(Utc::now()),
        completed_at: Set(None),
        current_item_id: Set(Some(first.id)),
        result: Set(None),
    }
    .insert(db)
    .await?;
    Ok(PlacementStarted { id: test.id, next_exercise: placement_exercise(&first, catalogue) })
}

/// Grades the current item and moves on: the next item, or the result.
pub async fn answer_placement(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    user_id: Uuid,
    test_id: Uuid,
    exercise_id: Uuid,
    answer: &Answer,
) -> Result<PlacementStep, ApiError> {
    let txn = db::begin_write(db).await?;
    let test = placement_test::Entity::find_by_id(test_id)
        .filter(placement_test::Column::UserId.eq(user_id))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    if test.completed_at.is_some() {
        return Err(ApiError::conflict(ErrorCode::PlacementCompleted));
    }
    if test.current_item_id != Some(exercise_id) {
        return Err(ApiError::validation(
            "exercise_id",
            "not_current",
            "field.placement_not_current_exercise",
        ));
    }
    let item = placement_item::Entity::find_by_id(exercise_id).one(&txn).await?.ok_or(ApiError::NotFound)?;
    let (correct, _) = grade_exercise(&as_exercise(&item), answer)?;
    placement_answer::ActiveModel {
        test_id: Set(test_id),
        item_id: Set(item.id),
        area: Set(item.area.clone()),
        difficulty: Set(item.difficulty),
        correct: Set(correct),
        answered_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let answers = placement_answer::Entity::find()
        .filter(placement_answer::Column::TestId.eq(test_id))
        .all(&txn)
        .await?;
    let area_index = AREAS.iter().position(|a| *a == item.area).unwrap_or(0);
    let next = next_placement_item(&txn, &answers, area_index).await?;
    let mut update = test.into_active_model();
    let step = match next {
        Some(next) => {
            update.current_item_id = Set(Some(next.id));
            PlacementStep { correct, next_exercise: Some(placement_exercise(&next, catalogue)), result: None }
        }
        None => {
            let result = placement_result(catalogue, &answers);
            update.current_item_id = Set(None);
            update.completed_at = Set(Some(Utc::now()));
            update.result = Set(Some(serde_json::to_value(&result).map_err(anyhow::Error::from)?));
            let event = serde_json::json!({"placement_test_id": test_id, "member_id": user_id});
            events::emit(&txn, EventType::PlacementCompleted, Subject::Member(user_id), event).await?;
            award(&txn, user_id, Earned::PlacementTaken).await?;
            PlacementStep { correct, next_exercise: None, result: Some(result) }
        }
    };
    update.update(&txn).await?;
    txn.commit().await?;
    Ok(step)
}

fn placement_result(catalogue: &Catalogue, answers: &[placement_answer::Model]) -> PlacementResult {
    let levels: Vec<AreaLevel> = AREAS
        .iter()
        .map(|area| {
            let responses: Vec<Response> = answers
                .iter()
                .filter(|a| a.area == *area)
                .map(|a| Response { difficulty: a.difficulty, correct: a.correct })
                .collect();
            AreaLevel {
                area: (*area).to_owned(),
                area_name: catalogue.skill_by_code(area).map(|s| s.name.clone()).unwrap_or_default(),
                level: placement::level_of(placement::estimate(&responses)),
            }
        })
        .collect();
    let mean = levels.iter().map(|l| f64::from(l.level)).sum::<f64>() / levels.len() as f64;
    let mut weakest = levels.clone();
    weakest.sort_by_key(|l| l.level);
    let mut recommended = Vec::new();
    for area in &weakest {
        let closest = closest_to(catalogue.lessons_of_area(&area.area), area.level, &BTreeSet::new());
        recommended.extend(closest.into_iter().take(2).cloned());
        if recommended.len() >= 3 {
            break;
        }
    }
    recommended.truncate(3);
    PlacementResult {
        levels,
        recommended_lessons: recommended,
        suggest_accompaniment: mean <= ACCOMPANIMENT_LEVEL,
    }
}

/// The result of the member's latest completed placement test.
pub async fn latest_placement(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<PlacementResult>, ApiError> {
    let test = placement_test::Entity::find()
        .filter(placement_test::Column::UserId.eq(user_id))
        .filter(placement_test::Column::CompletedAt.is_not_null())
        .order_by_desc(placement_test::Column::CompletedAt)
        .one(db)
        .await?;
    Ok(test.and_then(|t| t.result).and_then(|r| serde_json::from_value(r).ok()))
}

/// What to do next: due reviews first, then lessons (wanted skills, weakest
/// areas, the path), then a mentor or a workshop when learning alone is hard.
/// The lessons and skills come from `catalogue`; what is the member's takes
/// one small query each.
pub async fn recommendations(
    db: &impl ConnectionTrait,
    catalogue: &Catalogue,
    user: &user::Model,
) -> Result<Recommendations, ApiError> {
    let reviews = review_recommendation(db, user.id).await?;
    let done = progress::completed_lessons(db, user.id).await?;
    let mastered = progress::mastered_versions(db, user.id).await?;
    let lapses = review::lapses(db, user.id).await?;
    let mastery: HashMap<Uuid, i16> =
        progress::mastery(&mastered, &lapses).into_iter().map(|m| (m.skill_id, m.level)).collect();
    let wanted: Vec<Uuid> = member_skill::Entity::find()
        .select_only()
        .column(member_skill::Column::SkillId)
        .filter(member_skill::Column::UserId.eq(user.id))
        .filter(member_skill::Column::Kind.eq(SkillIntent::Want))
        .into_tuple()
        .all(db)
        .await?;
    let placement = latest_placement(db, user.id).await?;

    let mut lessons_out: Vec<LessonRecommendation> = Vec::new();
    let mut push = |lesson: &LessonSummary, reason: String| {
        if lessons_out.len() < RECOMMENDED_LESSONS
            && !done.contains(&lesson.id)
            && !lessons_out.iter().any(|r| r.lesson.id == lesson.id)
        {
            lessons_out.push(LessonRecommendation { lesson: lesson.clone(), reason });
        }
    };
    for skill_id in &wanted {
        let level = mastery.get(skill_id).copied().unwrap_or(0) + 1;
        if let Some(lesson) = closest_to(catalogue.lessons_of_skill(*skill_id), level, &done).first() {
            let name = catalogue.skill_name(*skill_id);
            push(lesson, i18n::t_with("reason.lesson_wanted_skill", &[("skill", &name)]));
        }
    }
    if let Some(result) = &placement {
        let mut weakest = result.levels.clone();
        weakest.sort_by_key(|l| l.level);
        for area in weakest.iter().take(2) {
            let closest = closest_to(catalogue.lessons_of_area(&area.area), area.level + 1, &done);
            if let Some(lesson) = closest.first() {
                push(lesson, i18n::t_with("reason.lesson_weak_area", &[("area", &area.area_name)]));
            }
        }
    }
    for lesson in catalogue.lessons.iter().filter(|l| !done.contains(&l.id)).take(RECOMMENDED_LESSONS) {
        push(lesson, i18n::t("reason.lesson_next_step"));
    }

    let mut mentor_requests = Vec::new();
    if let Some(result) = placement.as_ref().filter(|r| r.suggest_accompaniment) {
        let focus = wanted.first().and_then(|id| catalogue.skill(*id)).or_else(|| {
            let weakest = result.levels.iter().min_by_key(|l| l.level)?;
            catalogue.skill_by_code(&weakest.area)
        });
        if let Some(skill) = focus {
            mentor_requests.push(MentorRecommendation {
                skill_id: skill.id,
                skill_name: skill.name.clone(),
                reason: i18n::t_with("reason.mentor_to_learn_with", &[("skill", &skill.name)]),
            });
        }
    }
    for (skill_id, lapsed) in lapses_by_skill(&lapses) {
        if lapsed >= LAPSES_BEFORE_MENTOR && !mentor_requests.iter().any(|m| m.skill_id == skill_id) {
            let name = catalogue.skill_name(skill_id);
            mentor_requests.push(MentorRecommendation {
                skill_id,
                skill_name: name.clone(),
                reason: i18n::t_with("reason.mentor_after_lapses", &[("skill", &name)]),
            });
        }
    }

    // Whoever is advised not to learn alone is also offered the programme's
    // first module, open to all (no prerequisite).
    let workshops = if mentor_requests.is_empty() { Vec::new() } else { first_module_workshops(db).await? };
    Ok(Recommendations { reviews, lessons: lessons_out, mentor_requests, workshops })
}

/// How many reviews are due, with the first few: `None` when nothing is due.
async fn review_recommendation(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<ReviewRecommendation>, ApiError> {
    let first = review::due_reviews(db, user_id, PageRequest { limit: NEXT_DUE_SHOWN, after: None }).await?;
    if first.items.is_empty() {
        return Ok(None);
    }
    let due_count = if first.next_cursor.is_none() {
        first.items.len() as u64
    } else {
        review::due_count(db, user_id).await?
    };
    let next_due = first.items;
    Ok(Some(ReviewRecommendation {
        due_count,
        next_due,
        reason: i18n::t_with("reason.reviews_due", &[("count", &due_count.to_string())]),
    }))
}

/// The next sessions of the first module of Impose-toi !.
async fn first_module_workshops(db: &impl ConnectionTrait) -> Result<Vec<WorkshopRecommendation>, ApiError> {
    let Some(first) =
        program_module::Entity::find().order_by_asc(program_module::Column::Position).one(db).await?
    else {
        return Ok(Vec::new());
    };
    let sessions = workshop::Entity::find()
        .filter(workshop::Column::ModuleId.eq(first.id))
        .filter(workshop::Column::Status.eq(WorkshopStatus::Scheduled))
        .filter(workshop::Column::StartsAt.gt(Utc::now()))
        .order_by_asc(workshop::Column::StartsAt)
        .limit(NEXT_WORKSHOPS)
        .all(db)
        .await?;
    Ok(sessions
        .into_iter()
        .map(|session| WorkshopRecommendation {
            workshop_id: session.id,
            reason: i18n::t_with("reason.workshop_first_module", &[("title", &session.title)]),
            title: session.title,
            starts_at: session.starts_at,
        })
        .collect())
}

/// Lapsed exercises per skill, by skill id.
fn lapses_by_skill(lapses: &[Lapse]) -> BTreeMap<Uuid, usize> {
    let mut counts = BTreeMap::new();
    for lapse in lapses {
        *counts.entry(lapse.skill_id).or_default() += 1;
    }
    counts
}
