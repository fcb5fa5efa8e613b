//! The placement item bank (`migration/data/placement.json`, readable by
//! facilitators) is loaded at start when the bank is empty.

use entity::placement_item;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, Set};
use serde::Deserialize;
use uuid::Uuid;

use crate::lessons::authoring::prepare;
use crate::lessons::dto::ExerciseInput;

const BANK: &str = include_str!("../../../migration/data/placement.json");

#[derive(Deserialize)]
struct Bank {
    items: Vec<BankItem>,
}

#[derive(Deserialize)]
struct BankItem {
    area: String,
    level: i16,
    difficulty: f64,
    #[serde(flatten)]
    exercise: ExerciseInput,
}

/// Loads the bank into an empty table; returns how many items were added.
pub async fn run(db: &DatabaseConnection) -> anyhow::Result<usize> {
    if placement_item::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let bank: Bank = serde_json::from_str(BANK).map_err(|e| anyhow::anyhow!("data/placement.json: {e}"))?;
    let (meta, exercises): (Vec<_>, Vec<_>) =
        bank.items.into_iter().map(|item| ((item.area, item.level, item.difficulty), item.exercise)).unzip();
    let prepared = prepare(exercises).map_err(|errors| anyhow::anyhow!("data/placement.json: {errors:?}"))?;
    let rows: Vec<placement_item::ActiveModel> = prepared
        .into_iter()
        .zip(meta)
        .map(|(exercise, (area, level, difficulty))| placement_item::ActiveModel {
            id: Set(Uuid::now_v7()),
            area: Set(area),
            level: Set(level),
            difficulty: Set(difficulty),
            kind: Set(exercise.kind),
            prompt: Set(exercise.input.prompt),
            explanation: Set(exercise.input.explanation),
            options: Set(exercise.options.map(|o| serde_json::to_value(o).unwrap_or_default())),
            answer_key: Set(serde_json::to_value(&exercise.key).unwrap_or_default()),
        })
        .collect();
    let added = rows.len();
    placement_item::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(added)
}
