//! The public profile (`GET /users/{id}`): what anyone signed in sees of a
//! person, their public account fields and the skills they offer.
//!
//! It lives in skills rather than accounts because it reads both: accounts is
//! at the bottom of the areas and may not read skills, while skills may read
//! accounts. The route finds the account (`accounts::service::visible_user`)
//! and checks that no block stands between the two people; this adds the skills.

use entity::member_skill::SkillIntent;
use entity::user;
use sea_orm::ConnectionTrait;

use super::dto::{OfferedSkill, PublicProfile};
use super::service::member_skills;
use crate::error::ApiError;

/// The public profile of `user`, an account the caller may see.
pub async fn public_profile(db: &impl ConnectionTrait, user: user::Model) -> Result<PublicProfile, ApiError> {
    let offered_skills = member_skills(db, user.id)
        .await?
        .into_iter()
        .filter(|declared| declared.kind == SkillIntent::Offer)
        .map(|declared| OfferedSkill {
            skill_id: declared.skill.id,
            code: declared.skill.code,
            name: declared.skill.name,
            level: declared.level,
        })
        .collect();
    Ok(PublicProfile { id: user.id, display_name: user.display_name, bio: user.bio, offered_skills })
}
