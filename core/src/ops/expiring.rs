//! Rows that expire (sessions, search cache, API tokens): extend, delete one, remove expired.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Result;
use crate::expirable::{self, Expirable};
use crate::model::{self, Model};
use crate::models::{ApiToken, SearchCache, Session};
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};
use crate::tables::{Table, EXPIRABLE};
use crate::time::Timestamp;
use crate::utilities;

/// The tables whose rows expire.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiringTable {
    Sessions,
    SearchCache,
    ApiTokens,
}

impl ExpiringTable {
    pub fn table(self) -> Table {
        match self {
            ExpiringTable::Sessions => Table::Sessions,
            ExpiringTable::SearchCache => Table::SearchCache,
            ExpiringTable::ApiTokens => Table::ApiTokens,
        }
    }

    /// Sessions and tokens are security data (admin); cache entries are not (editor).
    fn permission(self) -> Permission {
        match self {
            ExpiringTable::SearchCache => Permission::ManageCache,
            ExpiringTable::Sessions | ExpiringTable::ApiTokens => Permission::ManageSessions,
        }
    }
}

/// Runs `$body` with `$m` bound to the model of an [`ExpiringTable`].
macro_rules! with_expiring {
    ($table:expr, $m:ident => $body:expr) => {
        match $table {
            ExpiringTable::Sessions => {
                type $m = Session;
                $body
            }
            ExpiringTable::SearchCache => {
                type $m = SearchCache;
                $body
            }
            ExpiringTable::ApiTokens => {
                type $m = ApiToken;
                $body
            }
        }
    };
}

/// Moves a row's expiry later by `seconds`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ExtendExpiration {
    pub table: ExpiringTable,
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
    pub seconds: i64,
}

/// Deletes one row: terminates a session, revokes a token, drops a cache entry.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DeleteExpiring {
    pub table: ExpiringTable,
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
}

/// Deletes the expired rows of one table (what the Sessions, Search cache or API tokens screen
/// shows), or of all three when `table` is absent (the dashboard's clean-up, the CLI's).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct CleanupExpired {
    #[serde(default)]
    pub table: Option<ExpiringTable>,
}

impl Operation for ExtendExpiration {
    type Output = ();
    const NAME: &'static str = "expiring.extend";

    fn permission(&self) -> Permission {
        self.table.permission()
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        with_expiring!(self.table, M => extend::<M>(w, self).await)
    }
}

async fn extend<M: Expirable>(w: &mut Write<'_>, req: ExtendExpiration) -> Result<()> {
    let before: M = w.fresh(req.id, req.expected_updated_at).await?;
    let mut row = before.clone();
    expirable::extend_expiration(w, &mut row, req.seconds).await?;
    w.message(format!(
        "Extended {} {} by {} seconds",
        M::NAME,
        req.id,
        req.seconds
    ));
    w.changed(Some(&before), Some(&row), &[]);
    Ok(())
}

impl Operation for DeleteExpiring {
    type Output = ();
    const NAME: &'static str = "expiring.delete";

    fn permission(&self) -> Permission {
        self.table.permission()
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        with_expiring!(self.table, M => remove::<M>(w, self).await)
    }
}

async fn remove<M: Model>(w: &mut Write<'_>, req: DeleteExpiring) -> Result<()> {
    let before: M = w.fresh(req.id, req.expected_updated_at).await?;
    model::delete_if_unchanged::<M>(w, req.id, req.expected_updated_at).await?;
    w.message(format!("Deleted {} {}", M::NAME, req.id));
    w.changed(Some(&before), None, &[]);
    Ok(())
}

impl Operation for CleanupExpired {
    type Output = BTreeMap<&'static str, u64>;
    const NAME: &'static str = "expiring.cleanup";

    /// One table needs what deleting one of its rows needs (cache entries: an editor); all
    /// three need the strongest of those.
    fn permission(&self) -> Permission {
        self.table
            .map_or(Permission::ManageSessions, ExpiringTable::permission)
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Self::Output> {
        let tables = match self.table {
            Some(t) => vec![t.table()],
            None => EXPIRABLE.to_vec(),
        };
        let removed = utilities::bulk_cleanup_expired(w, &tables).await?;
        let total: u64 = removed.values().sum();
        w.message(format!("Removed {total} expired rows"));
        w.detail(
            "removed",
            serde_json::to_value(&removed).unwrap_or_default(),
        );
        Ok(removed)
    }
}
