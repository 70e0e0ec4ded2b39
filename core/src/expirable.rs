//! The seed's `ExpirableMixin` and `CacheableModel.cleanup_and_get_stats`, for every model with
//! an `expires_at` column (sessions, search cache, API tokens).

use chrono::TimeDelta;
use sea_query::Query;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::exec::{self, Executor};
use crate::model::{col, table, Model};
use crate::time::{now, Timestamp};

pub trait Expirable: Model {
    fn expires_at(&self) -> Timestamp;
    fn set_expires_at(&mut self, at: Timestamp);

    fn is_expired(&self) -> bool {
        self.expires_at() <= now()
    }
}

/// Implements [`Expirable`] and the seed's methods for a model with `expires_at`.
#[macro_export]
macro_rules! impl_expirable {
    ($name:ident) => {
        impl $crate::expirable::Expirable for $name {
            fn expires_at(&self) -> $crate::time::Timestamp {
                self.expires_at
            }
            fn set_expires_at(&mut self, at: $crate::time::Timestamp) {
                self.expires_at = at;
            }
        }

        impl $name {
            pub fn is_expired(&self) -> bool {
                $crate::expirable::Expirable::is_expired(self)
            }

            pub async fn extend_expiration(
                &mut self,
                ex: &mut impl $crate::exec::Executor,
                seconds: i64,
            ) -> $crate::Result<()> {
                $crate::expirable::extend_expiration(ex, self, seconds).await
            }

            pub async fn cleanup_expired(
                ex: &mut impl $crate::exec::Executor,
            ) -> $crate::Result<u64> {
                $crate::expirable::cleanup_expired::<Self>(ex).await
            }
        }
    };
}

/// Moves `expires_at` later by `seconds` (from the current expiry, as the seed does).
pub async fn extend_expiration<M: Expirable>(
    ex: &mut impl Executor,
    model: &mut M,
    seconds: i64,
) -> Result<()> {
    if seconds <= 0 {
        return Err(Error::invalid(
            "seconds",
            "must be a positive number of seconds",
        ));
    }
    let later = TimeDelta::try_seconds(seconds)
        .and_then(|d| model.expires_at().checked_add_signed(d))
        .filter(|t| *t < crate::codec::latest_storable())
        .ok_or_else(|| {
            Error::invalid(
                "seconds",
                format!(
                    "{seconds} seconds from the current expiry is past any date this app stores"
                ),
            )
        })?;
    let mut changed = model.clone();
    changed.set_expires_at(later);
    crate::model::save(ex, &mut changed).await?;
    *model = changed;
    Ok(())
}

/// Deletes every expired row of `M`; returns how many.
pub async fn cleanup_expired<M: Expirable>(ex: &mut impl Executor) -> Result<u64> {
    let stmt = Query::delete()
        .from_table(table::<M>())
        .and_where(col("expires_at").lte(now()))
        .to_owned();
    exec::execute(ex, &stmt).await
}

pub async fn count_expired<M: Expirable>(ex: &mut impl Executor) -> Result<i64> {
    let expired = sea_query::Condition::all().add(col("expires_at").lte(now()));
    crate::utilities::count_where::<M>(ex, expired).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CleanupStats {
    pub total: i64,
    pub expired_removed: u64,
    pub valid_remaining: i64,
}

pub async fn cleanup_and_get_stats<M: Expirable>(ex: &mut impl Executor) -> Result<CleanupStats> {
    let total = crate::utilities::count_rows::<M>(ex).await?;
    let expired_removed = cleanup_expired::<M>(ex).await?;
    let valid_remaining = crate::utilities::count_rows::<M>(ex).await?;
    Ok(CleanupStats {
        total,
        expired_removed,
        valid_remaining,
    })
}
