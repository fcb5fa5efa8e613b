//! Ordering items used to get time-ordered ids (UUIDv7), so sorting the items
//! a learner sees by id gave the right order, and lessons are now public.
//! Every stored ordering exercise and placement item gets random ids (UUIDv4)
//! for its items, in its options and its answer key alike. Answers stored
//! before keep the old ids: they are history, never graded again.

use std::collections::HashMap;

use sea_orm::prelude::Uuid;
use sea_orm::{ConnectionTrait, DatabaseBackend, JsonValue, Statement};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["exercises", "placement_items"] {
            rekey_ordering_items(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

/// New ids for the items of one ordering answer key, or `None` for other kinds.
fn new_ids(answer_key: &JsonValue) -> Option<HashMap<String, String>> {
    if answer_key.get("kind")?.as_str()? != "ordering" {
        return None;
    }
    let items = answer_key.get("items")?.as_array()?;
    Some(items.iter().filter_map(|id| Some((id.as_str()?.to_owned(), Uuid::new_v4().to_string()))).collect())
}

fn rename(value: &mut JsonValue, ids: &HashMap<String, String>) {
    if let Some(new) = value.as_str().and_then(|old| ids.get(old)) {
        *value = JsonValue::String(new.clone());
    }
}

async fn rekey_ordering_items(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = connection
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT id, options, answer_key FROM {table}"),
        ))
        .await?;
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let mut answer_key: JsonValue = row.try_get("", "answer_key")?;
        let Some(ids) = new_ids(&answer_key) else { continue };
        let mut options: Option<JsonValue> = row.try_get("", "options")?;
        if let Some(items) = answer_key.get_mut("items").and_then(JsonValue::as_array_mut) {
            items.iter_mut().for_each(|item| rename(item, &ids));
        }
        if let Some(choices) = options.as_mut().and_then(JsonValue::as_array_mut) {
            for choice in choices {
                if let Some(item) = choice.get_mut("id") {
                    rename(item, &ids);
                }
            }
        }
        let sql = match backend {
            DatabaseBackend::Postgres => {
                format!("UPDATE {table} SET options = $1, answer_key = $2 WHERE id = $3")
            }
            _ => format!("UPDATE {table} SET options = ?, answer_key = ? WHERE id = ?"),
        };
        connection
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [options.into(), answer_key.into(), id.into()],
            ))
            .await?;
    }
    Ok(())
}
