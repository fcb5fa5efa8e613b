//! The member's credentials, their revocation and the public documents of
//! the issuer (achievements, status lists).

use chrono::{SecondsFormat, Utc};
use entity::{award, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::achievements::{Achievement, Described, describe};
use super::awards::name_for;
use super::credential::{Subject, jwt_claims, open_badge_credential};
use super::dto::{AchievementView, CredentialDetail, CredentialStatus, CredentialSummary, JourneyBadge};
use super::issuer::Urls;
use super::keys::{self, Signer};
use super::status_list;
use crate::config::CredentialSettings;
use crate::db::{self, WriteTxn};
use crate::error::{ApiError, ErrorCode};
use crate::i18n::{self, Lang};
use crate::notifications::notice::{Notice, send};
use crate::pagination::{Page, PageRequest};

/// The reason written on the awards of an erased account.
const ERASURE_REASON: &str = "erasure";

/// The member's awards, newest first, in the request's language.
pub async fn list(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
    user_id: Uuid,
    page: PageRequest<Uuid>,
) -> Result<Page<CredentialSummary>, ApiError> {
    let mut query = award::Entity::find().filter(award::Column::UserId.eq(user_id));
    if let Some(after) = page.after {
        query = query.filter(award::Column::Id.lt(after));
    }
    let rows = query.order_by_desc(award::Column::Id).limit(page.limit + 1).all(db).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let described = described(db, &row, i18n::current()).await?;
        items.push(summary(settings, row, described));
    }
    Ok(Page::from_rows(items, page.limit, |c| c.id))
}

/// One of the member's awards with its signed credential; 404 for anyone
/// else's.
pub async fn detail(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
    member: &user::Model,
    id: Uuid,
    with_email: bool,
) -> Result<CredentialDetail, ApiError> {
    let row = award::Entity::find_by_id(id)
        .filter(award::Column::UserId.eq(member.id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let email = match (with_email, &member.email) {
        (false, _) => None,
        (true, Some(email)) => Some(email.as_str()),
        (true, None) => {
            return Err(ApiError::validation("with_email", "no_email", "field.credential_no_email"));
        }
    };
    let signer = keys::signer(db, settings).await?;
    let in_french = described(db, &row, Lang::Fr).await?;
    let credential =
        sign(&signer, settings, &row, &in_french, &Subject { display_name: &member.display_name, email })?;
    let summary = summary(settings, row.clone(), described(db, &row, i18n::current()).await?);
    Ok(CredentialDetail { summary, credential })
}

fn sign(
    signer: &Signer,
    settings: &CredentialSettings,
    row: &award::Model,
    described: &Described,
    subject: &Subject,
) -> Result<String, ApiError> {
    let urls = Urls(settings);
    let credential = open_badge_credential(&urls, row, described, subject);
    signer.sign(&jwt_claims(credential, row, &urls.issuer()))
}

async fn described(db: &impl ConnectionTrait, row: &award::Model, lang: Lang) -> Result<Described, ApiError> {
    let achievement = Achievement::parse(&row.achievement)
        .ok_or_else(|| anyhow::anyhow!("award {} has an unknown achievement {}", row.id, row.achievement))?;
    Ok(describe(db, &achievement, lang).await?.ok_or_else(|| {
        anyhow::anyhow!("the achievement {} of award {} lost its source", row.achievement, row.id)
    })?)
}

fn status_of(row: &award::Model) -> CredentialStatus {
    if row.revoked_at.is_some() { CredentialStatus::Revoked } else { CredentialStatus::Active }
}

fn summary(settings: &CredentialSettings, row: award::Model, described: Described) -> CredentialSummary {
    CredentialSummary {
        id: row.id,
        achievement: AchievementView::new(&Urls(settings), described),
        awarded_at: row.awarded_at,
        status: status_of(&row),
        revoked_at: row.revoked_at,
        revoke_reason: row.revoke_reason,
    }
}

/// The member's awards for their journey (whoever was allowed to read it),
/// newest first.
pub async fn journey(db: &impl ConnectionTrait, member_id: Uuid) -> Result<Vec<JourneyBadge>, ApiError> {
    let rows = award::Entity::find()
        .filter(award::Column::UserId.eq(member_id))
        .order_by_desc(award::Column::Id)
        .all(db)
        .await?;
    let mut badges = Vec::with_capacity(rows.len());
    for row in rows {
        let name = described(db, &row, i18n::current()).await?.name;
        badges.push(JourneyBadge {
            id: row.id,
            status: status_of(&row),
            achievement: row.achievement,
            name,
            awarded_at: row.awarded_at,
        });
    }
    Ok(badges)
}

/// Revokes an award (a facilitator or an admin, checked by the route): its
/// status list bit is set from the commit on, and the member is told why.
pub async fn revoke(
    db: &DatabaseConnection,
    settings: &CredentialSettings,
    revoker: Uuid,
    id: Uuid,
    reason: &str,
) -> Result<CredentialSummary, ApiError> {
    let txn = db::begin_write(db).await?;
    let row = award::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    let reason = reason.trim();
    let revoked = revoke_where(&txn, award::Column::Id.eq(id), Some(revoker), reason).await?;
    if revoked == 0 {
        return Err(ApiError::conflict(ErrorCode::CredentialRevoked));
    }
    let achievement = Achievement::parse(&row.achievement)
        .ok_or_else(|| anyhow::anyhow!("award {id} has an unknown achievement"))?;
    let name = name_for(&*txn, row.user_id, &achievement).await?;
    send(
        &*txn,
        row.user_id,
        Notice::new("credential.revoked", "notice.credential_revoked", json!({ "credential_id": id }))
            .with("achievement", name)
            .quoting("reason", revoker, reason),
    )
    .await?;
    let row = award::Entity::find_by_id(id).one(&*txn).await?.ok_or(ApiError::NotFound)?;
    txn.commit().await?;
    let described = described(db, &row, i18n::current()).await?;
    Ok(summary(settings, row, described))
}

/// Sets the revocation of the still active awards `filter` selects; the
/// count of those revoked.
async fn revoke_where(
    txn: &WriteTxn,
    filter: sea_orm::sea_query::SimpleExpr,
    revoker: Option<Uuid>,
    reason: &str,
) -> Result<u64, ApiError> {
    Ok(award::Entity::update_many()
        .col_expr(award::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(award::Column::RevokedBy, Expr::value(revoker))
        .col_expr(award::Column::RevokeReason, Expr::value(reason))
        .filter(filter)
        .filter(award::Column::RevokedAt.is_null())
        .exec(&**txn)
        .await?
        .rows_affected)
}

/// Erasure: the awards of an erased account are revoked (their status bits
/// set, so copies handed out stop verifying) and kept anonymised — achievement,
/// dates and status index only: the salt that could link a hashed email and
/// any reason someone wrote about the person go.
pub async fn erase(txn: &WriteTxn, user_id: Uuid) -> Result<(), ApiError> {
    revoke_where(txn, award::Column::UserId.eq(user_id), None, ERASURE_REASON).await?;
    award::Entity::update_many()
        .col_expr(award::Column::IdentitySalt, Expr::value(""))
        .col_expr(award::Column::RevokeReason, Expr::value(ERASURE_REASON))
        .filter(award::Column::UserId.eq(user_id))
        .exec(&**txn)
        .await?;
    Ok(())
}

/// The public OB 3.0 `Achievement` of `key` (in French, as credentials are).
pub async fn public_achievement(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
    key: &str,
) -> Result<Value, ApiError> {
    let achievement = Achievement::parse(key).ok_or(ApiError::NotFound)?;
    let described = describe(db, &achievement, Lang::Fr).await?.ok_or(ApiError::NotFound)?;
    let mut value = super::credential::achievement(&Urls(settings), &described);
    value["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ]);
    Ok(value)
}

/// The image of the achievement `key`.
pub fn achievement_image(key: &str) -> Result<&'static str, ApiError> {
    Ok(Achievement::parse(key).ok_or(ApiError::NotFound)?.image().svg())
}

/// The `BitstringStatusListCredential` of list `list`, as JSON and signed as
/// a VC-JWT.
pub async fn status_list_credential(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
    list: i32,
) -> Result<(Value, String), ApiError> {
    if !status_list::exists(db, list).await? {
        return Err(ApiError::NotFound);
    }
    let urls = Urls(settings);
    let url = urls.status_list(list);
    let now = Utc::now();
    let credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.issuer(),
        "validFrom": now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_list::encode(status_list::revoked_bits(db, list).await?)?,
        },
    });
    let mut claims = credential.clone();
    claims["iss"] = json!(urls.issuer());
    claims["nbf"] = json!(now.timestamp());
    claims["jti"] = json!(url);
    let jwt = keys::signer(db, settings).await?.sign(&claims)?;
    Ok((credential, jwt))
}

/// Bakes the credential into the achievement's SVG (OB 3.0 §5.3.2): the
/// `openbadges` namespace on the root element and the VC-JWT in an
/// `<openbadges:credential>` element.
pub fn bake(svg: &str, jwt: &str) -> String {
    let Some(root) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let Some(close) = svg[root..].find('>').map(|end| root + end) else {
        return svg.to_owned();
    };
    format!(
        "{} xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">\n  <openbadges:credential>{jwt}</openbadges:credential>{}",
        &svg[..close],
        &svg[close + 1..]
    )
}

/// The member's badge image with their credential baked in.
pub async fn baked_badge(
    db: &impl ConnectionTrait,
    settings: &CredentialSettings,
    member: &user::Model,
    id: Uuid,
    with_email: bool,
) -> Result<String, ApiError> {
    let detail = detail(db, settings, member, id, with_email).await?;
    Ok(bake(achievement_image(&detail.summary.achievement.key)?, &detail.credential))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baking_puts_the_namespace_on_the_root_and_the_jwt_inside() {
        let baked = bake(
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t</title></svg>",
            "a.b.c",
        );
        assert!(baked.contains(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">"
        ));
        assert!(baked.contains("<openbadges:credential>a.b.c</openbadges:credential><title>t</title></svg>"));
    }
}
