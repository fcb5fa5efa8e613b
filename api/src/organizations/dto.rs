//! Request and response bodies of the organisation routes.

use chrono::{DateTime, Utc};
use entity::Role;
use entity::organization::OrganizationKind;
use entity::organization_member::MembershipRole;
use entity::organization_service::PlaceService;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::place::{InseeCode, Postcode, Website};
use crate::accounts::domain::rules as account_rules;
use crate::extract::present;
use crate::weekly::SlotInput;

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

/// An organisation as the public directory shows it: the place, its contact
/// and services, never a person's data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganizationKind,
    /// Where the place is; `null` until its managers give it.
    pub address: Option<Address>,
    /// The place's phone number (E.164).
    #[schema(example = "+33148000000")]
    pub phone: Option<String>,
    /// The place's contact address.
    pub email: Option<String>,
    #[schema(format = "uri")]
    pub website: Option<String>,
    pub description: Option<String>,
    /// What the place offers the public, in a stable order.
    pub services: Vec<PlaceService>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The place a workshop session or a match session names: an organisation
/// of the directory.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaceRef {
    pub id: Uuid,
    pub name: String,
    pub address: Option<Address>,
}

impl PlaceRef {
    /// "Name, street, postcode city", the free-text location a place stands
    /// for, cut to `max_chars` (the size of the column it goes to).
    pub fn label(&self, max_chars: usize) -> String {
        let full = match &self.address {
            Some(a) => format!("{}, {}, {} {}", self.name, a.street, a.postcode, a.city),
            None => self.name.clone(),
        };
        full.chars().take(max_chars).collect()
    }
}

/// A postal address in France.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Address {
    #[schema(example = "1 rue de Paris")]
    pub street: String,
    #[schema(example = "93800")]
    pub postcode: String,
    #[schema(example = "Épinay-sur-Seine")]
    pub city: String,
    /// The INSEE code of the commune.
    #[schema(example = "93031")]
    pub insee_code: Option<String>,
    /// Derived from the postcode: two digits, `2A`/`2B` in Corsica, three overseas.
    #[schema(example = "93")]
    pub departement: String,
}

/// Weekly opening hours in one IANA time zone.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct OpeningHours {
    #[validate(custom(function = "account_rules::timezone"))]
    #[schema(example = "Europe/Paris")]
    pub timezone: String,
    /// Each slot on one day; several slots a day for a lunch break.
    #[validate(length(max = 50), nested)]
    pub slots: Vec<SlotInput>,
}

/// One organisation of the directory with its opening hours. Signed-in
/// callers also see the counsellors and facilitators who work there (names
/// only); the public does not.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDetail {
    #[serde(flatten)]
    pub organization: Organization,
    /// `null` until its managers give them.
    pub opening_hours: Option<OpeningHours>,
    /// Counsellors and facilitators attached to it, in the order they joined;
    /// disabled and erased accounts are left out. Absent without a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<OrganizationMember>>,
}

/// `address` of `PATCH /organizations/{id}`: replaces the whole address.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct AddressInput {
    #[validate(length(min = 1, max = 200))]
    pub street: String,
    #[validate(custom(function = "rules::postcode"))]
    #[schema(example = "93800", pattern = "^[0-9]{5}$")]
    pub postcode: String,
    #[validate(length(min = 1, max = 100))]
    pub city: String,
    /// 5 characters: digits, or `2A`/`2B` then 3 digits in Corsica.
    #[validate(custom(function = "rules::insee_code"))]
    #[schema(example = "93031")]
    pub insee_code: Option<String>,
}

/// `PATCH /organizations/{id}`: only the fields given change; `null` clears a
/// field that may be empty.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct OrganizationPatch {
    #[validate(custom(function = "organization_name"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[validate(nested)]
    #[schema(value_type = Option<AddressInput>, nullable)]
    pub address: Option<Option<AddressInput>>,
    /// E.164, or a French number (`01 48 00 00 00`).
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "account_rules::phone"))]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "account_rules::email"))]
    #[schema(value_type = Option<String>, nullable, format = "email")]
    pub email: Option<Option<String>>,
    /// An `https://` URL.
    #[serde(default, deserialize_with = "present")]
    #[validate(custom(function = "rules::website"))]
    #[schema(value_type = Option<String>, nullable, format = "uri")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[validate(length(min = 1, max = 1000))]
    #[schema(value_type = Option<String>, nullable, max_length = 1000)]
    pub description: Option<Option<String>>,
    /// Replaces every opening slot.
    #[serde(default, deserialize_with = "present")]
    #[validate(nested)]
    #[schema(value_type = Option<OpeningHours>, nullable)]
    pub opening_hours: Option<Option<OpeningHours>>,
    /// Replaces the list of services; each at most once.
    #[validate(length(max = 20), custom(function = "rules::services"))]
    pub services: Option<Vec<PlaceService>>,
}

/// Adapters so that `validator` reports the place rules with field paths (422).
mod rules {
    use std::borrow::Cow;

    use entity::organization_service::PlaceService;
    use validator::ValidationError;

    use super::{InseeCode, Postcode, Website};

    fn check<T>(parsed: Result<T, &'static str>, code: &'static str) -> Result<(), ValidationError> {
        parsed.map(|_| ()).map_err(|message| ValidationError::new(code).with_message(Cow::Borrowed(message)))
    }

    pub fn postcode(value: &str) -> Result<(), ValidationError> {
        check(Postcode::parse(value), "postcode")
    }

    pub fn insee_code(value: &str) -> Result<(), ValidationError> {
        check(InseeCode::parse(value), "insee_code")
    }

    pub fn website(value: &str) -> Result<(), ValidationError> {
        check(Website::parse(value), "url")
    }

    pub fn services(values: &[PlaceService]) -> Result<(), ValidationError> {
        let mut seen = values.to_vec();
        seen.sort();
        seen.dedup();
        if seen.len() == values.len() {
            Ok(())
        } else {
            Err(ValidationError::new("unique").with_message(Cow::Borrowed("field.services_repeated")))
        }
    }
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
    /// Only places in this département (`93`, `2A`, `974`).
    pub departement: Option<String>,
    /// Only places offering this service.
    pub service: Option<PlaceService>,
    /// Words to find in the name, city or description (accents and case ignored).
    pub q: Option<String>,
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
