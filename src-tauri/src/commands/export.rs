//! Export of the current filter to a file the user chooses in a native save dialog, with
//! progress over a channel and cancel.

use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;
use whodis_core::list::ListQuery;
use whodis_core::ops::export::{self, ExportFormat, ExportRows, Exported};
use whodis_core::ops::Permission;
use whodis_core::tables::Table;
use whodis_core::Error;

use super::{reply, Reply};
use crate::app::AppState;
use crate::files;

/// What to export: a table and the screen's filters and sort.
#[derive(Debug, Deserialize, specta::Type)]
pub struct ExportSelection {
    pub table: Table,
    pub query: ListQuery,
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
    reply(
        state
            .ctx()
            .authorize(Permission::Export, req.table.name())
            .await,
    )?;
    let title = format!("Export {}", req.table.name());
    let name = files::dated_name(req.table.name(), "csv");
    let Some(path) = files::choose_save_path(&title, &name, &[files::CSV, files::JSON]).await
    else {
        return Ok(None);
    };
    let req = ExportRows {
        table: req.table,
        query: req.query,
        format: ExportFormat::of_path(&path),
        path: path.to_string_lossy().into_owned(),
    };
    let cancel = state.cancel_export.clone();
    cancel.store(false, Ordering::SeqCst);
    let progress = move |rows: u64| {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::invalid("export", "cancelled; no file was written"));
        }
        let _ = on_progress.send(ExportProgress {
            rows: u32::try_from(rows).unwrap_or(u32::MAX),
        });
        Ok(())
    };
    reply(
        export::export_rows(&state.ctx(), req, progress)
            .await
            .map(Some),
    )
}

#[tauri::command]
#[specta::specta]
pub async fn export_cancel(state: State<'_, AppState>) -> Reply<()> {
    state.cancel_export.store(true, Ordering::SeqCst);
    Ok(())
}
