//! Reverting a change the audit log recorded.

use tauri::State;
use whodis_core::ops::revert::{self, RevertPreview, Reverted};

use super::{reply, Reply};
use crate::app::AppState;

/// What reverting an audit row would change, or why it cannot be reverted.
#[tauri::command]
#[specta::specta]
pub async fn revert_preview(state: State<'_, AppState>, audit_id: i64) -> Reply<RevertPreview> {
    reply(revert::preview(&state.ctx(), audit_id).await)
}

/// Puts back the values an audit row recorded before its change, as a change of its own.
#[tauri::command]
#[specta::specta]
pub async fn revert_change(state: State<'_, AppState>, audit_id: i64) -> Reply<Reverted> {
    reply(revert::revert(&state.ctx(), audit_id).await)
}
