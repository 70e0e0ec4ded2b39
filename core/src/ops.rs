//! Operations shared by the desktop app and the CLI: each opens what it needs on the `Db`,
//! commits as one unit, and returns a serialisable result.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::db::{Backend, Db};
use crate::error::Result;
use crate::list::{self, ListQuery, Page};
use crate::tables::{Table, EXPIRABLE};
use crate::utilities::{self, ModelStats};

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub backend: Backend,
    pub schema_version: i64,
    pub tables: BTreeMap<&'static str, ModelStats>,
    pub expired: BTreeMap<&'static str, i64>,
}

/// `get_model_stats` over every table, plus expired counts and the schema version.
pub async fn summary(db: &Db) -> Result<Summary> {
    let mut c = db.conn().await?;
    Ok(Summary {
        backend: db.backend(),
        schema_version: db.applied_versions().await?.last().copied().unwrap_or(0),
        tables: utilities::get_model_stats(&mut c, Table::ALL).await?,
        expired: utilities::expired_counts(&mut c).await?,
    })
}

/// `bulk_cleanup_expired` over every expirable table, in one transaction.
pub async fn cleanup_expired(db: &Db) -> Result<BTreeMap<&'static str, u64>> {
    let mut tx = db.begin().await?;
    let removed = utilities::bulk_cleanup_expired(&mut tx, &EXPIRABLE).await?;
    tx.commit().await?;
    Ok(removed)
}

pub async fn list(db: &Db, table: Table, query: &ListQuery) -> Result<Page> {
    let mut c = db.conn().await?;
    list::list_table(&mut c, table, query).await
}
