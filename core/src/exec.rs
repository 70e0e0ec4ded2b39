//! The seam between store code and the two sqlx backends.
//!
//! Store functions take `&mut impl Executor` — a pooled connection or a caller-owned `Tx` — and
//! hand it a sea-query statement; the statement is rendered for the connection's dialect and
//! every value is bound, never spliced into SQL text.

use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_binder::SqlxBinder;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgConnection, SqliteConnection};

use crate::error::Result;

/// A borrowed connection on one of the two backends.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Anything store functions can run statements on: a pooled connection or a transaction.
pub trait Executor: Send {
    fn conn(&mut self) -> Conn<'_>;
}

/// A row type decodable from both backends.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

pub async fn fetch_all<T: Row>(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<Vec<T>> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_all(c)
                .await?
        }
        Conn::Postgres(c) => {
            let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
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
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_optional(c)
                .await?
        }
        Conn::Postgres(c) => {
            let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_optional(c)
                .await?
        }
    })
}

pub async fn fetch_one<T: Row>(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<T> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_one(c)
                .await?
        }
        Conn::Postgres(c) => {
            let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
            sqlx::query_as_with::<_, T, _>(&sql, values)
                .fetch_one(c)
                .await?
        }
    })
}

/// Runs a statement and returns the number of rows it affected.
pub async fn execute(ex: &mut impl Executor, stmt: &impl SqlxBinder) -> Result<u64> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
            sqlx::query_with(&sql, values)
                .execute(c)
                .await?
                .rows_affected()
        }
        Conn::Postgres(c) => {
            let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
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

/// Fixed SQL returning one `i64` column; never built from user input.
pub async fn fetch_i64s(ex: &mut impl Executor, sql: &'static str) -> Result<Vec<i64>> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
        Conn::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
    })
}
