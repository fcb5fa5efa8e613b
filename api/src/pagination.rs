//! The list envelope of every collection: `{items, next_cursor}` with
//! `?limit=` (1..=100, default 20) and an opaque seek cursor.
//!
//! A cursor is the sort key of the last item returned, serialised as JSON and
//! base64url-encoded: clients must treat it as an opaque string.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ErrorCode};

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

/// `?limit=&cursor=` as received.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Number of items to return, 1..=100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Checked paging input: fetch `limit + 1` rows after `after`.
#[derive(Debug, PartialEq)]
pub struct PageRequest<K> {
    pub limit: u64,
    pub after: Option<K>,
}

impl PageParams {
    /// Validates the limit (422) and decodes the cursor (400 when it was not
    /// produced by this API for this sort key).
    pub fn parse<K: DeserializeOwned>(&self) -> Result<PageRequest<K>, ApiError> {
        let limit = match self.limit {
            None => DEFAULT_LIMIT,
            Some(limit) if (1..=MAX_LIMIT as i64).contains(&limit) => limit as u64,
            Some(_) => {
                return Err(ApiError::validation("limit", "range", "field.page_limit"));
            }
        };
        let after = self.cursor.as_deref().map(decode_cursor).transpose()?;
        Ok(PageRequest { limit, after })
    }
}

/// One page of a collection; the document names each page `<Item>Page`
/// (`openapi::name_pages`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass it as `?cursor=` to get the next page; `null` on the last page.
    /// Always present, so that a client tells "last page" from "not sent".
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra row
    /// only tells that a next page exists.
    pub fn from_rows<K: Serialize>(mut rows: Vec<T>, limit: u64, sort_key: impl Fn(&T) -> K) -> Self {
        let has_more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor =
            if has_more { rows.last().map(|last| encode_cursor(&sort_key(last))) } else { None };
        Page { items: rows, next_cursor }
    }
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::bad_request(ErrorCode::InvalidCursor, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Key = (String, u32);

    fn params(limit: Option<i64>, cursor: Option<&str>) -> PageParams {
        PageParams { limit, cursor: cursor.map(str::to_owned) }
    }

    #[test]
    fn limit_defaults_and_bounds() {
        assert_eq!(params(None, None).parse::<Key>().unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(params(Some(100), None).parse::<Key>().unwrap().limit, 100);
        for bad in [0, -1, 101, i64::MAX] {
            let err = params(Some(bad), None).parse::<Key>().unwrap_err();
            assert_eq!(err.code(), "validation_failed", "limit {bad}");
        }
    }

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let key: Key = ("2026-03-10T09:00:00Z".into(), 7);
        let cursor = encode_cursor(&key);
        assert_eq!(params(None, Some(&cursor)).parse::<Key>().unwrap().after, Some(key));
        for bad in ["%%%", "bm90IGpzb24", &encode_cursor(&"a string, not the key")] {
            assert_eq!(params(None, Some(bad)).parse::<Key>().unwrap_err().code(), "invalid_cursor");
        }
    }

    #[test]
    fn pages_walk_a_collection_without_gaps_or_repeats() {
        let all: Vec<u32> = (1..=45).collect();
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let request = params(Some(20), cursor.as_deref()).parse::<u32>().unwrap();
            let rows: Vec<u32> = all
                .iter()
                .copied()
                .filter(|n| request.after.is_none_or(|after| *n > after))
                .take(request.limit as usize + 1)
                .collect();
            let page = Page::from_rows(rows, request.limit, |n| *n);
            seen.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, all);
    }
}
