//! HTTP routes of the personal-data rights: erasing one's account and
//! exporting one's data (documented under the `accounts` tag).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, web};

use super::dto::DeleteMe;
use super::{erasure, export};
use crate::accounts::service;
use crate::auth::AuthUser;
use crate::client_address::ClientAddress;
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::state::AppState;

/// Erases your account.
///
/// Erases the caller's account: tokens revoked, identity and free text
/// deleted or anonymised, aggregate statistics kept. The account's password
/// is asked again: an access token alone does not erase anyone.
#[utoipa::path(
    operation_id = "deleteMe",
    tag = "accounts",
    request_body = DeleteMe,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Erased"),
        (status = 401, description = "`invalid_credentials`: not the account's password", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: no `password`", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords; see `Retry-After`", body = Problem,
            content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[delete("/me")]
pub async fn delete_me(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientAddress,
    body: Result<ValidJson<DeleteMe>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let password = required_password(&req, body)?;
    service::confirm_password(&state.db, &state.throttle, &caller.user, &password, client.0).await?;
    erasure::erase(&state.db, &state.users, caller.id()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The `password` of a `DELETE /me` body. A request without any body is
/// answered like `{}`, naming the missing field; other body errors keep
/// their own answer.
fn required_password(
    req: &HttpRequest,
    body: Result<ValidJson<DeleteMe>, actix_web::Error>,
) -> Result<String, actix_web::Error> {
    let missing = || ApiError::validation("password", "required", "field.account_password_required");
    match body {
        Ok(ValidJson(DeleteMe { password: Some(password) })) => Ok(password),
        Ok(_) => Err(missing().into()),
        Err(_) if !has_body(req) => Err(missing().into()),
        Err(error) => Err(error),
    }
}

fn has_body(req: &HttpRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|length| length.trim() != "0")
}

/// Every personal record held about the caller, as one JSON document.
#[utoipa::path(
    operation_id = "exportMyData",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{format, exported_at, user_id, tables: {table: [rows]}}`", body = Object),
    )
)]
#[get("/me/export")]
pub async fn export_me(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, ApiError> {
    let document = export::export(&state.db, caller.id()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"tremplin-export.json\""))
        .json(document))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(delete_me).service(export_me);
}
