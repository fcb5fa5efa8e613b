//! `ETag` on every successful JSON or iCalendar read, and `304 Not Modified` when the
//! client's `If-None-Match` still matches: a phone on a poor connection does
//! not download what it already has. The tag is a hash of the body, so it
//! needs no per-resource version column. Calls `error` only.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, HeaderValue, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse};
use sha2::{Digest, Sha256};

pub async fn etag(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let if_none_match = (req.method() == Method::GET).then(|| req.get_header::<IfNoneMatch>()).flatten();
    let is_get = req.method() == Method::GET;
    let response = next.call(req).await?.map_into_boxed_body();
    // Calendar applications poll their feeds: they revalidate like the rest.
    let is_tagged = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/calendar"));
    if !is_get
        || response.status() != StatusCode::OK
        || !is_tagged
        || response.headers().contains_key(header::ETAG)
    {
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.map_err(|_| {
        crate::error::ApiError::Internal(anyhow::anyhow!("a response body could not be read"))
    })?;
    let tag = EntityTag::new_strong(hex::encode(&Sha256::digest(&bytes)[..12]));
    let unchanged = match if_none_match {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
        None => false,
    };
    let tag_value = HeaderValue::from_str(&tag.to_string()).ok();
    if unchanged {
        let mut not_modified = HttpResponse::NotModified().finish();
        if let Some(value) = tag_value {
            not_modified.headers_mut().insert(header::ETAG, value);
        }
        return Ok(ServiceResponse::new(request, not_modified));
    }
    if let Some(value) = tag_value {
        head.headers_mut().insert(header::ETAG, value);
    }
    Ok(ServiceResponse::new(request, head.set_body(BoxBody::new(bytes))))
}
