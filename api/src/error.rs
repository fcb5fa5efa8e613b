//! The error policy of the API, in one place.
//!
//! - Every error leaves the service as RFC 9457 `application/problem+json` with a
//!   stable snake_case `code` that front-ends translate, and the request id.
//! - This module is the only one that chooses status codes.
//! - Causes of internal errors are logged with the request id and never sent:
//!   a 500 says "internal error" and nothing more.
//! - `404` also means "not yours": the API never reveals that another member's
//!   object exists.
//! - Every `code` is a variant of [`ErrorCode`], declared once in the table
//!   below with its description; the OpenAPI document lists them as the enum of
//!   `Problem.code`. A new code is one more line of that table.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::i18n;
use crate::request_id::current_request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Declares [`ErrorCode`]: `Variant = "snake_case_code": "what it means"`.
macro_rules! error_codes {
    ($($variant:ident = $code:literal : $description:literal,)+) => {
        /// The stable machine code of a problem answer, which front-ends translate.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $(#[doc = $description] $variant,)+
        }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            pub const fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $description,)+
                }
            }
        }
    };
}

error_codes! {
    // Requests the framework or the extractors reject.
    BadRequest = "bad_request": "The request is malformed.",
    MalformedBody = "malformed_body": "The body is not valid JSON, or not of the expected shape.",
    MalformedQuery = "malformed_query": "A query parameter has the wrong type or format.",
    MalformedPath = "malformed_path": "A path segment has the wrong type or format (e.g. not a UUID).",
    InvalidCursor = "invalid_cursor": "The `cursor` was not produced by this list.",
    InvalidIdempotencyKey = "invalid_idempotency_key": "The `Idempotency-Key` is empty, too long or not visible ASCII.",
    ValidationFailed = "validation_failed": "Some fields are invalid; `errors` lists them.",
    PayloadTooLarge = "payload_too_large": "The body is larger than the server accepts.",
    UnsupportedMediaType = "unsupported_media_type": "The body must be sent as `application/json`.",
    MethodNotAllowed = "method_not_allowed": "The path exists but not with this method; `Allow` lists those it takes.",
    RequestRejected = "request_rejected": "The request was refused for another reason (see `status`).",
    NotFound = "not_found": "No such resource, or not one you may see.",
    Forbidden = "forbidden": "Signed in, but not allowed to do this.",
    PasswordChangeRequired = "password_change_required": "The account has a temporary password: change it with `POST /me/password` first.",
    // Sessions.
    Unauthenticated = "unauthenticated": "No access token was sent.",
    InvalidToken = "invalid_token": "The access token is invalid or expired, or its account is disabled.",
    InvalidCredentials = "invalid_credentials": "Wrong email or password, or the account is disabled.",
    InvalidRefreshToken = "invalid_refresh_token": "The refresh token is unknown, expired or revoked.",
    TemporaryPasswordExpired = "temporary_password_expired": "The temporary password has expired: ask your counsellor for a new one.",
    InvalidResetToken = "invalid_reset_token": "The password-reset link is unknown, used or expired: ask for a new one.",
    InvalidVerificationToken = "invalid_verification_token": "The email confirmation link is unknown, used or expired.",
    RefreshTokenReused = "refresh_token_reused": "A refresh token was used twice: its whole family is revoked, sign in again.",
    TooManyRequests = "too_many_requests": "Too many attempts; retry after `Retry-After` seconds.",
    // Organisation API clients.
    PersonRequired = "person_required": "Only a person may do this: an API client's token is not accepted here.",
    InsufficientScope = "insufficient_scope": "The API client's token does not carry the scope this route needs.",
    // Accounts and organisations.
    EmailTaken = "email_taken": "An account already uses this email.",
    PhoneTaken = "phone_taken": "An account already uses this phone number.",
    CannotModifySelf = "cannot_modify_self": "Admins cannot change their own role or disable themselves.",
    AlreadyMember = "already_member": "This person already belongs to the organisation.",
    // Accompaniments.
    AccompanimentExists = "accompaniment_exists": "This counsellor already follows or asked to follow this member.",
    ConsentWordingOutdated = "consent_wording_outdated": "The consent text changed since it was read: read it again.",
    // Lessons and placement.
    SkillCodeTaken = "skill_code_taken": "Another skill already has this code.",
    AttemptCompleted = "attempt_completed": "This attempt is already completed.",
    AttemptIncomplete = "attempt_incomplete": "Some exercises are not answered yet; `missing_exercise_ids` lists them.",
    PlacementCompleted = "placement_completed": "This placement test is already finished.",
    ReviewNotDue = "review_not_due": "This exercise is not due for review yet.",
    // Mentoring.
    InvalidTransition = "invalid_transition": "The object is not in a state that allows this change.",
    MatchExists = "match_exists": "A match between these two people is already open.",
    RequestNotOpen = "request_not_open": "The match request is no longer open.",
    MentorAtCapacity = "mentor_at_capacity": "The mentor has no seat left.",
    TooManyOpenRequests = "too_many_open_requests": "You already have the most match requests under way at once; wait for an answer or end one.",
    MatchNotActive = "match_not_active": "Sessions are only added to an accepted match.",
    MatchNotCompleted = "match_not_completed": "Feedback is only given on a completed match.",
    FeedbackExists = "feedback_exists": "You already gave feedback on this match.",
    AlreadyBlocked = "already_blocked": "You already block this person.",
    // Workshops.
    WorkshopCancelled = "workshop_cancelled": "The workshop session is cancelled.",
    WorkshopStarted = "workshop_started": "The workshop session has already started.",
    WorkshopNotStarted = "workshop_not_started": "Attendance is recorded once the session has started.",
    AlreadyEnrolled = "already_enrolled": "This person is already enrolled (or on the waiting list).",
    CapacityBelowSeatsTaken = "capacity_below_seats_taken": "The capacity cannot go below the seats already taken.",
    PrerequisiteNotMet = "prerequisite_not_met": "The previous module of the programme was not attended.",
    EnrolmentClosed = "enrolment_closed": "Enrolment for this session is closed.",
    AttendanceRecorded = "attendance_recorded": "Attendance is already recorded: the enrolment can no longer be cancelled.",
    CancellationDeadlinePassed = "cancellation_deadline_passed": "Too late to cancel: ask the facilitator or your counsellor.",
    CalendarFeedChanged = "calendar_feed_changed": "The calendar feed was replaced at the same time; try again.",
    // Partners.
    WebhookDeliveryDropped = "webhook_delivery_dropped": "The member no longer consents to the organisation: this delivery is not sent again.",
    // Credentials.
    CredentialRevoked = "credential_revoked": "The credential is already revoked.",
    // Infrastructure.
    IdempotencyInProgress = "idempotency_in_progress": "A request with this `Idempotency-Key` is still running; retry later.",
    DatabaseUnavailable = "database_unavailable": "The database does not answer; retry shortly.",
    InternalError = "internal_error": "An unexpected error; quote the `request_id` when asking for help.",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::schema::described_enum(
            "The stable machine code of a problem; front-ends translate it.",
            ErrorCode::ALL.iter().map(|code| (code.as_str(), code.description())),
        )
    }
}

impl ToSchema for ErrorCode {}

/// One invalid field of a 422 answer, e.g. `{"field": "answers[3]", "code": "range", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, `a.b[2].c`.
    pub field: String,
    /// Stable machine code of the rule that failed (`length`, `range`, `required`...).
    pub code: String,
    /// A short explanation a person can read, in the request's language.
    pub message: String,
}

/// RFC 9457 problem details, as every error of the API is shaped.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:tremplin:problem:validation_failed",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "Certains champs ne sont pas valides.",
    "code": "validation_failed",
    "request_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d9e",
    "errors": [{"field": "capacity", "code": "range", "message": "La capacité va de 1 à 100."}]
}))]
pub struct Problem {
    /// A URI naming the problem type: `urn:tremplin:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
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
    fn new(status: StatusCode, code: ErrorCode, detail: String, errors: Vec<FieldError>) -> Self {
        Problem {
            type_uri: format!("urn:tremplin:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code,
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
    BadRequest { code: ErrorCode, detail: String },
    #[error("authentication required")]
    Unauthorized { code: ErrorCode },
    #[error("forbidden")]
    Forbidden,
    /// A 403 that says why, by its own code (`person_required`, `insufficient_scope`).
    #[error("forbidden: {detail}")]
    Denied { code: ErrorCode, detail: String },
    /// The account signed in with a temporary password: only changing it is allowed.
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("{detail}")]
    Conflict { code: ErrorCode, detail: String },
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
    /// A 422 for one field, its message `id` in the catalogue (`field.…`),
    /// in the request's language.
    pub fn validation(field: &str, code: &str, id: &str) -> Self {
        Self::invalid_field(field, code, id, &[])
    }

    /// `validation` with the placeholders of the message filled.
    pub fn invalid_field(field: &str, code: &str, id: &str, values: &[(&str, &str)]) -> Self {
        ApiError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: i18n::t_with(id, values),
        }])
    }

    /// A 400 whose detail is the catalogue's `problem.<code>`.
    pub fn bad_request(code: ErrorCode, values: &[(&str, &str)]) -> Self {
        ApiError::BadRequest { code, detail: problem_text(code, values) }
    }

    /// A 403 whose detail is the catalogue's `problem.<code>`.
    pub fn denied(code: ErrorCode, values: &[(&str, &str)]) -> Self {
        ApiError::Denied { code, detail: problem_text(code, values) }
    }

    /// A 409 whose detail is the catalogue's `problem.<code>`.
    pub fn conflict(code: ErrorCode) -> Self {
        Self::conflict_with(code, &[])
    }

    /// `conflict` with the placeholders of the text filled.
    pub fn conflict_with(code: ErrorCode, values: &[(&str, &str)]) -> Self {
        ApiError::Conflict { code, detail: problem_text(code, values) }
    }

    /// A 409 that says more than its code's text: `id` in the catalogue.
    pub fn conflict_saying(code: ErrorCode, id: &str, values: &[(&str, &str)]) -> Self {
        ApiError::Conflict { code, detail: i18n::t_with(id, values) }
    }

    /// Stable machine code.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Denied { code, .. } => *code,
            ApiError::Unauthorized { code } => *code,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::AttemptIncomplete { .. } => ErrorCode::AttemptIncomplete,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            ApiError::Unavailable => ErrorCode::DatabaseUnavailable,
            ApiError::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// What a person may read, in the request's language: never the cause of
    /// an internal error.
    fn detail(&self) -> String {
        let lang = i18n::current();
        let generic = |id: &str| i18n::text(id, lang).to_owned();
        match self {
            ApiError::BadRequest { detail, .. }
            | ApiError::Conflict { detail, .. }
            | ApiError::Denied { detail, .. } => detail.clone(),
            ApiError::Unauthorized { code } => problem_text(*code, &[]),
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
            ApiError::Forbidden | ApiError::Denied { .. } | ApiError::PasswordChangeRequired => {
                StatusCode::FORBIDDEN
            }
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

/// The catalogue's text of `code` (`problem.<code>`), in the request's language.
fn problem_text(code: ErrorCode, values: &[(&str, &str)]) -> String {
    i18n::t_with(&format!("problem.{code}"), values)
}

/// Marks an error answer that a standard shapes otherwise than problem+json
/// (the RFC 6749 §5.2 errors of the token endpoint), so that it is sent as
/// written.
#[derive(Debug, Clone, Copy)]
pub struct OwnErrorFormat;

/// Builds a problem+json response for `status`; used by [`ApiError`] and by the
/// middleware that turns stray plain-text errors of the framework into problems.
pub fn problem_response(
    status: StatusCode,
    code: ErrorCode,
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
        StatusCode::BAD_REQUEST => ApiError::bad_request(ErrorCode::BadRequest, &[]),
        status => {
            let detail = problem_text(ErrorCode::RequestRejected, &[("status", status.as_str())]);
            return problem_response(status, ErrorCode::RequestRejected, detail, Vec::new());
        }
    };
    error.error_response()
}

/// The message of a validator error in the request's language: its message
/// is a catalogue id (`field.…`) whose placeholders are the rule's
/// parameters (`{max}`, `{min}`…); without one, a generic text naming the rule.
fn field_message(error: &validator::ValidationError) -> String {
    let Some(message) = error.message.as_deref() else {
        return i18n::t_with("field.invalid", &[("code", &error.code)]);
    };
    let params: Vec<(String, String)> = error
        .params
        .iter()
        .map(|(name, value)| {
            let shown = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            (name.to_string(), shown)
        })
        .collect();
    let values: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    i18n::t_with(message, &values)
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
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|error| FieldError {
                field: path.clone(),
                code: error.code.to_string(),
                message: field_message(error),
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
