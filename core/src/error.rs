//! The one error type of `whodis-core`.
//!
//! Every variant carries a message a person can act on. None ever carries a secret, a bound
//! parameter value or raw SQL: database details are logged at debug level and summarised here.

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong with the database, in terms the UI can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DbErrorKind {
    /// The server is unreachable, refused us, or the pool timed out.
    Connection,
    /// A constraint other than a unique one (foreign key, check, not null) refused the write.
    Constraint,
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{entity} not found: {what}")]
    NotFound { entity: &'static str, what: String },

    /// Bad input. `field` names the offending field so the UI can show the message next to it.
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },

    /// The write collides with existing data (unique key) or with a concurrent change.
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },

    #[error("forbidden: {0}")]
    Forbidden(String),

    /// The connection is marked read-only (a profile's setting, or the CLI's `--read-only`):
    /// every write is refused before it starts, whatever the operator's role. Not a permission
    /// failure, so nothing is recorded. Names the connection.
    #[error("this connection is read-only: {0}")]
    ReadOnly(String),

    /// Decryption or encryption failed; the message names the row, never the value.
    #[error("crypto error: {0}")]
    Crypto(String),

    /// No encryption key is available for this database.
    #[error("encryption key missing: {0}")]
    KeyMissing(String),

    /// The OS keyring cannot be reached or is locked.
    #[error("keyring unavailable: {0}")]
    Keyring(String),

    #[error("database error: {message}")]
    Database { kind: DbErrorKind, message: String },
}

impl Error {
    /// A file the user chose could not be read or written (`action`: "read", "write").
    pub fn file(action: &str, path: &std::path::Path, e: &std::io::Error) -> Self {
        Error::invalid("path", format!("cannot {action} {}: {e}", path.display()))
    }

    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn not_found(entity: &'static str, what: impl Into<String>) -> Self {
        Error::NotFound {
            entity,
            what: what.into(),
        }
    }

    /// A stable, machine-readable name for the kind of error (used across IPC and by the CLI).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Invalid { .. } => "invalid",
            Error::Conflict { .. } => "conflict",
            Error::Forbidden(_) => "forbidden",
            Error::ReadOnly(_) => "read_only",
            Error::Crypto(_) => "crypto",
            Error::KeyMissing(_) => "key_missing",
            Error::Keyring(_) => "keyring",
            Error::Database { .. } => "database",
        }
    }

    /// The field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    fn database(kind: DbErrorKind, message: impl Into<String>) -> Self {
        Error::Database {
            kind,
            message: message.into(),
        }
    }
}

/// The serialisable form that crosses process boundaries (IPC, CLI stderr as JSON).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPayload {
    pub kind: &'static str,
    pub message: String,
    pub field: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            kind: e.kind(),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        tracing::debug!(error = %e, "database error");
        match &e {
            sqlx::Error::Database(db) if is_login_refused(db.code().as_deref()) => Error::database(
                DbErrorKind::Connection,
                format!("the server refused the login: {}", first_line(db.message())),
            ),
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => {
                    let columns = unique_violation_columns(db.as_ref());
                    let message = match &columns {
                        Some(c) => format!("a row with this {c} already exists"),
                        None => "a row with the same unique value already exists".to_owned(),
                    };
                    Error::Conflict {
                        field: columns,
                        message,
                    }
                }
                ErrorKind::ForeignKeyViolation => Error::database(
                    DbErrorKind::Constraint,
                    "the change refers to a row that does not exist, or is still referred to",
                ),
                ErrorKind::NotNullViolation | ErrorKind::CheckViolation => Error::database(
                    DbErrorKind::Constraint,
                    format!(
                        "a value was refused by a table constraint ({})",
                        first_line(db.message())
                    ),
                ),
                // PostgreSQL's data exceptions (class 22): a typed value its column's type
                // refuses, such as a malformed UUID or date. Said without the value, which may
                // be a secret typed into a masked box.
                _ if db.code().is_some_and(|c| c.starts_with("22")) => Error::invalid(
                    "value",
                    first_line(db.message())
                        .split(':')
                        .next()
                        .unwrap_or("a value the column's type refuses")
                        .to_owned(),
                ),
                _ => Error::database(DbErrorKind::Other, first_line(db.message())),
            },
            sqlx::Error::Io(io) => Error::database(DbErrorKind::Connection, unreachable(io)),
            sqlx::Error::Tls(reason) => Error::database(
                DbErrorKind::Connection,
                format!(
                    "TLS negotiation with the server failed: {}",
                    first_line(&reason.to_string())
                ),
            ),
            sqlx::Error::PoolTimedOut => Error::database(
                DbErrorKind::Connection,
                "timed out waiting for a database connection",
            ),
            sqlx::Error::PoolClosed => Error::database(
                DbErrorKind::Connection,
                "the database connection was closed",
            ),
            sqlx::Error::RowNotFound => Error::not_found("row", "no matching row"),
            sqlx::Error::ColumnDecode { index, .. } => Error::database(
                DbErrorKind::Other,
                format!("column {index} holds a value of an unexpected type"),
            ),
            sqlx::Error::Migrate(m) => {
                Error::database(DbErrorKind::Other, format!("migration: {m}"))
            }
            _ => Error::database(DbErrorKind::Other, "unexpected database error"),
        }
    }
}

/// PostgreSQL's class 28 (invalid authorization: a wrong password, an unknown role, no
/// `pg_hba.conf` entry) and 3D000 (no such database): the login, not a query, failed.
fn is_login_refused(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.starts_with("28") || c == "3D000")
}

/// What a failed connection attempt means for the person who typed the address.
fn unreachable(io: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match io.kind() {
        ErrorKind::ConnectionRefused => {
            "connection refused: nothing is listening at that host and port (is the server \
             running, and on this port?)"
                .to_owned()
        }
        ErrorKind::TimedOut => "the server did not answer in time".to_owned(),
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
            format!("the host cannot be reached from here: {io}")
        }
        // tokio reports a failed name lookup as an uncategorised error with this text
        _ if io.to_string().contains("lookup address") => {
            "the host name could not be resolved (check its spelling, or the DNS)".to_owned()
        }
        _ => format!("cannot reach the database server: {io}"),
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::database(DbErrorKind::Other, format!("migration: {e}"))
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_owned()
}

/// The columns of a violated unique constraint, without the values.
///
/// SQLite says `UNIQUE constraint failed: users.email`; PostgreSQL's detail says
/// `Key (email)=(x) already exists.` — only the part before `=` is kept, so no value leaks.
fn unique_violation_columns(db: &dyn sqlx::error::DatabaseError) -> Option<String> {
    // the case-insensitive email index names an expression, not a column
    if db.constraint() == Some("users_email_lower_key")
        || db.message().contains("users_email_lower_key")
    {
        return Some("email".into());
    }
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        let detail = pg.detail()?;
        let start = detail.find("Key (")? + 5;
        let end = detail[start..].find(")=")? + start;
        return Some(detail[start..end].to_owned());
    }
    let (_, cols) = db.message().split_once("failed: ")?;
    let names: Vec<&str> = cols
        .split(',')
        .map(|c| c.trim().rsplit('.').next().unwrap_or(c.trim()))
        .collect();
    Some(names.join(", "))
}
