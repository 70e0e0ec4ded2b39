//! Decoding one cell of a row, leniently enough for what the WhoDis server's ORM writes as
//! well as what our own schema holds: INT4 and INT8 ids, TIMESTAMPTZ and naive TIMESTAMP
//! (read as UTC), SQLite text timestamps in RFC 3339 or SQLAlchemy's `YYYY-MM-DD HH:MM:SS.ffffff`,
//! JSON of any shape (also a SQLite JSON value that column affinity turned into a number), and
//! columns a database does not have (an `Option` field reads `None`).
//!
//! `define_model!` builds every model's `FromRow` from [`Cell`], so this is the one place where
//! a database value becomes a field. A value that still cannot be decoded is an error naming
//! the column, which the list engine turns into one marked row.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value as Json;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{ColumnIndex, Row, TypeInfo, ValueRef};

use crate::model::ColumnKind;
use crate::time::{truncate, Timestamp};

type CellResult<T> = std::result::Result<T, sqlx::Error>;

/// A field type that can be read from a row of either backend. A type implements how a
/// present, non-NULL value decodes (`*_value`); the NULL check, and an `Option`'s reading of
/// NULL and of a missing column, are here once, from one look at the cell.
///
/// A cell is found by its name once; the value is then read by its position `at` (a lookup by
/// name hashes the name, and reading it by name again doubled that for every cell).
pub trait Cell: Sized {
    /// The value of cell `at` (named `name`) that is present and not NULL, of storage type
    /// `ty` (capitals).
    fn sqlite_value(row: &SqliteRow, at: usize, name: &str, ty: &str) -> CellResult<Self>;
    /// The value of cell `at` (named `name`) that is present and not NULL, of wire type `ty`
    /// (capitals).
    fn pg_value(row: &PgRow, at: usize, name: &str, ty: &str) -> CellResult<Self>;

    fn sqlite(row: &SqliteRow, name: &str) -> CellResult<Self> {
        let raw = sqlite_raw(row, name)?;
        if raw.null {
            return Err(required(name));
        }
        Self::sqlite_value(row, raw.at, name, raw.ty.as_str()).map_err(|e| named(e, name))
    }

    fn pg(row: &PgRow, name: &str) -> CellResult<Self> {
        let raw = pg_raw(row, name)?;
        if raw.null {
            return Err(required(name));
        }
        Self::pg_value(row, raw.at, name, raw.ty.as_str()).map_err(|e| named(e, name))
    }
}

/// A decoding error names its column, not the position it was read at.
fn named(e: sqlx::Error, name: &str) -> sqlx::Error {
    match e {
        sqlx::Error::ColumnDecode { source, .. } => sqlx::Error::ColumnDecode {
            index: name.to_owned(),
            source,
        },
        other => other,
    }
}

fn bad(name: &str, reason: impl Into<String>) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: name.to_owned(),
        source: reason.into().into(),
    }
}

fn required(name: &str) -> sqlx::Error {
    bad(name, "is empty (NULL) where a value is required")
}

/// A type's name in capitals, kept inline: it is read for every cell of every page, and an
/// allocation per cell was a tenth of a page's decoding. A name longer than the buffer is no
/// type the codec tells apart, and reads as empty.
struct TypeName {
    bytes: [u8; 24],
    len: usize,
}

impl TypeName {
    fn of(name: &str) -> TypeName {
        let mut bytes = [0u8; 24];
        let len = if name.len() <= bytes.len() {
            name.len()
        } else {
            0
        };
        for (to, from) in bytes.iter_mut().zip(&name.as_bytes()[..len]) {
            *to = from.to_ascii_uppercase();
        }
        TypeName { bytes, len }
    }

    fn as_str(&self) -> &str {
        // capitalising ASCII letters keeps UTF-8 valid
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// What one look at a cell tells: where it is, whether it is NULL, and its type.
struct Raw {
    at: usize,
    null: bool,
    ty: TypeName,
}

/// The storage type of a SQLite value and whether it is NULL.
fn sqlite_raw(row: &SqliteRow, name: &str) -> CellResult<Raw> {
    let at = name.index(row)?;
    let raw = row.try_get_raw(at)?;
    Ok(Raw {
        at,
        null: raw.is_null(),
        ty: TypeName::of(raw.type_info().name()),
    })
}

/// The declared type of a PostgreSQL column and whether the value is NULL.
fn pg_raw(row: &PgRow, name: &str) -> CellResult<Raw> {
    let at = name.index(row)?;
    let raw = row.try_get_raw(at)?;
    Ok(Raw {
        at,
        null: raw.is_null(),
        ty: TypeName::of(raw.type_info().name()),
    })
}

impl<T: Cell> Cell for Option<T> {
    fn sqlite_value(row: &SqliteRow, at: usize, name: &str, ty: &str) -> CellResult<Self> {
        T::sqlite_value(row, at, name, ty).map(Some)
    }

    fn pg_value(row: &PgRow, at: usize, name: &str, ty: &str) -> CellResult<Self> {
        T::pg_value(row, at, name, ty).map(Some)
    }

    fn sqlite(row: &SqliteRow, name: &str) -> CellResult<Self> {
        match sqlite_raw(row, name) {
            Err(sqlx::Error::ColumnNotFound(_)) => Ok(None),
            Err(e) => Err(e),
            Ok(raw) if raw.null => Ok(None),
            Ok(raw) => T::sqlite_value(row, raw.at, name, raw.ty.as_str())
                .map(Some)
                .map_err(|e| named(e, name)),
        }
    }

    fn pg(row: &PgRow, name: &str) -> CellResult<Self> {
        match pg_raw(row, name) {
            Err(sqlx::Error::ColumnNotFound(_)) => Ok(None),
            Err(e) => Err(e),
            Ok(raw) if raw.null => Ok(None),
            Ok(raw) => T::pg_value(row, raw.at, name, raw.ty.as_str())
                .map(Some)
                .map_err(|e| named(e, name)),
        }
    }
}

impl Cell for i64 {
    fn sqlite_value(row: &SqliteRow, at: usize, _: &str, _: &str) -> CellResult<Self> {
        row.try_get::<i64, _>(at)
    }

    fn pg_value(row: &PgRow, at: usize, _: &str, ty: &str) -> CellResult<Self> {
        match ty {
            "INT2" => row.try_get::<i16, _>(at).map(i64::from),
            "INT4" => row.try_get::<i32, _>(at).map(i64::from),
            _ => row.try_get::<i64, _>(at),
        }
    }
}

impl Cell for bool {
    fn sqlite_value(row: &SqliteRow, at: usize, _: &str, _: &str) -> CellResult<Self> {
        row.try_get::<bool, _>(at)
    }

    fn pg_value(row: &PgRow, at: usize, _: &str, _: &str) -> CellResult<Self> {
        row.try_get::<bool, _>(at)
    }
}

impl Cell for String {
    fn sqlite_value(row: &SqliteRow, at: usize, _: &str, ty: &str) -> CellResult<Self> {
        match ty {
            // a number in a text column (SQLite keeps what it was given): its text
            "INTEGER" | "REAL" | "NUMERIC" => row.try_get_unchecked::<String, _>(at),
            _ => row.try_get::<String, _>(at),
        }
    }

    fn pg_value(row: &PgRow, at: usize, _: &str, _: &str) -> CellResult<Self> {
        row.try_get::<String, _>(at)
    }
}

impl Cell for Timestamp {
    fn sqlite_value(row: &SqliteRow, at: usize, name: &str, ty: &str) -> CellResult<Self> {
        if ty == "TEXT" {
            let text: String = row.try_get_unchecked(at)?;
            // the text is not quoted back: a bad cell's message must not carry its content
            return parse_stored_time(&text)
                .ok_or_else(|| bad(name, "holds text that is not a time"));
        }
        row.try_get::<DateTime<Utc>, _>(at).map(truncate)
    }

    fn pg_value(row: &PgRow, at: usize, name: &str, ty: &str) -> CellResult<Self> {
        match ty {
            // both are microseconds since 2000-01-01 on the wire; a naive timestamp
            // (`DateTime()` without timezone in SQLAlchemy) is read as UTC, the zone the server
            // writes in. Decoded here, not by sqlx, whose decoder panics on `infinity` and on
            // years chrono cannot hold.
            "TIMESTAMP" | "TIMESTAMPTZ" => pg_timestamp(row, at, name),
            "DATE" => row
                .try_get::<NaiveDate, _>(at)
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
            _ => row.try_get::<DateTime<Utc>, _>(at).map(truncate),
        }
    }
}

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

fn pg_timestamp(row: &PgRow, at: usize, name: &str) -> CellResult<Timestamp> {
    use sqlx::postgres::PgValueFormat;
    let raw = row.try_get_raw(at)?;
    if raw.format() == PgValueFormat::Text {
        return row.try_get::<DateTime<Utc>, _>(at).map(truncate);
    }
    let bytes: [u8; 8] = raw
        .as_bytes()
        .map_err(|e| bad(name, e.to_string()))?
        .try_into()
        .map_err(|_| bad(name, "is not an 8-byte timestamp"))?;
    let micros = i64::from_be_bytes(bytes);
    match micros {
        i64::MAX => Err(bad(
            name,
            "is infinity, which this app cannot show as a date",
        )),
        i64::MIN => Err(bad(
            name,
            "is -infinity, which this app cannot show as a date",
        )),
        _ => micros
            .checked_add(PG_EPOCH_MICROS)
            .and_then(DateTime::from_timestamp_micros)
            .ok_or_else(|| bad(name, "is a date outside the years this app can show")),
    }
}

/// The latest time the store writes: PostgreSQL's and chrono's ranges both hold it.
pub fn latest_storable() -> Timestamp {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default() // 9999-12-31T23:59:59Z
}

/// A time as SQLite text holds it: RFC 3339 (ours), SQLAlchemy's `YYYY-MM-DD HH:MM:SS[.ffffff]`
/// or SQLite's own `CURRENT_TIMESTAMP` form; a text without an offset is UTC.
pub fn parse_stored_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(truncate(t.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(truncate(t.and_utc()));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(truncate(t.with_timezone(&Utc)));
        }
    }
    None
}

impl Cell for Json {
    fn sqlite_value(row: &SqliteRow, at: usize, name: &str, ty: &str) -> CellResult<Self> {
        match ty {
            // SQLAlchemy's JSON column has NUMERIC affinity: a JSON number is kept as a number
            "INTEGER" => row.try_get::<i64, _>(at).map(Json::from),
            "REAL" => row.try_get::<f64, _>(at).map(Json::from),
            _ => {
                let text: String = row.try_get_unchecked(at)?;
                serde_json::from_str(&text).map_err(|e| bad(name, format!("is not JSON ({e})")))
            }
        }
    }

    fn pg_value(row: &PgRow, at: usize, name: &str, ty: &str) -> CellResult<Self> {
        match ty {
            "JSON" | "JSONB" => row.try_get::<sqlx::types::Json<Json>, _>(at).map(|j| j.0),
            _ => {
                let text: String = row.try_get(at)?;
                serde_json::from_str(&text).map_err(|e| bad(name, format!("is not JSON ({e})")))
            }
        }
    }
}

impl Cell for Vec<u8> {
    fn sqlite_value(row: &SqliteRow, at: usize, _: &str, _: &str) -> CellResult<Self> {
        row.try_get_unchecked::<Vec<u8>, _>(at)
    }

    fn pg_value(row: &PgRow, at: usize, _: &str, _: &str) -> CellResult<Self> {
        row.try_get::<Vec<u8>, _>(at)
    }
}

/// How timestamps are written as SQLite text, so that every comparison (`updated_at = ?`,
/// `expires_at <= now`, keyset cursors) compares like with like: databases this app created
/// hold RFC 3339, databases the server's SQLAlchemy created hold its own form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeText {
    #[default]
    Rfc3339,
    /// `YYYY-MM-DD HH:MM:SS.ffffff`, UTC, as SQLAlchemy's SQLite `DateTime` stores it.
    SqlAlchemy,
}

impl TimeText {
    pub fn render(self, t: &Timestamp) -> String {
        match self {
            TimeText::Rfc3339 => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            TimeText::SqlAlchemy => t.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        }
    }

    /// The form a stored text uses, judged from one sample (`None` if it is not a time).
    pub fn of_sample(text: &str) -> Option<TimeText> {
        parse_stored_time(text)?;
        Some(if text.as_bytes().get(10) == Some(&b'T') {
            TimeText::Rfc3339
        } else {
            TimeText::SqlAlchemy
        })
    }
}

/// A cell of a table the explorer reads, as JSON, by the kind its catalog type gave it
/// ([`crate::explore::kind_of`]). A value that does not decode becomes a marked cell
/// (`{"_unreadable": why}`) rather than failing its row or its page.
pub fn json_sqlite(row: &SqliteRow, name: &str, kind: ColumnKind) -> Json {
    let raw = match sqlite_raw(row, name) {
        Ok(raw) => raw,
        Err(e) => return unreadable_cell(e),
    };
    if raw.null {
        return Json::Null;
    }
    let at = raw.at;
    let storage = raw.ty.as_str();
    let value = match (kind, storage) {
        (ColumnKind::Timestamp, _) => {
            Timestamp::sqlite_value(row, at, name, storage).map(time_json)
        }
        (ColumnKind::Json, _) => Json::sqlite_value(row, at, name, storage),
        (ColumnKind::Bool, "INTEGER") => row.try_get::<i64, _>(at).map(|n| Json::Bool(n != 0)),
        (_, "INTEGER") => row.try_get::<i64, _>(at).map(Json::from),
        (_, "REAL") => row.try_get::<f64, _>(at).map(Json::from),
        (_, "BLOB") => Vec::<u8>::sqlite_value(row, at, name, storage).map(|b| Json::from(b.len())),
        _ => String::sqlite_value(row, at, name, storage).map(Json::String),
    };
    value.unwrap_or_else(unreadable_cell)
}

/// [`json_sqlite`] for PostgreSQL, by the value's wire type (numerics, dates, UUIDs and other
/// types arrive as text: the list selects them so).
pub fn json_pg(row: &PgRow, name: &str, kind: ColumnKind) -> Json {
    let raw = match pg_raw(row, name) {
        Ok(raw) => raw,
        Err(e) => return unreadable_cell(e),
    };
    if raw.null {
        return Json::Null;
    }
    let at = raw.at;
    let ty = raw.ty.as_str();
    let value = match (kind, ty) {
        (ColumnKind::Timestamp, _) => Timestamp::pg_value(row, at, name, ty).map(time_json),
        (ColumnKind::Json, _) => Json::pg_value(row, at, name, ty),
        (_, "INT2" | "INT4" | "INT8") => i64::pg_value(row, at, name, ty).map(Json::from),
        (_, "FLOAT4") => row.try_get::<f32, _>(at).map(|f| Json::from(f64::from(f))),
        (_, "FLOAT8") => row.try_get::<f64, _>(at).map(Json::from),
        (_, "BOOL") => row.try_get::<bool, _>(at).map(Json::Bool),
        (_, "BYTEA") => Vec::<u8>::pg_value(row, at, name, ty).map(|b| Json::from(b.len())),
        _ => row.try_get_unchecked::<String, _>(at).map(Json::String),
    };
    value.unwrap_or_else(unreadable_cell)
}

fn time_json(t: Timestamp) -> Json {
    crate::model::IntoJson::into_json(t)
}

/// The key of a marked cell.
pub const UNREADABLE_CELL: &str = "_unreadable";

fn unreadable_cell(e: sqlx::Error) -> Json {
    let reason = match e {
        sqlx::Error::ColumnDecode { source, .. } => source.to_string(),
        other => other.to_string(),
    };
    serde_json::json!({ UNREADABLE_CELL: reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_stored_time_form() {
        let want = "2026-03-04T05:06:07.123456+00:00";
        for text in [
            "2026-03-04T05:06:07.123456+00:00",
            "2026-03-04T05:06:07.123456Z",
            "2026-03-04 05:06:07.123456",
            "2026-03-04T07:06:07.123456+02:00",
        ] {
            let t = parse_stored_time(text).map(|t| t.to_rfc3339());
            assert_eq!(t.as_deref(), Some(want), "{text}");
        }
        assert_eq!(
            parse_stored_time("2026-03-04 05:06:07").map(|t| t.to_rfc3339()),
            Some("2026-03-04T05:06:07+00:00".into())
        );
        assert!(parse_stored_time("not a time").is_none());
    }

    #[test]
    fn type_names_read_in_capitals_without_the_overlong() {
        assert_eq!(TypeName::of("timestamptz").as_str(), "TIMESTAMPTZ");
        assert_eq!(TypeName::of("INT4").as_str(), "INT4");
        assert_eq!(TypeName::of("").as_str(), "");
        // a user-defined type with a long name is no type the codec tells apart
        assert_eq!(TypeName::of(&"x".repeat(25)).as_str(), "");
        assert_eq!(TypeName::of(&"é".repeat(12)).as_str(), "éééééééééééé");
    }

    #[test]
    fn renders_sqlalchemy_form_with_six_digits() {
        let t = parse_stored_time("2026-03-04T05:06:07Z").unwrap_or_default();
        assert_eq!(
            TimeText::SqlAlchemy.render(&t),
            "2026-03-04 05:06:07.000000"
        );
        assert_eq!(
            TimeText::of_sample("2026-03-04 05:06:07.000001"),
            Some(TimeText::SqlAlchemy)
        );
        assert_eq!(
            TimeText::of_sample("2026-03-04T05:06:07+00:00"),
            Some(TimeText::Rfc3339)
        );
    }
}
