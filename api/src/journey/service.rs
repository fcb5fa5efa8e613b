//! Consent first: the journey answers the member themself, or a counsellor
//! with an active accompaniment of that member — checked at every request, so
//! a revocation takes effect at once. An organisation's API client with
//! `members:read` reads it as such a counsellor would, for the members its
//! organisation accompanies with consent. Anyone else (admins included) gets
//! 404. Every read by someone else is audited: counsellors in `audit_log`,
//! clients in `client_audit_log`; the member reads both as one log.

use entity::accompaniment::{self, AccompanimentStatus};
use entity::{api_client, audit_log, client_audit_log, organization, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::dto::{
    AuditActorKind, AuditEntry, Journey, JourneyAccompaniment, JourneyMember, JourneySections, JourneySkill,
};
use crate::accompaniments::dto::CounsellorParty;
use crate::accompaniments::service::counsellor_parties;
use crate::accounts::party::parties;
use crate::authz::clients::{self, Scoped};
use crate::authz::consent::{self, RecordReader};
use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};
use crate::{lessons, skills};

/// The audit action of a counsellor's journey read.
pub const JOURNEY_READ: &str = "journey.read";

pub async fn journey(
    db: &impl ConnectionTrait,
    caller: &user::Model,
    member_id: Uuid,
) -> Result<Journey, ApiError> {
    let member = if caller.id == member_id { caller.clone() } else { active_member(db, member_id).await? };
    let reader =
        consent::record_reader(db, caller, member.id, JOURNEY_READ).await?.ok_or(ApiError::NotFound)?;
    read_journey(db, reader, member).await
}

/// The journey as an API client with `members:read` reads it.
pub async fn client_journey(
    db: &impl ConnectionTrait,
    scoped: &Scoped,
    member_id: Uuid,
) -> Result<Journey, ApiError> {
    let member = active_member(db, member_id).await?;
    let consent =
        clients::consented_audited(db, scoped, member.id, JOURNEY_READ).await?.ok_or(ApiError::NotFound)?;
    read_journey(db, RecordReader::Client(consent), member).await
}

/// An account that is neither disabled nor erased, else 404.
async fn active_member(db: &impl ConnectionTrait, member_id: Uuid) -> Result<user::Model, ApiError> {
    user::Entity::find_by_id(member_id)
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The journey of `member`, for a reader who was allowed to read it.
async fn read_journey(
    db: &impl ConnectionTrait,
    reader: RecordReader,
    member: user::Model,
) -> Result<Journey, ApiError> {
    let reader_is_member = reader.is_member();
    let shown: &[AccompanimentStatus] = if reader_is_member {
        &[AccompanimentStatus::Pending, AccompanimentStatus::Active]
    } else {
        &[AccompanimentStatus::Active]
    };
    let rows = accompaniment::Entity::find()
        .filter(accompaniment::Column::MemberId.eq(member.id))
        .filter(accompaniment::Column::Status.is_in(shown.iter().copied()))
        .order_by_asc(accompaniment::Column::Id)
        .all(db)
        .await?;
    let names = parties(db, rows.iter().map(|r| r.counsellor_id)).await?;
    let accompaniments = rows
        .into_iter()
        .filter_map(|row| {
            Some(JourneyAccompaniment {
                id: row.id,
                counsellor: names.find(row.counsellor_id)?.clone(),
                status: row.status,
                since: row.consented_at.unwrap_or(row.requested_at),
            })
        })
        .collect();
    let learning = lessons::progress::progress(db, &member).await?;
    let skills = skills::service::member_skills(db, member.id)
        .await?
        .into_iter()
        .map(|declared| JourneySkill {
            skill_id: declared.skill.id,
            code: declared.skill.code,
            name: declared.skill.name,
            kind: declared.kind,
            level: declared.level,
        })
        .collect();
    Ok(Journey {
        member: JourneyMember {
            id: member.id,
            display_name: member.display_name,
            locale: member.locale,
            timezone: member.timezone,
            created_at: member.created_at,
        },
        accompaniments,
        sections: JourneySections {
            learning: Some(learning),
            skills,
            workshops: Some(crate::workshops::journey::journey(db, member.id).await?),
            assessments: Some(crate::assessments::service::journey(db, member.id).await?),
            matches: Some(crate::mentoring::journey::summary(db, member.id).await?),
            badges: crate::credentials::service::journey(db, member.id).await?,
        },
    })
}

/// Who read the member's data and when, newest first: counsellors'
/// reads and API clients' reads, merged by id (both are time-ordered v7
/// ids), each source read up to one page past the cursor.
pub async fn audit_log(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<AuditEntry>, ApiError> {
    let mut people = audit_log::Entity::find().filter(audit_log::Column::MemberId.eq(member_id));
    let mut machines =
        client_audit_log::Entity::find().filter(client_audit_log::Column::MemberId.eq(member_id));
    if let Some(after) = page.after {
        people = people.filter(audit_log::Column::Id.lt(after));
        machines = machines.filter(client_audit_log::Column::Id.lt(after));
    }
    let rows = people.order_by_desc(audit_log::Column::Id).limit(page.limit + 1).all(db).await?;
    let client_rows =
        machines.order_by_desc(client_audit_log::Column::Id).limit(page.limit + 1).all(db).await?;
    let actors = counsellor_parties(db, rows.iter().map(|r| r.actor_id)).await?;
    let clients = client_parties(db, client_rows.iter().map(|r| r.api_client_id)).await?;
    let by_people = rows.into_iter().filter_map(|row| {
        Some(AuditEntry {
            id: row.id,
            actor: actors.get(&row.actor_id)?.clone(),
            actor_kind: AuditActorKind::Person,
            action: row.action,
            created_at: row.created_at,
        })
    });
    let by_clients = client_rows.into_iter().filter_map(|row| {
        Some(AuditEntry {
            id: row.id,
            actor: clients.get(&row.api_client_id)?.clone(),
            actor_kind: AuditActorKind::ApiClient,
            action: row.action,
            created_at: row.created_at,
        })
    });
    let mut entries: Vec<AuditEntry> = by_people.chain(by_clients).collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.id));
    entries.truncate(page.limit as usize + 1);
    Ok(Page::from_rows(entries, page.limit, |e| e.id))
}

/// API clients as a member sees them in their audit log: the client's name,
/// and its organisation.
async fn client_parties(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, CounsellorParty>, ApiError> {
    let rows = api_client::Entity::find()
        .filter(api_client::Column::Id.is_in(ids.into_iter().collect::<std::collections::HashSet<_>>()))
        .all(db)
        .await?;
    let organizations = organization::Entity::find()
        .filter(organization::Column::Id.is_in(rows.iter().map(|r| r.organization_id)))
        .all(db)
        .await?;
    let organizations: std::collections::HashMap<Uuid, _> =
        crate::organizations::directory::views(db, organizations)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let party = CounsellorParty {
                id: row.id,
                display_name: row.name,
                organizations: organizations.get(&row.organization_id).cloned().into_iter().collect(),
            };
            (row.id, party)
        })
        .collect())
}
