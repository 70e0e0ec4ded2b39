//! Computed columns: values the database works out for each row from other tables (a user's
//! last activity), declared beside their model (`define_model! { … computed PATH { … } }`) and
//! listed, filtered, sorted and paged by the list engine like stored columns.
//!
//! The engine reads such a table through a derived table of the same name,
//! `(SELECT t.*, <expr> AS <name>, … FROM t) AS t`, so every filter, sort and cursor names a
//! computed column exactly as it names a stored one. Both backends flatten it into the outer
//! query: a page that neither filters nor sorts by a computed column still walks the table's own
//! indexes, and only the rows of the page have their expressions evaluated.

use sea_query::{Alias, Asterisk, Query, SelectStatement, SimpleExpr};
use serde_json::Value as Json;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::codec::Cell;
use crate::error::{Error, Result};
use crate::model::{Column, ColumnKind, IntoJson, Model};
use crate::schema::Shape;
use crate::time::Timestamp;

/// The "active within N days" window when a query names none.
pub const DEFAULT_WITHIN_DAYS: i64 = 30;
/// The longest window a query may ask for (a hundred years).
pub const MAX_WITHIN_DAYS: i64 = 36_500;

/// One computed column of a model.
pub struct Computed {
    /// How lists show it (never sensitive; sortable only when sorting by it is cheap enough for
    /// the table, since no index holds it).
    pub column: Column,
    /// The `(table, column)` pairs the expression reads: in a database without one of them the
    /// column is left out, as a stored column the database lacks is.
    pub reads: &'static [(&'static str, &'static str)],
    /// The SQL, the same on both backends, correlated with the model's table by its name.
    pub expr: fn(&Inputs) -> SimpleExpr,
}

impl Computed {
    pub fn present(&self, shape: &Shape) -> bool {
        self.reads.iter().all(|(t, c)| shape.has_column(t, c))
    }
}

/// What an expression may depend on besides the row: the query's parameters.
pub struct Inputs {
    pub now: Timestamp,
    /// The N of "active within N days".
    pub within_days: i64,
}

impl Inputs {
    /// The inputs of one query; `within_days` defaults to [`DEFAULT_WITHIN_DAYS`].
    pub fn new(within_days: Option<i64>) -> Result<Inputs> {
        let within_days = within_days.unwrap_or(DEFAULT_WITHIN_DAYS);
        if !(0..=MAX_WITHIN_DAYS).contains(&within_days) {
            return Err(Error::invalid(
                "within_days",
                format!("must be a number of days from 0 to {MAX_WITHIN_DAYS}, got {within_days}"),
            ));
        }
        Ok(Inputs {
            now: crate::time::now(),
            within_days,
        })
    }

    /// The start of the "active" window: now minus N days.
    pub fn active_since(&self) -> Timestamp {
        self.now - chrono::TimeDelta::days(self.within_days)
    }
}

/// The computed columns of `M` that this database can compute.
pub fn present<M: Model>(shape: &Shape) -> impl Iterator<Item = &'static Computed> + '_ {
    M::COMPUTED.iter().filter(move |c| c.present(shape))
}

/// The derived table a list of `M` reads, or `None` when `M` has no computed column here.
pub fn source<M: Model>(shape: &Shape, inputs: &Inputs) -> Option<SelectStatement> {
    let mut computed = present::<M>(shape).peekable();
    computed.peek()?;
    let mut select = Query::select()
        .column((Alias::new(M::TABLE), Asterisk))
        .from(Alias::new(M::TABLE))
        .to_owned();
    for c in computed {
        select.expr_as((c.expr)(inputs), Alias::new(c.column.name));
    }
    Some(select)
}

/// A row of `M` with its computed values beside it, in declaration order (`null` where the
/// database computed none, or could not compute the column at all).
pub struct WithComputed<M> {
    pub model: M,
    pub values: Vec<(&'static str, Json)>,
}

fn decode(
    c: &Computed,
    read: &dyn Fn(ColumnKind) -> std::result::Result<Json, sqlx::Error>,
) -> std::result::Result<(&'static str, Json), sqlx::Error> {
    Ok((c.column.name, read(c.column.kind)?))
}

impl<'r, M: Model> sqlx::FromRow<'r, SqliteRow> for WithComputed<M> {
    fn from_row(row: &'r SqliteRow) -> std::result::Result<Self, sqlx::Error> {
        let model = <M as sqlx::FromRow<SqliteRow>>::from_row(row)?;
        let values = M::COMPUTED
            .iter()
            .map(|c| {
                let name = c.column.name;
                decode(c, &|kind| {
                    Ok(match kind {
                        ColumnKind::Timestamp => {
                            IntoJson::into_json(Option::<Timestamp>::sqlite(row, name)?)
                        }
                        ColumnKind::Bool => IntoJson::into_json(Option::<bool>::sqlite(row, name)?),
                        ColumnKind::Int => IntoJson::into_json(Option::<i64>::sqlite(row, name)?),
                        _ => IntoJson::into_json(Option::<String>::sqlite(row, name)?),
                    })
                })
            })
            .collect::<std::result::Result<_, _>>()?;
        Ok(WithComputed { model, values })
    }
}

impl<'r, M: Model> sqlx::FromRow<'r, PgRow> for WithComputed<M> {
    fn from_row(row: &'r PgRow) -> std::result::Result<Self, sqlx::Error> {
        let model = <M as sqlx::FromRow<PgRow>>::from_row(row)?;
        let values = M::COMPUTED
            .iter()
            .map(|c| {
                let name = c.column.name;
                decode(c, &|kind| {
                    Ok(match kind {
                        ColumnKind::Timestamp => {
                            IntoJson::into_json(Option::<Timestamp>::pg(row, name)?)
                        }
                        ColumnKind::Bool => IntoJson::into_json(Option::<bool>::pg(row, name)?),
                        ColumnKind::Int => IntoJson::into_json(Option::<i64>::pg(row, name)?),
                        _ => IntoJson::into_json(Option::<String>::pg(row, name)?),
                    })
                })
            })
            .collect::<std::result::Result<_, _>>()?;
        Ok(WithComputed { model, values })
    }
}
