//! Changes to the rows of any table through the explorer. Like every change they are
//! [`Operation`]s: the permission gate (on a WhoDis database, an admin's), one transaction, and
//! the record of what changed — `audit_log` on a WhoDis database, the database's
//! [`crate::journal::Journal`] on any other.

use sea_query::{Alias, Expr, Query, SimpleExpr};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};

use crate::error::{Error, Result};
use crate::exec::{self, Executor};
use crate::explore::Discovered;
use crate::list;
use crate::model::{Column, ColumnKind, Masking};
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};
use crate::ops::Ctx;
use crate::schema::Shape;

/// The column whose past values mark a row as expired (the seeds' ExpirableMixin).
const EXPIRES_AT: &str = "expires_at";

/// A table that WhoDis's own screens manage: changed through those, where the seed's rules for
/// it apply, never through the explorer.
fn refuse_modelled(shape: &Shape, table: &str) -> Result<()> {
    if shape.is_whodis() && crate::tables::Table::parse(table).is_ok() {
        return Err(Error::invalid(
            "table",
            format!("'{table}' is a WhoDis table: change it from its own screen or command"),
        ));
    }
    Ok(())
}

/// The table, if rows of it expire: it has an `expires_at` timestamp.
fn expiring(shape: &Shape, table: &str) -> Result<Discovered> {
    let d = Discovered::of(shape, table)?;
    let expires = d
        .columns
        .iter()
        .any(|c| c.name == EXPIRES_AT && c.kind == ColumnKind::Timestamp);
    if !expires {
        return Err(Error::invalid(
            "table",
            format!("'{table}' has no {EXPIRES_AT} timestamp, so none of its rows expire"),
        ));
    }
    Ok(d)
}

/// `expires_at <= now`: the seed's rule (a row expiring this instant is expired).
fn expired_condition() -> sea_query::SimpleExpr {
    Expr::col(Alias::new(EXPIRES_AT)).lte(crate::time::now())
}

/// How many rows of `table` have expired.
pub async fn count_expired(ctx: &Ctx, table: &str) -> Result<u64> {
    if ctx.has_roles() {
        ctx.authorize(Permission::Read, table).await?;
    }
    let d = expiring(&ctx.db.shape(), table)?;
    let stmt = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new(d.name))
        .and_where(expired_condition())
        .to_owned();
    let n = exec::fetch_scalar(&mut ctx.db.conn().await?, &stmt).await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Deletes the expired rows of any table with an `expires_at` timestamp (ReViewPoint's
/// blacklisted and used reset tokens, a points backend's sessions…).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct RemoveExpired {
    pub table: String,
}

/// How many rows a removal took, and from where.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub table: String,
    pub removed: u64,
}

impl Operation for RemoveExpired {
    type Output = Removed;
    const NAME: &'static str = "rows.remove_expired";

    fn permission(&self) -> Permission {
        Permission::EditTables
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Removed> {
        refuse_modelled(w.shape(), &self.table)?;
        let d = expiring(w.shape(), &self.table)?;
        let stmt = Query::delete()
            .from_table(Alias::new(d.name))
            .and_where(expired_condition())
            .to_owned();
        let removed = exec::execute(w, &stmt).await?;
        w.message(format!("Removed {removed} expired rows from {}", d.name));
        w.detail("entity", d.name);
        w.detail("removed", removed);
        Ok(Removed {
            table: d.name.to_owned(),
            removed,
        })
    }
}

/// Edits one row of a table the explorer found, by its key. Refused with a `Conflict` when
/// the row changed since it was read: by its `updated_at` where the table has one, else by
/// every column the reader saw. An `updated_at` the edit does not set is set to now, as the
/// seeds' store does on every write.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct EditRow {
    pub table: String,
    /// The row's key columns and their values.
    pub key: Map<String, Json>,
    /// The row as the editor read it (a list's row).
    pub expected: Map<String, Json>,
    /// The columns to change and their new values (JSON `null` for SQL NULL).
    pub changes: Map<String, Json>,
}

/// Deletes one row of a table the explorer found, by its key, if it is unchanged since read.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct DeleteTableRow {
    pub table: String,
    pub key: Map<String, Json>,
    pub expected: Map<String, Json>,
}

const UPDATED_AT: &str = "updated_at";

/// The row as it is now, or `NotFound`, or a `Conflict` when it is not the row the caller read.
async fn unchanged_row(
    w: &mut Write<'_>,
    d: &Discovered,
    key: &Map<String, Json>,
    expected: &Map<String, Json>,
) -> Result<Map<String, Json>> {
    let current = list::discovered_row(w, d, key).await?.ok_or_else(|| {
        Error::not_found(
            "row",
            format!("{} has no row with that key (deleted meanwhile?)", d.name),
        )
    })?;
    let by_timestamp = d
        .columns
        .iter()
        .any(|c| c.name == UPDATED_AT && c.kind == ColumnKind::Timestamp)
        && expected.contains_key(UPDATED_AT);
    let compared: Vec<&str> = if by_timestamp {
        vec![UPDATED_AT]
    } else {
        d.columns
            .iter()
            .filter(|c| !c.sensitive && c.kind != ColumnKind::Bytes)
            .map(|c| c.name)
            .collect()
    };
    for name in compared {
        let (now, then) = (current.get(name), expected.get(name));
        if then.is_none() {
            return Err(Error::invalid(
                "expected",
                format!("the row as read has no '{name}' to compare with"),
            ));
        }
        if now != then {
            return Err(Error::Conflict {
                field: Some(name.to_owned()),
                message: format!(
                    "this {} row changed since it was read ({name} differs); reload it and \
                     edit again",
                    d.name
                ),
            });
        }
    }
    Ok(current)
}

/// A column the explorer may write, with its catalog type; secrets, masked values, bytes,
/// computed columns and the key itself are refused.
fn editable<'d>(d: &'d Discovered, name: &str) -> Result<(&'d Column, &'d str)> {
    let refuse = |why: &str| Err(Error::invalid(name, format!("'{name}' {why}")));
    let Some(i) = d.columns.iter().position(|c| c.name == name) else {
        return refuse(&format!("is not a stored column of {}", d.name));
    };
    let c = &d.columns[i];
    if c.sensitive || c.masking != Masking::Clear {
        return refuse("may hold a secret and is not edited here");
    }
    if c.kind == ColumnKind::Bytes {
        return refuse("holds bytes, which are not edited here");
    }
    if d.row_key.contains(&c.name) {
        return refuse("is part of the row's key; insert a new row instead");
    }
    Ok((c, d.sql_types[i].as_str()))
}

/// A new value for a column, bound as the column's catalog type (PostgreSQL casts the text of
/// numerics, dates, UUIDs and enums to the type; SQLite stores them as given).
fn written_value(c: &Column, sql_type: &str, v: &Json, pg: bool) -> Result<SimpleExpr> {
    if v.is_null() {
        if !c.nullable {
            return Err(Error::invalid(
                c.name,
                format!("'{}' may not be empty", c.name),
            ));
        }
        return Ok(Expr::cust("NULL"));
    }
    let bad = |expected: &str| Error::invalid(c.name, format!("expected {expected}"));
    let cast = |text: String| -> SimpleExpr {
        if pg {
            list::cast_to(text, sql_type)
        } else {
            Expr::val(text).into()
        }
    };
    Ok(match c.kind {
        ColumnKind::Json => match pg {
            true => Expr::val(v.clone()).cast_as(Alias::new(sql_type)),
            false => Expr::val(v.to_string()).into(),
        },
        ColumnKind::Number => {
            let text = match v {
                Json::Number(n) => n.to_string(),
                Json::String(s) => s.trim().to_owned(),
                _ => return Err(bad("a number")),
            };
            let n: f64 = text.parse().map_err(|_| bad("a number"))?;
            if !n.is_finite() {
                return Err(bad("a finite number"));
            }
            if pg {
                cast(text)
            } else {
                Expr::val(n).into()
            }
        }
        ColumnKind::Other => match v {
            Json::String(s) => cast(s.clone()),
            Json::Number(n) => cast(n.to_string()),
            _ => return Err(bad("text")),
        },
        _ => Expr::val(list::typed_value(c, v)?).into(),
    })
}

fn is_pg(w: &mut Write<'_>) -> bool {
    matches!(w.conn(), exec::Conn::Postgres(_))
}

/// A table the explorer changes: any but WhoDis's own on a WhoDis database.
fn explored(w: &Write<'_>, table: &str) -> Result<Discovered> {
    refuse_modelled(w.shape(), table)?;
    Discovered::of(w.shape(), table)
}

/// The key as the audit record and messages name it.
fn key_text(key: &Map<String, Json>) -> String {
    key.iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.as_str().map_or_else(|| v.to_string(), str::to_owned)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Operation for EditRow {
    type Output = Map<String, Json>;
    const NAME: &'static str = "rows.edit";

    fn permission(&self) -> Permission {
        Permission::EditTables
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Map<String, Json>> {
        let d = explored(w, &self.table)?;
        if self.changes.is_empty() {
            return Err(Error::invalid("changes", "nothing to change"));
        }
        let pg = is_pg(w);
        let mut update = Query::update().table(Alias::new(d.name)).to_owned();
        for (name, value) in &self.changes {
            let (c, ty) = editable(&d, name)?;
            update.value(Alias::new(c.name), written_value(c, ty, value, pg)?);
        }
        let stamps = d
            .columns
            .iter()
            .any(|c| c.name == UPDATED_AT && c.kind == ColumnKind::Timestamp);
        if stamps && !self.changes.contains_key(UPDATED_AT) {
            update.value(Alias::new(UPDATED_AT), crate::time::now());
        }
        let before = unchanged_row(w, &d, &self.key, &self.expected).await?;
        update.cond_where(list::key_condition(&d, &self.key)?);
        exec::execute(w, &update).await?;
        let after = list::discovered_row(w, &d, &self.key)
            .await?
            .ok_or_else(|| Error::not_found("row", "the edited row is gone"))?;
        let diff: Map<String, Json> = self
            .changes
            .keys()
            .map(|k| {
                let pair = json!({ "before": before.get(k), "after": after.get(k) });
                (k.clone(), pair)
            })
            .collect();
        w.message(format!("Edited {} {}", d.name, key_text(&self.key)));
        w.detail("entity", d.name);
        w.detail("key", Json::Object(self.key));
        w.detail("changes", Json::Object(diff));
        Ok(after)
    }
}

impl Operation for DeleteTableRow {
    type Output = ();
    const NAME: &'static str = "rows.delete";

    fn permission(&self) -> Permission {
        Permission::EditTables
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        let d = explored(w, &self.table)?;
        let before = unchanged_row(w, &d, &self.key, &self.expected).await?;
        let delete = Query::delete()
            .from_table(Alias::new(d.name))
            .cond_where(list::key_condition(&d, &self.key)?)
            .to_owned();
        exec::execute(w, &delete).await?;
        w.message(format!("Deleted {} {}", d.name, key_text(&self.key)));
        w.detail("entity", d.name);
        w.detail("key", Json::Object(self.key));
        // the row as a list showed it: secrets and bytes were never read
        w.detail("deleted", Json::Object(before));
        Ok(())
    }
}

/// Shows one masked value (a secret by its name, or a session id listed by its start) of one
/// row, because an operator asked: recorded like a change (which column of which row, never
/// the value), and sent to nobody else.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct RevealValue {
    pub table: String,
    pub key: Map<String, Json>,
    pub column: String,
}

impl Operation for RevealValue {
    type Output = Json;
    const NAME: &'static str = "rows.reveal";

    fn permission(&self) -> Permission {
        Permission::RevealSecrets
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Json> {
        let d = explored(w, &self.table)?;
        let column = d.column(&self.column)?;
        if !column.sensitive && column.masking == Masking::Clear {
            return Err(Error::invalid(
                "column",
                format!("'{}' is not masked: the list shows it whole", column.name),
            ));
        }
        if column.kind == ColumnKind::Bytes {
            return Err(Error::invalid(
                "column",
                format!(
                    "'{}' holds bytes, which are not revealed as text",
                    column.name
                ),
            ));
        }
        let as_text = Column {
            kind: ColumnKind::Text,
            ..column.clone()
        };
        let stmt = Query::select()
            .expr_as(
                Expr::col(Alias::new(column.name)).cast_as(Alias::new("TEXT")),
                Alias::new(column.name),
            )
            .from(Alias::new(d.name))
            .cond_where(list::key_condition(&d, &self.key)?)
            .limit(1)
            .to_owned();
        let value = exec::fetch_json_each(w, &stmt, std::slice::from_ref(&as_text))
            .await?
            .into_iter()
            .next()
            .and_then(std::result::Result::ok)
            .and_then(|mut row| row.remove(column.name))
            .ok_or_else(|| {
                Error::not_found("row", format!("{} has no row with that key", d.name))
            })?;
        w.message(format!(
            "Revealed {}.{} of {}",
            d.name,
            column.name,
            key_text(&self.key)
        ));
        w.detail("entity", d.name);
        w.detail("key", Json::Object(self.key));
        w.detail("column", column.name);
        Ok(value)
    }
}

/// Inserts one row into a table the explorer found. Columns left out get the database's
/// default; `created_at`/`updated_at` timestamps left out are set to now (the seeds' store sets
/// them on write, in Python, where no catalog default says so); an integer primary key left out
/// is the database's to number. Returns the row as stored.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct InsertRow {
    pub table: String,
    pub values: Map<String, Json>,
}

/// A column an insert may set: any stored column but bytes (a secret may be typed in; it is
/// never shown back).
fn insertable<'d>(d: &'d Discovered, name: &str) -> Result<(&'d Column, &'d str)> {
    let Some(i) = d.columns.iter().position(|c| c.name == name) else {
        return Err(Error::invalid(
            name,
            format!("'{name}' is not a stored column of {}", d.name),
        ));
    };
    let c = &d.columns[i];
    if c.kind == ColumnKind::Bytes {
        return Err(Error::invalid(
            name,
            format!("'{name}' holds bytes, which are not written here"),
        ));
    }
    Ok((c, d.sql_types[i].as_str()))
}

impl Operation for InsertRow {
    type Output = Map<String, Json>;
    const NAME: &'static str = "rows.insert";

    fn permission(&self) -> Permission {
        Permission::EditTables
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Map<String, Json>> {
        let d = explored(w, &self.table)?;
        let key = d.require_row_key()?.to_vec();
        let shape = w.shape();
        let numbered = |c: &Column| key == [c.name] && c.kind == ColumnKind::Int;
        let mut values = self.values.clone();
        for c in &d.columns {
            let stamped = STORE_TIMESTAMPS.contains(&c.name) && c.kind == ColumnKind::Timestamp;
            if values.contains_key(c.name) {
                continue;
            }
            if stamped {
                values.insert(c.name.to_owned(), json!(crate::time::now()));
                continue;
            }
            let default = shape
                .column(d.name, c.name)
                .and_then(|i| i.default.as_ref());
            if !c.nullable && default.is_none() && !numbered(c) {
                return Err(Error::invalid(c.name, format!("'{}' is required", c.name)));
            }
        }
        let pg = is_pg(w);
        let mut insert = Query::insert().into_table(Alias::new(d.name)).to_owned();
        let mut columns = Vec::new();
        let mut row = Vec::new();
        for (name, value) in &values {
            let (c, ty) = insertable(&d, name)?;
            columns.push(Alias::new(c.name));
            row.push(written_value(c, ty, value, pg)?);
        }
        insert.columns(columns);
        insert
            .values(row)
            .map_err(|e| Error::invalid("values", e.to_string()))?;
        insert.returning(Query::returning().columns(key.iter().map(|k| Alias::new(*k))));
        let key_columns: Vec<Column> = key
            .iter()
            .filter_map(|k| d.columns.iter().find(|c| c.name == *k).cloned())
            .collect();
        let stored_key = exec::fetch_json_each(w, &insert, &key_columns)
            .await?
            .into_iter()
            .next()
            .and_then(std::result::Result::ok)
            .ok_or_else(|| Error::not_found("row", "the inserted row's key did not come back"))?;
        let after = list::discovered_row(w, &d, &stored_key)
            .await?
            .ok_or_else(|| Error::not_found("row", "the inserted row is not there"))?;
        w.message(format!("Inserted {} {}", d.name, key_text(&stored_key)));
        w.detail("entity", d.name);
        w.detail("key", Json::Object(stored_key));
        // the row as a list shows it: a secret typed in is not recorded
        w.detail("inserted", Json::Object(after.clone()));
        Ok(after)
    }
}

/// The seeds' store timestamps, set on write by the application rather than the database.
const STORE_TIMESTAMPS: [&str; 2] = ["created_at", UPDATED_AT];
