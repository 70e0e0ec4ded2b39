//! Every difference between SQLite and PostgreSQL that store code needs, in one place.

use sea_query::{Expr, Func, SimpleExpr};

use crate::error::Result;
use crate::exec::{Conn, Executor};

/// Case-insensitive "contains". PostgreSQL gets `ILIKE`: its planner estimates that from the
/// column's statistics, while `lower(column) LIKE` has none (an expression) and was guessed so
/// rare that a page of a common word scanned and sorted the whole table (263 ms against 12 ms
/// walking the `created_at` index, 1M audit rows). SQLite has no `ILIKE`; `lower()` there.
pub fn contains_ci(column: SimpleExpr, needle: &str, postgres: bool) -> SimpleExpr {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = sea_query::LikeExpr::new(format!("%{escaped}%"));
    if postgres {
        // backslash is PostgreSQL's default escape; sea-query would wrap an explicit
        // `ESCAPE` after `ILIKE` in parentheses, which PostgreSQL rejects
        use sea_query::extension::postgres::PgExpr;
        Expr::expr(column).ilike(pattern)
    } else {
        Expr::expr(Func::lower(column)).like(pattern.escape('\\'))
    }
}

/// How many bytes a bytes column holds, as a BIGINT: `octet_length` counts bytes on both
/// backends (SQLite's `length` counts characters when a BLOB column holds text).
pub fn byte_size(column: &str) -> SimpleExpr {
    let size: SimpleExpr = Func::cust(sea_query::Alias::new("octet_length"))
        .arg(Expr::col(sea_query::Alias::new(column)))
        .into();
    size.cast_as(sea_query::Alias::new("BIGINT"))
}

pub async fn table_exists(ex: &mut impl Executor, table: &str) -> Result<bool> {
    let n: i64 = match ex.conn() {
        Conn::Sqlite(c) => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            )
            .bind(table)
            .fetch_one(c)
            .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(table)
            .fetch_one(c)
            .await?
        }
    };
    Ok(n > 0)
}

/// Names of the user tables in the database (migration bookkeeping excluded), sorted.
pub async fn table_names(ex: &mut impl Executor) -> Result<Vec<String>> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            )
            .fetch_all(c)
            .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            )
            .fetch_all(c)
            .await?
        }
    })
}

/// Column names of a table, in definition order.
pub async fn column_names(ex: &mut impl Executor, table: &str) -> Result<Vec<String>> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(table)
                .fetch_all(c)
                .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(c)
            .await?
        }
    })
}

/// A cheap row-count estimate for a whole table, from planner statistics (PostgreSQL) or the
/// highest rowid (SQLite, whose ids only grow). Used when an exact count would be slow.
pub async fn estimated_rows(ex: &mut impl Executor, table: &str) -> Result<i64> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            // `table` comes from the static schema registry, never from input.
            let sql = format!("SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\"");
            sqlx::query_scalar(&sql).fetch_one(c).await?
        }
        Conn::Postgres(c) => {
            let n: f32 = sqlx::query_scalar(
                "SELECT GREATEST(reltuples, 0)::real FROM pg_class \
                 WHERE oid = to_regclass($1)",
            )
            .bind(table)
            .fetch_optional(c)
            .await?
            .unwrap_or(0.0);
            n as i64
        }
    })
}

/// Row estimates of every table: PostgreSQL's planner statistics in one catalog query; on
/// SQLite the highest rowid of each (an index lookup; 0 for a table without rowids).
pub async fn estimated_rows_all(
    ex: &mut impl Executor,
    shape: &crate::schema::Shape,
) -> Result<std::collections::BTreeMap<String, i64>> {
    Ok(match ex.conn() {
        Conn::Postgres(c) => {
            let rows: Vec<(String, f32)> = sqlx::query_as(
                "SELECT c.relname::text, GREATEST(c.reltuples, 0)::real FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()",
            )
            .fetch_all(c)
            .await?;
            rows.into_iter().map(|(t, n)| (t, n as i64)).collect()
        }
        Conn::Sqlite(c) => {
            let mut out = std::collections::BTreeMap::new();
            for table in shape.table_names() {
                // a name from the catalog, quoted as an identifier
                let sql = format!(
                    "SELECT COALESCE(MAX(rowid), 0) FROM \"{}\"",
                    table.replace('"', "\"\"")
                );
                let n: i64 = sqlx::query_scalar(&sql)
                    .fetch_one(&mut *c)
                    .await
                    .unwrap_or(0);
                out.insert(table.to_owned(), n);
            }
            out
        }
    })
}

/// Up to `limit` encrypted configuration values whose first byte is `g`, the first byte of every
/// Fernet token (our envelope starts with 0x01): the candidates the caller checks, so a write
/// does not read every encrypted value to learn which format the database uses. SQLite compares
/// the byte's hex, which is the same whether the value was stored as a BLOB or as text.
pub async fn fernet_candidates(ex: &mut impl Executor, limit: i64) -> Result<Vec<Vec<u8>>> {
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            sqlx::query_scalar(
                "SELECT CAST(value AS BLOB) FROM configuration \
                 WHERE is_encrypted AND hex(substr(value, 1, 1)) = '67' LIMIT ?",
            )
            .bind(limit)
            .fetch_all(c)
            .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_scalar(
                "SELECT value FROM configuration \
                 WHERE is_encrypted AND substr(value, 1, 1) = '\\x67'::bytea LIMIT $1",
            )
            .bind(limit)
            .fetch_all(c)
            .await?
        }
    })
}

/// Rows per UTC day (`YYYY-MM-DD`) of `created_at` since `since`, oldest day first; days without
/// rows are absent. SQLite timestamps are text (RFC 3339 or SQLAlchemy's form), so the day is its first
/// ten characters; PostgreSQL formats the timestamp.
pub async fn count_per_day(
    ex: &mut impl Executor,
    table: &str,
    since: crate::time::Timestamp,
) -> Result<Vec<(String, i64)>> {
    // `table` comes from the static schema registry, never from input.
    let style = ex.shape().time_text;
    Ok(match ex.conn() {
        Conn::Sqlite(c) => {
            let sql = format!(
                "SELECT substr(created_at, 1, 10) AS day, COUNT(*) FROM \"{table}\" \
                 WHERE created_at >= ? GROUP BY day ORDER BY day"
            );
            sqlx::query_as(&sql)
                .bind(style.render(&since))
                .fetch_all(c)
                .await?
        }
        Conn::Postgres(c) => {
            let sql = format!(
                "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COUNT(*) \
                 FROM \"{table}\" WHERE created_at >= $1 GROUP BY day ORDER BY day"
            );
            sqlx::query_as(&sql).bind(since).fetch_all(c).await?
        }
    })
}

/// One value of a bulk-loaded row.
#[derive(Debug, Clone)]
pub enum Cell {
    Null,
    Text(String),
    Bool(bool),
    Time(crate::time::Timestamp),
    Json(serde_json::Value),
}

/// Loads many rows fast: PostgreSQL `COPY … FROM STDIN` (CSV), SQLite prepared inserts of many
/// rows each (one statement per row spent most of its time crossing to SQLite's thread). Runs on
/// the caller's executor, so inside a transaction it is atomic. `table` and `columns` come from
/// the static schema, never from input; values are bound (SQLite) or CSV-quoted (COPY). Call
/// [`refresh_statistics`] once the load is done.
pub async fn bulk_insert(
    ex: &mut impl Executor,
    table: &'static str,
    columns: &[&'static str],
    rows: &[Vec<Cell>],
) -> Result<u64> {
    let column_list = columns.join(", ");
    let style = ex.shape().time_text;
    match ex.conn() {
        Conn::Sqlite(c) => {
            // SQLite binds at most 32,766 values a statement; a few hundred rows already make
            // the per-statement cost vanish
            let per_statement = (32_766 / columns.len().max(1)).min(500);
            let one = format!("({})", vec!["?"; columns.len()].join(", "));
            for batch in rows.chunks(per_statement) {
                let sql = format!(
                    "INSERT INTO {table} ({column_list}) VALUES {}",
                    vec![one.as_str(); batch.len()].join(", ")
                );
                let mut q = sqlx::query(&sql);
                for cell in batch.iter().flatten() {
                    q = match cell {
                        Cell::Null => q.bind(None::<String>),
                        Cell::Text(s) => q.bind(s.as_str()),
                        Cell::Bool(b) => q.bind(*b),
                        Cell::Time(t) => q.bind(style.render(t)),
                        Cell::Json(v) => q.bind(v),
                    };
                }
                q.execute(&mut *c).await?;
            }
        }
        Conn::Postgres(c) => {
            let sql = format!("COPY {table} ({column_list}) FROM STDIN WITH (FORMAT csv)");
            let mut copy = c.copy_in_raw(&sql).await?;
            let mut buf = String::with_capacity(1 << 20);
            for row in rows {
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        buf.push(',');
                    }
                    match cell {
                        Cell::Null => {}
                        Cell::Text(s) => push_csv_quoted(&mut buf, s),
                        Cell::Bool(b) => buf.push_str(if *b { "t" } else { "f" }),
                        Cell::Time(t) => buf.push_str(&t.to_rfc3339()),
                        Cell::Json(v) => push_csv_quoted(&mut buf, &v.to_string()),
                    }
                }
                buf.push('\n');
                if buf.len() > (1 << 20) {
                    copy.send(buf.as_bytes()).await?;
                    buf.clear();
                }
            }
            if !buf.is_empty() {
                copy.send(buf.as_bytes()).await?;
            }
            copy.finish().await?;
        }
    }
    Ok(rows.len() as u64)
}

/// Drops a table's secondary indexes (not its primary key or unique ones) for a bulk load and
/// returns the statements that make them again: building an index once over loaded rows is
/// far cheaper than keeping seven of them up to date row by row. Inside the caller's
/// transaction, a failed load leaves the indexes as they were.
pub async fn drop_secondary_indexes(
    ex: &mut impl Executor,
    table: &'static str,
) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = match ex.conn() {
        Conn::Sqlite(c) => {
            sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
                 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            )
            .bind(table)
            .fetch_all(&mut *c)
            .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_as(
                "SELECT i.relname::text, pg_get_indexdef(x.indexrelid) FROM pg_index x \
                 JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
                 WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace \
                 AND NOT x.indisunique AND NOT x.indisprimary",
            )
            .bind(table)
            .fetch_all(&mut *c)
            .await?
        }
    };
    for (name, _) in &indexes {
        // the name comes from the catalog; quoted as an identifier all the same
        let drop = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
        crate::exec::execute_planned(ex, &drop).await?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Runs the statements [`drop_secondary_indexes`] returned.
pub async fn restore_indexes(ex: &mut impl Executor, statements: &[String]) -> Result<()> {
    for sql in statements {
        crate::exec::execute_planned(ex, sql).await?;
    }
    Ok(())
}

/// PostgreSQL only, after a bulk load has committed: `VACUUM (ANALYZE)` marks the new rows
/// visible to all in the visibility map, so a capped count reads the index alone (a filtered
/// list's total went from 11 ms to 2 ms on 700,000 rows). Outside any transaction, as VACUUM
/// must be.
pub async fn vacuum_after_load(db: &crate::Db, tables: &[&'static str]) -> Result<()> {
    if let crate::db::Pool::Postgres(p) = db.pool() {
        sqlx::query(&format!("VACUUM (ANALYZE) {}", tables.join(", ")))
            .execute(p)
            .await?;
    }
    Ok(())
}

/// Fresh planner statistics after a bulk load, so a list's estimated total is right at once
/// (it was stale after a load: 10,001 for 14,007 rows). PostgreSQL only: SQLite's estimate
/// does not use them.
pub async fn refresh_statistics(ex: &mut impl Executor, table: &'static str) -> Result<()> {
    if let Conn::Postgres(c) = ex.conn() {
        sqlx::query(&format!("ANALYZE {table}"))
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

fn push_csv_quoted(buf: &mut String, s: &str) {
    buf.push('"');
    buf.push_str(&s.replace('"', "\"\""));
    buf.push('"');
}
