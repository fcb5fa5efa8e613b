//! Extractor configuration: serde failures on body, query and path become
//! problem+json 400 (413 for an oversized body), and `ValidJson` and
//! `OptionalJson` run the `validator` rules so that handlers only ever see
//! valid input. Depends on `error` only.

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{ApiError, ErrorCode};
use crate::i18n;

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(move |error, _req| json_error(error, limit).into())
}

/// Bodies read other than as JSON keep the same limit.
pub fn payload_config(limit: usize) -> web::PayloadConfig {
    web::PayloadConfig::new(limit)
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| {
        let error = match error {
            QueryPayloadError::Deserialize(e) => {
                ApiError::bad_request(ErrorCode::MalformedQuery, &[("error", &e.to_string())])
            }
            _ => ApiError::BadRequest {
                code: ErrorCode::MalformedQuery,
                detail: i18n::t("problem.malformed_query.unreadable"),
            },
        };
        error.into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _req| {
        let error = match error {
            PathError::Deserialize(e) => {
                ApiError::bad_request(ErrorCode::MalformedPath, &[("error", &e.to_string())])
            }
            _ => ApiError::BadRequest {
                code: ErrorCode::MalformedPath,
                detail: i18n::t("problem.malformed_path.unreadable"),
            },
        };
        error.into()
    })
}

fn json_error(error: JsonPayloadError, limit: usize) -> ApiError {
    match error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) => malformed_body(&e),
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => {
            ApiError::PayloadTooLarge { limit }
        }
        _ => ApiError::BadRequest {
            code: ErrorCode::MalformedBody,
            detail: i18n::t("problem.malformed_body.unreadable"),
        },
    }
}

fn malformed_body(error: &serde_json::Error) -> ApiError {
    ApiError::bad_request(ErrorCode::MalformedBody, &[("error", &error.to_string())])
}

/// A JSON body that passed its `validator` rules; failures are 422 with field paths.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<T>::from_request(req, payload);
        Box::pin(async move {
            let body = json.await?.into_inner();
            body.validate().map_err(ApiError::from)?;
            Ok(ValidJson(body))
        })
    }
}

/// An optional JSON body: nothing, only whitespace or `null` is `T::default()`;
/// anything else must be JSON (415 otherwise), well-formed (400 `malformed_body`)
/// and valid (422). The body is read as bytes, so it keeps the payload limit.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + Validate + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await?;
            Ok(OptionalJson(optional_json(content_type.as_deref(), &bytes)?))
        })
    }
}

fn optional_json<T: DeserializeOwned + Default + Validate>(
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let is_json = content_type.and_then(|value| value.split(';').next()).is_some_and(|mime| {
        let mime = mime.trim().to_ascii_lowercase();
        mime == "application/json" || mime.ends_with("+json")
    });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    // `null` is the same as no body, as the documented `X | null` schemas say.
    let body: T =
        serde_json::from_slice::<Option<T>>(bytes).map_err(|e| malformed_body(&e))?.unwrap_or_default();
    body.validate()?;
    Ok(body)
}

/// For a PATCH field that may be cleared: absent → `None` (unchanged),
/// `null` → `Some(None)` (cleared), a value → `Some(Some(value))`. Use with
/// `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use validator::Validate;

    use super::optional_json;

    #[derive(Debug, Default, Deserialize, Validate)]
    struct Optional {
        #[validate(length(min = 1, max = 32))]
        wording_version: Option<String>,
    }

    fn parse(content_type: Option<&str>, bytes: &[u8]) -> Result<Option<String>, String> {
        optional_json::<Optional>(content_type, bytes)
            .map(|body| body.wording_version)
            .map_err(|e| e.code().to_string())
    }

    #[test]
    fn an_optional_body_may_be_absent_but_never_malformed() {
        let json = Some("application/json; charset=utf-8");
        assert_eq!(parse(None, b""), Ok(None));
        assert_eq!(parse(json, b" \n"), Ok(None));
        assert_eq!(parse(json, b"{}"), Ok(None));
        assert_eq!(parse(json, b"null"), Ok(None));
        assert_eq!(parse(Some("application/problem+json"), b"{}"), Ok(None));
        assert_eq!(parse(json, br#"{"wording_version":"2026-11"}"#), Ok(Some("2026-11".into())));
        assert_eq!(parse(json, b"{nope"), Err("malformed_body".into()));
        assert_eq!(parse(json, br#"{"wording_version":""}"#), Err("validation_failed".into()));
        assert_eq!(parse(Some("text/plain"), b"{}"), Err("unsupported_media_type".into()));
        assert_eq!(parse(None, b"{}"), Err("unsupported_media_type".into()));
    }
}
