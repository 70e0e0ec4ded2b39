//! `SearchCache` (seed: `app/models/cache.py`, a `CacheableModel`).

use sea_query::Condition;

use crate::define_model;
use crate::error::Result;
use crate::exec::Executor;
use crate::expirable::{self, CleanupStats};
use crate::model::{self, col, Validate};
use crate::time::{now, Timestamp};

define_model! {
    /// A cached search result.
    pub struct SearchCache in "search_cache" sortable ["search_query", "expires_at"] {
        pub search_query: String,
        pub result_data: Option<serde_json::Value>,
        pub expires_at: Timestamp,
    }
}
crate::impl_expirable!(SearchCache);

impl Validate for SearchCache {}

impl SearchCache {
    /// The seed's `get_valid_cache(search_query=…)`: unexpired entries for a query, newest first.
    pub async fn get_valid_cache(ex: &mut impl Executor, search_query: &str) -> Result<Vec<Self>> {
        let cond = Condition::all()
            .add(col("search_query").eq(search_query))
            .add(col("expires_at").gt(now()));
        let mut rows: Vec<Self> = model::find(ex, cond).await?;
        rows.reverse();
        Ok(rows)
    }

    /// The seed's `cleanup_and_get_stats()`.
    pub async fn cleanup_and_get_stats(ex: &mut impl Executor) -> Result<CleanupStats> {
        expirable::cleanup_and_get_stats::<Self>(ex).await
    }
}
