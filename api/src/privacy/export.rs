//! The right of access: everything held about a person, as one JSON
//! document, table by table as `PERSONAL_DATA` declares it.
//!
//! The export tells a person what is held about them, never who acted against
//! them: each reference says what a person named there sees of the row.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, FromQueryResult, JsonValue};
use serde_json::{Map, json};
use uuid::Uuid;

use super::catalogue::{PERSONAL_DATA, PersonalTable, Reference, Shows, refers_to};
use crate::error::ApiError;

/// The rows of `personal` that `user_id` may see, each cut down to what
/// the references naming them show (a row reached through several references
/// shows the union).
async fn exported_rows(
    db: &impl ConnectionTrait,
    personal: &PersonalTable,
    user_id: Uuid,
) -> Result<Option<Vec<JsonValue>>, ApiError> {
    let shown: Vec<&Reference> = personal.references.iter().filter(|r| r.shows != Shows::Nothing).collect();
    if shown.is_empty() {
        return Ok(None);
    }
    // Each row with the columns it shows (`None`: all of them); a row reached
    // again is found by its text.
    let mut found: Vec<(JsonValue, Option<Vec<&str>>)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for reference in shown {
        let mut select = Query::select();
        select
            .expr(Expr::col(sea_orm::sea_query::Asterisk))
            .from(Alias::new(personal.table))
            .and_where(refers_to(reference, user_id));
        if let Some((column, value)) = reference.hidden_while {
            select.and_where(Expr::col(Alias::new(column)).ne(value));
        }
        let statement = db.get_database_backend().build(&select);
        for row in JsonValue::find_by_statement(statement).all(db).await? {
            let index = *seen.entry(row.to_string()).or_insert(found.len());
            if index == found.len() {
                found.push((row, Some(Vec::new())));
            }
            let visible = &mut found[index].1;
            match (reference.shows, visible.as_mut()) {
                (Shows::Only(columns), Some(visible)) => visible.extend_from_slice(columns),
                (Shows::Row, _) => *visible = None,
                (Shows::Only(_) | Shows::Nothing, None) | (Shows::Nothing, Some(_)) => {}
            }
        }
    }
    let rows = found
        .into_iter()
        .map(|(mut row, visible)| {
            if let Some(object) = row.as_object_mut() {
                if let Some(visible) = visible {
                    object.retain(|column, _| visible.contains(&column.as_str()));
                }
                for secret in personal.secret_columns {
                    object.remove(*secret);
                }
            }
            row
        })
        .collect();
    Ok(Some(rows))
}

/// What is held about `user_id`, table by table, as one JSON document. Tables
/// whose rows the person may not see are left out.
pub async fn export(db: &impl ConnectionTrait, user_id: Uuid) -> Result<JsonValue, ApiError> {
    let mut tables = Map::new();
    for personal in PERSONAL_DATA {
        if let Some(rows) = exported_rows(db, personal, user_id).await? {
            tables.insert(personal.table.to_owned(), JsonValue::Array(rows));
        }
    }
    Ok(json!({
        "format": "tremplin-export-v1",
        "exported_at": Utc::now(),
        "user_id": user_id,
        "tables": tables,
    }))
}
