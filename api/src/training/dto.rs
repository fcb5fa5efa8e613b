//! Request and response bodies of training offers.

use chrono::{DateTime, NaiveDate, Utc};
use entity::skill::Framework;
use entity::training_offer::{OfferStatus, TrainingModality};
use entity::training_offer_funding::Funding;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::accounts::domain::rules as account_rules;
use crate::organizations::dto::PlaceRef;

/// A skill with a DigComp-scale level (1..8).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct OfferSkillInput {
    pub skill_id: Uuid,
    #[validate(range(min = 1, max = 8))]
    #[schema(minimum = 1, maximum = 8)]
    pub level: i16,
}

/// `POST /training-offers`: a draft offer of a training centre.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NewTrainingOffer {
    /// A `training_center` organisation the caller manages.
    pub organization_id: Uuid,
    #[validate(length(min = 1, max = 200))]
    pub title: String,
    #[validate(length(min = 1, max = 5000))]
    pub description: String,
    /// The skills it teaches, with the level reached at the end; at least one.
    #[validate(length(min = 1, max = 20), nested)]
    pub skills: Vec<OfferSkillInput>,
    /// The certification it leads to, in words.
    #[validate(length(min = 1, max = 300))]
    pub certification: Option<String>,
    /// Its code in the national registers: `RNCP12345` or `RS1234`.
    #[validate(custom(function = "rules::certification_code"))]
    #[schema(example = "RNCP34109")]
    pub certification_code: Option<String>,
    /// What is asked before starting, in words.
    #[validate(length(min = 1, max = 2000))]
    pub prerequisites: Option<String>,
    /// Skills asked before starting, with the minimum level.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    pub prerequisite_skills: Vec<OfferSkillInput>,
    pub modality: TrainingModality,
    /// Where it is taught: a place of the directory.
    pub place_id: Option<Uuid>,
    #[validate(range(min = 1, max = 5000))]
    #[schema(minimum = 1, maximum = 5000)]
    pub duration_hours: i32,
    /// Its price before funding, in euros; 0 when free.
    #[validate(range(min = 0, max = 100000))]
    pub cost_euros: Option<i32>,
    /// How it may be funded, each at most once.
    #[serde(default)]
    #[validate(length(max = 6), custom(function = "rules::funding"))]
    pub funding: Vec<Funding>,
    /// Accessibility for people with a disability, in words.
    #[validate(length(min = 1, max = 2000))]
    pub accessibility: Option<String>,
    /// Whom to write to about the offer (a service address, not a person's).
    #[validate(custom(function = "account_rules::email"))]
    pub contact_email: Option<String>,
    #[validate(custom(function = "account_rules::phone"))]
    pub contact_phone: Option<String>,
}

/// `PATCH /training-offers/{id}`: the fields given replace the current ones.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct TrainingOfferPatch {
    #[validate(length(min = 1, max = 200))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 5000))]
    pub description: Option<String>,
    #[validate(length(min = 1, max = 20), nested)]
    pub skills: Option<Vec<OfferSkillInput>>,
    #[validate(length(min = 1, max = 300))]
    pub certification: Option<String>,
    #[validate(custom(function = "rules::certification_code"))]
    pub certification_code: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    pub prerequisites: Option<String>,
    #[validate(length(max = 20), nested)]
    pub prerequisite_skills: Option<Vec<OfferSkillInput>>,
    pub modality: Option<TrainingModality>,
    pub place_id: Option<Uuid>,
    #[validate(range(min = 1, max = 5000))]
    pub duration_hours: Option<i32>,
    #[validate(range(min = 0, max = 100000))]
    pub cost_euros: Option<i32>,
    #[validate(length(max = 6), custom(function = "rules::funding"))]
    pub funding: Option<Vec<Funding>>,
    #[validate(length(min = 1, max = 2000))]
    pub accessibility: Option<String>,
    #[validate(custom(function = "account_rules::email"))]
    pub contact_email: Option<String>,
    #[validate(custom(function = "account_rules::phone"))]
    pub contact_phone: Option<String>,
}

/// `POST /training-offers/{id}/sessions`.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NewTrainingSession {
    /// Today or later.
    pub starts_on: NaiveDate,
    /// On or after `starts_on`.
    pub ends_on: NaiveDate,
    #[validate(range(min = 1, max = 1000))]
    pub seats: Option<i32>,
    /// The last day to apply: on or before `starts_on`.
    pub application_deadline: Option<NaiveDate>,
    /// Where, when it differs from the offer's place.
    pub place_id: Option<Uuid>,
}

/// A skill an offer teaches or asks, with its level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferSkill {
    pub skill_id: Uuid,
    #[schema(example = "digcomp.1.1")]
    pub code: String,
    pub name: String,
    pub level: i16,
}

/// The training centre of an offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferCentre {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingSessionView {
    pub id: Uuid,
    pub offer_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub seats: Option<i32>,
    pub application_deadline: Option<NaiveDate>,
    pub place: Option<PlaceRef>,
}

/// A training offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingOfferView {
    pub id: Uuid,
    pub organization: OfferCentre,
    pub title: String,
    pub description: String,
    /// What it teaches, with the level reached.
    pub skills: Vec<OfferSkill>,
    pub certification: Option<String>,
    pub certification_code: Option<String>,
    pub prerequisites: Option<String>,
    /// Skills asked first, with the minimum level.
    pub prerequisite_skills: Vec<OfferSkill>,
    pub modality: TrainingModality,
    pub place: Option<PlaceRef>,
    pub duration_hours: i32,
    pub cost_euros: Option<i32>,
    pub funding: Vec<Funding>,
    pub accessibility: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub status: OfferStatus,
    /// Its sessions, soonest first.
    pub sessions: Vec<TrainingSessionView>,
    /// Its public page, stable for the offer's life (archived offers stay readable there).
    #[schema(format = "uri-reference")]
    pub public_url: String,
    pub published_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingOffersFilter {
    /// Offers that teach this skill.
    pub skill_id: Option<Uuid>,
    /// Offers that teach a skill of this framework.
    pub framework: Option<Framework>,
    /// Offers taught (or with a session) at a place of this département (`93`, `2A`, `974`).
    pub departement: Option<String>,
    pub modality: Option<TrainingModality>,
    /// Offers that this funding may pay for.
    pub funding: Option<Funding>,
    /// Offers with a session starting on or after this day.
    pub starts_after: Option<NaiveDate>,
    /// Words of the title, description or certification.
    pub q: Option<String>,
}

/// Adapters so that `validator` reports the offer rules with field paths (422).
mod rules {
    use std::borrow::Cow;

    use entity::training_offer_funding::Funding;
    use validator::ValidationError;

    use super::super::domain::CertificationCode;

    pub fn certification_code(value: &str) -> Result<(), ValidationError> {
        CertificationCode::parse(value).map(|_| ()).map_err(|message| {
            ValidationError::new("certification_code").with_message(Cow::Borrowed(message))
        })
    }

    pub fn funding(values: &[Funding]) -> Result<(), ValidationError> {
        let mut seen = values.to_vec();
        seen.sort();
        seen.dedup();
        if seen.len() == values.len() {
            Ok(())
        } else {
            Err(ValidationError::new("unique").with_message(Cow::Borrowed("field.funding_repeated")))
        }
    }
}
