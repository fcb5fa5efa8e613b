//! The achievements, as data: each has a stable key, a French and English
//! name, description and criteria (from the message catalogue), an image and
//! its alignment with the skills frameworks (DigComp 2.2, Impose-toi !).
//! Keys:
//! - `digcomp.<code>.level-<n>`: DigComp level n reached in a competence or
//!   area (mastery from NumériZen lessons);
//! - `impose_toi.<module>` (the module's code): an Impose-toi ! module attended;
//! - `impose_toi.programme`: every module of the programme attended;
//! - `enchante.enchanteur`: three completed Enchanté matches with feedback;
//! - `numerizen.placement`: the placement test taken.

use entity::skill::Framework;
use entity::{program_module, skill};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ApiError;
use crate::i18n::{self, Lang};

pub const PROGRAMME_KEY: &str = "impose_toi.programme";
pub const ENCHANTEUR_KEY: &str = "enchante.enchanteur";
pub const PLACEMENT_KEY: &str = "numerizen.placement";
const DIGCOMP_PREFIX: &str = "digcomp.";
const LEVEL_SUFFIX: &str = ".level-";
const MODULE_PREFIX: &str = "impose_toi.";

/// One achievement, parsed from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Achievement {
    /// `code` is the DigComp skill code (`digcomp.1.1`).
    DigCompLevel {
        code: String,
        level: i16,
    },
    /// `code` is the programme module's code (`impose_toi.se_reveler`).
    Module {
        code: String,
    },
    Programme,
    Enchanteur,
    Placement,
}

/// Which committed image an achievement shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Digcomp,
    Module,
    Programme,
    Enchanteur,
    Placement,
}

impl Image {
    /// The SVG file, committed under `api/assets/badges/`.
    pub fn svg(self) -> &'static str {
        match self {
            Image::Digcomp => include_str!("../../assets/badges/digcomp.svg"),
            Image::Module => include_str!("../../assets/badges/module.svg"),
            Image::Programme => include_str!("../../assets/badges/programme.svg"),
            Image::Enchanteur => include_str!("../../assets/badges/enchanteur.svg"),
            Image::Placement => include_str!("../../assets/badges/placement.svg"),
        }
    }
}

impl Achievement {
    pub fn key(&self) -> String {
        match self {
            Achievement::DigCompLevel { code, level } => format!("{code}{LEVEL_SUFFIX}{level}"),
            Achievement::Module { code } => code.clone(),
            Achievement::Programme => PROGRAMME_KEY.to_owned(),
            Achievement::Enchanteur => ENCHANTEUR_KEY.to_owned(),
            Achievement::Placement => PLACEMENT_KEY.to_owned(),
        }
    }

    /// The achievement a key names, if it has that shape (whether the skill
    /// or module exists is for [`describe`] to say).
    pub fn parse(key: &str) -> Option<Achievement> {
        match key {
            PROGRAMME_KEY => return Some(Achievement::Programme),
            ENCHANTEUR_KEY => return Some(Achievement::Enchanteur),
            PLACEMENT_KEY => return Some(Achievement::Placement),
            _ => {}
        }
        if key.starts_with(DIGCOMP_PREFIX) {
            let (code, level) = key.rsplit_once(LEVEL_SUFFIX)?;
            let level: i16 = level.parse().ok().filter(|l| (1..=8).contains(l))?;
            return Some(Achievement::DigCompLevel { code: code.to_owned(), level });
        }
        key.starts_with(MODULE_PREFIX).then(|| Achievement::Module { code: key.to_owned() })
    }

    pub fn image(&self) -> Image {
        match self {
            Achievement::DigCompLevel { .. } => Image::Digcomp,
            Achievement::Module { .. } => Image::Module,
            Achievement::Programme => Image::Programme,
            Achievement::Enchanteur => Image::Enchanteur,
            Achievement::Placement => Image::Placement,
        }
    }
}

/// A skill an achievement aligns with (an OB 3.0 `Alignment`).
#[derive(Debug, Clone)]
pub struct Aligned {
    pub skill_id: uuid::Uuid,
    /// `1.1`, `impose_toi.pitch`: the code inside its framework.
    pub code: String,
    pub name: String,
    pub framework: &'static str,
}

/// What an achievement says, in one language.
#[derive(Debug, Clone)]
pub struct Described {
    pub key: String,
    pub image: Image,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub alignment: Vec<Aligned>,
}

/// The achievement in `lang`, or `None` when its skill or module does not
/// exist.
pub async fn describe(
    db: &impl ConnectionTrait,
    achievement: &Achievement,
    lang: Lang,
) -> Result<Option<Described>, ApiError> {
    let (name, description, criteria, alignment) = match achievement {
        Achievement::DigCompLevel { code, level } => {
            let Some(competence) = skill::Entity::find()
                .filter(skill::Column::Code.eq(code.as_str()))
                .filter(skill::Column::Framework.eq(Framework::Digcomp))
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            let competence_name = skill_name(&competence, lang).to_owned();
            let short_code = competence.code.trim_start_matches(DIGCOMP_PREFIX).to_owned();
            let level = level.to_string();
            let band = i18n::text(band_of(achievement), lang);
            let values = [
                ("code", short_code.as_str()),
                ("competence", competence_name.as_str()),
                ("level", &level),
                ("band", band),
            ];
            (
                i18n::text_with("achievement.digcomp_level.name", lang, &values),
                i18n::text_with("achievement.digcomp_level.description", lang, &values),
                i18n::text_with("achievement.digcomp_level.criteria", lang, &values),
                vec![aligned(&competence, lang)],
            )
        }
        Achievement::Module { code } => {
            let Some(module) = program_module::Entity::find()
                .filter(program_module::Column::Code.eq(code.as_str()))
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            let values = [("module", module.title.as_str()), ("summary", module.summary.as_str())];
            (
                i18n::text_with("achievement.module.name", lang, &values),
                i18n::text_with("achievement.module.description", lang, &values),
                i18n::text_with("achievement.module.criteria", lang, &values),
                alignment_of_modules(db, std::slice::from_ref(&module), lang).await?,
            )
        }
        Achievement::Programme => {
            let modules =
                program_module::Entity::find().order_by_asc(program_module::Column::Position).all(db).await?;
            (
                i18n::text("achievement.programme.name", lang).to_owned(),
                i18n::text("achievement.programme.description", lang).to_owned(),
                i18n::text("achievement.programme.criteria", lang).to_owned(),
                alignment_of_modules(db, &modules, lang).await?,
            )
        }
        Achievement::Enchanteur => (
            i18n::text("achievement.enchanteur.name", lang).to_owned(),
            i18n::text("achievement.enchanteur.description", lang).to_owned(),
            i18n::text("achievement.enchanteur.criteria", lang).to_owned(),
            Vec::new(),
        ),
        Achievement::Placement => {
            let areas = skill::Entity::find()
                .filter(skill::Column::Framework.eq(Framework::Digcomp))
                .filter(skill::Column::ParentId.is_null())
                .order_by_asc(skill::Column::Code)
                .all(db)
                .await?;
            (
                i18n::text("achievement.placement.name", lang).to_owned(),
                i18n::text("achievement.placement.description", lang).to_owned(),
                i18n::text("achievement.placement.criteria", lang).to_owned(),
                areas.iter().map(|area| aligned(area, lang)).collect(),
            )
        }
    };
    Ok(Some(Described {
        key: achievement.key(),
        image: achievement.image(),
        name,
        description,
        criteria,
        alignment,
    }))
}

/// The DigComp 2.2 proficiency band of a level.
fn band_of(achievement: &Achievement) -> &'static str {
    match achievement {
        Achievement::DigCompLevel { level: 1..=2, .. } => "achievement.band.foundation",
        Achievement::DigCompLevel { level: 3..=4, .. } => "achievement.band.intermediate",
        Achievement::DigCompLevel { level: 5..=6, .. } => "achievement.band.advanced",
        _ => "achievement.band.specialised",
    }
}

fn skill_name(skill: &skill::Model, lang: Lang) -> &str {
    match (lang, &skill.name_en) {
        (Lang::En, Some(english)) => english,
        _ => &skill.name,
    }
}

fn aligned(skill: &skill::Model, lang: Lang) -> Aligned {
    let (code, framework) = match skill.framework {
        Framework::Digcomp => (skill.code.trim_start_matches(DIGCOMP_PREFIX).to_owned(), "DigComp 2.2"),
        Framework::ImposeToi => (skill.code.clone(), "Impose-toi !"),
        Framework::Custom => (skill.code.clone(), "Tremplin"),
    };
    Aligned { skill_id: skill.id, code, name: skill_name(skill, lang).to_owned(), framework }
}

/// The skills the modules work on, in the modules' order.
async fn alignment_of_modules(
    db: &impl ConnectionTrait,
    modules: &[program_module::Model],
    lang: Lang,
) -> Result<Vec<Aligned>, ApiError> {
    let codes: Vec<String> = modules
        .iter()
        .flat_map(|m| m.skill_codes.as_array().cloned().unwrap_or_default())
        .filter_map(|code| code.as_str().map(str::to_owned))
        .collect();
    let skills = skill::Entity::find().filter(skill::Column::Code.is_in(codes.clone())).all(db).await?;
    Ok(codes
        .iter()
        .filter_map(|code| skills.iter().find(|s| &s.code == code))
        .map(|s| aligned(s, lang))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_back_to_their_achievement() {
        for achievement in [
            Achievement::DigCompLevel { code: "digcomp.1.1".into(), level: 3 },
            Achievement::DigCompLevel { code: "digcomp.4".into(), level: 8 },
            Achievement::Module { code: "impose_toi.se_reveler".into() },
            Achievement::Programme,
            Achievement::Enchanteur,
            Achievement::Placement,
        ] {
            assert_eq!(Achievement::parse(&achievement.key()), Some(achievement));
        }
        assert_eq!(Achievement::parse("digcomp.1.1.level-9"), None);
        assert_eq!(Achievement::parse("digcomp.1.1"), None);
        assert_eq!(Achievement::parse("other.thing"), None);
    }
}
