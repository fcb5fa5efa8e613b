//! The issuer's public URLs, all under `TREMPLIN_PUBLIC_URL`: they are
//! written into every credential, so they must not move once credentials
//! are out.

use serde_json::{Value, json};

use crate::config::CredentialSettings;

/// The issuer's name in its profile.
pub const ISSUER_NAME: &str = "Tremplin";

pub struct Urls<'a>(pub &'a CredentialSettings);

impl Urls<'_> {
    fn api(&self) -> String {
        format!("{}/api/v1", self.0.public_url)
    }

    /// The issuer's id: its `Profile` answers there.
    pub fn issuer(&self) -> String {
        format!("{}/issuer", self.api())
    }

    pub fn achievement(&self, key: &str) -> String {
        format!("{}/achievements/{key}", self.api())
    }

    pub fn achievement_image(&self, key: &str) -> String {
        format!("{}/achievements/{key}/image.svg", self.api())
    }

    pub fn skill(&self, skill_id: uuid::Uuid) -> String {
        format!("{}/skills/{skill_id}", self.api())
    }

    /// Where the status lists are: `<this>1`, `<this>2`...
    pub fn status_lists(&self) -> String {
        format!("{}/status-lists/", self.api())
    }

    pub fn status_list(&self, list: i32) -> String {
        format!("{}{list}", self.status_lists())
    }

    /// The issuer's OB 3.0 `Profile`.
    pub fn profile(&self) -> Value {
        json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ],
            "id": self.issuer(),
            "type": ["Profile"],
            "name": ISSUER_NAME,
            "url": self.0.public_url,
        })
    }

    /// The profile as embedded in a credential (no `@context` of its own).
    pub fn embedded_profile(&self) -> Value {
        json!({ "id": self.issuer(), "type": ["Profile"], "name": ISSUER_NAME, "url": self.0.public_url })
    }
}
