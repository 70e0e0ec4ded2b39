//! Saved views (`crate::views`): a screen's named filters, sort and column layout, kept in the
//! config folder. No database and no operator are involved: views are the person's, shared by
//! every connection.

use tauri::State;

use super::{reply, Reply};
use crate::views::{Lock, View, ViewList, ViewStore};

/// Runs `f` on the views file, one command at a time (each reads, changes and writes it whole).
fn with_store<T>(lock: &Lock, f: impl FnOnce(&ViewStore) -> whodis_core::Result<T>) -> Reply<T> {
    let _held = lock
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    reply(ViewStore::default_location().and_then(|store| f(&store)))
}

#[tauri::command]
#[specta::specta]
pub async fn list_views(lock: State<'_, Lock>, screen: String) -> Reply<ViewList> {
    with_store(&lock, |store| store.list(&screen))
}

/// Saves the view under its name; an existing name is a Conflict unless `overwrite`.
#[tauri::command]
#[specta::specta]
pub async fn save_view(
    lock: State<'_, Lock>,
    screen: String,
    view: View,
    overwrite: bool,
) -> Reply<ViewList> {
    with_store(&lock, |store| store.save(&screen, view, overwrite))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_view(lock: State<'_, Lock>, screen: String, name: String) -> Reply<ViewList> {
    with_store(&lock, |store| store.delete(&screen, &name))
}

/// The view applied when the screen opens; `None` clears it.
#[tauri::command]
#[specta::specta]
pub async fn set_default_view(
    lock: State<'_, Lock>,
    screen: String,
    name: Option<String>,
) -> Reply<ViewList> {
    with_store(&lock, |store| store.set_default(&screen, name.as_deref()))
}
