use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an account may do. Registration always gives `member`; other roles are
/// granted by an admin (or bootstrapped with `tremplin create-user`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[sea_orm(string_value = "member")]
    Member,
    #[sea_orm(string_value = "counsellor")]
    Counsellor,
    #[sea_orm(string_value = "facilitator")]
    Facilitator,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Member, Role::Counsellor, Role::Facilitator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Counsellor => "counsellor",
            Role::Facilitator => "facilitator",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}` (expected member, counsellor, facilitator or admin)"))
    }
}
