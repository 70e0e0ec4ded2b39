//! Operations shared by the desktop app and the CLI. Each takes a [`Ctx`] (database, operator,
//! keyring); reads pass [`Ctx::authorize`], writes are [`Operation`]s run by [`run`], which adds
//! the permission check, the audit row in the same transaction, and the error record.

pub mod cell_bytes;
pub mod chain;
pub mod compliance;
pub mod context;
pub mod directory;
pub mod expiring;
pub mod explore;
pub mod export;
pub mod health;
pub mod permission;
pub mod revert;
pub mod rows;
pub mod schema;
pub mod settings;
pub mod trail;
pub mod users;

use std::collections::BTreeMap;

use serde::Serialize;

pub use context::{Client, Ctx, FaultHook, USER_AGENT_PREFIX};
pub use permission::{Grant, Operator, Permission, Role, UnknownOperator};
pub use trail::{run, EventType, Operation, Write, REDACTED};

use crate::db::Backend;
use crate::error::Result;
use crate::list::{self, ListQuery, Page};
use crate::model::Column;
use crate::tables::Table;
use crate::utilities::{self, ModelStats};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub backend: Backend,
    pub schema_version: i64,
    pub tables: BTreeMap<&'static str, ModelStats>,
    pub expired: BTreeMap<&'static str, i64>,
}

/// `get_model_stats` over every table, plus expired counts and the schema version.
pub async fn summary(ctx: &Ctx) -> Result<Summary> {
    ctx.authorize(Permission::Read, "summary").await?;
    let db = &ctx.db;
    let mut c = db.conn().await?;
    Ok(Summary {
        backend: db.backend(),
        schema_version: db.applied_versions().await?.last().copied().unwrap_or(0),
        tables: utilities::get_model_stats(&mut c, Table::ALL).await?,
        expired: utilities::expired_counts(&mut c).await?,
    })
}

pub async fn list(ctx: &Ctx, table: Table, query: &ListQuery) -> Result<Page> {
    ctx.read(table.name(), async {
        list::list_table(&mut ctx.db.conn().await?, table, query).await
    })
    .await
}

/// How many rows the filters select, for a window that asks for its pages with `skip_total`.
pub async fn count(ctx: &Ctx, table: Table, query: &ListQuery) -> Result<list::Total> {
    ctx.read(table.name(), async {
        list::count_table(&mut ctx.db.conn().await?, table, query).await
    })
    .await
}

/// The table's columns that this database has, then the ones it computes (a user's activity).
pub async fn columns(ctx: &Ctx, table: Table) -> Result<Vec<Column>> {
    ctx.authorize(Permission::Read, table.name()).await?;
    let shape = ctx.db.shape();
    Ok(table
        .columns()
        .into_iter()
        .filter(|c| shape.has_column(table.name(), c.name))
        .chain(list::computed_columns(table, &shape))
        .collect())
}

/// Audit events on one UTC day.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub day: String,
    pub count: i64,
}

/// Audit events per day over the last `days` days (1–366), every day present (zero when quiet),
/// oldest first: the dashboard's chart.
pub async fn audit_per_day(ctx: &Ctx, days: u32) -> Result<Vec<DayCount>> {
    ctx.authorize(Permission::Read, Table::AuditLog.name())
        .await?;
    if !(1..=366).contains(&days) {
        return Err(crate::Error::invalid("days", "must be between 1 and 366"));
    }
    let today = crate::time::now().date_naive();
    let first = today - chrono::Days::new(u64::from(days) - 1);
    let since = first
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(crate::time::now);
    let counted: std::collections::BTreeMap<String, i64> =
        crate::dialect::count_per_day(&mut ctx.db.conn().await?, Table::AuditLog.name(), since)
            .await?
            .into_iter()
            .collect();
    Ok(first
        .iter_days()
        .take(days as usize)
        .map(|d| {
            let day = d.format("%Y-%m-%d").to_string();
            let count = counted.get(&day).copied().unwrap_or(0);
            DayCount { day, count }
        })
        .collect())
}

/// Who is operating, what they may do, and why the connection is read-only if it is.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    pub database: String,
    pub backend: Backend,
    /// Who made the database: this app, or another program (the WhoDis server), whose
    /// database is never migrated.
    pub origin: crate::schema::Origin,
    /// A WhoDis database (users with roles, an audit log): its dedicated screens apply. Any
    /// other database is browsed through the explorer only.
    pub whodis: bool,
    pub operator: Operator,
    pub read_only_reason: Option<String>,
    pub keyring_problem: Option<String>,
    pub app_session_id: String,
    pub grants: Vec<Grant>,
}

pub async fn session_info(ctx: &Ctx) -> Result<SessionInfo> {
    let operator = ctx.operator().await?;
    Ok(SessionInfo {
        database: ctx.url().to_string(),
        backend: ctx.db.backend(),
        origin: ctx.db.shape().origin.clone(),
        whodis: ctx.db.shape().is_whodis(),
        read_only_reason: match ctx.writable() {
            Err(e) => Some(e.to_string()),
            // no roles here: the login decides what may be written
            Ok(()) if !ctx.has_roles() => None,
            Ok(()) => operator.read_only_reason(ctx.unknown_operator),
        },
        keyring_problem: ctx.keyring_problem(),
        app_session_id: ctx.client.session_id.clone(),
        grants: ctx.grants().await?,
        operator,
    })
}
