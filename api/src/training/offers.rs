//! Training offers: a centre's managers write drafts, publish and archive
//! them and add their sessions; everyone reads published offers with the
//! filters of the catalogue; an offer's page stays at the same address for
//! its whole life.
//!
//! Calls `authz::training` (who manages a centre), `organizations::directory`
//! (places) and the pure rules of `domain`.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::organization::{self, OrganizationKind};
use entity::search::search_key;
use entity::training_offer::{self, OfferStatus};
use entity::training_offer_funding::{self, Funding};
use entity::training_offer_skill::{self, OfferSkillKind};
use entity::{skill, training_session, user};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::domain::{CertificationCode, OfferAction, after};
use super::dto::{
    NewTrainingOffer, NewTrainingSession, OfferCentre, OfferSkill, OfferSkillInput, TrainingOfferPatch,
    TrainingOfferView, TrainingOffersFilter, TrainingSessionView,
};
use crate::accounts::domain::{Email, Phone};
use crate::authz::organizations::{Manager, manager};
use crate::authz::training::may_read_draft;
use crate::db::begin_write;
use crate::error::{ApiError, ErrorCode};
use crate::organizations::directory;
use crate::organizations::place::parse_departement;
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};

/// The address of an offer's page.
pub fn public_path(id: Uuid) -> String {
    format!("/api/v1/training-offers/{id}")
}

/// 409 `invalid_transition` saying why `status` forbids the change.
fn refused(status: OfferStatus) -> ApiError {
    let id = match status {
        OfferStatus::Archived => "problem.invalid_transition.offer_archived",
        _ => "problem.invalid_transition.offer_published",
    };
    ApiError::conflict_saying(ErrorCode::InvalidTransition, id, &[])
}

/// Every skill named exists and is named once: 422 on `{field}[i].skill_id`.
async fn check_skills(
    db: &impl ConnectionTrait,
    field: &str,
    skills: &[OfferSkillInput],
) -> Result<(), ApiError> {
    let known: HashSet<Uuid> = skill::Entity::find()
        .filter(skill::Column::Id.is_in(skills.iter().map(|s| s.skill_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut seen = HashSet::new();
    for (index, named) in skills.iter().enumerate() {
        let at = format!("{field}[{index}].skill_id");
        if !known.contains(&named.skill_id) {
            return Err(ApiError::validation(&at, "unknown_skill", "field.unknown_skill"));
        }
        if !seen.insert(named.skill_id) {
            return Err(ApiError::validation(&at, "unique", "field.skill_repeated"));
        }
    }
    Ok(())
}

fn skill_rows(
    offer_id: Uuid,
    kind: OfferSkillKind,
    skills: &[OfferSkillInput],
) -> Vec<training_offer_skill::ActiveModel> {
    skills
        .iter()
        .map(|s| training_offer_skill::ActiveModel {
            offer_id: Set(offer_id),
            kind: Set(kind),
            skill_id: Set(s.skill_id),
            level: Set(s.level),
        })
        .collect()
}

fn funding_rows(offer_id: Uuid, funding: &[Funding]) -> Vec<training_offer_funding::ActiveModel> {
    funding
        .iter()
        .map(|f| training_offer_funding::ActiveModel { offer_id: Set(offer_id), funding: Set(*f) })
        .collect()
}

fn offer_search_text(title: &str, description: &str, certification: Option<&str>) -> String {
    search_key(&format!("{title} {description} {}", certification.unwrap_or_default()))
}

fn normalised_code(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    raw.map(CertificationCode::parse)
        .transpose()
        .map(|code| code.map(|c| c.as_str().to_owned()))
        .map_err(|message| ApiError::validation("certification_code", "certification_code", message))
}

fn normalised_contact(
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let email = email
        .map(Email::parse)
        .transpose()
        .map_err(|message| ApiError::validation("contact_email", "email", message))?;
    let phone = phone
        .map(Phone::parse)
        .transpose()
        .map_err(|message| ApiError::validation("contact_phone", "phone", message))?;
    Ok((email.map(|e| e.as_str().to_owned()), phone.map(|p| p.as_str().to_owned())))
}

/// Creates a draft offer of a training centre the caller manages. The
/// organisation named in the body is a 422 when unknown or not a training
/// centre; a 403 when the caller does not manage it.
pub async fn create(
    db: &DatabaseConnection,
    caller: &user::Model,
    input: NewTrainingOffer,
) -> Result<TrainingOfferView, ApiError> {
    let organization = organization::Entity::find_by_id(input.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::validation("organization_id", "unknown", "field.unknown_organization"))?;
    let manager = manager(db, caller, organization.id).await?;
    if organization.kind != OrganizationKind::TrainingCenter {
        return Err(ApiError::validation(
            "organization_id",
            "not_a_training_centre",
            "field.not_a_training_centre",
        ));
    }
    check_skills(db, "skills", &input.skills).await?;
    check_skills(db, "prerequisite_skills", &input.prerequisite_skills).await?;
    if let Some(place_id) = input.place_id {
        directory::place(db, "place_id", place_id).await?;
    }
    let code = normalised_code(input.certification_code.as_deref())?;
    let (contact_email, contact_phone) =
        normalised_contact(input.contact_email.as_deref(), input.contact_phone.as_deref())?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let txn = begin_write(db).await?;
    training_offer::ActiveModel {
        id: Set(id),
        organization_id: Set(manager.organization_id()),
        search_text: Set(offer_search_text(&input.title, &input.description, input.certification.as_deref())),
        title: Set(input.title.trim().to_owned()),
        description: Set(input.description),
        certification: Set(input.certification),
        certification_code: Set(code),
        prerequisites: Set(input.prerequisites),
        modality: Set(input.modality),
        place_id: Set(input.place_id),
        duration_hours: Set(input.duration_hours),
        cost_euros: Set(input.cost_euros),
        accessibility: Set(input.accessibility),
        contact_email: Set(contact_email),
        contact_phone: Set(contact_phone),
        status: Set(OfferStatus::Draft),
        created_by: Set(manager.caller_id()),
        published_at: Set(None),
        archived_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let mut skills = skill_rows(id, OfferSkillKind::Targeted, &input.skills);
    skills.extend(skill_rows(id, OfferSkillKind::Prerequisite, &input.prerequisite_skills));
    training_offer_skill::Entity::insert_many(skills).exec_without_returning(&*txn).await?;
    training_offer_funding::Entity::insert_many(funding_rows(id, &input.funding))
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    view_of(db, id).await
}

/// Edits an offer that is not archived.
pub async fn update(
    db: &DatabaseConnection,
    manager: &Manager,
    offer: training_offer::Model,
    patch: TrainingOfferPatch,
) -> Result<TrainingOfferView, ApiError> {
    debug_assert_eq!(manager.organization_id(), offer.organization_id);
    if after(offer.status, OfferAction::Edit).is_none() {
        return Err(refused(offer.status));
    }
    if let Some(skills) = &patch.skills {
        check_skills(db, "skills", skills).await?;
    }
    if let Some(skills) = &patch.prerequisite_skills {
        check_skills(db, "prerequisite_skills", skills).await?;
    }
    if let Some(place_id) = patch.place_id {
        directory::place(db, "place_id", place_id).await?;
    }
    let code = normalised_code(patch.certification_code.as_deref())?;
    let (contact_email, contact_phone) =
        normalised_contact(patch.contact_email.as_deref(), patch.contact_phone.as_deref())?;
    let id = offer.id;
    let txn = begin_write(db).await?;
    let current = training_offer::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    if after(current.status, OfferAction::Edit).is_none() {
        return Err(refused(current.status));
    }
    let title = patch.title.map(|t| t.trim().to_owned()).unwrap_or_else(|| current.title.clone());
    let description = patch.description.unwrap_or_else(|| current.description.clone());
    let certification = patch.certification.or_else(|| current.certification.clone());
    let mut row: training_offer::ActiveModel = current.into();
    row.search_text = Set(offer_search_text(&title, &description, certification.as_deref()));
    row.title = Set(title);
    row.description = Set(description);
    row.certification = Set(certification);
    if code.is_some() {
        row.certification_code = Set(code);
    }
    if let Some(prerequisites) = patch.prerequisites {
        row.prerequisites = Set(Some(prerequisites));
    }
    if let Some(modality) = patch.modality {
        row.modality = Set(modality);
    }
    if let Some(place_id) = patch.place_id {
        row.place_id = Set(Some(place_id));
    }
    if let Some(hours) = patch.duration_hours {
        row.duration_hours = Set(hours);
    }
    if let Some(cost) = patch.cost_euros {
        row.cost_euros = Set(Some(cost));
    }
    if let Some(accessibility) = patch.accessibility {
        row.accessibility = Set(Some(accessibility));
    }
    if contact_email.is_some() {
        row.contact_email = Set(contact_email);
    }
    if contact_phone.is_some() {
        row.contact_phone = Set(contact_phone);
    }
    row.updated_at = Set(Utc::now());
    row.update(&*txn).await?;
    for (kind, skills) in
        [(OfferSkillKind::Targeted, patch.skills), (OfferSkillKind::Prerequisite, patch.prerequisite_skills)]
    {
        if let Some(skills) = skills {
            training_offer_skill::Entity::delete_many()
                .filter(training_offer_skill::Column::OfferId.eq(id))
                .filter(training_offer_skill::Column::Kind.eq(kind))
                .exec(&*txn)
                .await?;
            training_offer_skill::Entity::insert_many(skill_rows(id, kind, &skills))
                .exec_without_returning(&*txn)
                .await?;
        }
    }
    if let Some(funding) = patch.funding {
        training_offer_funding::Entity::delete_many()
            .filter(training_offer_funding::Column::OfferId.eq(id))
            .exec(&*txn)
            .await?;
        training_offer_funding::Entity::insert_many(funding_rows(id, &funding))
            .exec_without_returning(&*txn)
            .await?;
    }
    txn.commit().await?;
    view_of(db, id).await
}

/// Publishes a draft or archives an offer. The change is one conditional
/// update from the status read: of two racing requests, the second gets 409.
pub async fn change_status(
    db: &DatabaseConnection,
    manager: &Manager,
    offer: training_offer::Model,
    action: OfferAction,
) -> Result<TrainingOfferView, ApiError> {
    debug_assert_eq!(manager.organization_id(), offer.organization_id);
    let next = after(offer.status, action).ok_or_else(|| refused(offer.status))?;
    let now = Utc::now();
    let mut update = training_offer::Entity::update_many()
        .col_expr(training_offer::Column::Status, Expr::value(next))
        .col_expr(training_offer::Column::UpdatedAt, Expr::value(now))
        .filter(training_offer::Column::Id.eq(offer.id))
        .filter(training_offer::Column::Status.eq(offer.status));
    update = match next {
        OfferStatus::Published => update.col_expr(training_offer::Column::PublishedAt, Expr::value(now)),
        OfferStatus::Archived => update.col_expr(training_offer::Column::ArchivedAt, Expr::value(now)),
        OfferStatus::Draft => update,
    };
    if update.exec(db).await?.rows_affected == 0 {
        let current =
            training_offer::Entity::find_by_id(offer.id).one(db).await?.ok_or(ApiError::NotFound)?;
        return Err(refused(current.status));
    }
    view_of(db, offer.id).await
}

/// Adds a dated session to an offer that is not archived.
pub async fn add_session(
    db: &DatabaseConnection,
    manager: &Manager,
    offer: training_offer::Model,
    input: NewTrainingSession,
) -> Result<TrainingSessionView, ApiError> {
    debug_assert_eq!(manager.organization_id(), offer.organization_id);
    if after(offer.status, OfferAction::AddSession).is_none() {
        return Err(refused(offer.status));
    }
    let today = Utc::now().date_naive();
    if input.starts_on < today {
        return Err(ApiError::validation("starts_on", "past", "field.training_session_past"));
    }
    if input.ends_on < input.starts_on {
        return Err(ApiError::validation(
            "ends_on",
            "before_start",
            "field.training_session_end_before_start",
        ));
    }
    if input.application_deadline.is_some_and(|deadline| deadline > input.starts_on) {
        return Err(ApiError::validation(
            "application_deadline",
            "after_start",
            "field.training_session_deadline_after_start",
        ));
    }
    let place = match input.place_id {
        Some(place_id) => Some(directory::place(db, "place_id", place_id).await?),
        None => None,
    };
    let row = training_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        offer_id: Set(offer.id),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        seats: Set(input.seats),
        application_deadline: Set(input.application_deadline),
        place_id: Set(input.place_id),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(session_view(row, place))
}

fn session_view(
    row: training_session::Model,
    place: Option<crate::organizations::dto::PlaceRef>,
) -> TrainingSessionView {
    TrainingSessionView {
        id: row.id,
        offer_id: row.offer_id,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        seats: row.seats,
        application_deadline: row.application_deadline,
        place,
    }
}

/// Published offers, newest first, filtered.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &TrainingOffersFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<TrainingOfferView>, ApiError> {
    let search = SearchText::parse(filter.q.as_deref())?;
    let mut query =
        training_offer::Entity::find().filter(training_offer::Column::Status.eq(OfferStatus::Published));
    let targeting = |condition: Condition| {
        training_offer::Column::Id.in_subquery(
            Query::select()
                .column(training_offer_skill::Column::OfferId)
                .from(training_offer_skill::Entity)
                .and_where(training_offer_skill::Column::Kind.eq(OfferSkillKind::Targeted))
                .cond_where(condition)
                .to_owned(),
        )
    };
    if let Some(skill_id) = filter.skill_id {
        query =
            query.filter(targeting(Condition::all().add(training_offer_skill::Column::SkillId.eq(skill_id))));
    }
    if let Some(framework) = filter.framework {
        query = query.filter(targeting(
            Condition::all().add(
                training_offer_skill::Column::SkillId.in_subquery(
                    Query::select()
                        .column(skill::Column::Id)
                        .from(skill::Entity)
                        .and_where(skill::Column::Framework.eq(framework))
                        .to_owned(),
                ),
            ),
        ));
    }
    if let Some(raw) = &filter.departement {
        let departement = parse_departement(raw)
            .map_err(|message| ApiError::validation("departement", "departement", message))?;
        let places = Query::select()
            .column(organization::Column::Id)
            .from(organization::Entity)
            .and_where(organization::Column::Departement.eq(departement))
            .to_owned();
        query = query.filter(
            Condition::any().add(training_offer::Column::PlaceId.in_subquery(places.clone())).add(
                training_offer::Column::Id.in_subquery(
                    Query::select()
                        .column(training_session::Column::OfferId)
                        .from(training_session::Entity)
                        .and_where(training_session::Column::PlaceId.in_subquery(places))
                        .to_owned(),
                ),
            ),
        );
    }
    if let Some(modality) = filter.modality {
        query = query.filter(training_offer::Column::Modality.eq(modality));
    }
    if let Some(funding) = filter.funding {
        query = query.filter(
            training_offer::Column::Id.in_subquery(
                Query::select()
                    .column(training_offer_funding::Column::OfferId)
                    .from(training_offer_funding::Entity)
                    .and_where(training_offer_funding::Column::Funding.eq(funding))
                    .to_owned(),
            ),
        );
    }
    if let Some(day) = filter.starts_after {
        query = query.filter(
            training_offer::Column::Id.in_subquery(
                Query::select()
                    .column(training_session::Column::OfferId)
                    .from(training_session::Entity)
                    .and_where(training_session::Column::StartsOn.gte(day))
                    .to_owned(),
            ),
        );
    }
    for word in search.iter().flat_map(SearchText::words) {
        query = query.filter(Expr::col(training_offer::Column::SearchText).like(like_contains(&word)));
    }
    if let Some(after) = page.after {
        query = query.filter(training_offer::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(training_offer::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(views(db, rows).await?, page.limit, |o| o.id))
}

/// One offer: published and archived ones for anyone, drafts only for those
/// who manage its centre (404 for everyone else).
pub async fn detail(
    db: &impl ConnectionTrait,
    caller: Option<&user::Model>,
    id: Uuid,
) -> Result<TrainingOfferView, ApiError> {
    let offer = training_offer::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    if offer.status == OfferStatus::Draft && !may_read_draft(db, caller, &offer).await? {
        return Err(ApiError::NotFound);
    }
    views(db, vec![offer]).await?.pop().ok_or(ApiError::NotFound)
}

async fn view_of(db: &impl ConnectionTrait, id: Uuid) -> Result<TrainingOfferView, ApiError> {
    let offer = training_offer::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    views(db, vec![offer]).await?.pop().ok_or(ApiError::NotFound)
}

/// Offers as the API shows them, with their centre, skills, funding,
/// sessions and places read in a few queries.
pub async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<training_offer::Model>,
) -> Result<Vec<TrainingOfferView>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|o| o.id).collect();
    let centres: HashMap<Uuid, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(rows.iter().map(|o| o.organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let links = training_offer_skill::Entity::find()
        .filter(training_offer_skill::Column::OfferId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let skills: HashMap<Uuid, skill::Model> = skill::Entity::find()
        .filter(skill::Column::Id.is_in(links.iter().map(|l| l.skill_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut taught: HashMap<(Uuid, OfferSkillKind), Vec<OfferSkill>> = HashMap::new();
    for link in links {
        if let Some(s) = skills.get(&link.skill_id) {
            taught.entry((link.offer_id, link.kind)).or_default().push(OfferSkill {
                skill_id: s.id,
                code: s.code.clone(),
                name: s.name.clone(),
                level: link.level,
            });
        }
    }
    let mut funding: HashMap<Uuid, Vec<Funding>> = HashMap::new();
    for row in training_offer_funding::Entity::find()
        .filter(training_offer_funding::Column::OfferId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        funding.entry(row.offer_id).or_default().push(row.funding);
    }
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::OfferId.is_in(ids.iter().copied()))
        .order_by_asc(training_session::Column::StartsOn)
        .order_by_asc(training_session::Column::Id)
        .all(db)
        .await?;
    let place_ids = rows.iter().filter_map(|o| o.place_id).chain(sessions.iter().filter_map(|s| s.place_id));
    let places = directory::places(db, place_ids.collect::<Vec<_>>()).await?;
    let mut dated: HashMap<Uuid, Vec<TrainingSessionView>> = HashMap::new();
    for session in sessions {
        let place = session.place_id.and_then(|id| places.get(&id).cloned());
        dated.entry(session.offer_id).or_default().push(session_view(session, place));
    }
    Ok(rows
        .into_iter()
        .map(|o| {
            let mut skills = taught.remove(&(o.id, OfferSkillKind::Targeted)).unwrap_or_default();
            skills.sort_by(|a, b| a.code.cmp(&b.code));
            let mut prerequisite_skills =
                taught.remove(&(o.id, OfferSkillKind::Prerequisite)).unwrap_or_default();
            prerequisite_skills.sort_by(|a, b| a.code.cmp(&b.code));
            let mut offer_funding = funding.remove(&o.id).unwrap_or_default();
            offer_funding.sort();
            TrainingOfferView {
                organization: OfferCentre {
                    id: o.organization_id,
                    name: centres.get(&o.organization_id).cloned().unwrap_or_default(),
                },
                skills,
                prerequisite_skills,
                funding: offer_funding,
                sessions: dated.remove(&o.id).unwrap_or_default(),
                place: o.place_id.and_then(|id| places.get(&id).cloned()),
                public_url: public_path(o.id),
                id: o.id,
                title: o.title,
                description: o.description,
                certification: o.certification,
                certification_code: o.certification_code,
                prerequisites: o.prerequisites,
                modality: o.modality,
                duration_hours: o.duration_hours,
                cost_euros: o.cost_euros,
                accessibility: o.accessibility,
                contact_email: o.contact_email,
                contact_phone: o.contact_phone,
                status: o.status,
                published_at: o.published_at,
                archived_at: o.archived_at,
                created_at: o.created_at,
                updated_at: o.updated_at,
            }
        })
        .collect())
}
