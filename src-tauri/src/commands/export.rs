//! Export of the current filter to a file the user chose (through the dialog plugin in the UI),
//! with progress over a channel and cancel.

use std::sync::atomic::Ordering;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use whodis_core::ops::export::{self, ExportRows, Exported};
use whodis_core::Error;

use super::{reply, Reply};
use crate::app::AppState;

#[derive(Clone, Serialize, specta::Type)]
pub struct ExportProgress {
    pub rows: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn export_rows(
    state: State<'_, AppState>,
    req: ExportRows,
    on_progress: Channel<ExportProgress>,
) -> Reply<Exported> {
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
    reply(export::export_rows(&state.ctx(), req, progress).await)
}

#[tauri::command]
#[specta::specta]
pub async fn export_cancel(state: State<'_, AppState>) -> Reply<()> {
    state.cancel_export.store(true, Ordering::SeqCst);
    Ok(())
}
