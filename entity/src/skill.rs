use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A skill of the catalogue: a DigComp 2.2 area (`digcomp.4`) or competence
/// (`digcomp.4.2`), an Impose-toi ! soft skill, or a custom one. `code` is the
/// stable identifier reference data is matched on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub description: String,
    /// `search_key` of code, names and description, for accent-insensitive search.
    pub search_text: String,
    pub framework: Framework,
    pub category: Category,
    pub parent_id: Option<Uuid>,
    pub level_max: i16,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    #[sea_orm(string_value = "digcomp")]
    Digcomp,
    #[sea_orm(string_value = "impose_toi")]
    ImposeToi,
    #[sea_orm(string_value = "custom")]
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Category {
    #[sea_orm(string_value = "digital")]
    Digital,
    #[sea_orm(string_value = "soft")]
    Soft,
    #[sea_orm(string_value = "professional")]
    Professional,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}

/// What the text search of the catalogue looks at.
pub fn search_text(code: &str, name: &str, name_en: Option<&str>, description: &str) -> String {
    crate::search::search_key(&[code, name, name_en.unwrap_or_default(), description].join(" "))
}
