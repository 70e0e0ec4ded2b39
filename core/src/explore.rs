//! The explorer's view of any table: its description built from the catalog ([`Shape`]), in the
//! same [`Column`] terms a compiled model declares, so the one list engine serves both; and the
//! seeds' conventions recognised by column name (store timestamps, `expires_at`, `is_active`,
//! secret names, JSON, bytes, user-tracking columns), shown as badges.

use std::collections::HashSet;
use std::sync::Mutex;

use serde::Serialize;

use crate::activity::Activity;
use crate::error::{Error, Result};
use crate::model::{is_sensitive, masking_of, Column, ColumnKind};
use crate::schema::{ForeignKey, IndexInfo, Shape};

/// A name from the catalog as the `&'static str` a [`Column`] holds. Each distinct name is
/// stored once for the life of the process, so memory is bounded by the identifiers seen, not
/// by how often a catalog is read.
pub fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut guard = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let names = guard.get_or_insert_with(HashSet::new);
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// The kind a catalog type stores, on either backend (PostgreSQL's `udt_name`, SQLite's declared
/// type, which SQLAlchemy writes as `VARCHAR(255)`, `DATETIME`, `JSON`, `BLOB`, …).
pub fn kind_of(sql_type: &str) -> ColumnKind {
    let t = sql_type.to_ascii_lowercase();
    let base = t.split('(').next().unwrap_or("").trim();
    if base.starts_with('_') || base.ends_with("[]") {
        // PostgreSQL arrays: read as JSON
        return ColumnKind::Json;
    }
    match base {
        "int2" | "int4" | "int8" | "integer" | "int" | "bigint" | "smallint" | "tinyint"
        | "mediumint" | "serial" | "bigserial" => ColumnKind::Int,
        "bool" | "boolean" => ColumnKind::Bool,
        "timestamp"
        | "timestamptz"
        | "datetime"
        | "timestamp with time zone"
        | "timestamp without time zone" => ColumnKind::Timestamp,
        "json" | "jsonb" => ColumnKind::Json,
        "bytea" | "blob" | "binary" | "varbinary" | "largebinary" => ColumnKind::Bytes,
        "float4" | "float8" | "real" | "float" | "double" | "double precision" | "numeric"
        | "decimal" => ColumnKind::Number,
        "text" | "varchar" | "bpchar" | "char" | "character" | "character varying" | "name"
        | "citext" | "clob" | "string" | "" => ColumnKind::Text,
        // dates, times, UUIDs, enums, network addresses, intervals, …: shown as their text
        _ => ColumnKind::Other,
    }
}

/// A convention of the seeds' mixins recognised on a column.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    /// `created_at` / `updated_at`: set by the store on write.
    StoreTimestamp,
    /// `expires_at`: expired rows can be counted and removed.
    Expires,
    /// `is_active`: an active filter.
    Active,
    /// A secret by its name (`hashed_password`, `access_token`): masked, never listed.
    Secret,
    /// A session id shown by its start only.
    Prefix,
    Json,
    Bytes,
    /// `user_email`, `ip_address`, `session_id`, `user_agent`: quick filters.
    Tracking,
    /// References another table.
    ForeignKey,
}

const TRACKING: [&str; 4] = ["user_email", "ip_address", "session_id", "user_agent"];

fn badges_of(c: &Column, is_fk: bool) -> Vec<Badge> {
    let mut out = Vec::new();
    match c.name {
        "created_at" | "updated_at" if c.kind == ColumnKind::Timestamp => {
            out.push(Badge::StoreTimestamp)
        }
        "expires_at" if c.kind == ColumnKind::Timestamp => out.push(Badge::Expires),
        "is_active" if c.kind == ColumnKind::Bool => out.push(Badge::Active),
        _ => {}
    }
    if c.sensitive {
        out.push(Badge::Secret);
    } else if c.masking == crate::model::Masking::Prefix {
        out.push(Badge::Prefix);
    }
    match c.kind {
        ColumnKind::Json => out.push(Badge::Json),
        ColumnKind::Bytes => out.push(Badge::Bytes),
        _ => {}
    }
    if TRACKING.contains(&c.name) {
        out.push(Badge::Tracking);
    }
    if is_fk {
        out.push(Badge::ForeignKey);
    }
    out
}

/// A table as the explorer sees it: its columns in the list engine's terms, the key its pages
/// are resumed by, and how it links to other tables.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub name: &'static str,
    pub columns: Vec<Column>,
    /// Catalog type of each column, in the same order.
    pub sql_types: Vec<String>,
    /// The columns that tell rows apart (the primary key, else a unique index of non-null
    /// columns): a page's tie-breakers. Empty when the table has none.
    pub row_key: Vec<&'static str>,
    /// Seed 004's computed activity, when sessions or activity tables refer to this one.
    pub activity: Option<Activity>,
    /// Read from PostgreSQL: a value compared with a column of a type the app knows only as
    /// text (UUID, date, enum…) is cast to that type, so its index serves the comparison.
    pub postgres: bool,
}

impl Discovered {
    /// Describes `table` from the catalog; an unknown table is refused as invalid input.
    pub fn of(shape: &Shape, table: &str) -> Result<Discovered> {
        if !shape.has_table(table) {
            return Err(Error::invalid(
                "table",
                format!(
                    "this database has no table '{table}'; `whodis-admin tables` (or Tables in \
                     the window) lists them"
                ),
            ));
        }
        let keys = shape.keys(table);
        let indexed: HashSet<&str> = keys
            .primary_key
            .iter()
            .take(1)
            .chain(keys.indexes.iter().filter_map(|i| i.columns.first()))
            .map(String::as_str)
            .collect();
        let infos = shape.columns(table);
        let columns = infos
            .iter()
            .map(|info| {
                let kind = kind_of(&info.sql_type);
                let sensitive = is_sensitive(&info.name);
                let masking = masking_of(&info.name);
                Column {
                    name: intern(&info.name),
                    kind,
                    nullable: info.nullable,
                    sortable: indexed.contains(info.name.as_str())
                        && !sensitive
                        && masking == crate::model::Masking::Clear
                        && !matches!(
                            kind,
                            ColumnKind::Bytes | ColumnKind::Json | ColumnKind::Other
                        ),
                    sensitive,
                    masking,
                }
            })
            .collect();
        let not_null = |c: &String| shape.column(table, c).is_some_and(|i| !i.nullable);
        let row_key: Vec<&'static str> = if !keys.primary_key.is_empty() {
            keys.primary_key.iter().map(|c| intern(c)).collect()
        } else {
            keys.indexes
                .iter()
                .find(|i| i.unique && i.columns.iter().all(not_null))
                .map(|i| i.columns.iter().map(|c| intern(c)).collect())
                .unwrap_or_default()
        };
        Ok(Discovered {
            name: intern(table),
            columns,
            sql_types: infos.iter().map(|i| i.sql_type.clone()).collect(),
            row_key,
            activity: Activity::of(shape, table),
            postgres: shape.postgres,
        })
    }

    /// One of the table's stored columns by name, or a clear refusal.
    pub fn column(&self, name: &str) -> Result<&Column> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| {
            Error::invalid("column", format!("{} has no column '{name}'", self.name))
        })
    }

    /// The type each compared value is cast to, by column: on PostgreSQL, the catalog type of
    /// every column the app knows only as text (a UUID key compared with text is an error
    /// there, and compared as text it would miss its index). SQLite compares such text as is.
    pub fn casts(&self) -> Vec<(&'static str, String)> {
        if !self.postgres {
            return Vec::new();
        }
        self.columns
            .iter()
            .zip(&self.sql_types)
            .filter(|(c, _)| c.kind == ColumnKind::Other)
            .map(|(c, ty)| (c.name, ty.clone()))
            .collect()
    }

    /// The stored columns, then the computed ones: what a list of this table shows.
    pub fn listed_columns(&self) -> Vec<Column> {
        let computed = self.activity.iter().flat_map(|a| a.columns.iter());
        self.columns.iter().chain(computed).cloned().collect()
    }

    /// The key pages are resumed by, or a clear refusal for a table without one (a page by
    /// OFFSET would be a scan on a big table, and rows without a key cannot be told apart).
    pub fn require_row_key(&self) -> Result<&[&'static str]> {
        if self.row_key.is_empty() {
            return Err(Error::invalid(
                "table",
                format!(
                    "'{}' has no primary key or unique non-null index, so its rows cannot be \
                     paged or told apart; add a key to browse it",
                    self.name
                ),
            ));
        }
        Ok(&self.row_key)
    }
}

/// One column as `whodis-admin tables` and the Tables screen show it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ColumnSummary {
    pub name: String,
    pub sql_type: String,
    pub kind: ColumnKind,
    pub nullable: bool,
    pub sortable: bool,
    pub badges: Vec<Badge>,
    /// `table.column` this column references, when it is (part of) a foreign key.
    pub references: Option<String>,
    /// What the database fills in when an insert leaves it out, as the catalog writes it.
    pub default: Option<String>,
}

/// One table: columns, keys, links both ways, conventions and a row estimate.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct TableSummary {
    pub name: String,
    pub columns: Vec<ColumnSummary>,
    pub primary_key: Vec<String>,
    pub indexes: Vec<IndexInfo>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Foreign keys of other tables that reference this one (its children).
    pub referenced_by: Vec<ForeignKey>,
    /// The table-level conventions: the union of its columns' badges.
    pub badges: Vec<Badge>,
    /// Rows, from planner statistics (PostgreSQL) or the highest rowid (SQLite).
    pub row_estimate: i64,
    /// A table the app has a dedicated model (and screen) for.
    pub whodis_model: bool,
}

/// Summarises `table` (row estimate filled in by the caller, which owns a connection).
pub fn summarize(shape: &Shape, table: &str) -> Result<TableSummary> {
    let d = Discovered::of(shape, table)?;
    let keys = shape.keys(table);
    let reference_of = |column: &str| {
        keys.foreign_keys.iter().find_map(|fk| {
            let i = fk.columns.iter().position(|c| c == column)?;
            Some(format!("{}.{}", fk.ref_table, fk.ref_columns.get(i)?))
        })
    };
    let columns: Vec<ColumnSummary> = d
        .columns
        .iter()
        .zip(&d.sql_types)
        .map(|(c, ty)| {
            let references = reference_of(c.name);
            ColumnSummary {
                default: shape.column(table, c.name).and_then(|i| i.default.clone()),
                name: c.name.to_owned(),
                sql_type: ty.clone(),
                kind: c.kind,
                nullable: c.nullable,
                sortable: c.sortable,
                badges: badges_of(c, references.is_some()),
                references,
            }
        })
        .collect();
    let mut badges: Vec<Badge> = Vec::new();
    for b in columns.iter().flat_map(|c| &c.badges) {
        if !badges.contains(b) {
            badges.push(*b);
        }
    }
    Ok(TableSummary {
        name: table.to_owned(),
        primary_key: keys.primary_key.clone(),
        indexes: keys.indexes.clone(),
        foreign_keys: keys.foreign_keys.clone(),
        referenced_by: shape.referenced_by(table).into_iter().cloned().collect(),
        badges,
        row_estimate: 0,
        whodis_model: shape.is_whodis() && crate::tables::Table::parse(table).is_ok(),
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_both_catalogs() {
        for (ty, kind) in [
            ("int4", ColumnKind::Int),
            ("INTEGER", ColumnKind::Int),
            ("VARCHAR(255)", ColumnKind::Text),
            ("timestamptz", ColumnKind::Timestamp),
            ("DATETIME", ColumnKind::Timestamp),
            ("jsonb", ColumnKind::Json),
            ("JSON", ColumnKind::Json),
            ("_text", ColumnKind::Json),
            ("bytea", ColumnKind::Bytes),
            ("BLOB", ColumnKind::Bytes),
            ("numeric", ColumnKind::Number),
            ("FLOAT", ColumnKind::Number),
            ("uuid", ColumnKind::Other),
            ("date", ColumnKind::Other),
            ("BOOLEAN", ColumnKind::Bool),
        ] {
            assert_eq!(kind_of(ty), kind, "{ty}");
        }
    }

    #[test]
    fn interned_names_are_shared() {
        let a = intern("usage_logs");
        let b = intern(&String::from("usage_logs"));
        assert!(std::ptr::eq(a, b));
    }
}
