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
    /// The default the database fills in when an insert leaves the column out, as the catalog
    /// writes it (`0`, `'user'::character varying`, `nextval('users_id_seq'::regclass)`,
    /// `CURRENT_TIMESTAMP`). SQLAlchemy's Python-side defaults are not in any catalog.
    pub default: Option<String>,
}

/// One index of a table: its columns in order (expressions left out), and whether it is unique
/// (a primary key's index is both).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A foreign key: `columns` of this table reference `ref_columns` of `ref_table`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub table: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
}

/// A table's keys as the catalog declares them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableKeys {
    pub primary_key: Vec<String>,
    pub indexes: Vec<IndexInfo>,
    /// The foreign keys this table declares (its references to other tables).
    pub foreign_keys: Vec<ForeignKey>,
}

/// A database's tables, columns and indexes as its catalog reports them.
#[derive(Debug, Clone)]
pub struct Shape {
    pub origin: Origin,
    pub time_text: TimeText,
    /// Read from PostgreSQL (its catalog types name what a value is cast to for comparing).
    pub postgres: bool,
    tables: BTreeMap<String, Vec<ColumnInfo>>,
    /// Index (and PostgreSQL constraint) names, with their definition where there is one.
    indexes: BTreeMap<String, String>,
    keys: BTreeMap<String, TableKeys>,
}

impl Shape {
    /// The shape of a pool whose catalog has not been read yet (only while opening).
    pub(crate) fn unread() -> Self {
        Shape {
            origin: Origin::Empty,
            time_text: TimeText::Rfc3339,
            postgres: false,
            tables: BTreeMap::new(),
            indexes: BTreeMap::new(),
            keys: BTreeMap::new(),
        }
    }

    /// The primary key, indexes and foreign keys of a table (empty for an unknown one).
    pub fn keys(&self, table: &str) -> &TableKeys {
        static NONE: std::sync::OnceLock<TableKeys> = std::sync::OnceLock::new();
        self.keys
            .get(table)
            .unwrap_or_else(|| NONE.get_or_init(TableKeys::default))
    }

    /// The foreign keys of other tables (and this one) that reference `table`.
    pub fn referenced_by(&self, table: &str) -> Vec<&ForeignKey> {
        self.keys
            .values()
            .flat_map(|k| &k.foreign_keys)
            .filter(|fk| fk.ref_table == table)
            .collect()
    }

    /// Whether this is a WhoDis database: its `users` carry roles and it keeps an audit log.
    /// Any other database is explored with the database login as the only boundary.
    pub fn is_whodis(&self) -> bool {
        self.has_column("users", "role") && self.has_table("audit_log")
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
    type Columns = Vec<(String, String, String, bool, Option<String>)>;
    let (rows, indexes): (Columns, Vec<(String, Option<String>)>) = match ex.conn() {
        Conn::Sqlite(c) => {
            let rows = sqlx::query_as(
                "SELECT m.name, p.name, p.type, p.\"notnull\" = 0, p.dflt_value \
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
                // pg_catalog rather than information_schema, whose views took 4.3 s on a
                // database of 500 tables (bench/explore_tables.sh); this takes milliseconds
                "SELECT c.relname::text, a.attname::text, t.typname::text, NOT a.attnotnull, \
                        pg_get_expr(d.adbin, d.adrelid) \
                 FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
                 JOIN pg_type t ON t.oid = a.atttypid \
                 LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
                 ORDER BY c.relname, a.attnum",
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
    for (table, name, sql_type, nullable, default) in rows {
        tables.entry(table).or_default().push(ColumnInfo {
            name,
            sql_type,
            nullable,
            default,
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
    let keys = read_keys(ex, &tables).await?;
    let postgres = matches!(ex.conn(), Conn::Postgres(_));
    let mut shape = Shape {
        origin,
        time_text: TimeText::Rfc3339,
        postgres,
        tables,
        indexes: indexes
            .into_iter()
            .map(|(name, def)| (name, def.unwrap_or_default()))
            .collect(),
        keys,
    };
    if shape.is_foreign() {
        shape.time_text = sample_time_text(ex, &shape).await?;
    }
    Ok(shape)
}

/// Primary keys, index columns and foreign keys of every table: one catalog query per kind.
async fn read_keys(
    ex: &mut impl Executor,
    tables: &BTreeMap<String, Vec<ColumnInfo>>,
) -> Result<BTreeMap<String, TableKeys>> {
    // (table, key name, column, position, unique, primary)
    type IndexRow = (String, String, String, i64, bool, bool);
    // (table, constraint id, column, referenced table, referenced column)
    type FkRow = (String, String, String, String, Option<String>);
    let (index_rows, fk_rows): (Vec<IndexRow>, Vec<FkRow>) = match ex.conn() {
        Conn::Sqlite(c) => {
            // a rowid alias (INTEGER PRIMARY KEY) has no index of its own: its key is the pk
            // column of table_info; other primary keys and unique constraints have autoindexes
            let pk = sqlx::query_as::<_, IndexRow>(
                "SELECT m.name, 'primary key', p.name, p.pk, 1, 1 \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND p.pk > 0",
            )
            .fetch_all(&mut *c)
            .await?;
            let mut rows = sqlx::query_as::<_, IndexRow>(
                "SELECT m.name, il.name, ii.name, ii.seqno, il.\"unique\", il.origin = 'pk' \
                 FROM sqlite_master m JOIN pragma_index_list(m.name) il \
                 JOIN pragma_index_info(il.name) ii \
                 WHERE m.type = 'table' AND ii.name IS NOT NULL \
                 ORDER BY m.name, il.name, ii.seqno",
            )
            .fetch_all(&mut *c)
            .await?;
            rows.retain(|r| !r.5);
            rows.extend(pk);
            let fks = sqlx::query_as(
                "SELECT m.name, CAST(f.id AS TEXT), f.\"from\", f.\"table\", f.\"to\" \
                 FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
            )
            .fetch_all(&mut *c)
            .await?;
            (rows, fks)
        }
        Conn::Postgres(c) => {
            let rows = sqlx::query_as(
                "SELECT t.relname::text, i.relname::text, a.attname::text, k.n, \
                        ix.indisunique, ix.indisprimary \
                 FROM pg_index ix \
                 JOIN pg_class t ON t.oid = ix.indrelid \
                 JOIN pg_class i ON i.oid = ix.indexrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE ns.nspname = current_schema() \
                 ORDER BY 1, 2, 4",
            )
            .fetch_all(&mut *c)
            .await?;
            let fks = sqlx::query_as(
                "SELECT t.relname::text, con.conname::text, a.attname::text, r.relname::text, \
                        ra.attname::text \
                 FROM pg_constraint con \
                 JOIN pg_class t ON t.oid = con.conrelid \
                 JOIN pg_class r ON r.oid = con.confrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY \
                      AS k(attnum, refnum, n) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.refnum \
                 WHERE con.contype = 'f' AND ns.nspname = current_schema() \
                 ORDER BY 1, 2, k.n",
            )
            .fetch_all(&mut *c)
            .await?;
            (rows, fks)
        }
    };
    let mut keys: BTreeMap<String, TableKeys> = BTreeMap::new();
    for (table, name, column, _, unique, primary) in index_rows {
        if !tables.contains_key(&table) {
            continue;
        }
        let entry = keys.entry(table).or_default();
        if primary {
            entry.primary_key.push(column.clone());
        }
        if name == "primary key" {
            continue;
        }
        match entry.indexes.iter_mut().find(|i| i.name == name) {
            Some(index) => index.columns.push(column),
            None => entry.indexes.push(IndexInfo {
                name,
                columns: vec![column],
                unique,
            }),
        }
    }
    let mut last: Option<(String, String)> = None;
    for (table, id, column, ref_table, ref_column) in fk_rows {
        if !tables.contains_key(&table) {
            continue;
        }
        // SQLite leaves `to` empty for a reference to the other table's primary key
        let ref_column = match ref_column {
            Some(c) => c,
            None => keys
                .get(&ref_table)
                .and_then(|k| k.primary_key.first().cloned())
                .unwrap_or_else(|| "id".to_owned()),
        };
        let entry = keys.entry(table.clone()).or_default();
        let same = last.as_ref() == Some(&(table.clone(), id.clone()));
        match entry.foreign_keys.last_mut() {
            Some(fk) if same => {
                fk.columns.push(column);
                fk.ref_columns.push(ref_column);
            }
            _ => entry.foreign_keys.push(ForeignKey {
                table: table.clone(),
                columns: vec![column],
                ref_table,
                ref_columns: vec![ref_column],
            }),
        }
        last = Some((table, id));
    }
    Ok(keys)
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
