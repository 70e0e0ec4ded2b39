//! Updates (`src/updates.rs`): off unless the build has the `updater` feature and the settings
//! name an endpoint.

use tauri::AppHandle;

use super::{reply, Reply};
use crate::updates::{self, UpdateStatus};

/// Asks the release endpoint whether a newer version exists (nothing is downloaded).
#[tauri::command]
#[specta::specta]
pub async fn update_check(app: AppHandle) -> Reply<UpdateStatus> {
    Ok(updates::check(&app).await)
}

/// Downloads and verifies the newer version, installs it and restarts the app.
#[tauri::command]
#[specta::specta]
pub async fn update_install(app: AppHandle) -> Reply<()> {
    reply(updates::install(&app).await)
}
