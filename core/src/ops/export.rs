//! Exports the rows a filter selects to a CSV or JSON file, page by page (keyset), so memory
//! stays flat however many rows match. Rows are the safe form (no secret fields, no bytes). The
//! file appears only when complete: it is written beside its target and renamed at the end, so a
//! failure or a cancel leaves nothing half-written. Every export is recorded in the audit log.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};
use crate::list::{ListQuery, MAX_PAGE_SIZE};
use crate::ops::context::Ctx;
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    /// How a person names the format.
    pub fn label(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Json => "JSON",
        }
    }

    /// The format a chosen file name asks for: `.json` is JSON, anything else CSV.
    pub fn of_path(path: &Path) -> Self {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if json {
            Self::Json
        } else {
            Self::Csv
        }
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct ExportRows {
    /// Any table of the database: a WhoDis table through its model, any other through the
    /// explorer (its secrets and bytes left out alike).
    pub table: String,
    /// The filters and sort of the screen; its cursor and limit are ignored.
    pub query: ListQuery,
    pub format: ExportFormat,
    pub path: String,
    /// The IANA zone times are written in (`Europe/Berlin`, `UTC`), named in the CSV header
    /// (`created_at (Europe/Berlin)`); none: UTC, headers as the columns are named.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The zone an export writes its times in, found in the time zone database before anything is
/// written.
struct ExportZone {
    zone: jiff::tz::TimeZone,
    /// Its IANA name, as the CSV header shows it (`created_at (Europe/Berlin)`).
    name: String,
    /// UTC's times end in `Z`, as the app writes them everywhere else.
    utc: bool,
}

fn export_zone(name: Option<&str>) -> Result<Option<ExportZone>> {
    name.map(|n| {
        let n = n.trim();
        let zone = jiff::tz::TimeZone::get(n).map_err(|_| {
            Error::invalid(
                "time_zone",
                format!("'{n}' is not a time zone name such as Europe/Berlin or UTC"),
            )
        })?;
        let name = zone.iana_name().unwrap_or(n).to_owned();
        let utc = name.eq_ignore_ascii_case("UTC");
        Ok(ExportZone { zone, name, utc })
    })
    .transpose()
}

/// A time cell in `zone`, with its offset (`2026-11-30T10:04:00-05:00`); other cells as they are.
fn in_zone(cell: Json, zone: Option<&ExportZone>) -> Json {
    let (Some(zone), Json::String(text)) = (zone, &cell) else {
        return cell;
    };
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(text.as_str()) else {
        return cell;
    };
    // the zone's offset at that instant (DST included), then the time written with it
    let offset = jiff::Timestamp::from_microsecond(t.timestamp_micros())
        .ok()
        .map(|at| zone.zone.to_offset(at).seconds())
        .and_then(chrono::FixedOffset::east_opt);
    match offset {
        Some(offset) => Json::String(
            t.with_timezone(&offset)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, zone.utc),
        ),
        None => cell,
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub path: String,
    pub rows: u64,
    /// Rows the database returned that could not be read (written with their id only).
    pub unreadable: u64,
}

/// `progress(rows written so far)` after each page; an `Err` cancels.
pub async fn export_rows(
    ctx: &Ctx,
    req: ExportRows,
    mut progress: impl FnMut(u64) -> Result<()> + Send,
) -> Result<Exported> {
    // a model's name (`AuditLog`) is recorded as its table's, as the window names it
    let table = crate::ops::explore::table_name(&req.table);
    ctx.authorize(Permission::Export, &table).await?;
    let target = PathBuf::from(&req.path);
    let partial = partial_path(&target)?;
    let written = write_file(ctx, &req, &partial, &target, &mut progress).await;
    let (rows, unreadable) = match written {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    let record = RecordExport {
        what: table,
        format: req.format,
        rows,
        unreadable,
        filters: serde_json::to_value(&req.query.filters).unwrap_or_default(),
    };
    publish(ctx, &partial, &target, record).await?;
    Ok(Exported {
        path: req.path,
        rows,
        unreadable,
    })
}

/// Moves a finished `.partial` file into place and records the export; if the audit row cannot
/// be written, the file goes again, so no export exists without its record.
pub(crate) async fn publish(
    ctx: &Ctx,
    partial: &Path,
    target: &Path,
    record: RecordExport,
) -> Result<()> {
    std::fs::rename(partial, target).map_err(|e| {
        let _ = std::fs::remove_file(partial);
        Error::file("write", target, &e)
    })?;
    if let Err(e) = crate::ops::run(ctx, record).await {
        let _ = std::fs::remove_file(target);
        return Err(e);
    }
    Ok(())
}

/// Writes a whole file to its `.partial` sibling (on disk, synced), for [`publish`] to move
/// into place, so a failure leaves no half-written file.
pub(crate) fn write_partial(target: &Path, contents: &[u8]) -> Result<PathBuf> {
    let partial = partial_path(target)?;
    let written = std::fs::File::create(&partial).and_then(|mut f| {
        f.write_all(contents)?;
        f.sync_all()
    });
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Error::file("write", target, &e)
    })?;
    Ok(partial)
}

fn partial_path(target: &Path) -> Result<PathBuf> {
    let name = target
        .file_name()
        .ok_or_else(|| Error::invalid("path", "choose a file name to export to"))?;
    let mut partial = name.to_os_string();
    partial.push(".partial");
    Ok(target.with_file_name(partial))
}

/// Writes the export to `path`; errors name `shown`, the file the user chose.
async fn write_file(
    ctx: &Ctx,
    req: &ExportRows,
    path: &Path,
    shown: &Path,
    progress: &mut (impl FnMut(u64) -> Result<()> + Send),
) -> Result<(u64, u64)> {
    let file = std::fs::File::create(path).map_err(|e| Error::file("write", shown, &e))?;
    let mut out = std::io::BufWriter::new(file);
    let io = |e: std::io::Error| Error::file("write", shown, &e);
    let zone = export_zone(req.time_zone.as_deref())?;
    let shown: Vec<crate::model::Column> = crate::ops::explore::columns_any(ctx, &req.table)
        .await?
        .into_iter()
        .filter(|c| !c.sensitive && c.kind != crate::model::ColumnKind::Bytes)
        .collect();
    let columns: Vec<String> = shown.iter().map(|c| c.name.to_owned()).collect();
    let is_time: Vec<bool> = shown
        .iter()
        .map(|c| c.kind == crate::model::ColumnKind::Timestamp)
        .collect();
    match req.format {
        ExportFormat::Csv => {
            let header = shown.iter().map(|c| match &zone {
                Some(z) if c.kind == crate::model::ColumnKind::Timestamp => {
                    Json::String(format!("{} ({})", c.name, z.name))
                }
                _ => Json::String(c.name.to_owned()),
            });
            writeln!(out, "{}", csv_line(header)).map_err(io)?
        }
        ExportFormat::Json => out.write_all(b"[").map_err(io)?,
    }
    let mut query = ListQuery {
        limit: Some(MAX_PAGE_SIZE),
        cursor: None,
        // an export counts its rows as it writes them
        skip_total: true,
        ..req.query.clone()
    };
    let mut rows = 0u64;
    let mut unreadable = 0u64;
    loop {
        let page = crate::ops::explore::list_any(ctx, &req.table, &query).await?;
        for row in &page.rows {
            if row.contains_key(crate::list::UNREADABLE) {
                unreadable += 1;
            }
            match req.format {
                ExportFormat::Csv => {
                    let cells = cells(row, &columns, &is_time, zone.as_ref()).map(|(_, v)| v);
                    writeln!(out, "{}", csv_line(cells)).map_err(io)?;
                }
                ExportFormat::Json => {
                    out.write_all(if rows == 0 { b"\n" } else { b",\n" })
                        .map_err(io)?;
                    let ordered: Map<String, Json> = cells(row, &columns, &is_time, zone.as_ref())
                        .map(|(c, v)| (c.to_owned(), v))
                        .collect();
                    serde_json::to_writer(&mut out, &ordered)
                        .map_err(|e| Error::invalid("path", format!("cannot write JSON: {e}")))?;
                }
            }
            rows += 1;
        }
        progress(rows)?;
        match page.next_cursor {
            Some(next) => query.cursor = Some(next),
            None => break,
        }
    }
    if req.format == ExportFormat::Json {
        out.write_all(b"\n]\n").map_err(io)?;
    }
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok((rows, unreadable))
}

/// The row's cells in the export's column order, times in the export's zone.
fn cells<'a>(
    row: &'a Map<String, Json>,
    columns: &'a [String],
    is_time: &'a [bool],
    zone: Option<&'a ExportZone>,
) -> impl Iterator<Item = (&'a str, Json)> + 'a {
    columns.iter().zip(is_time).map(move |(c, time)| {
        let cell = row.get(c).cloned().unwrap_or(Json::Null);
        (c.as_str(), if *time { in_zone(cell, zone) } else { cell })
    })
}

/// One CSV record (RFC 4180 quoting). Text that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading `'`, so opening an
/// export cannot execute it.
pub fn csv_line(cells: impl Iterator<Item = Json>) -> String {
    cells
        .map(|v| {
            let text = match v {
                Json::Null => String::new(),
                Json::String(s) => s,
                other @ (Json::Array(_) | Json::Object(_)) => other.to_string(),
                other => other.to_string(),
            };
            let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let text = if formula && text.parse::<f64>().is_err() {
                format!("'{text}")
            } else {
                text
            };
            if text.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The audit record of an export (the export itself changes no row).
pub(crate) struct RecordExport {
    /// A table name, or what else was exported (`compliance_report`).
    pub what: String,
    pub format: ExportFormat,
    pub rows: u64,
    pub unreadable: u64,
    pub filters: Json,
}

impl Operation for RecordExport {
    type Output = ();
    const NAME: &'static str = "rows.export";

    fn permission(&self) -> Permission {
        Permission::Export
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        w.message(format!(
            "Exported {} rows of {} as {}",
            self.rows,
            self.what,
            self.format.label()
        ));
        w.detail("entity", self.what);
        w.detail("rows", self.rows);
        if self.unreadable > 0 {
            w.detail("unreadable_rows", self.unreadable);
        }
        w.detail("filters", self.filters);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shown_in(zone: &str, at: &str) -> String {
        let zone = export_zone(Some(zone)).expect("a known zone");
        in_zone(json!(at), zone.as_ref())
            .as_str()
            .expect("text")
            .to_owned()
    }

    #[test]
    fn times_take_the_zones_offset_at_their_instant() {
        // daylight saving time by date, from the time zone database
        assert_eq!(
            shown_in("America/New_York", "2026-01-15T12:00:00Z"),
            "2026-01-15T07:00:00-05:00"
        );
        assert_eq!(
            shown_in("America/New_York", "2026-07-15T12:00:00.250Z"),
            "2026-07-15T08:00:00.250-04:00"
        );
        assert_eq!(
            shown_in("Europe/Berlin", "2026-03-29T00:59:59Z"),
            "2026-03-29T01:59:59+01:00"
        );
        assert_eq!(
            shown_in("Europe/Berlin", "2026-03-29T01:00:00Z"),
            "2026-03-29T03:00:00+02:00"
        );
        assert_eq!(
            shown_in("Asia/Kolkata", "2026-01-15T12:00:00Z"),
            "2026-01-15T17:30:00+05:30"
        );
        // UTC ends in Z, as everywhere else in the app; a name in other capitals is the same zone
        assert_eq!(
            shown_in("UTC", "2026-01-15T12:00:00+02:00"),
            "2026-01-15T10:00:00Z"
        );
        let zone = export_zone(Some(" europe/berlin "))
            .expect("a known zone")
            .expect("a zone");
        assert_eq!(zone.name, "Europe/Berlin");
        // text that is not a time stays as it was
        assert_eq!(shown_in("Europe/Berlin", "soon"), "soon");
    }

    #[test]
    fn an_unknown_zone_is_refused_by_name() {
        let err = export_zone(Some("Mars/Olympus")).err().expect("refused");
        assert!(
            err.to_string()
                .contains("'Mars/Olympus' is not a time zone name"),
            "{err}"
        );
    }

    #[test]
    fn the_chosen_file_name_picks_the_format() {
        for (name, format) in [
            ("audit.json", ExportFormat::Json),
            ("AUDIT.JSON", ExportFormat::Json),
            ("audit.csv", ExportFormat::Csv),
            ("audit", ExportFormat::Csv),
            ("json", ExportFormat::Csv),
        ] {
            assert_eq!(ExportFormat::of_path(Path::new(name)), format, "{name}");
        }
    }

    #[test]
    fn csv_defuses_a_leading_tab_or_carriage_return() {
        let line = csv_line(
            [
                Json::from("\t=1+1"),
                Json::from("\r=HYPERLINK(1)"),
                Json::from("-12.5"),
            ]
            .into_iter(),
        );
        assert_eq!(line, "'\t=1+1,\"'\r=HYPERLINK(1)\",-12.5");
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        let line = csv_line(
            [
                json!(1),
                json!("plain"),
                json!("a,b"),
                json!("say \"hi\"\nthere"),
                json!(null),
                json!(true),
                json!({"k": [1, 2]}),
                json!("=HYPERLINK(\"x\")"),
                json!("-12.5"),
            ]
            .into_iter(),
        );
        assert_eq!(
            line,
            r#"1,plain,"a,b","say ""hi""
there",,true,"{""k"":[1,2]}","'=HYPERLINK(""x"")",-12.5"#
        );
    }
}
