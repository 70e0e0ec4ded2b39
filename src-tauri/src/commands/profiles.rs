//! The directory: employee photos (the photos themselves are served by the `photo:` scheme, see
//! `photos.rs`) and the Genesys caches.

use tauri::State;
use whodis_core::models::genesys::SyncStats;
use whodis_core::ops::directory::{ImportGenesys, SetPhoto, UpdateProfile};
use whodis_core::ops::run;

use super::{reply, Reply};
use crate::app::AppState;

/// Replaces (`photo` set) or removes (`photo` null) a photo; the bytes are checked by content.
#[tauri::command]
#[specta::specta]
pub async fn set_photo(state: State<'_, AppState>, req: SetPhoto) -> Reply<()> {
    let id = req.id;
    let done = run(&state.ctx(), req).await;
    if done.is_ok() {
        state.thumbnails.forget(id);
    }
    reply(done.map(drop))
}

/// `sync_from_service_data` for one Genesys cache: `{created, updated}`.
#[tauri::command]
#[specta::specta]
pub async fn import_genesys(state: State<'_, AppState>, req: ImportGenesys) -> Reply<SyncStats> {
    reply(run(&state.ctx(), req).await)
}

/// Replaces an employee's Keystone record (JSON, or null to clear it). Returns nothing: the
/// profile holds the photo, which never travels as JSON.
#[tauri::command]
#[specta::specta]
pub async fn update_profile(state: State<'_, AppState>, req: UpdateProfile) -> Reply<()> {
    reply(run(&state.ctx(), req).await.map(drop))
}
