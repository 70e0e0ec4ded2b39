//! Opening a WhoDis database from a URL, running its migrations, and handing out connections
//! and transactions. The pools live in a `Db` value owned by the caller (managed state in the
//! app, a local in the CLI); there is no global.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Postgres, Sqlite};

use crate::error::{Error, Result};
use crate::exec::{Conn, Executor};
use crate::schema::{Origin, Shape};

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
        // the text is not quoted back: it may be a secret pasted into the wrong field
        let hint = "use sqlite://PATH or postgres://USER@HOST:PORT/DB";
        Err(Error::invalid(
            "database_url",
            match url.split_once("://").map(|(scheme, _)| scheme) {
                Some(scheme)
                    if scheme.len() <= 20 && scheme.chars().all(|c| c.is_ascii_alphanumeric()) =>
                {
                    format!("unsupported database URL scheme '{scheme}': {hint}")
                }
                _ => format!("not a database URL: {hint}"),
            },
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

    /// The name an operator types to confirm a destructive change: the SQLite file's name, or
    /// the PostgreSQL database's.
    pub fn database_name(&self) -> String {
        match self {
            DbUrl::Sqlite(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            DbUrl::Postgres(url) => PgConnectOptions::from_str(url)
                .ok()
                .and_then(|o| o.get_database().map(str::to_owned))
                .unwrap_or_default(),
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

/// The URL with any password replaced by `***`, safe for messages and logs: the password in
/// the user part (up to the last `@`, so a raw `/`, `?` or `@` in it cannot end it early) and
/// any `password=` query parameter.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let (head, rest) = url.split_at(scheme_end + 3);
    let mut out = head.to_owned();
    let rest = match rest.rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            match userinfo.find(':') {
                Some(colon) => out.push_str(&format!("{}:***", &userinfo[..colon])),
                None => out.push_str(userinfo),
            }
            &rest[at..]
        }
        None => rest,
    };
    match rest.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            out.push_str(path);
            out.push('?');
            out.push_str(&query.join("&"));
        }
        None => out.push_str(rest),
    }
    out
}

/// An open database: a connection pool on one of the two backends, and what its catalog holds.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    shape: Arc<RwLock<Arc<Shape>>>,
    /// The SQLite file as it was when opened, to notice it being deleted or replaced.
    sqlite_file: Option<Arc<FileIdentity>>,
}

/// A file by path and by identity (device and inode where the OS has them).
struct FileIdentity {
    path: PathBuf,
    id: Option<(u64, u64)>,
}

fn file_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).ok().map(|_| (0, 0))
    }
}

impl FileIdentity {
    fn of(path: &Path) -> Self {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let id = file_id(&path);
        FileIdentity { path, id }
    }

    /// Refuses to write when another program deleted or replaced the database file or its
    /// write-ahead log while it was open here: SQLite would go on writing into the unlinked
    /// files, and every write would be lost when the app closes.
    fn check(&self) -> Result<()> {
        let gone = |what: String| Error::Database {
            kind: crate::error::DbErrorKind::Connection,
            message: format!(
                "{what} was deleted or replaced by another program while it was open here; \
                 nothing was written. Close and reopen the database"
            ),
        };
        if self.id.is_some() && file_id(&self.path) != self.id {
            return Err(gone(format!("the database file {}", self.path.display())));
        }
        if wal_unlinked(&self.path) {
            return Err(gone(format!(
                "the write-ahead log {}-wal",
                self.path.display()
            )));
        }
        Ok(())
    }
}

/// Whether this process still holds the database's `-wal` open after it was unlinked (Linux
/// shows such a descriptor as `<path>-wal (deleted)`).
fn wal_unlinked(db: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        let deleted = format!("{}-wal (deleted)", db.display());
        let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
            return false;
        };
        fds.flatten().any(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|target| target.as_os_str() == deleted.as_str())
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = db;
        false
    }
}

#[derive(Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// Opens a database (creating a missing SQLite file). A database this app made is brought
    /// up to date; an empty one gets our schema; one another program made (the WhoDis server's)
    /// is only read and written — never migrated — and `shape()` says what it holds. An
    /// up-to-date schema is only read, so a read-only login (a viewer's) can open it.
    pub async fn open(url: &DbUrl) -> Result<Self> {
        let db = Self::connect(url).await?;
        let origin = db.shape().origin.clone();
        if origin == Origin::Empty
            || (origin == Origin::Ours && db.applied_versions().await? != db.known_versions())
        {
            db.migrate().await?;
        }
        Ok(db)
    }

    /// Opens without running migrations (for `downgrade` and inspection); a missing SQLite
    /// file is created.
    pub async fn connect(url: &DbUrl) -> Result<Self> {
        Self::connect_with(url, true).await
    }

    /// Like [`Db::connect`], but a SQLite file that does not exist is an error, not a new
    /// database (a connection test creates nothing).
    pub async fn connect_existing(url: &DbUrl) -> Result<Self> {
        if let DbUrl::Sqlite(path) = url {
            if !path.is_file() {
                return Err(Error::invalid(
                    "database_url",
                    format!("there is no database at {}", path.display()),
                ));
            }
        }
        Self::connect_with(url, false).await
    }

    async fn connect_with(url: &DbUrl, create: bool) -> Result<Self> {
        let pool = match url {
            DbUrl::Sqlite(path) => {
                if let Some(dir) = path
                    .parent()
                    .filter(|d| create && !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        Error::invalid(
                            "database_url",
                            format!("cannot create {}: {e}", dir.display()),
                        )
                    })?;
                }
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(create)
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL: a commit is on disk before it returns; NORMAL in WAL may lose the
                    // last commits on a power cut or an OS crash
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await
                    .map_err(|e| connect_error(url, e))?;
                Pool::Sqlite(pool)
            }
            DbUrl::Postgres(u) => {
                // UTC sessions: a naive `timestamp` column (the server's `DateTime()`) is read
                // and written as UTC, the zone the server uses.
                // Custom plans always: after five runs PostgreSQL would plan a prepared page
                // generically, not knowing its LIMIT or pattern, and on 10M audit rows chose a
                // parallel scan for `message ILIKE $1` that took 90 ms instead of 3 ms.
                let options = PgConnectOptions::from_str(u)
                    .map_err(|_| Error::invalid("database_url", "malformed PostgreSQL URL"))?
                    .options([
                        ("TimeZone", "UTC"),
                        ("plan_cache_mode", "force_custom_plan"),
                    ]);
                first_contact(url, &options).await?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(|e| connect_error(url, e))?;
                Pool::Postgres(pool)
            }
        };
        let sqlite_file = match url {
            DbUrl::Sqlite(path) => Some(Arc::new(FileIdentity::of(path))),
            DbUrl::Postgres(_) => None,
        };
        let db = Db {
            pool,
            shape: Arc::new(RwLock::new(Arc::new(Shape::unread()))),
            sqlite_file,
        };
        db.refresh_shape().await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// What the database held when it was last inspected (on open, and after any DDL we ran).
    pub fn shape(&self) -> Arc<Shape> {
        match self.shape.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the catalog again (after migrations, an adopt, or a schema change by the server).
    pub async fn refresh_shape(&self) -> Result<Arc<Shape>> {
        let mut conn = self.conn().await?;
        let shape = Arc::new(crate::schema::inspect(&mut conn).await?);
        match self.shape.write() {
            Ok(mut s) => *s = Arc::clone(&shape),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&shape),
        }
        Ok(shape)
    }

    pub async fn migrate(&self) -> Result<()> {
        if self.shape().is_foreign() {
            return Err(foreign_refusal());
        }
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        self.refresh_shape().await?;
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
        if self.shape().is_foreign() {
            return Err(foreign_refusal());
        }
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.undo(p, target).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.undo(p, target).await?,
        }
        if target == 0 {
            let mut conn = self.conn().await?;
            crate::exec::execute_raw(&mut conn, "DROP TABLE IF EXISTS _sqlx_migrations").await?;
        }
        self.refresh_shape().await?;
        Ok(())
    }

    /// The applied migration versions, oldest first (none on a database we did not create).
    pub async fn applied_versions(&self) -> Result<Vec<i64>> {
        if self.shape().origin != Origin::Ours {
            return Ok(Vec::new());
        }
        let mut conn = self.conn().await?;
        crate::exec::fetch_i64s(
            &mut conn,
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .await
    }

    fn migrator(&self) -> &'static Migrator {
        match self.pool {
            Pool::Sqlite(_) => &SQLITE_MIGRATIONS,
            Pool::Postgres(_) => &POSTGRES_MIGRATIONS,
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
        let conn = match &self.pool {
            Pool::Sqlite(p) => PooledConn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => PooledConn::Postgres(p.acquire().await?),
        };
        Ok(PoolConn {
            conn,
            shape: self.shape(),
        })
    }

    /// A transaction owned by the caller: everything done on it commits together or not at all
    /// (the seed's `commit=False`). Dropping it without `commit` rolls back.
    pub async fn begin(&self) -> Result<Tx> {
        let tx = match &self.pool {
            // IMMEDIATE takes the write lock up front, so a read-then-write transaction waits
            // for `busy_timeout` instead of failing when another writer is active.
            Pool::Sqlite(p) => match p.begin_with("BEGIN IMMEDIATE").await {
                Ok(tx) => Transaction::Sqlite(tx),
                Err(e) => {
                    // a deleted write-ahead log or a replaced file can already fail the BEGIN
                    // (SQLite's "disk I/O error"): say which, as the check below would
                    if let Some(file) = &self.sqlite_file {
                        file.check()?;
                    }
                    return Err(e.into());
                }
            },
            Pool::Postgres(p) => Transaction::Postgres(p.begin().await?),
        };
        // checked once the write lock is held, so no other process can change the files between
        // this check and the writes
        if let Some(file) = &self.sqlite_file {
            file.check()?;
        }
        Ok(Tx {
            tx,
            shape: self.shape(),
        })
    }

    /// A transaction for loading millions of rows at once (the demo load), atomic like
    /// [`Db::begin`]. On SQLite it runs under a rollback journal when no other connection has
    /// the file open: SQLite's own documentation finds WAL slow for transactions over ~100 MB
    /// (every page read in the loading transaction is looked up through a WAL index that grows
    /// with the load), while a rollback journal writes new pages straight to the file and keeps
    /// only the few pages that existed before. Measured on 10M log rows: see bench/README.md.
    /// Other connections (another process, or this pool's) keep it in WAL, just slower.
    pub async fn begin_bulk(&self) -> Result<Tx> {
        let Pool::Sqlite(p) = &self.pool else {
            return self.begin().await;
        };
        // SQLite leaves WAL only with no other connection on the file: close this pool's idle
        // ones first, waiting briefly for those just released (they reach the idle queue a
        // moment later) and for an earlier load's dropped connection, which closes in the
        // background and holds its lock until then (a new connection's own journal pragma
        // would find the file locked); busy ones, or another process, keep the load in WAL
        for _ in 0..50 {
            while let Some(idle) = p.try_acquire() {
                let _ = idle.close().await;
            }
            if p.size() == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut conn = p.acquire().await?;
        // never back to the pool: its load settings stay with it, and dropping it before the
        // commit rolls the load back
        conn.close_on_drop();
        match sqlx::query_scalar::<_, String>("PRAGMA journal_mode = TRUNCATE")
            .fetch_one(&mut *conn)
            .await
        {
            Ok(mode) => tracing::debug!(journal = %mode, "bulk load journal"),
            Err(e) => tracing::debug!(error = %e, "bulk load stays in WAL"),
        }
        // a larger cache and helper threads for the index builds' sorts (per connection)
        for pragma in ["PRAGMA cache_size = -262144", "PRAGMA threads = 2"] {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
        if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
            if let Some(file) = &self.sqlite_file {
                file.check()?;
            }
            return Err(e.into());
        }
        if let Some(file) = &self.sqlite_file {
            file.check()?;
        }
        Ok(Tx {
            tx: Transaction::SqliteBulk(conn),
            shape: self.shape(),
        })
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Why migrations are refused on a database another program created.
fn foreign_refusal() -> Error {
    Error::invalid(
        "database",
        "this database was created by another program (the WhoDis server?); whodis-admin does \
         not migrate it. `whodis-admin schema` shows what it holds, `whodis-admin adopt --plan` \
         what could be added",
    )
}

/// How long the first connection to a PostgreSQL server may take (name lookup, TCP, TLS, login).
const FIRST_CONTACT: Duration = Duration::from_secs(5);

/// One connection, tried once, before the pool is made: the pool retries a refused or
/// unreachable server until its acquire timeout and then says only "timed out", where a single
/// try says at once what went wrong (refused, unknown host, login refused, TLS).
async fn first_contact(url: &DbUrl, options: &PgConnectOptions) -> Result<()> {
    use sqlx::Connection;
    match tokio::time::timeout(FIRST_CONTACT, sqlx::PgConnection::connect_with(options)).await {
        Ok(Ok(conn)) => {
            // a failed goodbye changes nothing: the server was reached
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(connect_error(url, e)),
        Err(_) => Err(Error::Database {
            kind: crate::error::DbErrorKind::Connection,
            message: format!(
                "cannot open {url}: no answer from the server within {} s (is a firewall \
                 dropping the packets, or the host down?)",
                FIRST_CONTACT.as_secs()
            ),
        }),
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

enum PooledConn {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

/// A pooled connection, with the shape of the database it belongs to.
pub struct PoolConn {
    conn: PooledConn,
    shape: Arc<Shape>,
}

enum Transaction {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    /// [`Db::begin_bulk`]'s: BEGIN and COMMIT by hand on a connection that is closed afterwards
    /// (closing it rolls back an uncommitted load), so its load settings never reach the pool.
    SqliteBulk(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// A caller-owned transaction, with the shape of the database it belongs to.
pub struct Tx {
    tx: Transaction,
    shape: Arc<Shape>,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self.tx {
            Transaction::Sqlite(t) => t.commit().await?,
            Transaction::SqliteBulk(mut c) => {
                sqlx::query("COMMIT").execute(&mut *c).await?;
                // back to the write-ahead log the app's connections use (a no-op where the
                // load stayed in it)
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&mut *c)
                    .await?;
                c.close().await?;
            }
            Transaction::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        match self.tx {
            Transaction::Sqlite(t) => t.rollback().await?,
            Transaction::SqliteBulk(mut c) => {
                sqlx::query("ROLLBACK").execute(&mut *c).await?;
                // as after a commit: the file goes back to the write-ahead log before the
                // connection closes, so the next connection does not meet a rollback journal
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&mut *c)
                    .await?;
                c.close().await?;
            }
            Transaction::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

impl Executor for PoolConn {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.conn {
            PooledConn::Sqlite(c) => Conn::Sqlite(c),
            PooledConn::Postgres(c) => Conn::Postgres(c),
        }
    }

    fn shape(&self) -> &Shape {
        &self.shape
    }
}

impl Executor for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.tx {
            Transaction::Sqlite(t) => Conn::Sqlite(t),
            Transaction::SqliteBulk(c) => Conn::Sqlite(c),
            Transaction::Postgres(t) => Conn::Postgres(t),
        }
    }

    fn shape(&self) -> &Shape {
        &self.shape
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
        // a raw / or ? in the password, and a password in the query
        assert_eq!(
            redact_url("postgres://u:p/a?ss@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact_url("postgres://u@h/db?sslmode=require&password=hunter2"),
            "postgres://u@h/db?sslmode=require&password=***"
        );
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
