//! The directory: employee photos (the photos themselves are served by the `photo:` scheme, see
//! `photos.rs`) and the Genesys caches.

use serde::Deserialize;
use tauri::State;
use whodis_core::models::genesys::SyncStats;
use whodis_core::ops::directory::{GenesysKind, ImportGenesys, SetPhoto, UpdateProfile};
use whodis_core::ops::{run, Operation, Permission};
use whodis_core::photo::read_photo_file;
use whodis_core::time::Timestamp;

use super::{reply, Reply};
use crate::app::AppState;
use crate::files;

/// The profile whose photo changes, as the screen last saw it.
#[derive(Debug, Deserialize, specta::Type)]
pub struct PhotoTarget {
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
}

/// Asks for an image file and makes it the photo (type checked by content, at most 5 MiB); the
/// bytes go from the file to the database without crossing IPC. `false` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn replace_photo(state: State<'_, AppState>, req: PhotoTarget) -> Reply<bool> {
    // refused before the dialog: no one picks a file for nothing
    reply(
        state
            .ctx()
            .authorize(Permission::EditProfiles, SetPhoto::NAME)
            .await,
    )?;
    let title = "Choose a photo (PNG, JPEG, GIF or WebP, at most 5 MiB)";
    let Some(path) = files::choose_file(title, &[files::PHOTOS]).await else {
        return Ok(false);
    };
    let photo = reply(read_photo_file(&path))?;
    store_photo(&state, req, Some(photo)).await.map(|()| true)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_photo(state: State<'_, AppState>, req: PhotoTarget) -> Reply<()> {
    store_photo(&state, req, None).await
}

async fn store_photo(state: &AppState, req: PhotoTarget, photo: Option<Vec<u8>>) -> Reply<()> {
    let op = SetPhoto {
        id: req.id,
        expected_updated_at: req.expected_updated_at,
        photo,
    };
    let done = run(&state.ctx(), op).await;
    if done.is_ok() {
        state.thumbnails.forget(req.id);
    }
    reply(done.map(drop))
}

/// Asks for a Genesys export (a JSON array, or `{"entities": [...]}`) and imports it through
/// `sync_from_service_data`: `{created, updated}`, or `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_genesys_file(
    state: State<'_, AppState>,
    kind: GenesysKind,
) -> Reply<Option<SyncStats>> {
    reply(
        state
            .ctx()
            .authorize(Permission::ImportGenesys, ImportGenesys::NAME)
            .await,
    )?;
    let title = format!("Import Genesys {}", kind.plural());
    let Some(path) = files::choose_file(&title, &[files::JSON]).await else {
        return Ok(None);
    };
    let req = reply(ImportGenesys::from_file(kind, &path))?;
    reply(run(&state.ctx(), req).await.map(Some))
}

/// Replaces an employee's Keystone record (JSON, or null to clear it). Returns nothing: the
/// profile holds the photo, which never travels as JSON.
#[tauri::command]
#[specta::specta]
pub async fn update_profile(state: State<'_, AppState>, req: UpdateProfile) -> Reply<()> {
    reply(run(&state.ctx(), req).await.map(drop))
}
