//! The seed's utility functions over several models at once.

use std::collections::BTreeMap;

use sea_query::{Asterisk, Condition, Expr, Func, Query};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::exec::{self, Executor};
use crate::expirable;
use crate::model::{col, table, Model};
use crate::tables::{Table, EXPIRABLE};
use crate::time::now;
use crate::with_model;

pub async fn count_rows<M: Model>(ex: &mut impl Executor) -> Result<i64> {
    count_where::<M>(ex, Condition::all()).await
}

pub async fn count_where<M: Model>(ex: &mut impl Executor, cond: Condition) -> Result<i64> {
    let stmt = Query::select()
        .expr(Func::count(Expr::col(Asterisk)))
        .from(table::<M>())
        .cond_where(cond)
        .to_owned();
    exec::fetch_scalar(ex, &stmt).await
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelStats {
    pub total: i64,
    /// Rows with `is_active`, for models that have the column; `None` otherwise.
    pub active: Option<i64>,
}

/// The seed's `get_model_stats(*models)` → `{model: {total, active}}`. A table this database
/// does not have is left out.
pub async fn get_model_stats(
    ex: &mut impl Executor,
    tables: &[Table],
) -> Result<BTreeMap<&'static str, ModelStats>> {
    let mut out = BTreeMap::new();
    for &t in tables {
        if !ex.shape().has_table(t.name()) {
            continue;
        }
        let stats = with_model!(t, M => {
            let total = count_rows::<M>(ex).await?;
            let active = if ex.shape().has_column(t.name(), "is_active") {
                let active = Condition::all().add(col("is_active").eq(true));
                Some(count_where::<M>(ex, active).await?)
            } else {
                None
            };
            ModelStats { total, active }
        });
        out.insert(t.model_name(), stats);
    }
    Ok(out)
}

/// The seed's `bulk_cleanup_expired(*models)` → `{model: deleted}`. Only expirable tables.
pub async fn bulk_cleanup_expired(
    ex: &mut impl Executor,
    tables: &[Table],
) -> Result<BTreeMap<&'static str, u64>> {
    let mut out = BTreeMap::new();
    for &t in tables {
        let removed = match t {
            Table::Sessions => expirable::cleanup_expired::<crate::models::Session>(ex).await?,
            Table::SearchCache => {
                expirable::cleanup_expired::<crate::models::SearchCache>(ex).await?
            }
            Table::ApiTokens => expirable::cleanup_expired::<crate::models::ApiToken>(ex).await?,
            other => {
                return Err(Error::invalid(
                    "table",
                    format!(
                        "{} has no expiry; expirable: {}",
                        other.name(),
                        expirable_names()
                    ),
                ))
            }
        };
        out.insert(t.model_name(), removed);
    }
    Ok(out)
}

fn expirable_names() -> String {
    EXPIRABLE
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Expired rows per expirable table, without deleting them.
pub async fn expired_counts(ex: &mut impl Executor) -> Result<BTreeMap<&'static str, i64>> {
    let mut out = BTreeMap::new();
    out.insert(
        "Session",
        expirable::count_expired::<crate::models::Session>(ex).await?,
    );
    out.insert(
        "SearchCache",
        expirable::count_expired::<crate::models::SearchCache>(ex).await?,
    );
    out.insert(
        "ApiToken",
        expirable::count_expired::<crate::models::ApiToken>(ex).await?,
    );
    Ok(out)
}

/// The seed's `bulk_update_timestamps(*models)`: stamps `updated_at` of every row with the
/// current time (used after data migrations) → `{model: rows}`.
pub async fn bulk_update_timestamps(
    ex: &mut impl Executor,
    tables: &[Table],
) -> Result<BTreeMap<&'static str, u64>> {
    let stamp = now();
    let mut out = BTreeMap::new();
    for &t in tables {
        let stmt = Query::update()
            .table(sea_query::Alias::new(t.name()))
            .value(sea_query::Alias::new("updated_at"), stamp)
            .to_owned();
        out.insert(t.model_name(), exec::execute(ex, &stmt).await?);
    }
    Ok(out)
}
