//! Native open and save dialogs, opened by the backend. A file path the app reads or writes
//! always comes from the user through one of these, never from the webview, so a compromised
//! page can name no file (and the webview needs no dialog permission at all).

use std::path::PathBuf;

use tauri::{Runtime, WebviewWindow};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use tokio::sync::oneshot;

/// A file type the dialog offers: a name and its extensions.
pub type Filter = (&'static str, &'static [&'static str]);

pub const CSV: Filter = ("CSV", &["csv"]);
pub const JSON: Filter = ("JSON", &["json"]);
pub const PHOTOS: Filter = ("Photos", &["png", "jpg", "jpeg", "gif", "webp"]);
pub const SQLITE: Filter = ("SQLite database", &["db", "sqlite", "sqlite3"]);

fn dialog<R: Runtime>(
    window: &WebviewWindow<R>,
    title: &str,
    filters: &[Filter],
) -> FileDialogBuilder<R> {
    let mut builder = window.dialog().file().set_parent(window).set_title(title);
    for (name, extensions) in filters {
        builder = builder.add_filter(*name, extensions);
    }
    builder
}

/// Waits for the dialog's answer without blocking a runtime thread; `None` when cancelled.
async fn answer(show: impl FnOnce(oneshot::Sender<Option<FilePath>>)) -> Option<PathBuf> {
    let (tx, rx) = oneshot::channel();
    show(tx);
    rx.await
        .ok()
        .flatten()
        .and_then(|path| path.into_path().ok())
}

/// An existing file to read.
pub async fn choose_file<R: Runtime>(
    window: &WebviewWindow<R>,
    title: &str,
    filters: &[Filter],
) -> Option<PathBuf> {
    let builder = dialog(window, title, filters);
    answer(|tx| {
        builder.pick_file(move |path| {
            let _ = tx.send(path);
        })
    })
    .await
}

/// A file to write, suggesting `file_name`.
pub async fn choose_save_path<R: Runtime>(
    window: &WebviewWindow<R>,
    title: &str,
    file_name: &str,
    filters: &[Filter],
) -> Option<PathBuf> {
    let builder = dialog(window, title, filters).set_file_name(file_name);
    answer(|tx| {
        builder.save_file(move |path| {
            let _ = tx.send(path);
        })
    })
    .await
}

/// `<stem>-<today>.<extension>`, the name an export suggests.
pub fn dated_name(stem: &str, extension: &str) -> String {
    format!(
        "{stem}-{}.{extension}",
        chrono::Local::now().format("%Y-%m-%d")
    )
}
