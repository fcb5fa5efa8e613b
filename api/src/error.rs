//! The error policy of the API, in one place.
//!
//! - Every error leaves the service as RFC 9457 `application/problem+json` with a
//!   stable snake_case `code` that front-ends translate, and the request id.
//! - This module is the only one that chooses status codes.
//! - Causes of internal errors are logged with the request id and never sent:
//!   a 500 says "internal error" and nothing more.
//! - `404` also means "not yours": the API never reveals that another member's
//!   object exists.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::i18n;
use crate::middleware::current_request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a 422 answer, e.g. `{"field": "answers[3]", "code": "range", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, `a.b[2].c`.
    pub field: String,
    /// Stable machine code of the rule that failed (`length`, `range`, `required`...).
    pub code: String,
    /// A short French explanation a person can read.
    pub message: String,
}

/// RFC 9457 problem details, as every error of the API is shaped.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:tremplin:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine code, e.g. `not_found`, `validation_failed`, `workshop_full`.
    pub code: String,
    /// The `X-Request-Id` of the request, to quote when asking for help.
    pub request_id: Option<String>,
    /// Invalid fields (422 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The exercises still to answer, in lesson order (`attempt_incomplete` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_exercise_ids: Option<Vec<Uuid>>,
}

impl Problem {
    fn new(status: StatusCode, code: &str, detail: String, errors: Vec<FieldError>) -> Self {
        Problem {
            type_uri: format!("urn:tremplin:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: code.to_owned(),
            request_id: current_request_id(),
            errors,
            missing_exercise_ids: None,
        }
    }

    fn into_response(self, status: StatusCode) -> HttpResponse {
        HttpResponse::build(status)
            .content_type(PROBLEM_JSON)
            .body(serde_json::to_string(&self).unwrap_or_default())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("authentication required")]
    Unauthorized { code: &'static str },
    #[error("forbidden")]
    Forbidden,
    /// The account signed in with a temporary password: only changing it is allowed.
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// Completing a lesson attempt before every exercise was answered once.
    #[error("attempt incomplete")]
    AttemptIncomplete { missing_exercise_ids: Vec<Uuid> },
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("database unavailable")]
    Unavailable,
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err {
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_) => ApiError::Unavailable,
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        ApiError::Validation(field_errors(&errors))
    }
}

impl ApiError {
    pub fn validation(field: &str, code: &str, message: &str) -> Self {
        ApiError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } | ApiError::Conflict { code, .. } => code,
            ApiError::Unauthorized { code } => code,
            ApiError::Forbidden => "forbidden",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::NotFound => "not_found",
            ApiError::AttemptIncomplete { .. } => "attempt_incomplete",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Validation(_) => "validation_failed",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable => "database_unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// What a person may read: never the cause of an internal error.
    fn detail(&self) -> String {
        let lang = i18n::current();
        let generic = |id: &str| i18n::text(id, lang).to_owned();
        match self {
            ApiError::BadRequest { detail, .. } | ApiError::Conflict { detail, .. } => detail.clone(),
            ApiError::Unauthorized { .. } => generic("problem.unauthenticated"),
            ApiError::Forbidden => generic("problem.forbidden"),
            ApiError::PasswordChangeRequired => generic("problem.password_change_required"),
            ApiError::NotFound => generic("problem.not_found"),
            ApiError::AttemptIncomplete { missing_exercise_ids } => i18n::text_with(
                "problem.attempt_incomplete",
                lang,
                &[("count", &missing_exercise_ids.len().to_string())],
            ),
            ApiError::MethodNotAllowed { allow } => {
                i18n::text_with("problem.method_not_allowed", lang, &[("allow", allow)])
            }
            ApiError::PayloadTooLarge { limit } => {
                i18n::text_with("problem.payload_too_large", lang, &[("limit", &limit.to_string())])
            }
            ApiError::UnsupportedMediaType => generic("problem.unsupported_media_type"),
            ApiError::Validation(_) => generic("problem.validation_failed"),
            ApiError::TooManyRequests { retry_after_secs } => i18n::text_with(
                "problem.too_many_requests",
                lang,
                &[("seconds", &retry_after_secs.to_string())],
            ),
            ApiError::Unavailable => generic("problem.database_unavailable"),
            ApiError::Internal(_) => generic("problem.internal_error"),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } | ApiError::AttemptIncomplete { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let ApiError::Internal(cause) = self {
            tracing::error!(request_id = current_request_id().as_deref(), error = ?cause, "internal error");
        }
        let errors = match self {
            ApiError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let mut problem = Problem::new(status, self.code(), self.detail(), errors);
        if let ApiError::AttemptIncomplete { missing_exercise_ids } = self {
            problem.missing_exercise_ids = Some(missing_exercise_ids.clone());
        }
        let mut response = problem.into_response(status);
        let headers = response.headers_mut();
        match self {
            ApiError::MethodNotAllowed { allow } => {
                if let Ok(value) = HeaderValue::from_str(allow) {
                    headers.insert(header::ALLOW, value);
                }
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            ApiError::Unauthorized { .. } => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// Builds a problem+json response for `status`; used by [`ApiError`] and by the
/// middleware that turns stray plain-text errors of the framework into problems.
pub fn problem_response(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<FieldError>,
) -> HttpResponse {
    Problem::new(status, code, detail, errors).into_response(status)
}

/// The problem for an error status produced outside [`ApiError`] (the
/// framework, CORS, static assets), reusing the variant when one fits.
pub fn problem_for_status(status: StatusCode) -> HttpResponse {
    let error = match status {
        StatusCode::FORBIDDEN => ApiError::Forbidden,
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable,
        status if status.is_server_error() => {
            ApiError::Internal(anyhow::anyhow!("the framework answered {status}"))
        }
        StatusCode::BAD_REQUEST => {
            ApiError::BadRequest { code: "bad_request", detail: "La requête est mal formée.".into() }
        }
        status => {
            let detail = format!("La requête a été refusée (HTTP {}).", status.as_u16());
            return problem_response(status, "request_rejected", detail, Vec::new());
        }
    };
    error.error_response()
}

/// Flattens validator's nested errors into `a.b[2].c` field paths.
fn field_errors(errors: &validator::ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect_field_errors(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect_field_errors(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    let join = |name: &str| {
        if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") }
    };
    for (name, kind) in errors.errors() {
        let path = join(name);
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|error| {
                FieldError {
                    field: path.clone(),
                    code: error.code.to_string(),
                    message: error
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("Valeur non valide ({}).", error.code)),
                }
            })),
            ValidationErrorsKind::Struct(inner) => collect_field_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_field_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[derive(Validate)]
    struct Item {
        #[validate(length(min = 1))]
        text: String,
    }

    #[derive(Validate)]
    struct Body {
        #[validate(range(min = 1, max = 8))]
        level: u8,
        #[validate(nested)]
        items: Vec<Item>,
    }

    #[test]
    fn nested_validation_errors_get_field_paths() {
        let body = Body { level: 9, items: vec![Item { text: "ok".into() }, Item { text: String::new() }] };
        let ApiError::Validation(errors) = ApiError::from(body.validate().unwrap_err()) else {
            panic!("expected a validation error");
        };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, vec![("items[1].text", "length"), ("level", "range")]);
    }

    #[test]
    fn internal_errors_never_leak_their_cause() {
        let error = ApiError::Internal(anyhow::anyhow!("password=hunter2 at db.rs:12"));
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = actix_web::body::to_bytes(response.into_body());
        let bytes = futures_util::FutureExt::now_or_never(body).unwrap().unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(!text.contains("hunter2"));
        assert!(text.contains("\"code\":\"internal_error\""));
    }
}
