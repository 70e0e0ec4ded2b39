//! Export of the current filter to a file the user chooses in a native save dialog, with
//! progress over a channel and cancel.

use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;
use whodis_core::list::ListQuery;
use whodis_core::ops::export::{self, ExportFormat, ExportRows, Exported};
use whodis_core::ops::Permission;

use super::{reply, Reply};
use crate::app::AppState;
use crate::files;

/// What to export: a table and the screen's filters and sort.
#[derive(Debug, Deserialize, specta::Type)]
pub struct ExportSelection {
    /// Any table of the database.
    pub table: String,
    pub query: ListQuery,
    /// The zone the window shows times in (IANA name): the file's times follow it.
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[derive(Clone, Serialize, specta::Type)]
pub struct ExportProgress {
    pub rows: u32,
}

#[tauri::command]
#[specta::specta]
/// Asks where to save (`.csv` or `.json`), then streams the rows there; `None` when the dialog
/// was cancelled.
pub async fn export_rows(
    state: State<'_, AppState>,
    req: ExportSelection,
    on_progress: Channel<ExportProgress>,
) -> Reply<Option<Exported>> {
    // refused before the dialog: no one picks a file for nothing
    let table = whodis_core::ops::explore::table_name(&req.table);
    reply(state.ctx().authorize(Permission::Export, &table).await)?;
    let title = format!("Export {table}");
    let name = files::dated_name(&table, "csv");
    let Some(path) = files::choose_save_path(&title, &name, &[files::CSV, files::JSON]).await
    else {
        return Ok(None);
    };
    let req = ExportRows {
        table: req.table,
        query: req.query,
        format: ExportFormat::of_path(&path),
        path: path.to_string_lossy().into_owned(),
        time_zone: req.time_zone,
    };
    reply(
        write(&state, req, move |p| drop(on_progress.send(p)))
            .await
            .map(Some),
    )
}

/// The body of `export_rows` once the file is chosen, with progress going to `report`.
pub(crate) async fn write(
    state: &AppState,
    req: ExportRows,
    report: impl Fn(ExportProgress) + Send,
) -> whodis_core::Result<Exported> {
    let cancel = state.cancel_export.start();
    let progress = move |rows: u64| {
        cancel.check("export", "no file was written")?;
        report(ExportProgress {
            rows: u32::try_from(rows).unwrap_or(u32::MAX),
        });
        Ok(())
    };
    export::export_rows(&state.ctx(), req, progress).await
}

#[tauri::command]
#[specta::specta]
pub async fn export_cancel(state: State<'_, AppState>) -> Reply<()> {
    state.cancel_export.cancel();
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use whodis_core::models::AuditLog;
    use whodis_core::ops::UnknownOperator;
    use whodis_core::tables::Table;

    use super::*;

    // The window's cancel, through the command's own body: pressed after the first page it
    // leaves no file (not even the partial one) and no record; left set, it does not stop the
    // next export.
    crate::both_backends!(a_cancel_stops_the_running_export_only, |db| {
        let admin = "export.admin@corp.example";
        let ctx = crate::common::ctx(&db, admin);
        whodis_core::ops::users::bootstrap_admin(&ctx, admin)
            .await
            .unwrap();
        let mut tx = db.begin().await.unwrap();
        for i in 0..1_200 {
            let mut row = AuditLog {
                event_type: Some("search".into()),
                search_query: Some(format!("person {i}")),
                success: Some(true),
                ..Default::default()
            };
            row.save(&mut tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("audit.csv");
        let req = || ExportRows {
            table: Table::AuditLog.name().into(),
            query: ListQuery {
                filters: vec![whodis_core::list::Filter::parse("event_type=eq:search").unwrap()],
                ..ListQuery::default()
            },
            format: ExportFormat::Csv,
            path: target.display().to_string(),
            time_zone: None,
        };
        let state = Arc::new(AppState::new(ctx, None, UnknownOperator::Refuse));

        let pressing = Arc::clone(&state);
        let err = write(&state, req(), move |p| {
            if p.rows == 500 {
                pressing.cancel_export.cancel();
            }
        })
        .await
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid export: cancelled; no file was written"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(
            left.is_empty(),
            "no file, not even the partial one: {left:?}"
        );
        let exports = || async {
            let filter = whodis_core::list::Filter::parse("additional_data=contains:rows.export");
            let query = ListQuery {
                filters: vec![filter.unwrap()],
                ..ListQuery::default()
            };
            whodis_core::ops::list(&state.ctx(), Table::AuditLog, &query)
                .await
                .unwrap()
                .rows
                .len()
        };
        assert_eq!(exports().await, 0, "a cancelled export is not recorded");

        let done = write(&state, req(), |_| {}).await.unwrap();
        assert_eq!(done.rows, 1_200);
        let lines = std::fs::read_to_string(&target).unwrap().lines().count();
        assert_eq!(lines, 1_201, "a header and every row");
        assert_eq!(exports().await, 1);
    });
}
