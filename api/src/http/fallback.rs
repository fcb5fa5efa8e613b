//! The answer for requests no handler takes: 405 with `Allow` when the path
//! exists with other methods, else 404 — both problem+json.
//!
//! Handlers registered with `#[get]`/`#[post]` carry a method guard, so a wrong
//! method falls through to the default service like an unknown path; the
//! OpenAPI document knows which methods each path has. `startup` builds the
//! route table from the document and hands it over as app data, so this
//! module reads the document type only, never its assembly. Calls `error`.

use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi as Document;

use crate::error::ApiError;

/// Path templates of the document with the methods they allow.
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, String)>,
}

enum Segment {
    Literal(String),
    /// `{id}` or `{token}.ics`: anything non-empty between a prefix and a suffix.
    Param {
        prefix: String,
        suffix: String,
    },
}

impl Segment {
    fn parse(text: &str) -> Segment {
        match (text.find('{'), text.rfind('}')) {
            (Some(open), Some(close)) if open < close => {
                Segment::Param { prefix: text[..open].to_owned(), suffix: text[close + 1..].to_owned() }
            }
            _ => Segment::Literal(text.to_owned()),
        }
    }

    fn matches(&self, text: &str) -> bool {
        match self {
            Segment::Literal(literal) => literal == text,
            Segment::Param { prefix, suffix } => {
                text.len() > prefix.len() + suffix.len() && text.starts_with(prefix) && text.ends_with(suffix)
            }
        }
    }
}

impl RouteTable {
    pub fn from_document(document: &Document) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods: Vec<&str> = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(name, present)| present.then_some(name))
                .collect();
                (path.split('/').map(Segment::parse).collect(), methods.join(", "))
            })
            .collect();
        RouteTable { routes }
    }

    /// The `Allow` value of the documented path matching `path`, if any.
    pub fn allowed_methods(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(template, _)| {
                template.len() == segments.len() && template.iter().zip(&segments).all(|(t, s)| t.matches(s))
            })
            .map(|(_, allow)| allow.as_str())
    }
}

pub async fn not_found_or_method_not_allowed(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    Err(match routes.allowed_methods(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed { allow: allow.to_owned() },
        None => ApiError::NotFound,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_literal_and_parameter_segments() {
        let table = RouteTable {
            routes: vec![
                ("/lessons/{id}".split('/').map(Segment::parse).collect(), "GET, PATCH".into()),
                ("/calendar/{token}.ics".split('/').map(Segment::parse).collect(), "GET".into()),
            ],
        };
        assert_eq!(table.allowed_methods("/lessons/42"), Some("GET, PATCH"));
        assert_eq!(table.allowed_methods("/calendar/abc.ics"), Some("GET"));
        assert_eq!(table.allowed_methods("/calendar/.ics"), None);
        assert_eq!(table.allowed_methods("/lessons/42/x"), None);
        assert_eq!(table.allowed_methods("/lessons"), None);
    }
}
