//! The window's size and place between runs (tauri-plugin-window-state). The plugin saves them
//! when the window closes normally; saving also shortly after the user stops moving or resizing
//! keeps them when the app ends without a close (a logout, a kill).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{Manager, Window, WindowEvent, Wry};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window must stay put before its place is written.
const SETTLE: Duration = Duration::from_millis(400);

/// Counts moves and resizes, so only the last of a burst writes the file.
#[derive(Default)]
pub struct Changes(AtomicU64);

pub fn plugin() -> tauri::plugin::TauriPlugin<Wry> {
    tauri_plugin_window_state::Builder::default().build()
}

/// For `Builder::on_window_event`: a move or resize schedules a save.
pub fn on_event(window: &Window, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
        return;
    }
    let app = window.app_handle().clone();
    let change = app.state::<Changes>().0.fetch_add(1, Ordering::SeqCst) + 1;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        if app.state::<Changes>().0.load(Ordering::SeqCst) != change {
            return; // a later change will save
        }
        if let Err(e) = app.save_window_state(StateFlags::all()) {
            tracing::warn!("the window's size and place were not saved: {e}");
        }
    });
}
