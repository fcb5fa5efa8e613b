//! The public directory of places: the list with its filters, one place, and
//! the edits of its address, contact, hours, services and description. What
//! it shows is the place's, never a person's (staff names only to signed-in
//! callers, through `service::members`).

use std::collections::HashMap;

use chrono::Utc;
use entity::organization_service::{self, PlaceService};
use entity::search::search_key;
use entity::{organization, organization_hour};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::dto::{
    Address, OpeningHours, Organization, OrganizationDetail, OrganizationName, OrganizationPatch,
    OrganizationsFilter, PlaceRef,
};
use super::place::{InseeCode, Postcode, Website, parse_departement};
use crate::accounts::domain::{Email, Phone};
use crate::authz::organizations::Manager;
use crate::db::begin_write;
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchText, like_contains};
use crate::weekly::{WeeklySlot, parse_slots};

/// The place as the directory shows it, with its services.
pub fn view(org: organization::Model, mut services: Vec<PlaceService>) -> Organization {
    services.sort();
    let address = match (org.street, org.postcode, org.city, org.departement) {
        (Some(street), Some(postcode), Some(city), Some(departement)) => {
            Some(Address { street, postcode, city, insee_code: org.insee_code, departement })
        }
        _ => None,
    };
    Organization {
        id: org.id,
        name: org.name,
        kind: org.kind,
        address,
        phone: org.phone,
        email: org.email,
        website: org.website,
        description: org.description,
        services,
        created_at: org.created_at,
        updated_at: org.updated_at,
    }
}

/// The places named by `ids` (workshop or match sessions), by id.
pub async fn places(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, PlaceRef>, ApiError> {
    let rows = organization::Entity::find().filter(organization::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            let place = view(o, Vec::new());
            (place.id, PlaceRef { id: place.id, name: place.name, address: place.address })
        })
        .collect())
}

/// The place a request names in `field`: 422 `unknown_place` when no
/// organisation has this id.
pub async fn place(db: &impl ConnectionTrait, field: &str, id: Uuid) -> Result<PlaceRef, ApiError> {
    places(db, [id])
        .await?
        .remove(&id)
        .ok_or_else(|| ApiError::validation(field, "unknown_place", "field.unknown_place"))
}

/// Places as the directory shows them, their services read in one query.
pub async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<organization::Model>,
) -> Result<Vec<Organization>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|o| o.id).collect();
    let mut services = services_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            let offered = services.remove(&o.id).unwrap_or_default();
            view(o, offered)
        })
        .collect())
}

async fn services_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<PlaceService>>, ApiError> {
    let mut by_org: HashMap<Uuid, Vec<PlaceService>> = HashMap::new();
    let rows = organization_service::Entity::find()
        .filter(organization_service::Column::OrganizationId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    for row in rows {
        by_org.entry(row.organization_id).or_default().push(row.service);
    }
    Ok(by_org)
}

/// The directory, newest first (ids are time-ordered UUIDv7), filtered by
/// kind, département, service and words of the name, city or description.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &OrganizationsFilter,
    page: PageRequest<Uuid>,
) -> Result<Page<Organization>, ApiError> {
    let search = SearchText::parse(filter.q.as_deref())?;
    let mut query = organization::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(organization::Column::Kind.eq(kind));
    }
    if let Some(raw) = &filter.departement {
        let departement = parse_departement(raw)
            .map_err(|message| ApiError::validation("departement", "departement", message))?;
        query = query.filter(organization::Column::Departement.eq(departement));
    }
    if let Some(service) = filter.service {
        query = query.filter(
            organization::Column::Id.in_subquery(
                Query::select()
                    .column(organization_service::Column::OrganizationId)
                    .from(organization_service::Entity)
                    .and_where(organization_service::Column::Service.eq(service))
                    .to_owned(),
            ),
        );
    }
    for word in search.iter().flat_map(SearchText::words) {
        query = query.filter(Expr::col(organization::Column::SearchText).like(like_contains(&word)));
    }
    if let Some(after) = page.after {
        query = query.filter(organization::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(organization::Column::Id).limit(page.limit + 1).all(db).await?;
    Ok(Page::from_rows(views(db, rows).await?, page.limit, |o| o.id))
}

/// One place with its opening hours; `members` is filled by the caller when
/// the reader may see staff names.
pub async fn detail(db: &impl ConnectionTrait, id: Uuid) -> Result<OrganizationDetail, ApiError> {
    let org = organization::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound)?;
    let services = services_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    let slots = organization_hour::Entity::find()
        .filter(organization_hour::Column::OrganizationId.eq(id))
        .order_by_asc(organization_hour::Column::Weekday)
        .order_by_asc(organization_hour::Column::StartMinute)
        .all(db)
        .await?;
    let opening_hours = org.timezone.clone().map(|timezone| OpeningHours {
        timezone,
        slots: slots
            .into_iter()
            .map(|s| {
                WeeklySlot { weekday: s.weekday, start_minute: s.start_minute, end_minute: s.end_minute }
                    .into()
            })
            .collect(),
    });
    Ok(OrganizationDetail { organization: view(org, services), opening_hours, members: None })
}

/// The text `?q=` searches: name, city and description, folded.
fn search_text(org: &organization::ActiveModel) -> String {
    let text = |value: &sea_orm::ActiveValue<Option<String>>| match value {
        Set(Some(v)) | sea_orm::ActiveValue::Unchanged(Some(v)) => v.clone(),
        _ => String::new(),
    };
    let name = match &org.name {
        Set(v) | sea_orm::ActiveValue::Unchanged(v) => v.clone(),
        sea_orm::ActiveValue::NotSet => String::new(),
    };
    search_key(&format!("{name} {} {}", text(&org.city), text(&org.description)))
}

/// Applies a patch the extractor validated; the parsed values it stores are
/// normalised (E.164 phone, lowercase email, upper-case INSEE code).
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    manager: &Manager,
    patch: OrganizationPatch,
) -> Result<OrganizationDetail, ApiError> {
    let id = manager.organization_id();
    // Parsing cannot fail here (the extractor ran the same rules), but the
    // parsed values are what gets stored.
    fn invalid(field: &'static str, code: &'static str) -> impl Fn(&'static str) -> ApiError {
        move |message| ApiError::validation(field, code, message)
    }
    let slots = match &patch.opening_hours {
        Some(Some(hours)) => Some(parse_slots("opening_hours.slots", &hours.slots)?),
        _ => None,
    };
    let txn = begin_write(db).await?;
    let current = organization::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let mut row: organization::ActiveModel = current.into();
    if let Some(name) = &patch.name {
        row.name = Set(OrganizationName::parse(name).map_err(invalid("name", "length"))?.as_str().to_owned());
    }
    if let Some(address) = patch.address {
        let parsed = match address {
            Some(a) => {
                let postcode =
                    Postcode::parse(&a.postcode).map_err(invalid("address.postcode", "postcode"))?;
                let insee = a
                    .insee_code
                    .as_deref()
                    .map(InseeCode::parse)
                    .transpose()
                    .map_err(invalid("address.insee_code", "insee_code"))?;
                Some((a.street.trim().to_owned(), postcode, a.city.trim().to_owned(), insee))
            }
            None => None,
        };
        row.departement = Set(parsed.as_ref().map(|(_, p, _, _)| p.departement().to_owned()));
        row.insee_code =
            Set(parsed.as_ref().and_then(|(_, _, _, i)| i.as_ref().map(|i| i.as_str().to_owned())));
        row.postcode = Set(parsed.as_ref().map(|(_, p, _, _)| p.as_str().to_owned()));
        row.street = Set(parsed.as_ref().map(|(s, _, _, _)| s.clone()));
        row.city = Set(parsed.map(|(_, _, c, _)| c));
    }
    if let Some(phone) = patch.phone {
        let phone = phone.as_deref().map(Phone::parse).transpose().map_err(invalid("phone", "phone"))?;
        row.phone = Set(phone.map(|p| p.as_str().to_owned()));
    }
    if let Some(email) = patch.email {
        let email = email.as_deref().map(Email::parse).transpose().map_err(invalid("email", "email"))?;
        row.email = Set(email.map(|e| e.as_str().to_owned()));
    }
    if let Some(website) = patch.website {
        let website =
            website.as_deref().map(Website::parse).transpose().map_err(invalid("website", "url"))?;
        row.website = Set(website.map(|w| w.as_str().to_owned()));
    }
    if let Some(description) = patch.description {
        row.description = Set(description.map(|d| d.trim().to_owned()));
    }
    if let Some(hours) = &patch.opening_hours {
        row.timezone = Set(hours.as_ref().map(|h| h.timezone.clone()));
        organization_hour::Entity::delete_many()
            .filter(organization_hour::Column::OrganizationId.eq(id))
            .exec(&*txn)
            .await?;
        let rows = slots.unwrap_or_default().into_iter().map(|slot| organization_hour::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(id),
            weekday: Set(slot.weekday),
            start_minute: Set(slot.start_minute),
            end_minute: Set(slot.end_minute),
        });
        organization_hour::Entity::insert_many(rows).exec_without_returning(&*txn).await?;
    }
    if let Some(services) = patch.services {
        organization_service::Entity::delete_many()
            .filter(organization_service::Column::OrganizationId.eq(id))
            .exec(&*txn)
            .await?;
        let rows = services.into_iter().map(|service| organization_service::ActiveModel {
            organization_id: Set(id),
            service: Set(service),
        });
        organization_service::Entity::insert_many(rows).exec_without_returning(&*txn).await?;
    }
    row.search_text = Set(search_text(&row));
    row.updated_at = Set(Utc::now());
    row.update(&*txn).await?;
    txn.commit().await?;
    detail(db, id).await
}
