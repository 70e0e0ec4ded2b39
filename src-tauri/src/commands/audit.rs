//! Reverting a change the audit log recorded, and checking the log's hash chain.

use tauri::ipc::Channel;
use tauri::State;
use whodis_core::audit_chain::ChainReport;
use whodis_core::ops::chain::{self, ChainStatus};
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

#[derive(Clone, serde::Serialize, specta::Type)]
pub struct VerifyProgress {
    pub rows: i64,
    pub total: i64,
}

/// Walks the whole audit log and checks its hash chain, reporting rows read as it goes.
#[tauri::command]
#[specta::specta]
pub async fn verify_audit_chain(
    state: State<'_, AppState>,
    on_progress: Channel<VerifyProgress>,
) -> Reply<ChainReport> {
    reply(
        chain::verify(&state.ctx(), |rows, total| {
            drop(on_progress.send(VerifyProgress { rows, total }));
            Ok(())
        })
        .await,
    )
}

/// Whether the chain has begun, and the key this keyring holds for it.
#[tauri::command]
#[specta::specta]
pub async fn audit_chain_status(state: State<'_, AppState>) -> Reply<ChainStatus> {
    reply(chain::status(&state.ctx()).await)
}

/// Starts the chain (admin): its key is made in the OS keyring, this change is its first row.
#[tauri::command]
#[specta::specta]
pub async fn start_audit_chain(state: State<'_, AppState>) -> Reply<ChainStatus> {
    reply(whodis_core::ops::run(&state.ctx(), chain::StartChain).await)
}
