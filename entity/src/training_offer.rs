use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A training offer of a training centre (`organization_id`): what it
/// teaches lives in `training_offer_skills`, how it is funded in
/// `training_offer_funding`, its dates in `training_sessions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub description: String,
    pub certification: Option<String>,
    /// `RNCP12345` or `RS1234`.
    pub certification_code: Option<String>,
    pub prerequisites: Option<String>,
    pub modality: TrainingModality,
    /// Where it is taught (a place of the directory), unless fully remote.
    pub place_id: Option<Uuid>,
    pub duration_hours: i32,
    /// What it costs the learner before any funding; 0 is free.
    pub cost_euros: Option<i32>,
    pub accessibility: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub status: OfferStatus,
    /// Title, description and certification in search form.
    pub search_text: String,
    pub created_by: Uuid,
    pub published_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// How an offer is taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum TrainingModality {
    #[sea_orm(string_value = "in_person")]
    InPerson,
    #[sea_orm(string_value = "remote")]
    Remote,
    #[sea_orm(string_value = "blended")]
    Blended,
}

/// Lifecycle of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "archived")]
    Archived,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
