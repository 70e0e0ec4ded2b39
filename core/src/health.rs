//! What the database's own catalog says about its size and upkeep: the size of the whole
//! database, of each table and of its indexes, live and dead rows, and when each table was last
//! vacuumed and analyzed. One catalog query per kind of figure (never one per table), so a
//! database with hundreds of tables reports at once. The SQL of each backend is here, in the
//! style of `dialect.rs`; what PostgreSQL or SQLite does not record is `None`, never guessed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::db::Backend;
use crate::error::{DbErrorKind, Error, Result};
use crate::exec::{Conn, Executor};
use crate::time::Timestamp;

/// The database as a whole, then table by table (sorted by name).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseHealth {
    pub backend: Backend,
    /// Bytes on disk: `pg_database_size`, or SQLite's page size × page count (the main file;
    /// a write-ahead log not yet checkpointed is not counted).
    pub database_bytes: i64,
    /// SQLite's page figures; `None` on PostgreSQL.
    pub pages: Option<SqlitePages>,
    /// Whether the per-table and per-index sizes could be read (SQLite needs its `dbstat`
    /// table for them).
    pub table_sizes_available: bool,
    pub tables: Vec<TableHealth>,
    /// What the figures mean on this backend, and which are unavailable and why.
    pub notes: Vec<String>,
}

/// SQLite's page accounting (`PRAGMA page_size`, `page_count`, `freelist_count`).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct SqlitePages {
    pub page_size: i64,
    pub page_count: i64,
    /// Pages no table uses any more (a VACUUM would give them back to the file system).
    pub freelist_count: i64,
}

/// One table. A figure the backend does not record is `None`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct TableHealth {
    pub name: String,
    /// The table's own bytes (PostgreSQL: heap, TOAST and maps; SQLite: its b-tree and
    /// overflow pages).
    pub table_bytes: Option<i64>,
    /// All its indexes together.
    pub index_bytes: Option<i64>,
    /// PostgreSQL: the statistics' estimate (`n_live_tup`); SQLite: counted from the table's
    /// pages by `dbstat`.
    pub live_rows: Option<i64>,
    /// PostgreSQL only (`n_dead_tup`): SQLite keeps no dead rows.
    pub dead_rows: Option<i64>,
    pub last_vacuum: Option<Timestamp>,
    pub last_autovacuum: Option<Timestamp>,
    pub last_analyze: Option<Timestamp>,
    pub last_autoanalyze: Option<Timestamp>,
    pub indexes: Vec<IndexHealth>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct IndexHealth {
    pub name: String,
    pub bytes: Option<i64>,
}

/// The report, read through `ex` (any connection that may read the catalog: a read-only login
/// gets it too).
pub async fn report(ex: &mut impl Executor) -> Result<DatabaseHealth> {
    if matches!(ex.conn(), Conn::Sqlite(_)) {
        sqlite_report(ex).await
    } else {
        postgres_report(ex).await
    }
}

type PgTableRow = (
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<Timestamp>,
    Option<Timestamp>,
    Option<Timestamp>,
    Option<Timestamp>,
);

/// The tables of the current schema (as the rest of the app sees them), ordinary, partitioned
/// or materialized.
const PG_TABLES: &str = "SELECT c.relname::text, pg_table_size(c.oid), pg_indexes_size(c.oid), \
     s.n_live_tup, s.n_dead_tup, s.last_vacuum, s.last_autovacuum, s.last_analyze, \
     s.last_autoanalyze \
     FROM pg_class c LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid \
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'm') \
     ORDER BY c.relname";

const PG_INDEXES: &str = "SELECT t.relname::text, i.relname::text, pg_relation_size(i.oid) \
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
     JOIN pg_class t ON t.oid = x.indrelid \
     WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind IN ('r', 'p', 'm') \
     ORDER BY t.relname, i.relname";

async fn postgres_report(ex: &mut impl Executor) -> Result<DatabaseHealth> {
    let Conn::Postgres(c) = ex.conn() else {
        unreachable!("postgres_report on a SQLite connection")
    };
    let database_bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut *c)
        .await?;
    let rows: Vec<PgTableRow> = sqlx::query_as(PG_TABLES).fetch_all(&mut *c).await?;
    let index_rows: Vec<(String, String, i64)> =
        sqlx::query_as(PG_INDEXES).fetch_all(&mut *c).await?;
    let mut indexes = group_indexes(
        index_rows
            .into_iter()
            .map(|(t, i, bytes)| (t, i, Some(bytes))),
    );
    let tables = rows
        .into_iter()
        .map(
            |(name, table, index, live, dead, vacuum, autovacuum, analyze, autoanalyze)| {
                TableHealth {
                    indexes: indexes.remove(&name).unwrap_or_default(),
                    name,
                    table_bytes: Some(table),
                    index_bytes: Some(index),
                    live_rows: live,
                    dead_rows: dead,
                    last_vacuum: vacuum,
                    last_autovacuum: autovacuum,
                    last_analyze: analyze,
                    last_autoanalyze: autoanalyze,
                }
            },
        )
        .collect();
    Ok(DatabaseHealth {
        backend: Backend::Postgres,
        database_bytes,
        pages: None,
        table_sizes_available: true,
        tables,
        notes: vec![
            "Live and dead rows are PostgreSQL's statistics: estimates, refreshed by Analyze \
             and autovacuum."
                .into(),
        ],
    })
}

/// Tables and indexes of the main database (SQLite's own `sqlite_*` tables left out), with
/// whether the table is WITHOUT ROWID, whose rows sit in every page of its b-tree.
const SQLITE_OBJECTS: &str = "SELECT s.type, s.name, s.tbl_name, COALESCE(t.wr, 0) \
     FROM sqlite_schema s LEFT JOIN pragma_table_list t \
     ON t.schema = 'main' AND t.name = s.name AND s.type = 'table' \
     WHERE s.type IN ('table', 'index') AND s.rootpage > 0 AND s.tbl_name NOT LIKE 'sqlite_%' \
     ORDER BY s.name";

/// Per b-tree: its bytes, the cells of its leaf pages and of all its pages. One pass over the
/// database's pages.
const SQLITE_DBSTAT: &str = "SELECT name, SUM(pgsize), \
     SUM(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END), \
     SUM(CASE WHEN pagetype IN ('leaf', 'internal') THEN ncell ELSE 0 END) \
     FROM dbstat GROUP BY name";

async fn sqlite_report(ex: &mut impl Executor) -> Result<DatabaseHealth> {
    let Conn::Sqlite(c) = ex.conn() else {
        unreachable!("sqlite_report on a PostgreSQL connection")
    };
    let (page_size, page_count, freelist_count): (i64, i64, i64) = sqlx::query_as(
        "SELECT page_size, page_count, freelist_count \
         FROM pragma_page_size(), pragma_page_count(), pragma_freelist_count()",
    )
    .fetch_one(&mut *c)
    .await?;
    let objects: Vec<(String, String, String, i64)> =
        sqlx::query_as(SQLITE_OBJECTS).fetch_all(&mut *c).await?;
    let dbstat: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'",
    )
    .fetch_one(&mut *c)
    .await?;
    // name → (bytes, leaf cells, all cells)
    let sizes: BTreeMap<String, (i64, i64, i64)> = if dbstat > 0 {
        let rows: Vec<(String, i64, i64, i64)> =
            sqlx::query_as(SQLITE_DBSTAT).fetch_all(&mut *c).await?;
        rows.into_iter()
            .map(|(name, bytes, leaf, all)| (name, (bytes, leaf, all)))
            .collect()
    } else {
        BTreeMap::new()
    };
    let available = dbstat > 0;
    let bytes_of = |name: &str| available.then(|| sizes.get(name).map_or(0, |s| s.0));
    let mut indexes = group_indexes(
        objects
            .iter()
            .filter(|(kind, ..)| kind == "index")
            .map(|(_, name, table, _)| (table.clone(), name.clone(), bytes_of(name))),
    );
    let tables = objects
        .iter()
        .filter(|(kind, ..)| kind == "table")
        .map(|(_, name, _, without_rowid)| {
            let indexes = indexes.remove(name).unwrap_or_default();
            let rows = available.then(|| {
                sizes.get(name).map_or(0, |&(_, leaf, all)| {
                    // a rowid table keeps its rows in its leaf pages only; a WITHOUT ROWID
                    // table's b-tree is an index, with rows on every page
                    if *without_rowid != 0 {
                        all
                    } else {
                        leaf
                    }
                })
            });
            TableHealth {
                name: name.clone(),
                table_bytes: bytes_of(name),
                index_bytes: available.then(|| indexes.iter().filter_map(|i| i.bytes).sum()),
                live_rows: rows,
                dead_rows: None,
                last_vacuum: None,
                last_autovacuum: None,
                last_analyze: None,
                last_autoanalyze: None,
                indexes,
            }
        })
        .collect();
    let mut notes = vec![
        "SQLite keeps no dead rows: deleted rows' pages go to the freelist, which VACUUM gives \
         back to the file system."
            .to_owned(),
        "SQLite does not record when a table was last vacuumed or analyzed.".to_owned(),
    ];
    if available {
        notes.push("Rows are counted from each table's pages (SQLite's dbstat).".into());
    } else {
        notes.push(
            "Per-table sizes and row counts are unavailable: this SQLite was built without \
             its dbstat table."
                .into(),
        );
    }
    Ok(DatabaseHealth {
        backend: Backend::Sqlite,
        database_bytes: page_size * page_count,
        pages: Some(SqlitePages {
            page_size,
            page_count,
            freelist_count,
        }),
        table_sizes_available: available,
        tables,
        notes,
    })
}

/// `(table, index, bytes)` rows → each table's indexes, in the order given.
fn group_indexes(
    rows: impl Iterator<Item = (String, String, Option<i64>)>,
) -> BTreeMap<String, Vec<IndexHealth>> {
    let mut out: BTreeMap<String, Vec<IndexHealth>> = BTreeMap::new();
    for (table, name, bytes) in rows {
        out.entry(table)
            .or_default()
            .push(IndexHealth { name, bytes });
    }
    out
}

/// What an Analyze did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Analyzed {
    /// Tables whose statistics were refreshed.
    pub tables: i64,
    /// PostgreSQL: tables this login may not analyze (neither their owner, the database's
    /// owner nor a superuser), left as they were.
    pub skipped: Vec<String>,
}

/// The error for an ANALYZE the database itself refused (a read-only login or file, a
/// standby), as opposed to a role the app refused.
fn refused(why: impl std::fmt::Display) -> Error {
    Error::Database {
        kind: DbErrorKind::Other,
        message: format!("the database refused ANALYZE: {why}"),
    }
}

fn refused_by(e: sqlx::Error) -> Error {
    match Error::from(e) {
        Error::Database { message, .. } => refused(message),
        other => other,
    }
}

/// Refreshes the planner statistics of every table this login may analyze, on `ex` (the
/// operation's transaction: PostgreSQL and SQLite both allow ANALYZE inside one).
pub async fn analyze(ex: &mut impl Executor) -> Result<Analyzed> {
    match ex.conn() {
        Conn::Sqlite(c) => {
            let tables: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 \
                 AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_one(&mut *c)
            .await?;
            sqlx::query("ANALYZE main")
                .execute(&mut *c)
                .await
                .map_err(refused_by)?;
            Ok(Analyzed {
                tables,
                skipped: Vec::new(),
            })
        }
        Conn::Postgres(c) => {
            let version: i32 =
                sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
                    .fetch_one(&mut *c)
                    .await?;
            // PostgreSQL 17 added the MAINTAIN privilege (and pg_maintain) that also allows it
            let maintain = if version >= 170_000 {
                " OR has_table_privilege(c.oid, 'MAINTAIN')"
            } else {
                ""
            };
            let sql = format!(
                "SELECT c.relname::text, (r.rolsuper OR pg_has_role(c.relowner, 'USAGE') \
                 OR pg_has_role(d.datdba, 'USAGE'){maintain}) \
                 FROM pg_class c, pg_database d, pg_roles r \
                 WHERE d.datname = current_database() AND r.rolname = current_user \
                 AND c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'm') \
                 ORDER BY c.relname"
            );
            let tables: Vec<(String, bool)> = sqlx::query_as(&sql).fetch_all(&mut *c).await?;
            let (allowed, skipped): (Vec<_>, Vec<_>) = tables.into_iter().partition(|t| t.1);
            if allowed.is_empty() && !skipped.is_empty() {
                let login: String = sqlx::query_scalar("SELECT current_user::text")
                    .fetch_one(&mut *c)
                    .await?;
                return Err(refused(format!(
                    "the login {login} may analyze none of the {} tables (ANALYZE needs the \
                     table's owner, the database's owner or a superuser)",
                    skipped.len()
                )));
            }
            if !allowed.is_empty() {
                let names: Vec<String> = allowed
                    .iter()
                    .map(|(name, _)| format!("\"{}\"", name.replace('"', "\"\"")))
                    .collect();
                sqlx::query(&format!("ANALYZE {}", names.join(", ")))
                    .execute(&mut *c)
                    .await
                    .map_err(refused_by)?;
            }
            Ok(Analyzed {
                tables: allowed.len() as i64,
                skipped: skipped.into_iter().map(|(name, _)| name).collect(),
            })
        }
    }
}
