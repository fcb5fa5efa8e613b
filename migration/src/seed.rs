//! Reference data: the skills catalogue (DigComp 2.2 and the Impose-toi !
//! soft skills), read from `data/*.json` files a facilitator can review.
//!
//! Seeding only adds what is missing, matched on the stable `code`: it never
//! overwrites a row an admin has edited, and several replicas may seed at once
//! (`ON CONFLICT DO NOTHING`). It runs after the migrations at every start and
//! with `tremplin seed`. It is not a migration because it uses today's schema.

use sea_orm::prelude::{DateTimeUtc, Uuid};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::DeriveIden;
use serde::Deserialize;

const SKILLS: &str = include_str!("../data/skills.json");

#[derive(Deserialize)]
struct SkillsFile {
    skills: Vec<SeedSkill>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedSkill {
    code: String,
    /// Code of the parent skill, listed earlier in the file.
    parent: Option<String>,
    framework: String,
    category: String,
    level_max: i16,
    name: String,
    name_en: Option<String>,
    description: String,
}

/// How many rows seeding added (0 when everything was already there).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub skills_added: u64,
}

pub async fn run(db: &impl ConnectionTrait) -> Result<SeedReport, DbErr> {
    let file: SkillsFile =
        serde_json::from_str(SKILLS).map_err(|e| DbErr::Custom(format!("data/skills.json: {e}")))?;
    let now: DateTimeUtc = chrono::Utc::now();
    let mut report = SeedReport::default();
    for skill in file.skills {
        let parent_id = match &skill.parent {
            Some(code) => Some(skill_id(db, code).await?.ok_or_else(|| {
                DbErr::Custom(format!("data/skills.json: parent {code} of {} is unknown", skill.code))
            })?),
            None => None,
        };
        let search_text = entity::skill::search_text(
            &skill.code,
            &skill.name,
            skill.name_en.as_deref(),
            &skill.description,
        );
        let insert = Query::insert()
            .into_table(Skills::Table)
            .columns([
                Skills::Id,
                Skills::Code,
                Skills::Name,
                Skills::NameEn,
                Skills::Description,
                Skills::SearchText,
                Skills::Framework,
                Skills::Category,
                Skills::ParentId,
                Skills::LevelMax,
                Skills::CreatedAt,
                Skills::UpdatedAt,
            ])
            .values([
                Uuid::now_v7().into(),
                skill.code.into(),
                skill.name.into(),
                skill.name_en.into(),
                skill.description.into(),
                search_text.into(),
                skill.framework.into(),
                skill.category.into(),
                parent_id.into(),
                skill.level_max.into(),
                now.into(),
                now.into(),
            ])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .on_conflict(OnConflict::column(Skills::Code).do_nothing().to_owned())
            .to_owned();
        report.skills_added += db.execute(&insert).await?.rows_affected();
    }
    Ok(report)
}

async fn skill_id(db: &impl ConnectionTrait, code: &str) -> Result<Option<Uuid>, DbErr> {
    let select = Query::select()
        .column(Skills::Id)
        .from(Skills::Table)
        .and_where(Expr::col(Skills::Code).eq(code))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get::<Uuid>("", "id")?)),
        None => Ok(None),
    }
}

#[derive(DeriveIden)]
enum Skills {
    Table,
    Id,
    Code,
    Name,
    NameEn,
    Description,
    SearchText,
    Framework,
    Category,
    ParentId,
    LevelMax,
    CreatedAt,
    UpdatedAt,
}
