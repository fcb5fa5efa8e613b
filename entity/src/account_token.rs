use sea_orm::entity::prelude::*;

/// A single-use token sent to a person: a password reset or the
/// verification of an email address. Only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `password_reset` or `email_verification`.
    pub purpose: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The address being verified (email verification only): a token for an
    /// address the account no longer has proves nothing.
    pub email: Option<String>,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
