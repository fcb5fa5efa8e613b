//! The scopes an organisation's API client may hold and its tokens carry: a
//! closed set, written in OAuth's space-separated form (RFC 6749 §3.3).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// What an API client's token lets it do; each scoped route names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ApiScope {
    #[serde(rename = "members:read")]
    MembersRead,
    #[serde(rename = "workshops:read")]
    WorkshopsRead,
    #[serde(rename = "workshops:enrol")]
    WorkshopsEnrol,
    #[serde(rename = "impact:read")]
    ImpactRead,
}

impl ApiScope {
    pub const ALL: [ApiScope; 4] =
        [ApiScope::MembersRead, ApiScope::WorkshopsRead, ApiScope::WorkshopsEnrol, ApiScope::ImpactRead];

    pub const fn as_str(self) -> &'static str {
        match self {
            ApiScope::MembersRead => "members:read",
            ApiScope::WorkshopsRead => "workshops:read",
            ApiScope::WorkshopsEnrol => "workshops:enrol",
            ApiScope::ImpactRead => "impact:read",
        }
    }

    /// What the scope grants, for the OpenAPI document.
    pub const fn description(self) -> &'static str {
        match self {
            ApiScope::MembersRead => {
                "Read the journeys of members accompanied, with their consent, by someone of the client's organisation (each read is audited)"
            }
            ApiScope::WorkshopsRead => "Read the workshop enrolments of those consenting members",
            ApiScope::WorkshopsEnrol => {
                "Enrol those consenting members in workshops, or cancel their enrolments"
            }
            ApiScope::ImpactRead => "Read the organisation's impact figures (k-suppressed)",
        }
    }

    fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == word)
    }
}

/// A set of scopes in OAuth form: `Err` names the first unknown word.
pub fn parse_scopes(text: &str) -> Result<BTreeSet<ApiScope>, String> {
    text.split(' ')
        .filter(|word| !word.is_empty())
        .map(|word| ApiScope::parse(word).ok_or_else(|| word.to_owned()))
        .collect()
}

/// The OAuth form of a set of scopes, in a stable order.
pub fn join_scopes(scopes: &BTreeSet<ApiScope>) -> String {
    scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(" ")
}

impl utoipa::PartialSchema for ApiScope {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::schema::described_enum(
            "A scope of an organisation's API client.",
            ApiScope::ALL.iter().map(|scope| (scope.as_str(), scope.description())),
        )
    }
}

impl utoipa::ToSchema for ApiScope {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_unknown_words_are_named() {
        let parsed = parse_scopes("impact:read  members:read").unwrap();
        assert_eq!(join_scopes(&parsed), "members:read impact:read");
        assert_eq!(parse_scopes("members:read training:write"), Err("training:write".to_owned()));
        assert!(parse_scopes("").unwrap().is_empty());
        for scope in ApiScope::ALL {
            assert_eq!(serde_json::to_value(scope).unwrap(), scope.as_str());
        }
    }
}
