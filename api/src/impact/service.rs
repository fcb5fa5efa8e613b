//! Gathers what happened over a period, for everyone, and hands it to
//! `figures` with the members an organisation's counsellors accompany with
//! consent, when one is asked for: `figures` computes the organisation's
//! values and withholds whatever describes, or could be differenced down to,
//! fewer than K people.

use std::collections::{HashMap, HashSet};

use entity::accompaniment::{self, AccompanimentStatus};
use entity::assessment::{self, AssessmentInstrument};
use entity::enrolment::{self, EnrolmentStatus};
use entity::mentor_match::{self, MatchStatus};
use entity::workshop::{self, WorkshopStatus};
use entity::{
    Role, lesson_attempt, match_session, organization, organization_member, program, program_module, user,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::dto::{Impact, ImpactFilter, LearningImpact, MentoringImpact, ModuleImpact, ProgramImpact};
use super::figures::{Disclosure, Scope, pairs, workshop_figures};
use super::period::Period;
use crate::authz::clients::Scoped;
use crate::error::ApiError;

/// Who asks for figures: a person (by role), or an API client with
/// `impact:read`, which sees its own organisation's only.
pub enum Viewer<'a> {
    Person(&'a user::Model),
    Client(&'a Scoped),
}

/// Which organisation the caller may see: admins any (or all), counsellors
/// and API clients only their own.
async fn organization_scope(
    db: &impl ConnectionTrait,
    viewer: Viewer<'_>,
    requested: Option<Uuid>,
) -> Result<Option<Uuid>, ApiError> {
    if let Some(id) = requested {
        organization::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
            ApiError::validation("organization_id", "unknown", "field.unknown_organization")
        })?;
    }
    let caller = match viewer {
        Viewer::Person(caller) => caller,
        Viewer::Client(scoped) => {
            let own = scoped.organization_id();
            return match requested {
                Some(id) if id != own => Err(ApiError::Forbidden),
                _ => Ok(Some(own)),
            };
        }
    };
    match caller.role {
        Role::Admin => Ok(requested),
        Role::Counsellor => {
            let own: Vec<Uuid> = organization_member::Entity::find()
                .filter(organization_member::Column::UserId.eq(caller.id))
                .all(db)
                .await?
                .into_iter()
                .map(|link| link.organization_id)
                .collect();
            match (requested, own.as_slice()) {
                (Some(id), _) if own.contains(&id) => Ok(Some(id)),
                (Some(_), _) => Err(ApiError::Forbidden),
                (None, [only]) => Ok(Some(*only)),
                (None, _) => {
                    Err(ApiError::validation("organization_id", "required", "field.organization_required"))
                }
            }
        }
        _ => Err(ApiError::Forbidden),
    }
}

/// Members followed, with active consent, by a counsellor of the organisation.
async fn cohort(db: &impl ConnectionTrait, organization_id: Uuid) -> Result<HashSet<Uuid>, ApiError> {
    let counsellors = Query::select()
        .column(organization_member::Column::UserId)
        .from(organization_member::Entity)
        .and_where(organization_member::Column::OrganizationId.eq(organization_id))
        .to_owned();
    Ok(accompaniment::Entity::find()
        .filter(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .filter(accompaniment::Column::CounsellorId.in_subquery(counsellors))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.member_id)
        .collect())
}

pub async fn impact(
    db: &impl ConnectionTrait,
    viewer: Viewer<'_>,
    filter: &ImpactFilter,
    k: u32,
) -> Result<Impact, ApiError> {
    let period = Period::parse(filter)?;
    let (from, to) = (period.start(), period.end());
    let organization_id = organization_scope(db, viewer, filter.organization_id).await?;
    let cohort = match organization_id {
        Some(id) => Some(cohort(db, id).await?),
        None => None,
    };
    let rule = Disclosure { k, cohort };

    // Sessions of the period (cancelled ones never took place) and their seats.
    let mut sessions =
        workshop::Entity::find().filter(workshop::Column::Status.eq(WorkshopStatus::Scheduled));
    if let Some(from) = from {
        sessions = sessions.filter(workshop::Column::StartsAt.gte(from));
    }
    if let Some(to) = to {
        sessions = sessions.filter(workshop::Column::StartsAt.lt(to));
    }
    let module_of: HashMap<Uuid, Uuid> =
        sessions.all(db).await?.into_iter().map(|w| (w.id, w.module_id)).collect();
    let seats: Vec<enrolment::Model> = enrolment::Entity::find()
        .filter(enrolment::Column::Status.is_in(EnrolmentStatus::SEATED))
        .filter(enrolment::Column::WorkshopId.is_in(module_of.keys().copied()))
        .all(db)
        .await?;

    // Modules attended (ever, up to the end of the period), per person seated.
    let people: HashSet<Uuid> = seats.iter().map(|e| e.member_id).collect();
    let mut attended_sessions = workshop::Entity::find();
    if let Some(to) = to {
        attended_sessions = attended_sessions.filter(workshop::Column::StartsAt.lt(to));
    }
    let all_modules: HashMap<Uuid, Uuid> =
        attended_sessions.all(db).await?.into_iter().map(|w| (w.id, w.module_id)).collect();
    let mut attended: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for row in enrolment::Entity::find()
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Attended))
        .filter(enrolment::Column::MemberId.is_in(people.iter().copied()))
        .all(db)
        .await?
    {
        if let Some(module) = all_modules.get(&row.workshop_id) {
            attended.entry(row.member_id).or_default().insert(*module);
        }
    }

    // RSES measures of the period, in time order.
    let mut measures =
        assessment::Entity::find().filter(assessment::Column::Instrument.eq(AssessmentInstrument::Rses));
    if let Some(from) = from {
        measures = measures.filter(assessment::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        measures = measures.filter(assessment::Column::CreatedAt.lt(to));
    }
    let measures: Vec<assessment::Model> = measures.order_by_asc(assessment::Column::Id).all(db).await?;

    let modules =
        program_module::Entity::find().order_by_asc(program_module::Column::Position).all(db).await?;
    let mut workshops = Vec::new();
    for program in program::Entity::find().order_by_asc(program::Column::Id).all(db).await? {
        let own: Vec<&program_module::Model> =
            modules.iter().filter(|m| m.program_id == program.id).collect();
        let own_ids: HashSet<Uuid> = own.iter().map(|m| m.id).collect();
        let scope_of = |module: Option<Uuid>| {
            let in_scope = |workshop_id: &Uuid| {
                module_of
                    .get(workshop_id)
                    .is_some_and(|m| module.map_or(own_ids.contains(m), |only| *m == only))
            };
            let completers = attended
                .iter()
                .filter(|(_, done)| match module {
                    Some(only) => done.contains(&only),
                    None => !own_ids.is_empty() && own_ids.iter().all(|m| done.contains(m)),
                })
                .map(|(member, _)| *member)
                .collect();
            let rows: Vec<_> = measures
                .iter()
                .filter(|a| a.program_id == program.id && a.module_id == module)
                .map(|a| (a.member_id, a.context, a.score))
                .collect();
            Scope {
                seats: seats
                    .iter()
                    .filter(|e| in_scope(&e.workshop_id))
                    .map(|e| (e.member_id, e.status))
                    .collect(),
                completers,
                pairs: pairs(&rows),
            }
        };
        workshops.push(ProgramImpact {
            figures: workshop_figures(&scope_of(None), &rule),
            modules: own
                .iter()
                .map(|m| ModuleImpact {
                    figures: workshop_figures(&scope_of(Some(m.id)), &rule),
                    module_id: m.id,
                    code: m.code.clone(),
                    title: m.title.clone(),
                    position: m.position,
                })
                .collect(),
            program_id: program.id,
            code: program.code,
            name: program.name,
        });
    }

    // NumériZen: lessons completed over the period.
    let mut attempts =
        lesson_attempt::Entity::find().filter(lesson_attempt::Column::CompletedAt.is_not_null());
    if let Some(from) = from {
        attempts = attempts.filter(lesson_attempt::Column::CompletedAt.gte(from));
    }
    if let Some(to) = to {
        attempts = attempts.filter(lesson_attempt::Column::CompletedAt.lt(to));
    }
    let completions: Vec<Uuid> = attempts.all(db).await?.into_iter().map(|a| a.user_id).collect();
    let learners: HashSet<Uuid> = completions.iter().copied().collect();
    let own: Vec<&Uuid> = completions.iter().filter(|u| rule.includes(u)).collect();
    let own_learners: HashSet<&Uuid> = own.iter().copied().collect();

    Ok(Impact {
        from: period.from.map(|m| m.to_string()),
        to: period.to.map(|m| m.to_string()),
        organization_id,
        min_group_size: k,
        workshops,
        learning: LearningImpact {
            lessons_completed: rule.count(own.len(), &learners),
            active_learners: rule.count(own_learners.len(), &learners),
        },
        mentoring: mentoring(db, &period, &rule).await?,
    })
}

/// Enchanté: matches accepted in the period (by when they were made), their
/// learners and mentors, and their sessions in the period.
async fn mentoring(
    db: &impl ConnectionTrait,
    period: &Period,
    rule: &Disclosure,
) -> Result<MentoringImpact, ApiError> {
    let (from, to) = (period.start(), period.end());
    // `cancelled` only ever follows `accepted`.
    let mut made = mentor_match::Entity::find().filter(mentor_match::Column::Status.is_in([
        MatchStatus::Accepted,
        MatchStatus::Completed,
        MatchStatus::Cancelled,
    ]));
    if let Some(from) = from {
        made = made.filter(mentor_match::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        made = made.filter(mentor_match::Column::CreatedAt.lt(to));
    }
    let made = made.all(db).await?;
    let learners: HashSet<Uuid> = made.iter().map(|m| m.learner_id).collect();
    let completed_learners: HashSet<Uuid> =
        made.iter().filter(|m| m.status == MatchStatus::Completed).map(|m| m.learner_id).collect();
    let own: Vec<&mentor_match::Model> = made.iter().filter(|m| rule.includes(&m.learner_id)).collect();
    let own_learners: HashSet<Uuid> = own.iter().map(|m| m.learner_id).collect();
    let own_mentors: HashSet<Uuid> = own.iter().map(|m| m.mentor_id).collect();
    let own_completed = own.iter().filter(|m| m.status == MatchStatus::Completed).count();
    let learner_of: HashMap<Uuid, Uuid> = made.iter().map(|m| (m.id, m.learner_id)).collect();
    let mut sessions = match_session::Entity::find()
        .filter(match_session::Column::MatchId.is_in(learner_of.keys().copied()));
    if let Some(from) = from {
        sessions = sessions.filter(match_session::Column::StartsAt.gte(from));
    }
    if let Some(to) = to {
        sessions = sessions.filter(match_session::Column::StartsAt.lt(to));
    }
    let sessions = sessions.all(db).await?;
    let session_learners: HashSet<Uuid> =
        sessions.iter().filter_map(|s| learner_of.get(&s.match_id).copied()).collect();
    let own_sessions = sessions
        .iter()
        .filter(|s| learner_of.get(&s.match_id).is_some_and(|learner| rule.includes(learner)))
        .count();
    Ok(MentoringImpact {
        matches_made: rule.count(own.len(), &learners),
        matches_completed: rule.count(own_completed, &completed_learners),
        learners: rule.count(own_learners.len(), &learners),
        mentors: rule.mentors(own_mentors.len(), &learners),
        sessions: rule.count(own_sessions, &session_learners),
    })
}
