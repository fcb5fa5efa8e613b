//! Text search helpers shared by every list with a `?q=` filter.

use sea_orm::sea_query::LikeExpr;

/// `LIKE '%text%'` with `%`, `_` and `\` in `text` taken literally.
pub fn like_contains(text: &str) -> LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}
