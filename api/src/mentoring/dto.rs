//! Request and response bodies of Enchanté.

use chrono::{DateTime, Utc};
use entity::match_request::MatchRequestStatus;
use entity::match_session::Modality;
use entity::mentor_match::MatchStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::domain::rules;
use crate::accounts::party::Party;
use crate::schema::string_set;

/// `PUT /me/mentor-profile`. What you mentor is what you offer
/// (`PUT /me/skills/{skill_id}` with `kind: offer`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct MentorProfileInput {
    /// A few words for learners: who you are, how you like to help.
    #[validate(length(max = 1000))]
    #[serde(default)]
    pub bio: String,
    /// How you can meet, at least one.
    #[validate(length(min = 1, max = 3), custom(function = "rules::modalities"))]
    pub modalities: Vec<Modality>,
    /// Languages you can mentor in, e.g. `["fr", "ar"]`.
    #[validate(length(min = 1, max = 10), custom(function = "rules::languages"))]
    #[schema(example = json!(["fr"]))]
    pub languages: Vec<String>,
    /// French postcode, to meet in person nearby. Never shown: only its département is.
    #[validate(custom(function = "rules::postcode"))]
    #[schema(example = "93800")]
    pub postcode: Option<String>,
    /// How many people you accompany at once (accepted matches).
    #[validate(range(min = 1, max = 20))]
    pub max_active_matches: i16,
    /// `false` pauses new requests; current matches go on.
    pub accepting: bool,
}

/// A skill you offer, as a mentor.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentoredSkill {
    pub skill_id: Uuid,
    #[schema(example = "digcomp.4.2")]
    pub code: String,
    pub name: String,
    #[schema(minimum = 1, maximum = 8)]
    pub level: i16,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingView {
    /// Mean of learners' ratings (1..5); `null` without any.
    pub average: Option<f64>,
    pub count: i32,
}

/// Your mentor profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorProfileView {
    pub user_id: Uuid,
    pub bio: String,
    pub modalities: Vec<Modality>,
    pub languages: Vec<String>,
    pub postcode: Option<String>,
    pub departement: Option<String>,
    pub max_active_matches: i16,
    /// Accepted matches going on now.
    pub active_matches: i64,
    pub accepting: bool,
    pub rating: RatingView,
    /// What you mentor: the skills you offer.
    pub offered_skills: Vec<MentoredSkill>,
    pub updated_at: DateTime<Utc>,
}

/// A mentor in the directory: no contact details, no postcode.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorCard {
    pub id: Uuid,
    pub display_name: String,
    pub bio: String,
    pub modalities: Vec<Modality>,
    pub languages: Vec<String>,
    /// Where in-person meetings can happen, as a département (`93`, `974`).
    pub departement: Option<String>,
    pub offered_skills: Vec<MentoredSkill>,
    pub rating: RatingView,
    /// Whether they can take one more person now.
    pub has_capacity: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentorsFilter {
    /// Only mentors who offer this skill.
    pub skill_id: Option<Uuid>,
    pub modality: Option<Modality>,
    /// Only mentors who speak this language (`fr`).
    pub language: Option<String>,
}

/// One weekly slot, in the time zone of the availability.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct SlotInput {
    /// 1 = Monday ... 7 = Sunday.
    #[validate(range(min = 1, max = 7))]
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i16,
    #[validate(custom(function = "rules::clock"))]
    #[schema(example = "18:00", pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub start: String,
    /// After `start`, on the same day; `24:00` is midnight at the end of the day.
    #[validate(custom(function = "rules::clock"))]
    #[schema(example = "20:00", pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub end: String,
}

/// `PUT /me/availability`: replaces all your weekly slots.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AvailabilityInput {
    /// IANA time zone of the slots; your profile's time zone when absent.
    #[validate(custom(function = "crate::accounts::domain::rules::timezone"))]
    #[schema(example = "Europe/Paris")]
    pub timezone: Option<String>,
    #[validate(length(max = 50), nested)]
    pub slots: Vec<SlotInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AvailabilityView {
    #[schema(example = "Europe/Paris")]
    pub timezone: String,
    pub slots: Vec<SlotInput>,
}

/// `POST /match-requests`: asking for a mentor in one skill.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewMatchRequest {
    pub skill_id: Uuid,
    /// What you would like to learn, in your own words; the mentor reads it.
    #[validate(length(min = 1, max = 1000))]
    pub message: String,
    /// How you can meet, at least one.
    #[validate(length(min = 1, max = 3), custom(function = "rules::modalities"))]
    pub modalities: Vec<Modality>,
    /// Languages you can be mentored in.
    #[validate(length(min = 1, max = 10), custom(function = "rules::languages"))]
    #[schema(example = json!(["fr"]))]
    pub languages: Vec<String>,
    /// The level you aim for (1..8); by default the level you declared
    /// wanting for this skill (`PUT /me/skills`), or 2.
    #[validate(range(min = 1, max = 8))]
    pub target_level: Option<i16>,
    /// Your postcode, to meet in person nearby; never shown to mentors.
    #[validate(custom(function = "rules::postcode"))]
    #[schema(example = "93800")]
    pub postcode: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillRef {
    pub id: Uuid,
    #[schema(example = "digcomp.4.2")]
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchRequestView {
    pub id: Uuid,
    pub learner: Party,
    pub skill: SkillRef,
    pub message: Option<String>,
    pub modalities: Vec<Modality>,
    pub languages: Vec<String>,
    pub target_level: i16,
    pub postcode: Option<String>,
    /// `open` while looking for a mentor, `matched` once one accepted, `closed`.
    pub status: MatchRequestStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionsQuery {
    /// Number of suggestions, 1..=100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedMentor {
    pub id: Uuid,
    pub display_name: String,
    pub bio: String,
}

/// One factor of a score: `points = round(weight × value)`, and the points of
/// all factors add up to the score.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreFactor {
    /// `skill_level`, `availability`, `modality`, `load` or `rating`.
    #[schema(example = "availability", value_type = ScoreFactorName)]
    pub factor: String,
    /// The most points this factor can give.
    pub weight: u8,
    /// How well this factor is met, 0..1.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub value: f64,
    pub points: u8,
    /// One sentence a counsellor can read out, in the caller's language.
    #[schema(example = "1 h 30 de disponibilités en commun par semaine (fuseaux horaires pris en compte).")]
    pub reason: String,
}

string_set!(
    /// `ScoreFactor.factor` (see `mentoring::scoring`).
    ScoreFactorName,
    "One factor of a match score; the points of all factors add up to the score.",
    [
        ("skill_level", "How the mentor's level in the skill fits the learner's."),
        ("availability", "Weekly availability the two share, across time zones."),
        ("modality", "Whether they can meet the way the learner prefers."),
        ("load", "How much room the mentor has left."),
        ("rating", "The mentor's rating by past learners (Bayesian average)."),
    ]
);

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    pub mentor: SuggestedMentor,
    #[schema(minimum = 0, maximum = 100)]
    pub score: u8,
    pub breakdown: Vec<ScoreFactor>,
}

/// `POST /matches`: asking a mentor.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewMatch {
    pub request_id: Uuid,
    pub mentor_id: Uuid,
    /// A word for the mentor; the request's message when absent.
    #[validate(length(min = 1, max = 1000))]
    pub message: Option<String>,
}

/// The other party's contact, once the match is accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    #[schema(format = Email)]
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchRole {
    Learner,
    Mentor,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchView {
    pub id: Uuid,
    pub request_id: Uuid,
    pub skill: SkillRef,
    pub learner: Party,
    pub mentor: Party,
    /// Your side of this match.
    pub your_role: MatchRole,
    pub status: MatchStatus,
    /// The match score (0..100) when it was made.
    pub score: Option<i16>,
    /// The learner's word to the mentor.
    pub message: Option<String>,
    /// Set when a counsellor's cohort matching proposed it.
    pub organization_id: Option<Uuid>,
    /// A request left unanswered expires then.
    pub expires_at: Option<DateTime<Utc>>,
    /// The other party's email: only once the match is accepted.
    pub contact: Option<Contact>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One transition of a match.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchEventView {
    pub from_status: Option<MatchStatus>,
    pub to_status: MatchStatus,
    /// Who made it; `null` when the service did (expiry).
    pub actor_id: Option<Uuid>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchDetail {
    #[serde(flatten)]
    pub view: MatchView,
    /// Every transition, oldest first.
    pub events: Vec<MatchEventView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchesFilter {
    /// Only the matches where you are the learner, or the mentor.
    pub role: Option<MatchRole>,
    pub status: Option<MatchStatus>,
}

/// `{reason?}` of decline, cancel and withdraw; the body is optional.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct ReasonBody {
    #[validate(length(min = 1, max = 500))]
    pub reason: Option<String>,
}

/// `POST /matches/{id}/sessions`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewSession {
    pub starts_at: DateTime<Utc>,
    #[validate(range(min = 15, max = 480))]
    pub duration_minutes: i16,
    pub modality: Modality,
    /// Where (in person) or how (a video link), seen by both parties.
    #[validate(length(min = 1, max = 200))]
    pub location: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub match_id: Uuid,
    pub created_by: Uuid,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i16,
    pub modality: Modality,
    pub location: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /matches/{id}/feedback`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewFeedback {
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i16,
    #[validate(length(min = 1, max = 1000))]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: Uuid,
    pub match_id: Uuid,
    pub author_id: Uuid,
    pub subject_id: Uuid,
    pub rating: i16,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /reports`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewReport {
    pub reported_user_id: Uuid,
    /// The match it happened in, if any (you must be one of its parties).
    pub match_id: Option<Uuid>,
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
}

/// A report as the admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: Uuid,
    pub reporter: Party,
    pub reported: Party,
    pub match_id: Option<Uuid>,
    /// `null` once its author erased their account.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What the author of a report gets back.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportReceipt {
    pub id: Uuid,
    pub reported_user_id: Uuid,
    pub match_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// `POST /blocks`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewBlock {
    pub user_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockView {
    pub user: Party,
    pub created_at: DateTime<Utc>,
}

/// `POST /organizations/{id}/cohort-matching`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CohortInput {
    /// Open requests of members you accompany (any open request for admins).
    #[validate(length(min = 1, max = 1000))]
    pub request_ids: Vec<Uuid>,
    /// The mentors to choose from; by default the best candidates of each request.
    #[validate(length(min = 1, max = 1000))]
    pub mentor_ids: Option<Vec<Uuid>>,
    /// `true` creates the matches as `proposed`, in one transaction.
    #[serde(default)]
    pub commit: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CohortAssignment {
    pub request_id: Uuid,
    pub mentor_id: Uuid,
    #[schema(minimum = 0, maximum = 100)]
    pub score: u8,
    /// The `proposed` match, with `commit: true`.
    pub match_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CohortResult {
    pub assignments: Vec<CohortAssignment>,
    /// Requests no mentor with a free seat could take.
    pub unassigned: Vec<Uuid>,
    /// The sum of the assigned scores: the largest possible under the mentors' capacities.
    pub total_score: u32,
    pub committed: bool,
}
