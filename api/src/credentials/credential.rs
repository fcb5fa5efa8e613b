//! An award as an Open Badges 3.0 `OpenBadgeCredential`, secured as a
//! VC-JWT (OB 3.0 §8.2): the JWT payload is the credential itself, with the
//! registered claims mapped from it (`iss`, `nbf`, `jti`; no `exp`, as our
//! credentials do not expire, and no `sub`, as the subject has no `id`).
//! The credential is issued in French (`inLanguage: "fr"` on the
//! achievement), whatever the language the member reads the API in.

use chrono::SecondsFormat;
use entity::award;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::achievements::Described;
use super::issuer::Urls;
use super::status_list::place;

/// The language credentials are issued in.
pub const CREDENTIAL_LANGUAGE: &str = "fr";

/// Who the credential names: what the member controls.
pub struct Subject<'a> {
    pub display_name: &'a str,
    /// Present only when the member asked for it; written hashed with the award's salt.
    pub email: Option<&'a str>,
}

/// The OB 3.0 `Achievement`.
pub fn achievement(urls: &Urls, described: &Described) -> Value {
    let alignment: Vec<Value> = described
        .alignment
        .iter()
        .map(|a| {
            json!({
                "type": ["Alignment"],
                "targetName": a.name,
                "targetUrl": urls.skill(a.skill_id),
                "targetCode": a.code,
                "targetFramework": a.framework,
            })
        })
        .collect();
    let mut value = json!({
        "id": urls.achievement(&described.key),
        "type": ["Achievement"],
        "name": described.name,
        "description": described.description,
        "criteria": { "narrative": described.criteria },
        "image": { "id": urls.achievement_image(&described.key), "type": "Image", "caption": described.name },
        "creator": urls.embedded_profile(),
        "inLanguage": CREDENTIAL_LANGUAGE,
    });
    if !alignment.is_empty() {
        value["alignment"] = Value::Array(alignment);
    }
    value
}

/// `sha256$<hex>` of the salted value (OB 3.0 `IdentityHash`); emails are
/// compared in lower case.
pub fn identity_hash(value: &str, salt: &str) -> String {
    format!("sha256${}", hex::encode(Sha256::digest(format!("{}{salt}", value.to_lowercase()))))
}

/// The credential's id: the award's, as a URN.
pub fn credential_id(award: &award::Model) -> String {
    format!("urn:uuid:{}", award.id)
}

/// The `OpenBadgeCredential` of `award`.
pub fn open_badge_credential(
    urls: &Urls,
    award: &award::Model,
    described: &Described,
    subject: &Subject,
) -> Value {
    let mut identifier = vec![json!({
        "type": "IdentityObject",
        "identityHash": subject.display_name,
        "identityType": "name",
        "hashed": false,
    })];
    if let Some(email) = subject.email {
        identifier.push(json!({
            "type": "IdentityObject",
            "identityHash": identity_hash(email, &award.identity_salt),
            "identityType": "emailAddress",
            "hashed": true,
            "salt": award.identity_salt,
        }));
    }
    let (list, bit) = place(award.status_index);
    let list_url = urls.status_list(list);
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": credential_id(award),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": urls.embedded_profile(),
        "validFrom": award.awarded_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "name": described.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifier,
            "achievement": achievement(urls, described),
        },
        "credentialStatus": {
            "id": format!("{list_url}#{bit}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": bit.to_string(),
            "statusListCredential": list_url,
        },
    })
}

/// The JWT claims: the credential plus the registered claims OB 3.0 §8.2
/// maps from it.
pub fn jwt_claims(mut credential: Value, award: &award::Model, issuer: &str) -> Value {
    credential["iss"] = json!(issuer);
    credential["nbf"] = json!(award.awarded_at.timestamp());
    credential["jti"] = json!(credential_id(award));
    credential
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_hash_is_the_salted_sha256_of_the_lowercased_email() {
        let hash = identity_hash("Awa@Example.org", "s4lt");
        assert_eq!(hash, format!("sha256${}", hex::encode(Sha256::digest("awa@example.orgs4lt"))));
        assert_ne!(hash, identity_hash("awa@example.org", "other"));
    }
}
