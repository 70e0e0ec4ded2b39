//! Employee profiles: replace or remove a photo (the photos themselves are served by the
//! `photo:` scheme, see `photos.rs`).

use tauri::State;
use whodis_core::ops::directory::SetPhoto;
use whodis_core::ops::run;

use super::{reply, Reply};
use crate::app::AppState;

/// Replaces (`photo` set) or removes (`photo` null) a photo; the bytes are checked by content.
#[tauri::command]
#[specta::specta]
pub async fn set_photo(state: State<'_, AppState>, req: SetPhoto) -> Reply<()> {
    let id = req.id;
    let done = run(&state.ctx, req).await;
    if done.is_ok() {
        state.thumbnails.forget(id);
    }
    reply(done.map(drop))
}
