//! Response bodies of the journey and audit-log routes.

use chrono::{DateTime, Utc};
use entity::accompaniment::AccompanimentStatus;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use entity::member_skill::SkillIntent;

use crate::accompaniments::dto::CounsellorParty;
use crate::accounts::party::Party;
use crate::lessons::dto::Progress;

/// A member's journey across NumériZen, Enchanté and Impose-toi !.
#[derive(Debug, Serialize, ToSchema)]
pub struct Journey {
    pub member: JourneyMember,
    /// Open accompaniments: pending and active for the member themself,
    /// active only for a counsellor.
    pub accompaniments: Vec<JourneyAccompaniment>,
    pub sections: JourneySections,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyMember {
    pub id: Uuid,
    pub display_name: String,
    #[schema(example = "fr")]
    pub locale: String,
    #[schema(example = "Europe/Paris")]
    pub timezone: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyAccompaniment {
    pub id: Uuid,
    pub counsellor: Party,
    pub status: AccompanimentStatus,
    /// When the member consented (active), or when the counsellor asked (pending).
    pub since: DateTime<Utc>,
}

/// One section per pillar. A section is `null` until its programme is
/// available on this service; then it holds that programme's summary.
/// Clients must accept new sections appearing here.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct JourneySections {
    /// NumériZen learning progress (XP, streak, mastery).
    pub learning: Option<Progress>,
    /// Skills the member wants to build or offers to share; empty until they declare some.
    pub skills: Vec<JourneySkill>,
    /// Enchanté: mentor requests, matches (as learner and as mentor) and their sessions.
    pub matches: Option<crate::mentoring::journey::MentoringSummary>,
    /// Impose-toi ! modules completed, and workshop enrolments with their attendance.
    pub workshops: Option<crate::workshops::dto::WorkshopsJourney>,
    /// Self-assessments (RSES before and after a module or the programme), newest first.
    pub assessments: Option<Vec<crate::assessments::dto::AssessmentView>>,
    /// Achievements awarded (Open Badges), newest first, revoked ones included.
    pub badges: Vec<crate::credentials::dto::JourneyBadge>,
}

/// A skill the member wants or offers, at a DigComp-scale level.
#[derive(Debug, Serialize, ToSchema)]
pub struct JourneySkill {
    pub skill_id: Uuid,
    #[schema(example = "digcomp.4.2")]
    pub code: String,
    pub name: String,
    pub kind: SkillIntent,
    #[schema(minimum = 1, maximum = 8)]
    pub level: i16,
}

/// Who read: a person (a counsellor), or an organisation's API client.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditActorKind {
    Person,
    ApiClient,
}

/// One read of the member's data by someone else.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    /// Who read, with the organisations they work for. For an API client:
    /// its id, its name and its organisation.
    pub actor: CounsellorParty,
    pub actor_kind: AuditActorKind,
    /// What was read, e.g. `journey.read`.
    #[schema(example = "journey.read")]
    pub action: String,
    pub created_at: DateTime<Utc>,
}
