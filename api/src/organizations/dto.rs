//! Request and response bodies of the organisation routes.

use chrono::{DateTime, Utc};
use entity::Role;
use entity::organization::{self, OrganizationKind};
use entity::organization_member::MembershipRole;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

/// An organisation name of 1..=200 characters (the column's size), trimmed,
/// without control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationName(String);

const NAME_MAX_CHARS: usize = 200;

impl OrganizationName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim();
        match name.chars().count() {
            0 => Err("field.organization_name_empty"),
            n if n > NAME_MAX_CHARS => Err("field.organization_name_too_long"),
            _ if name.chars().any(char::is_control) => Err("field.name_invalid_characters"),
            _ => Ok(OrganizationName(name.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn organization_name(value: &str) -> Result<(), validator::ValidationError> {
    OrganizationName::parse(value)
        .map(|_| ())
        .map_err(|message| validator::ValidationError::new("length").with_message(message.into()))
}

/// `POST /organizations`. An unknown `kind` is a serde failure: 400 `malformed_body`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewOrganization {
    #[validate(custom(function = "organization_name"))]
    #[schema(example = "Mission locale d'Épinay-sur-Seine", min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: OrganizationKind,
}

/// An organisation as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganizationKind,
    pub created_at: DateTime<Utc>,
}

impl From<organization::Model> for Organization {
    fn from(org: organization::Model) -> Self {
        Organization { id: org.id, name: org.name, kind: org.kind, created_at: org.created_at }
    }
}

/// One organisation with the people who work for it (never their email).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDetail {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganizationKind,
    pub created_at: DateTime<Utc>,
    /// Counsellors and facilitators attached to it, in the order they joined;
    /// disabled and erased accounts are left out.
    pub members: Vec<OrganizationMember>,
}

/// A counsellor or facilitator of an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationMember {
    pub user_id: Uuid,
    pub display_name: String,
    /// The account's role (`counsellor` or `facilitator`).
    pub role: Role,
    /// What they may do for this organisation.
    pub organization_role: MembershipRole,
    pub joined_at: DateTime<Utc>,
}

/// `POST /organizations/{id}/members`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AttachMember {
    /// An active counsellor or facilitator account.
    pub user_id: Uuid,
    /// Their role in the organisation; `member` when absent.
    pub role: Option<MembershipRole>,
}

/// `PATCH /organizations/{id}/members/{user_id}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ChangeMembership {
    pub role: MembershipRole,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationsFilter {
    /// Only organisations of this kind.
    pub kind: Option<OrganizationKind>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(OrganizationName::parse("  Le POLE ").unwrap().as_str(), "Le POLE");
        assert!(OrganizationName::parse(" \t ").is_err());
        assert!(OrganizationName::parse(&"é".repeat(200)).is_ok());
        assert!(OrganizationName::parse(&"é".repeat(201)).is_err());
        assert!(OrganizationName::parse("a\u{0}b").is_err());
    }
}
