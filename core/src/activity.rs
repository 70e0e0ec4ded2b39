//! Seed 004's computed activity (`last_login`, `activity_status`) for any users table the
//! explorer finds: a table whose rows are referenced by a sessions or activity table gets
//! "last activity", "last login" and "active within N days", computed by the database through
//! the list engine's derived table ([`crate::computed`]), so they filter, sort and page like
//! stored columns.
//!
//! Which tables count is read from the catalog alone: a child table whose name says sessions,
//! activity or logins, with a single-column foreign key to this table's primary key and a
//! timestamp saying when (`last_activity`, `last_seen`, else `created_at`). Each lookup is
//! `MAX(time)` over the child rows of one parent row, which the foreign key's index serves.

use sea_query::{Alias, Asterisk, Expr, Func, Query, SelectStatement, SimpleExpr};

use crate::computed::Inputs;
use crate::explore::{intern, kind_of};
use crate::model::{Column, ColumnKind, Masking};
use crate::schema::Shape;

/// Words in a child table's name that make its rows someone's activity.
const ACTIVITY_TABLES: [&str; 3] = ["session", "activity", "login"];
/// The child's column saying when the activity happened, best first.
const SEEN_AT: [&str; 5] = [
    "last_activity",
    "last_activity_at",
    "last_seen",
    "last_seen_at",
    "created_at",
];
/// A session's column saying when it began (seed 004: the last login is the newest session).
const LOGGED_IN_AT: [&str; 3] = ["login_at", "started_at", "created_at"];

pub const LAST_ACTIVITY: &str = "last_activity_at";
pub const LAST_LOGIN: &str = "last_login_at";
pub const ACTIVE: &str = "active";

/// One child table read for a parent row's activity: `MAX(child.time)` where
/// `child.fk = parent.key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub child: &'static str,
    pub fk: &'static str,
    pub time: &'static str,
}

/// The activity a table's rows have, by its referencing tables.
#[derive(Debug, Clone)]
pub struct Activity {
    table: &'static str,
    key: &'static str,
    seen: Vec<Lookup>,
    logins: Option<Lookup>,
    /// The computed columns, leaving out any name the table already stores.
    pub columns: Vec<Column>,
}

/// `"name"`: an identifier from the catalog, quoted the same way on both backends.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn computed_column(name: &'static str, kind: ColumnKind) -> Column {
    Column {
        name,
        kind,
        nullable: kind != ColumnKind::Bool,
        // no index holds them: a sort computes them for every row the filters select, as the
        // WhoDis users list does
        sortable: kind == ColumnKind::Timestamp,
        sensitive: false,
        masking: Masking::Clear,
    }
}

impl Activity {
    /// The activity of `table`'s rows, or `None` when no sessions or activity table refers to
    /// it (or it has no single-column primary key to be referred to by).
    pub fn of(shape: &Shape, table: &str) -> Option<Activity> {
        let keys = shape.keys(table);
        let [key] = keys.primary_key.as_slice() else {
            return None;
        };
        let timestamp = |child: &str, candidates: &[&'static str]| -> Option<&'static str> {
            candidates.iter().copied().find(|c| {
                shape
                    .column(child, c)
                    .is_some_and(|info| kind_of(&info.sql_type) == ColumnKind::Timestamp)
            })
        };
        let mut seen = Vec::new();
        let mut logins = None;
        let mut children = shape.referenced_by(table);
        children.sort_by(|a, b| a.table.cmp(&b.table));
        for fk in children {
            let ([fk_column], [referenced]) = (fk.columns.as_slice(), fk.ref_columns.as_slice())
            else {
                continue;
            };
            let name = fk.table.to_ascii_lowercase();
            if referenced != key || !ACTIVITY_TABLES.iter().any(|w| name.contains(w)) {
                continue;
            }
            let lookup = |time: &str| Lookup {
                child: intern(&fk.table),
                fk: intern(fk_column),
                time: intern(time),
            };
            if let Some(time) = timestamp(&fk.table, &SEEN_AT) {
                seen.push(lookup(time));
            }
            if logins.is_none() && name.contains("session") {
                logins = timestamp(&fk.table, &LOGGED_IN_AT).map(lookup);
            }
        }
        if seen.is_empty() {
            return None;
        }
        let stored = |name: &str| shape.has_column(table, name);
        let mut columns = Vec::new();
        for (name, kind, wanted) in [
            (LAST_ACTIVITY, ColumnKind::Timestamp, true),
            (LAST_LOGIN, ColumnKind::Timestamp, logins.is_some()),
            (ACTIVE, ColumnKind::Bool, true),
        ] {
            if wanted && !stored(name) {
                columns.push(computed_column(name, kind));
            }
        }
        Some(Activity {
            table: intern(table),
            key: intern(key),
            seen,
            logins,
            columns,
        })
    }

    /// The tables and columns each value is read from.
    pub fn lookups(&self) -> impl Iterator<Item = &Lookup> {
        self.seen.iter().chain(&self.logins)
    }

    fn newest(&self, l: &Lookup) -> String {
        format!(
            "(SELECT MAX(c.{time}) FROM {child} AS c WHERE c.{fk} = {table}.{key})",
            time = quoted(l.time),
            child = quoted(l.child),
            fk = quoted(l.fk),
            table = quoted(self.table),
            key = quoted(self.key),
        )
    }

    /// The newest time over every activity table (NULL only when all are: the aggregate skips
    /// NULLs on both backends).
    fn last_activity(&self) -> String {
        match self.seen.as_slice() {
            [one] => self.newest(one),
            many => {
                let parts: Vec<String> = many
                    .iter()
                    .map(|l| format!("SELECT {} AS t", self.newest(l)))
                    .collect();
                format!(
                    "(SELECT MAX(t) FROM ({}) AS latest)",
                    parts.join(" UNION ALL ")
                )
            }
        }
    }

    fn expr(&self, name: &str, inputs: &Inputs) -> SimpleExpr {
        match (name, &self.logins) {
            (LAST_LOGIN, Some(l)) => Expr::cust(self.newest(l)),
            (ACTIVE, _) => {
                let recent =
                    Expr::expr(Expr::cust(self.last_activity())).gte(inputs.active_since());
                Func::coalesce([recent, Expr::cust("FALSE")]).into()
            }
            _ => Expr::cust(self.last_activity()),
        }
    }

    /// The derived table a list reads: the table's own columns, then the computed ones.
    pub fn derived(&self, inputs: &Inputs) -> Option<SelectStatement> {
        if self.columns.is_empty() {
            return None;
        }
        let mut select = Query::select()
            .column((Alias::new(self.table), Asterisk))
            .from(Alias::new(self.table))
            .to_owned();
        for c in &self.columns {
            select.expr_as(self.expr(c.name, inputs), Alias::new(c.name));
        }
        Some(select)
    }
}
