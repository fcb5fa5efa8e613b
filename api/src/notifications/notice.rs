//! Writing a notification in its recipient's language: the title and body
//! come from the catalogue (`notice.<name>.title` and `.body`), chosen by
//! the recipient's locale, not by the language of the request that caused
//! it (a counsellor reading English may notify a member who reads French).

use entity::user;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use uuid::Uuid;

use super::service::{Body, store};
use crate::error::ApiError;
use crate::i18n::{self, Lang};

/// A notification to send: `kind` is its stable machine name
/// (`accompaniment.requested`), `text` the catalogue id of its title and
/// body, `data` the ids a front-end needs to link to the object.
pub struct Notice {
    kind: &'static str,
    text: &'static str,
    values: Vec<(&'static str, Fill)>,
    data: serde_json::Value,
}

/// What fills a placeholder of the body.
enum Fill {
    Plain(String),
    /// A person's display name or free text they wrote: kept as a mention,
    /// so that erasing them rewrites it.
    Person(Uuid, String),
}

impl Notice {
    pub fn new(kind: &'static str, text: &'static str, data: serde_json::Value) -> Self {
        Notice { kind, text, values: Vec::new(), data }
    }

    /// Fills `{name}` with text that names nobody (a workshop title, a date).
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.values.push((name, Fill::Plain(value.into())));
        self
    }

    /// Fills `{name}` with `person`'s display name or free text they wrote.
    pub fn naming(mut self, name: &'static str, person: &user::Model) -> Self {
        self.values.push((name, Fill::Person(person.id, person.display_name.clone())));
        self
    }

    /// Fills `{name}` with free text `author` wrote (a reason, a message).
    pub fn quoting(mut self, name: &'static str, author: Uuid, text: impl Into<String>) -> Self {
        self.values.push((name, Fill::Person(author, text.into())));
        self
    }

    /// The title and body in `lang`. Titles name nobody: their texts have no
    /// placeholders (a test of the catalogue checks it).
    fn render(&self, lang: Lang) -> (String, Body) {
        let title = i18n::text(&format!("{}.title", self.text), lang).to_owned();
        let mut body = Body::default();
        let mut rest = i18n::text(&format!("{}.body", self.text), lang);
        while let Some(open) = rest.find('{') {
            body = body.text(&rest[..open]);
            let after = &rest[open + 1..];
            let fill = after.find('}').and_then(|close| {
                let name = &after[..close];
                self.values.iter().find(|(n, _)| *n == name).map(|(_, fill)| (fill, close))
            });
            match fill {
                Some((Fill::Plain(value), close)) => {
                    body = body.text(value);
                    rest = &after[close + 1..];
                }
                Some((Fill::Person(person, value), close)) => {
                    body = body.mention(*person, value);
                    rest = &after[close + 1..];
                }
                None => {
                    body = body.text("{");
                    rest = after;
                }
            }
        }
        (title, body.text(rest))
    }
}

/// Stores a notification for `recipient` in their language, inside the
/// caller's transaction when given one, so it exists exactly when the change
/// it announces does.
pub async fn send(db: &impl ConnectionTrait, recipient: Uuid, notice: Notice) -> Result<(), ApiError> {
    let locale: Option<String> = user::Entity::find_by_id(recipient)
        .select_only()
        .column(user::Column::Locale)
        .into_tuple()
        .one(db)
        .await?;
    let lang = locale.as_deref().map_or(Lang::Fr, Lang::from_locale);
    let (title, body) = notice.render(lang);
    store(db, recipient, notice.kind, title, body, notice.data).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_in_the_language_asked_with_the_person_as_a_mention() {
        let counsellor = Uuid::now_v7();
        let notice =
            Notice::new("accompaniment.revoked", "notice.accompaniment_revoked_by_counsellor", json!({}))
                .quoting("person", counsellor, "Awa {member}");
        let (title, body) = notice.render(Lang::En);
        assert_eq!(title, "Accompaniment ended");
        assert_eq!(body.text, "Awa {member} ended the accompaniment. They can no longer see your journey.");
        assert_eq!(body.mentions, vec![(0, "Awa {member}".len(), counsellor)]);
        let (title, _) = notice.render(Lang::Fr);
        assert_eq!(title, "Accompagnement terminé");
    }
}
