use entity::member_skill::SkillIntent;
use entity::skill::{self, Category, Framework};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::{Validate, ValidationError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillView {
    pub id: Uuid,
    /// Stable code, e.g. `digcomp.4.2`.
    #[schema(example = "digcomp.4.2")]
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub description: String,
    pub framework: Framework,
    pub category: Category,
    pub parent_id: Option<Uuid>,
    /// Highest level of this skill (8 on the DigComp scale).
    pub level_max: i16,
}

impl From<skill::Model> for SkillView {
    fn from(s: skill::Model) -> Self {
        SkillView {
            id: s.id,
            code: s.code,
            name: s.name,
            name_en: s.name_en,
            description: s.description,
            framework: s.framework,
            category: s.category,
            parent_id: s.parent_id,
            level_max: s.level_max,
        }
    }
}

/// A skill with its direct children (a DigComp area with its competences).
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDetail {
    #[serde(flatten)]
    pub skill: SkillView,
    pub children: Vec<SkillView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkillsFilter {
    pub framework: Option<Framework>,
    pub category: Option<Category>,
    pub parent_id: Option<Uuid>,
    /// Words to find in the code, names or description; accents and case do not matter.
    /// At most 100 characters and 8 words (422 otherwise).
    #[param(max_length = 100)]
    pub q: Option<String>,
}

fn skill_code(code: &str) -> Result<(), ValidationError> {
    let valid = code.split('.').all(|part| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    if valid { Ok(()) } else { Err(ValidationError::new("code").with_message("field.skill_code".into())) }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CreateSkill {
    #[validate(length(min = 1, max = 64), custom(function = "skill_code"))]
    #[schema(example = "metier.cuisine")]
    pub code: String,
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    pub name_en: Option<String>,
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub description: String,
    /// Defaults to `custom`.
    pub framework: Option<Framework>,
    pub category: Category,
    pub parent_id: Option<Uuid>,
    #[validate(range(min = 1, max = 8))]
    pub level_max: i16,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateSkill {
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 200))]
    pub name_en: Option<String>,
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    pub category: Option<Category>,
    #[validate(range(min = 1, max = 8))]
    pub level_max: Option<i16>,
}

/// One of the caller's skills.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberSkillView {
    pub skill: SkillView,
    pub kind: SkillIntent,
    pub level: i16,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct DeclareSkill {
    pub kind: SkillIntent,
    /// 1..8 (DigComp scale), at most the skill's `level_max`.
    #[validate(range(min = 1, max = 8))]
    pub level: i16,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntentFilter {
    /// Only this kind; both when absent.
    pub kind: Option<SkillIntent>,
}

/// What anyone signed in may see of another person: never the email.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProfile {
    pub id: Uuid,
    pub display_name: String,
    pub bio: Option<String>,
    /// The skills this person offers to share.
    pub offered_skills: Vec<OfferedSkill>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferedSkill {
    pub skill_id: Uuid,
    pub code: String,
    pub name: String,
    pub level: i16,
}
