//! Extractor configuration: serde failures on body, query and path become
//! problem+json 400 (413 for an oversized body), and `ValidJson` runs the
//! `validator` rules so that handlers only ever see valid input.

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{ApiError, ErrorCode};

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(move |error, _req| json_error(error, limit).into())
}

/// Bodies read other than as JSON keep the same limit.
pub fn payload_config(limit: usize) -> web::PayloadConfig {
    web::PayloadConfig::new(limit)
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| {
        let detail = match error {
            QueryPayloadError::Deserialize(e) => format!("Paramètres de requête non valides : {e}"),
            _ => "Paramètres de requête non valides.".into(),
        };
        ApiError::BadRequest { code: ErrorCode::MalformedQuery, detail }.into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _req| {
        let detail = match error {
            PathError::Deserialize(e) => format!("Chemin non valide : {e}"),
            _ => "Chemin non valide.".into(),
        };
        ApiError::BadRequest { code: ErrorCode::MalformedPath, detail }.into()
    })
}

fn json_error(error: JsonPayloadError, limit: usize) -> ApiError {
    match error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest {
            code: ErrorCode::MalformedBody,
            detail: format!("Le JSON envoyé n'est pas valide : {e}"),
        },
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => {
            ApiError::PayloadTooLarge { limit }
        }
        _ => ApiError::BadRequest {
            code: ErrorCode::MalformedBody,
            detail: "Le contenu envoyé n'a pas pu être lu.".into(),
        },
    }
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
