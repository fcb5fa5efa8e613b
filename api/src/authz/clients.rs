//! What an organisation's API client may see: it holds scopes, and a scope
//! about members reaches only the members accompanied, with an active
//! consent, by someone of the client's organisation — checked at the moment
//! it is needed, so a revocation (of the consent or of the client) takes
//! effect at once. Every read of a member's data is audited with the client
//! as the reader.

use chrono::Utc;
use entity::accompaniment::{self, AccompanimentStatus};
use entity::{client_audit_log, organization_member};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::auth::ClientCaller;
use crate::auth::scope::ApiScope;
use crate::error::{ApiError, ErrorCode};

/// Proof that the calling client's token carries `scope`. Only this module
/// builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    client_id: Uuid,
    organization_id: Uuid,
    scope: ApiScope,
}

impl Scoped {
    pub fn client_id(&self) -> Uuid {
        self.client_id
    }

    pub fn organization_id(&self) -> Uuid {
        self.organization_id
    }

    pub fn scope(&self) -> ApiScope {
        self.scope
    }
}

/// The proof for `scope`, or 403 `insufficient_scope`.
pub fn scoped(caller: &ClientCaller, scope: ApiScope) -> Result<Scoped, ApiError> {
    if !caller.has(scope) {
        return Err(ApiError::denied(ErrorCode::InsufficientScope, &[("scope", scope.as_str())]));
    }
    Ok(Scoped { client_id: caller.client.id, organization_id: caller.client.organization_id, scope })
}

/// Proof that `member_id` had an active accompaniment by someone of the
/// client's organisation when it was made. Only this module builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConsent {
    client_id: Uuid,
    member_id: Uuid,
}

impl ClientConsent {
    pub fn client_id(&self) -> Uuid {
        self.client_id
    }

    pub fn member_id(&self) -> Uuid {
        self.member_id
    }
}

/// The counsellors of `organization_id`, as a subquery.
fn staff_of(organization_id: Uuid) -> SelectStatement {
    Query::select()
        .column(organization_member::Column::UserId)
        .from(organization_member::Entity)
        .and_where(organization_member::Column::OrganizationId.eq(organization_id))
        .to_owned()
}

/// The members with an active accompaniment by the organisation's staff:
/// the condition on `accompaniments` rows, for lists.
pub fn accompanied_by(scoped: &Scoped) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(accompaniment::Column::Status.eq(AccompanimentStatus::Active))
        .add(accompaniment::Column::CounsellorId.in_subquery(staff_of(scoped.organization_id)))
}

/// The consent of `member_id` to the client's organisation, if active.
pub async fn consented(
    db: &impl ConnectionTrait,
    scoped: &Scoped,
    member_id: Uuid,
) -> Result<Option<ClientConsent>, ApiError> {
    let found = accompaniment::Entity::find()
        .select_only()
        .column(accompaniment::Column::Id)
        .filter(accompanied_by(scoped))
        .filter(accompaniment::Column::MemberId.eq(member_id))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.map(|_| ClientConsent { client_id: scoped.client_id, member_id }))
}

/// Like [`consented`], and writes the member's audit row of what the client
/// does (`action`) if, and only if, the consent is active — one
/// `INSERT ... SELECT ... WHERE EXISTS` statement.
pub async fn consented_audited(
    db: &impl ConnectionTrait,
    scoped: &Scoped,
    member_id: Uuid,
    action: &str,
) -> Result<Option<ClientConsent>, ApiError> {
    let active = Query::select()
        .expr(Expr::val(1))
        .from(accompaniment::Entity)
        .cond_where(accompanied_by(scoped))
        .and_where(accompaniment::Column::MemberId.eq(member_id))
        .to_owned();
    let row = Query::select()
        .expr(Expr::val(Uuid::now_v7()))
        .expr(Expr::val(scoped.client_id))
        .expr(Expr::val(member_id))
        .expr(Expr::val(action))
        .expr(Expr::val(Utc::now()))
        .and_where(Expr::exists(active))
        .to_owned();
    let insert = Query::insert()
        .into_table(client_audit_log::Entity)
        .columns([
            client_audit_log::Column::Id,
            client_audit_log::Column::ApiClientId,
            client_audit_log::Column::MemberId,
            client_audit_log::Column::Action,
            client_audit_log::Column::CreatedAt,
        ])
        .select_from(row)
        .map_err(anyhow::Error::from)?
        .to_owned();
    let granted = db.execute(&insert).await?.rows_affected() == 1;
    Ok(granted.then_some(ClientConsent { client_id: scoped.client_id, member_id }))
}
