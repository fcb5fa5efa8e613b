use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A partner organisation (Mission locale, France Travail, tiers-lieu...) whose
/// counsellors and facilitators work with members, and a place of the public
/// directory: its address, contact and description are the place's, never a
/// person's. `departement` is derived from `postcode`; `timezone` is the one
/// of its opening hours (`organization_hours`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: OrganizationKind,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    /// The INSEE code of the commune (5 characters, `2A`/`2B` in Corsica).
    pub insee_code: Option<String>,
    pub departement: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub email: Option<String>,
    /// An `https://` URL.
    pub website: Option<String>,
    pub description: Option<String>,
    pub timezone: Option<String>,
    /// Name, city and description in search form (`search::search_key`).
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    #[sea_orm(string_value = "mission_locale")]
    MissionLocale,
    #[sea_orm(string_value = "france_travail")]
    FranceTravail,
    #[sea_orm(string_value = "tiers_lieu")]
    TiersLieu,
    #[sea_orm(string_value = "training_center")]
    TrainingCenter,
    #[sea_orm(string_value = "association")]
    Association,
    #[sea_orm(string_value = "local_authority")]
    LocalAuthority,
    #[sea_orm(string_value = "incubator")]
    Incubator,
    #[sea_orm(string_value = "mediation_network")]
    MediationNetwork,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
