//! Configuration values and the database's keys. Values travel into the app in requests; a
//! secret comes back out only from the two explicit, audited reveals (`config_reveal`,
//! `key_export`).

use std::sync::atomic::Ordering;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use whodis_core::crypto::lifecycle::{KeyStatus, Rotation};
use whodis_core::crypto::WriteFormat;
use whodis_core::ops::run;
use whodis_core::ops::settings::{
    self, ConfigWritten, DeleteConfig, KeyExport, KeyImport, KeyInit, KeyRotate, ProtectConfig,
    RevealConfig, SetConfig, SetWriteFormat,
};
use whodis_core::Error;

use super::{reply, Reply};
use crate::app::AppState;

/// A secret the operator asked to see. Serialized only as the reply of an explicit reveal.
#[derive(Serialize, specta::Type)]
pub struct Revealed {
    pub value: Option<String>,
}

#[derive(Clone, Serialize, specta::Type)]
pub struct RotateProgress {
    pub done: u32,
    pub total: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn key_status(state: State<'_, AppState>) -> Reply<KeyStatus> {
    reply(settings::key_status(&state.ctx()).await)
}

#[tauri::command]
#[specta::specta]
pub async fn config_set(state: State<'_, AppState>, req: SetConfig) -> Reply<ConfigWritten> {
    reply(run(&state.ctx(), req).await)
}

/// Encrypts or decrypts a stored value in place (the value stays in the backend).
#[tauri::command]
#[specta::specta]
pub async fn config_protect(
    state: State<'_, AppState>,
    req: ProtectConfig,
) -> Reply<ConfigWritten> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn config_delete(state: State<'_, AppState>, req: DeleteConfig) -> Reply<()> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn config_reveal(state: State<'_, AppState>, path: String) -> Reply<Revealed> {
    reply(
        run(&state.ctx(), RevealConfig { path })
            .await
            .map(|v| Revealed {
                value: v.map(|s| s.expose().to_owned()),
            }),
    )
}

#[tauri::command]
#[specta::specta]
pub async fn key_init(state: State<'_, AppState>) -> Reply<KeyStatus> {
    reply(run(&state.ctx(), KeyInit {}).await)
}

#[tauri::command]
#[specta::specta]
pub async fn key_import(state: State<'_, AppState>, req: KeyImport) -> Reply<KeyStatus> {
    reply(run(&state.ctx(), req).await)
}

/// The recovery string, shown once by the UI.
#[tauri::command]
#[specta::specta]
pub async fn key_export(state: State<'_, AppState>, req: KeyExport) -> Reply<Revealed> {
    reply(run(&state.ctx(), req).await.map(|s| Revealed {
        value: Some(s.expose().to_owned()),
    }))
}

#[tauri::command]
#[specta::specta]
pub async fn set_write_format(
    state: State<'_, AppState>,
    req: SetWriteFormat,
) -> Reply<WriteFormat> {
    reply(run(&state.ctx(), req).await)
}

/// Re-encrypts every value under a new key, reporting progress; `key_rotate_cancel` stops it
/// and rolls everything back.
#[tauri::command]
#[specta::specta]
pub async fn key_rotate(
    state: State<'_, AppState>,
    on_progress: Channel<RotateProgress>,
) -> Reply<Rotation> {
    let cancel = state.cancel_rotation.clone();
    cancel.store(false, Ordering::SeqCst);
    let progress = Box::new(move |done: usize, total: usize| {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::invalid("rotation", "cancelled; nothing was changed"));
        }
        // a closed window only loses the progress display, not the rotation
        let _ = on_progress.send(RotateProgress {
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        });
        Ok(())
    });
    reply(run(&state.ctx(), KeyRotate { progress }).await)
}

#[tauri::command]
#[specta::specta]
pub async fn key_rotate_cancel(state: State<'_, AppState>) -> Reply<()> {
    state.cancel_rotation.store(true, Ordering::SeqCst);
    Ok(())
}
