//! What a database actually holds, read from its catalog when it is opened: its tables and
//! columns with their types and nullability, its index names, who made it (this app's
//! migrations, or another tool such as the WhoDis server's SQLAlchemy and Alembic) and how it
//! writes SQLite timestamps.
//!
//! Store code asks the shape before it names a column (a server database has no
//! `configuration.created_at`), so a database the app did not create is read and written
//! without any DDL. `compat` compares the shape with the compiled models; `adopt` plans the
//! optional additions.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::codec::TimeText;
use crate::error::Result;
use crate::exec::{Conn, Executor};

/// Our migrations' bookkeeping table.
pub const OUR_MIGRATIONS: &str = "_sqlx_migrations";
/// Other tools' migration tables we recognise.
const OTHER_MIGRATIONS: [&str; 2] = ["alembic_version", "flyway_schema_history"];

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A database without any table: this app creates its schema.
    Empty,
    /// Created and migrated by whodis-admin.
    Ours,
    /// Created by another program (the WhoDis server); never migrated by us.
    Foreign {
        /// The other tool's migration table, when there is one (`alembic_version`).
        migration_table: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    /// The catalog's type name: `int4`, `timestamptz`, `jsonb` (PostgreSQL `udt_name`), or the
    /// declared type on SQLite (`INTEGER`, `DATETIME`, `JSON`, possibly empty).
    pub sql_type: String,
    pub nullable: bool,
}

/// A database's tables, columns and indexes as its catalog reports them.
#[derive(Debug, Clone)]
pub struct Shape {
    pub origin: Origin,
    pub time_text: TimeText,
    tables: BTreeMap<String, Vec<ColumnInfo>>,
    /// Index (and PostgreSQL constraint) names, with their definition where there is one.
    indexes: BTreeMap<String, String>,
}

impl Shape {
    /// The shape of a pool whose catalog has not been read yet (only while opening).
    pub(crate) fn unread() -> Self {
        Shape {
            origin: Origin::Empty,
            time_text: TimeText::Rfc3339,
            tables: BTreeMap::new(),
            indexes: BTreeMap::new(),
        }
    }

    pub fn has_table(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    pub fn has_column(&self, table: &str, column: &str) -> bool {
        self.column(table, column).is_some()
    }

    pub fn column(&self, table: &str, column: &str) -> Option<&ColumnInfo> {
        self.tables.get(table)?.iter().find(|c| c.name == column)
    }

    pub fn columns(&self, table: &str) -> &[ColumnInfo] {
        self.tables
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// Whether an index (or, on PostgreSQL, a constraint) of this name exists.
    pub fn has_index(&self, name: &str) -> bool {
        self.indexes.contains_key(name)
    }

    /// Whether the index of this name covers exactly these columns, in this order.
    pub fn index_covers(&self, name: &str, columns: &[String]) -> bool {
        let Some(def) = self.indexes.get(name) else {
            return false;
        };
        let def: String = def
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"')
            .collect();
        def.to_ascii_lowercase()
            .contains(&format!("({})", columns.join(",")))
    }

    pub fn is_foreign(&self) -> bool {
        matches!(self.origin, Origin::Foreign { .. })
    }
}

/// Reads the catalog: one query for the columns of every table, one for the index names.
pub async fn inspect(ex: &mut impl Executor) -> Result<Shape> {
    type Columns = Vec<(String, String, String, bool)>;
    let (rows, indexes): (Columns, Vec<(String, Option<String>)>) = match ex.conn() {
        Conn::Sqlite(c) => {
            let rows = sqlx::query_as(
                "SELECT m.name, p.name, p.type, p.\"notnull\" = 0 \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
            )
            .fetch_all(&mut *c)
            .await?;
            let indexes = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(&mut *c)
            .await?;
            (rows, indexes)
        }
        Conn::Postgres(c) => {
            let rows = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text, c.udt_name::text, \
                        c.is_nullable = 'YES' \
                 FROM information_schema.columns c \
                 JOIN information_schema.tables t \
                   ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                 ORDER BY c.table_name, c.ordinal_position",
            )
            .fetch_all(&mut *c)
            .await?;
            let indexes = sqlx::query_as(
                "SELECT indexname::text, indexdef::text FROM pg_indexes \
                 WHERE schemaname = current_schema() \
                 UNION SELECT c.conname::text, NULL FROM pg_constraint c \
                 JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()",
            )
            .fetch_all(&mut *c)
            .await?;
            (rows, indexes)
        }
    };
    let mut tables: BTreeMap<String, Vec<ColumnInfo>> = BTreeMap::new();
    for (table, name, sql_type, nullable) in rows {
        tables.entry(table).or_default().push(ColumnInfo {
            name,
            sql_type,
            nullable,
        });
    }
    let origin = if tables.contains_key(OUR_MIGRATIONS) {
        Origin::Ours
    } else if tables.is_empty() {
        Origin::Empty
    } else {
        Origin::Foreign {
            migration_table: OTHER_MIGRATIONS
                .iter()
                .find(|t| tables.contains_key(**t))
                .map(|t| (*t).to_owned()),
        }
    };
    tables.remove(OUR_MIGRATIONS);
    let mut shape = Shape {
        origin,
        time_text: TimeText::Rfc3339,
        tables,
        indexes: indexes
            .into_iter()
            .map(|(name, def)| (name, def.unwrap_or_default()))
            .collect(),
    };
    if shape.is_foreign() {
        shape.time_text = sample_time_text(ex, &shape).await?;
    }
    Ok(shape)
}

/// On a SQLite database another program wrote, the text form its timestamps are in, judged
/// from a stored `created_at`; SQLAlchemy's when nothing is stored yet (the server's form).
async fn sample_time_text(ex: &mut impl Executor, shape: &Shape) -> Result<TimeText> {
    let Conn::Sqlite(c) = ex.conn() else {
        return Ok(TimeText::Rfc3339);
    };
    for table in ["users", "audit_log", "sessions"] {
        if !shape.has_column(table, "created_at") {
            continue;
        }
        // fixed table names from the list above, never input
        let sql =
            format!("SELECT created_at FROM {table} WHERE typeof(created_at) = 'text' LIMIT 1");
        let sample: Option<String> = sqlx::query_scalar(&sql).fetch_optional(&mut *c).await?;
        if let Some(form) = sample.as_deref().and_then(TimeText::of_sample) {
            return Ok(form);
        }
    }
    Ok(TimeText::SqlAlchemy)
}
