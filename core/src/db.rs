//! Opening a WhoDis database from a URL, running its migrations, and handing out connections
//! and transactions. The pools live in a `Db` value owned by the caller (managed state in the
//! app, a local in the CLI); there is no global.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Postgres, Sqlite};

use crate::error::{Error, Result};
use crate::exec::{Conn, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where a database lives, parsed from a URL. `Display` never shows a password, and a
/// PostgreSQL URL (which may hold one) is zeroized when dropped.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Drop for DbUrl {
    fn drop(&mut self) {
        if let DbUrl::Postgres(url) = self {
            zeroize::Zeroize::zeroize(url);
        }
    }
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() || rest.starts_with(":memory:") {
                return Err(Error::invalid(
                    "database_url",
                    "a SQLite URL needs a file path, e.g. sqlite:///home/me/whodis.db",
                ));
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(rest)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // Validate now so a malformed URL is refused before any connection attempt.
            PgConnectOptions::from_str(url).map_err(|_| {
                Error::invalid(
                    "database_url",
                    format!("malformed PostgreSQL URL: {}", redact_url(url)),
                )
            })?;
            return Ok(DbUrl::Postgres(url.to_owned()));
        }
        Err(Error::invalid(
            "database_url",
            format!(
                "unsupported database URL '{}': use sqlite://PATH or postgres://USER@HOST:PORT/DB",
                redact_url(url)
            ),
        ))
    }

    pub fn sqlite_file(path: &Path) -> Self {
        DbUrl::Sqlite(path.to_path_buf())
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Sqlite(_) => Backend::Sqlite,
            DbUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

impl std::fmt::Display for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DbUrl::Postgres(u) => f.write_str(&redact_url(u)),
        }
    }
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbUrl({self})")
    }
}

/// The URL with any password replaced by `***`, safe for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => match authority[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end + 3],
                &authority[..colon],
                &rest[at..]
            ),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// An open database: a connection pool on one of the two backends.
#[derive(Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// Opens (creating a SQLite file if missing) and brings the schema up to date. An
    /// up-to-date schema is only read, so a read-only login (a viewer's) can open it.
    pub async fn open(url: &DbUrl) -> Result<Self> {
        let db = Self::connect(url).await?;
        if db.applied_versions().await? != db.known_versions() {
            db.migrate().await?;
        }
        Ok(db)
    }

    /// Opens without running migrations (for `downgrade` and inspection).
    pub async fn connect(url: &DbUrl) -> Result<Self> {
        match url {
            DbUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        Error::invalid(
                            "database_url",
                            format!("cannot create {}: {e}", dir.display()),
                        )
                    })?;
                }
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await
                    .map_err(|e| connect_error(url, e))?;
                Ok(Db::Sqlite(pool))
            }
            DbUrl::Postgres(u) => {
                let options = PgConnectOptions::from_str(u)
                    .map_err(|_| Error::invalid("database_url", "malformed PostgreSQL URL"))?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(|e| connect_error(url, e))?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Reverts migrations down to `target` (0 = empty database: the bookkeeping table goes too).
    pub async fn downgrade(&self, target: i64) -> Result<()> {
        if target < 0 {
            return Err(Error::invalid(
                "to",
                "the target version cannot be negative",
            ));
        }
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.undo(p, target).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.undo(p, target).await?,
        }
        if target == 0 {
            let mut conn = self.conn().await?;
            crate::exec::execute_raw(&mut conn, "DROP TABLE IF EXISTS _sqlx_migrations").await?;
        }
        Ok(())
    }

    /// The applied migration versions, oldest first.
    pub async fn applied_versions(&self) -> Result<Vec<i64>> {
        let mut conn = self.conn().await?;
        let exists = crate::dialect::table_exists(&mut conn, "_sqlx_migrations").await?;
        if !exists {
            return Ok(Vec::new());
        }
        crate::exec::fetch_i64s(
            &mut conn,
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .await
    }

    fn migrator(&self) -> &'static Migrator {
        match self {
            Db::Sqlite(_) => &SQLITE_MIGRATIONS,
            Db::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Every version the migrations embedded in this build apply, oldest first.
    fn known_versions(&self) -> Vec<i64> {
        let mut versions: Vec<i64> = self
            .migrator()
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| m.version)
            .collect();
        versions.sort_unstable();
        versions
    }

    /// The newest version the migrations embedded in this build know.
    pub fn latest_version(&self) -> i64 {
        self.known_versions().last().copied().unwrap_or(0)
    }

    /// A pooled connection for reads and single statements (each commits on its own).
    pub async fn conn(&self) -> Result<PoolConn> {
        Ok(match self {
            Db::Sqlite(p) => PoolConn::Sqlite(p.acquire().await?),
            Db::Postgres(p) => PoolConn::Postgres(p.acquire().await?),
        })
    }

    /// A transaction owned by the caller: everything done on it commits together or not at all
    /// (the seed's `commit=False`). Dropping it without `commit` rolls back.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            // IMMEDIATE takes the write lock up front, so a read-then-write transaction waits
            // for `busy_timeout` instead of failing when another writer is active.
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

fn connect_error(url: &DbUrl, e: sqlx::Error) -> Error {
    let base = Error::from(e);
    match base {
        Error::Database { kind, message } => Error::Database {
            kind,
            message: format!("cannot open {url}: {message}"),
        },
        other => other,
    }
}

pub enum PoolConn {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

impl Executor for PoolConn {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            PoolConn::Sqlite(c) => Conn::Sqlite(c),
            PoolConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Executor for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact_url("postgres://u:s3cret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("postgres://u:p@ss@h/db?x=1"),
            "postgres://u:***@h/db?x=1"
        );
    }

    #[test]
    fn parses_and_refuses_urls() {
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/a.db").ok(),
            Some(DbUrl::Sqlite("/tmp/a.db".into()))
        );
        assert_eq!(
            DbUrl::parse("sqlite:rel.db").ok(),
            Some(DbUrl::Sqlite("rel.db".into()))
        );
        let err = DbUrl::parse("mysql://root:hunter2@h/db")
            .err()
            .map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(
            err.contains("unsupported") && !err.contains("hunter2"),
            "{err}"
        );
        let err = DbUrl::parse("postgres://u:hunter2@h:notaport/db")
            .err()
            .map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(
            err.contains("malformed") && !err.contains("hunter2"),
            "{err}"
        );
        assert!(DbUrl::parse("sqlite::memory:").is_err());
    }
}
