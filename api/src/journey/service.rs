//! Consent first: the journey answers the member themself, or a counsellor
//! with an active accompaniment of that member — checked at every request, so
//! a revocation takes effect at once. Anyone else (admins included) gets 404.

use entity::accompaniment::{self, AccompanimentStatus};
use entity::{audit_log, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::dto::{AuditEntry, Journey, JourneyAccompaniment, JourneyMember, JourneySections, JourneySkill};
use crate::accompaniments::service::counsellor_parties;
use crate::accounts::party::parties;
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
    let member = if caller.id == member_id {
        caller.clone()
    } else {
        user::Entity::find_by_id(member_id)
            .filter(user::Column::DisabledAt.is_null())
            .filter(user::Column::ErasedAt.is_null())
            .one(db)
            .await?
            .ok_or(ApiError::NotFound)?
    };
    let reader =
        consent::record_reader(db, caller, member.id, JOURNEY_READ).await?.ok_or(ApiError::NotFound)?;
    read_journey(db, reader, member).await
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

/// Who read the member's data and when, newest first.
pub async fn audit_log(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<AuditEntry>, ApiError> {
    let mut query = audit_log::Entity::find().filter(audit_log::Column::MemberId.eq(member_id));
    if let Some(after) = page.after {
        query = query.filter(audit_log::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(audit_log::Column::Id).limit(page.limit + 1).all(db).await?;
    let actors = counsellor_parties(db, rows.iter().map(|r| r.actor_id)).await?;
    let entries = rows
        .into_iter()
        .filter_map(|row| {
            Some(AuditEntry {
                id: row.id,
                actor: actors.get(&row.actor_id)?.clone(),
                action: row.action,
                created_at: row.created_at,
            })
        })
        .collect();
    Ok(Page::from_rows(entries, page.limit, |e| e.id))
}
