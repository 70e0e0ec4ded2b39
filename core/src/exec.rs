//! The seam between store code and the two sqlx backends.
//!
//! Store functions take `&mut impl Executor` — a pooled connection or a caller-owned `Tx` — and
//! hand it a sea-query statement; the statement is rendered for the connection's dialect and
//! every value is bound, never spliced into SQL text.

use sea_query::Value;
use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_binder::{SqlxBinder, SqlxValues};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgConnection, SqliteConnection};

use crate::codec::TimeText;
use crate::error::Result;
use crate::schema::Shape;

/// A borrowed connection on one of the two backends.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Anything store functions can run statements on: a pooled connection or a transaction.
pub trait Executor: Send {
    fn conn(&mut self) -> Conn<'_>;
    /// What the database holds (tables, columns, how it writes SQLite timestamps).
    fn shape(&self) -> &Shape;
}

/// Text holding a NUL character cannot be bound on PostgreSQL (its error is a raw encoding
/// failure) and is cut short by most SQLite readers: refused on both, before the database.
fn refuse_nul(values: &sea_query::Values) -> Result<()> {
    let nul = values.0.iter().any(|v| match v {
        Value::String(Some(s)) => s.contains('\0'),
        Value::Json(Some(j)) => j.to_string().contains("\\u0000"),
        _ => false,
    });
    if nul {
        return Err(crate::Error::invalid(
            "value",
            "contains a NUL character, which the database cannot store or compare",
        ));
    }
    Ok(())
}

/// A statement rendered for SQLite, with timestamps bound as text in the form the database
/// already holds ([`TimeText`]), so comparisons with stored values compare like with like.
fn sqlite_sql(stmt: &impl SqlxBinder, style: TimeText) -> Result<(String, SqlxValues)> {
    let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
    refuse_nul(&values.0)?;
    if style == TimeText::Rfc3339 {
        return Ok((sql, values));
    }
    let values = values
        .0
         .0
        .into_iter()
        .map(|v| match v {
            Value::ChronoDateTimeUtc(Some(t)) => Value::String(Some(Box::new(style.render(&t)))),
            other => other,
        })
        .collect();
    Ok((sql, SqlxValues(sea_query::Values(values))))
}

/// A statement rendered for PostgreSQL.
fn pg_sql(stmt: &impl SqlxBinder) -> Result<(String, SqlxValues)> {
    let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
    refuse_nul(&values.0)?;
    Ok((sql, values))
}

/// A row type decodable from both backends.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

pub async fn fetch_all<T: Row>(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<Vec<T>> {
    let style = ex.shape().time_text;
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = sqlite_sql(stmt, style)?;
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_all(c)
                .await?
        }
        Conn::Postgres(c) => {
            let (sql, values) = pg_sql(stmt)?;
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_all(c)
                .await?
        }
    })
}

pub async fn fetch_optional<T: Row>(
    ex: &mut impl Executor,
    stmt: &impl SqlxBinder,
) -> Result<Option<T>> {
    let style = ex.shape().time_text;
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = sqlite_sql(stmt, style)?;
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_optional(c)
                .await?
        }
        Conn::Postgres(c) => {
            let (sql, values) = pg_sql(stmt)?;
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_optional(c)
                .await?
        }
    })
}

pub async fn fetch_one<T: Row>(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<T> {
    let style = ex.shape().time_text;
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = sqlite_sql(stmt, style)?;
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_one(c)
                .await?
        }
        Conn::Postgres(c) => {
            let (sql, values) = pg_sql(stmt)?;
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_one(c)
                .await?
        }
    })
}

/// A row the database returned that does not decode into its model: its id when that much is
/// readable, and which column failed and why (never the value).
#[derive(Debug, Clone)]
pub struct BadRow {
    pub id: Option<i64>,
    pub reason: String,
}

fn bad_row(id: Option<i64>, e: sqlx::Error) -> BadRow {
    let reason = match e {
        sqlx::Error::ColumnDecode { index, source } => format!("column {index} {source}"),
        sqlx::Error::ColumnNotFound(c) => format!("column {c} is missing"),
        other => other.to_string(),
    };
    BadRow { id, reason }
}

/// Like [`fetch_all`], but each row decodes on its own: one row that cannot be read is a
/// [`BadRow`] and the others still arrive.
pub async fn fetch_all_each<T: Row>(
    ex: &mut impl Executor,
    stmt: &impl SqlxBinder,
) -> Result<Vec<std::result::Result<T, BadRow>>> {
    use crate::codec::Cell;
    let style = ex.shape().time_text;
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = sqlite_sql(stmt, style)?;
            let rows = sqlx::query_with(&sql, values).fetch_all(c).await?;
            rows.iter()
                .map(|r| T::from_row(r).map_err(|e| bad_row(i64::sqlite(r, "id").ok(), e)))
                .collect()
        }
        Conn::Postgres(c) => {
            let (sql, values) = pg_sql(stmt)?;
            let rows = sqlx::query_with(&sql, values).fetch_all(c).await?;
            rows.iter()
                .map(|r| T::from_row(r).map_err(|e| bad_row(i64::pg(r, "id").ok(), e)))
                .collect()
        }
    })
}

/// Runs a statement and returns the number of rows it affected.
pub async fn execute(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<u64> {
    let style = ex.shape().time_text;
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = sqlite_sql(stmt, style)?;
            sqlx::query_with(&sql, values)
                .execute(c)
                .await?
                .rows_affected()
        }
        Conn::Postgres(c) => {
            let (sql, values) = pg_sql(stmt)?;
            sqlx::query_with(&sql, values)
                .execute(c)
                .await?
                .rows_affected()
        }
    })
}

/// The single `i64` a statement such as `SELECT COUNT(*)` returns.
pub async fn fetch_scalar(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<i64> {
    let (n,): (i64,) = fetch_one(ex, stmt).await?;
    Ok(n)
}

/// Fixed SQL with no parameters (DDL, bookkeeping); never built from user input.
pub async fn execute_raw(ex: &mut impl Executor, sql: &'static str) -> Result<u64> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => sqlx::query(sql).execute(c).await?.rows_affected(),
        Conn::Postgres(c) => sqlx::query(sql).execute(c).await?.rows_affected(),
    })
}

/// A statement we built from our own migrations or the catalog, never from input: an adopt
/// plan's (`compat::adopt_plan`), or the index definitions a bulk load drops and makes again.
pub async fn execute_planned(ex: &mut impl Executor, sql: &str) -> Result<u64> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => sqlx::query(sql).execute(c).await?.rows_affected(),
        Conn::Postgres(c) => sqlx::query(sql).execute(c).await?.rows_affected(),
    })
}

/// Fixed SQL returning one `i64` column; never built from user input.
pub async fn fetch_i64s(ex: &mut impl Executor, sql: &'static str) -> Result<Vec<i64>> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
        Conn::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
    })
}

/// Runs a statement over a table the explorer found and returns each row as JSON, every
/// column decoded by its kind ([`crate::codec::json_sqlite`]); cells that do not decode are
/// marked, so a row itself never fails.
pub async fn fetch_json_each(
    ex: &mut impl Executor,
    stmt: &impl SqlxBinder,
    columns: &[crate::model::Column],
) -> Result<Vec<std::result::Result<serde_json::Map<String, serde_json::Value>, BadRow>>> {
    use crate::codec::{json_pg, json_sqlite};
    let style = ex.shape().time_text;
    let each = |cell: &dyn Fn(&str, crate::model::ColumnKind) -> serde_json::Value| {
        columns
            .iter()
            .map(|c| (c.name.to_owned(), cell(c.name, c.kind)))
            .collect()
    };
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = sqlite_sql(stmt, style)?;
            let rows = sqlx::query_with(&sql, values).fetch_all(c).await?;
            rows.iter()
                .map(|r| Ok(each(&|name, kind| json_sqlite(r, name, kind))))
                .collect()
        }
        Conn::Postgres(c) => {
            let (sql, values) = pg_sql(stmt)?;
            let rows = sqlx::query_with(&sql, values).fetch_all(c).await?;
            rows.iter()
                .map(|r| Ok(each(&|name, kind| json_pg(r, name, kind))))
                .collect()
        }
    })
}
