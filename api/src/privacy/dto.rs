//! Request bodies of the personal-data routes.

use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

/// `DELETE /me`: the account's password, asked again before erasing it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct DeleteMe {
    #[validate(required(message = "field.account_password_required"), length(max = 1024))]
    #[schema(value_type = String, required = true)]
    pub password: Option<String>,
}
