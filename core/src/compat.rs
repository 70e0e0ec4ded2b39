//! How a database compares with the compiled models, table by table, and the optional DDL
//! ("adopt") that adds what this app's own schema has beyond the seed.
//!
//! A database the WhoDis server made is used as it is: missing parts degrade a feature with a
//! message, extra tables and columns are ignored. Nothing here changes the database; the plan
//! is run by the `schema.adopt` operation only when the operator asks.

use serde::Serialize;

use crate::db::Backend;
use crate::model::{Column, ColumnKind, Model};
use crate::schema::{ColumnInfo, Origin, Shape};
use crate::tables::Table;
use crate::with_model;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableStatus {
    /// Every column the model reads is there and decodable.
    Compatible,
    /// The table is there, but some columns are missing or undecodable (see the lists).
    Degraded,
    Missing,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct TableReport {
    pub table: String,
    pub model: String,
    pub status: TableStatus,
    /// Columns the model has and the table does not.
    pub missing_columns: Vec<String>,
    /// Columns the table has and the model does not (the app leaves them alone).
    pub extra_columns: Vec<String>,
    /// Columns whose catalog type the model cannot decode.
    pub incompatible_columns: Vec<String>,
    /// What is different but works: INT4 ids, naive timestamps, NULLs where we expect values.
    pub notes: Vec<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    pub name: String,
    pub available: bool,
    /// Why not, and how to enable it.
    pub detail: Option<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct CompatReport {
    pub origin: Origin,
    pub tables: Vec<TableReport>,
    /// Tables this app knows nothing of (the server's own additions); shown, never changed.
    pub extra_tables: Vec<String>,
    pub features: Vec<Feature>,
}

impl CompatReport {
    pub fn table(&self, table: Table) -> Option<&TableReport> {
        self.tables.iter().find(|t| t.table == table.name())
    }
}

/// The report for one database.
pub fn report(shape: &Shape, backend: Backend) -> CompatReport {
    let tables: Vec<TableReport> = Table::ALL
        .iter()
        .map(|t| with_model!(*t, M => table_report::<M>(shape, backend)))
        .collect();
    let known: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    let extra_tables = shape
        .table_names()
        .filter(|t| !known.contains(t))
        .map(str::to_owned)
        .collect();
    CompatReport {
        origin: shape.origin.clone(),
        features: features(shape),
        tables,
        extra_tables,
    }
}

fn table_report<M: Model>(shape: &Shape, backend: Backend) -> TableReport {
    let mut report = TableReport {
        table: M::TABLE.into(),
        model: M::NAME.into(),
        status: TableStatus::Missing,
        missing_columns: Vec::new(),
        extra_columns: Vec::new(),
        incompatible_columns: Vec::new(),
        notes: Vec::new(),
    };
    if !shape.has_table(M::TABLE) {
        return report;
    }
    let columns = M::columns();
    for column in &columns {
        match shape.column(M::TABLE, column.name) {
            None => report.missing_columns.push(column.name.into()),
            Some(info) => check_column(column, info, backend, &mut report),
        }
    }
    report.extra_columns = shape
        .columns(M::TABLE)
        .iter()
        .filter(|c| !columns.iter().any(|m| m.name == c.name))
        .map(|c| c.name.clone())
        .collect();
    report.status = if report.missing_columns.is_empty() && report.incompatible_columns.is_empty() {
        TableStatus::Compatible
    } else {
        TableStatus::Degraded
    };
    report
}

fn check_column(column: &Column, info: &ColumnInfo, backend: Backend, report: &mut TableReport) {
    let ty = info.sql_type.to_ascii_lowercase();
    let name = column.name;
    if !decodable(column.kind, &ty, backend) {
        report
            .incompatible_columns
            .push(format!("{name} ({ty}: not readable as {:?})", column.kind));
        return;
    }
    if backend == Backend::Postgres {
        match (column.kind, ty.as_str()) {
            (ColumnKind::Int, "int4" | "int2") => report
                .notes
                .push(format!("{name} is {ty}: read as a 64-bit integer")),
            (ColumnKind::Timestamp, "timestamp") => report.notes.push(format!(
                "{name} is a timestamp without time zone: read and written as UTC"
            )),
            _ => {}
        }
    }
    if info.nullable && !column.nullable && name != "id" {
        report.notes.push(format!(
            "{name} may be NULL here: a row holding NULL shows as unreadable"
        ));
    }
    // the store always writes its own timestamps, so their NOT NULL is no constraint on us
    let store_owned = crate::model::STORE_COLUMNS.contains(&name);
    if !info.nullable && column.nullable && !store_owned {
        report.notes.push(format!(
            "{name} is NOT NULL here: writing it empty is refused by the database"
        ));
    }
}

/// Whether a catalog type holds values the codec reads as `kind`. SQLite's declared types are
/// only affinities (the codec reads each value by its storage class), so any is accepted there.
fn decodable(kind: ColumnKind, ty: &str, backend: Backend) -> bool {
    if backend == Backend::Sqlite {
        return true;
    }
    match kind {
        ColumnKind::Int => matches!(ty, "int2" | "int4" | "int8"),
        ColumnKind::Text => matches!(ty, "text" | "varchar" | "bpchar" | "name" | "citext"),
        ColumnKind::Bool => ty == "bool",
        ColumnKind::Timestamp => matches!(ty, "timestamptz" | "timestamp" | "date"),
        ColumnKind::Json => matches!(ty, "json" | "jsonb" | "text" | "varchar"),
        ColumnKind::Bytes => ty == "bytea",
        // no compiled model declares these
        ColumnKind::Number | ColumnKind::Other => false,
    }
}

fn features(shape: &Shape) -> Vec<Feature> {
    let feature = |name: &str, available: bool, missing: &str| Feature {
        name: name.into(),
        available,
        detail: (!available).then(|| missing.to_owned()),
    };
    vec![
        feature(
            "Compliance report (roles employees hold)",
            shape.has_table(Table::EmployeeRoleAssignments.name()),
            "needs the table employee_role_assignments, which the WhoDis server does not have; \
             `whodis-admin adopt --apply` (or Adopt… in the window) adds it",
        ),
        feature(
            "Conflict detection when editing configuration",
            shape.has_column("configuration", "updated_at"),
            "configuration has no updated_at here, so a value changed by the server meanwhile \
             is overwritten; adopt adds created_at/updated_at",
        ),
        feature(
            "Encrypted configuration",
            shape.has_column("configuration", "value")
                && shape.has_column("configuration", "is_encrypted"),
            "configuration has no value/is_encrypted columns",
        ),
    ]
}

/// The column type our schema uses for a kind, to add a missing column.
fn sql_type(kind: ColumnKind, backend: Backend) -> &'static str {
    match (kind, backend) {
        (ColumnKind::Int, Backend::Postgres) => "BIGINT",
        (ColumnKind::Int, Backend::Sqlite) => "INTEGER",
        (ColumnKind::Text, _) => "TEXT",
        (ColumnKind::Bool, _) => "BOOLEAN",
        (ColumnKind::Timestamp, Backend::Postgres) => "TIMESTAMPTZ",
        (ColumnKind::Timestamp, Backend::Sqlite) => "DATETIME",
        (ColumnKind::Json, Backend::Postgres) => "JSONB",
        (ColumnKind::Json, Backend::Sqlite) => "JSON",
        (ColumnKind::Bytes, Backend::Postgres) => "BYTEA",
        (ColumnKind::Bytes, Backend::Sqlite) => "BLOB",
        (ColumnKind::Number, _) => "NUMERIC",
        (ColumnKind::Other, _) => "TEXT",
    }
}

/// One statement of an adopt plan, with what it is for.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PlannedStatement {
    pub sql: String,
    pub why: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct AdoptPlan {
    pub statements: Vec<PlannedStatement>,
    /// What the plan leaves out on purpose, and why.
    pub skipped: Vec<String>,
}

impl AdoptPlan {
    fn add(&mut self, sql: String, why: &str) {
        self.statements.push(PlannedStatement {
            sql,
            why: why.to_owned(),
        });
    }
}

const SQLITE_SCHEMA: [&str; 3] = [
    include_str!("../../migrations/sqlite/0001_core_tables.up.sql"),
    include_str!("../../migrations/sqlite/0002_service_and_audit_tables.up.sql"),
    include_str!("../../migrations/sqlite/0003_job_role_compliance.up.sql"),
];
const POSTGRES_SCHEMA: [&str; 3] = [
    include_str!("../../migrations/postgres/0001_core_tables.up.sql"),
    include_str!("../../migrations/postgres/0002_service_and_audit_tables.up.sql"),
    include_str!("../../migrations/postgres/0003_job_role_compliance.up.sql"),
];

/// The statements of our own migrations, split at `;` (they hold no `;` inside a statement),
/// without comment lines.
fn our_statements(backend: Backend) -> Vec<String> {
    let files = match backend {
        Backend::Sqlite => SQLITE_SCHEMA,
        Backend::Postgres => POSTGRES_SCHEMA,
    };
    files
        .iter()
        .flat_map(|f| f.split(';'))
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// `CREATE INDEX name ON table (a, b, …)` → (name, table, leading identifiers of each part).
fn parse_index(stmt: &str) -> Option<(String, String, Vec<String>)> {
    let rest = stmt.strip_prefix("CREATE INDEX ")?;
    let (name, rest) = rest.split_once(" ON ")?;
    let (table, cols) = rest.split_once(' ')?;
    let cols = cols.trim().strip_prefix('(')?.strip_suffix(')')?;
    let idents = cols
        .split(',')
        .filter_map(|part| {
            let part = part.trim().trim_start_matches('(');
            // json_extract(keystone_data, …) names its column first inside the call
            let part = part.split_once('(').map_or(part, |(_, inner)| inner);
            let ident: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!ident.is_empty()).then_some(ident)
        })
        .collect();
    Some((name.trim().to_owned(), table.to_owned(), idents))
}

/// What adopting this database would add: our extension table, the configuration timestamps,
/// the keyset and filter indexes, and (PostgreSQL) the role check. Empty for a database this
/// app created. Each addition keeps the server's own inserts working: new columns have a
/// default or are nullable, the check is `NOT VALID` (old rows are not judged).
pub fn adopt_plan(shape: &Shape, backend: Backend) -> AdoptPlan {
    let mut plan = AdoptPlan {
        statements: Vec::new(),
        skipped: Vec::new(),
    };
    if !shape.is_foreign() {
        return plan;
    }
    let ours = our_statements(backend);
    let assignments = Table::EmployeeRoleAssignments.name();
    if !shape.has_table(assignments) {
        if let Some(create) = ours
            .iter()
            .find(|s| s.starts_with(&format!("CREATE TABLE {assignments} ")))
        {
            plan.add(
                create.clone(),
                "the roles employees hold, which the compliance report compares with the mappings",
            );
        }
    }
    for t in Table::ALL {
        let table = t.name();
        if !shape.has_table(table) {
            continue;
        }
        for column in t.columns() {
            if shape.has_column(table, column.name) {
                continue;
            }
            let stamp = matches!(column.name, "created_at" | "updated_at");
            if !column.nullable {
                plan.skipped.push(format!(
                    "{table}.{}: required by the model but absent; adding it would break the \
                     server's inserts, so its rows show as unreadable",
                    column.name
                ));
                continue;
            }
            let ty = sql_type(column.kind, backend);
            let sql = if stamp && backend == Backend::Postgres {
                format!(
                    "ALTER TABLE {table} ADD COLUMN {} {ty} NOT NULL DEFAULT now()",
                    column.name
                )
            } else {
                // SQLite cannot add a column with a non-constant default: nullable, then filled
                format!("ALTER TABLE {table} ADD COLUMN {} {ty}", column.name)
            };
            let why = if stamp {
                "lets edits detect a concurrent change; the server's inserts leave it to the default"
            } else {
                "a column of this app's schema, nullable so the server's inserts still work"
            };
            plan.add(sql, why);
            if stamp && backend == Backend::Sqlite {
                // whole seconds, in exactly the text form the store renders (so an edit's
                // `updated_at = ?` matches), and the same text each time the plan is made
                let now = match shape.time_text {
                    crate::codec::TimeText::SqlAlchemy => {
                        "strftime('%Y-%m-%d %H:%M:%S.000000', 'now')"
                    }
                    crate::codec::TimeText::Rfc3339 => "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')",
                };
                plan.add(
                    format!(
                        "UPDATE {table} SET {} = {now} WHERE {} IS NULL",
                        column.name, column.name
                    ),
                    "gives the existing rows a first timestamp",
                );
            }
        }
    }
    let assignments_planned = !shape.has_table(assignments);
    for stmt in &ours {
        let Some((name, table, idents)) = parse_index(stmt) else {
            continue;
        };
        let table_there = shape.has_table(&table) || (table == assignments && assignments_planned);
        if !table_there {
            continue;
        }
        // SQLAlchemy names its one-column indexes `ix_<table>_<column>`, as we name our keyset
        // ones: ours then goes in under its own name beside the server's
        let keyset_name = format!("{name}_keyset");
        if shape.index_covers(&name, &idents) || shape.index_covers(&keyset_name, &idents) {
            continue; // there already
        }
        let (name, stmt) = if !shape.has_index(&name) {
            (name, stmt.clone())
        } else if idents.len() > 1 && !shape.has_index(&keyset_name) {
            let renamed = format!("{name}_keyset");
            (renamed.clone(), stmt.replacen(&name, &renamed, 1))
        } else {
            plan.skipped.push(format!(
                "index {name}: the database already has an index of that name"
            ));
            continue;
        };
        let added_later = |c: &str| {
            Table::ALL
                .iter()
                .any(|t| t.name() == table && t.columns().iter().any(|m| m.name == c && m.nullable))
        };
        let columns_there = table == assignments
            || idents
                .iter()
                .all(|c| shape.has_column(&table, c) || added_later(c));
        if !columns_there {
            plan.skipped.push(format!(
                "index {name}: {table} lacks one of its columns ({})",
                idents.join(", ")
            ));
            continue;
        }
        if table == assignments {
            continue; // created with its table below
        }
        plan.add(
            stmt,
            "keyset paging and filtering without scanning the table",
        );
    }
    if assignments_planned {
        for stmt in &ours {
            if let Some((_, table, _)) = parse_index(stmt) {
                if table == assignments {
                    plan.add(stmt.clone(), "index of the new table");
                }
            }
        }
    }
    if backend == Backend::Postgres && shape.has_column("users", "role") {
        if !shape.has_index("users_role_check") {
            plan.add(
                "ALTER TABLE users ADD CONSTRAINT users_role_check \
                 CHECK (role IN ('admin', 'editor', 'viewer')) NOT VALID"
                    .into(),
                "refuses a role the app and the server do not know; existing rows are not judged",
            );
        }
    } else if backend == Backend::Sqlite {
        plan.skipped
            .push("CHECK constraints: SQLite cannot add them to an existing table".into());
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_our_index_statements() {
        let (name, table, cols) =
            parse_index("CREATE INDEX ix_users_role ON users (role, created_at, id)")
                .unwrap_or_default();
        assert_eq!((name.as_str(), table.as_str()), ("ix_users_role", "users"));
        assert_eq!(cols, ["role", "created_at", "id"]);
        let (_, _, cols) = parse_index(
            "CREATE INDEX ix_employee_profiles_job_code ON employee_profiles (json_extract(keystone_data, '$.job_code'))",
        )
        .unwrap_or_default();
        assert_eq!(cols, ["keystone_data"]);
        let (_, _, cols) = parse_index(
            "CREATE INDEX ix_employee_profiles_job_code ON employee_profiles ((keystone_data ->> 'job_code'))",
        )
        .unwrap_or_default();
        assert_eq!(cols, ["keystone_data"]);
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let indexes = our_statements(backend)
                .iter()
                .filter(|s| parse_index(s).is_some())
                .count();
            assert!(indexes > 40, "{backend:?}: {indexes} indexes parsed");
        }
    }
}
