//! Sessions, search cache entries and API tokens: extend, delete one, remove the expired.

use std::collections::BTreeMap;

use tauri::State;
use whodis_core::ops::expiring::{CleanupExpired, DeleteExpiring, ExtendExpiration};
use whodis_core::ops::run;

use super::{reply, Reply};
use crate::app::AppState;

#[tauri::command]
#[specta::specta]
pub async fn extend_expiration(state: State<'_, AppState>, req: ExtendExpiration) -> Reply<()> {
    reply(run(&state.ctx(), req).await)
}

/// Terminates a session, revokes a token or drops a cache entry.
#[tauri::command]
#[specta::specta]
pub async fn delete_expiring(state: State<'_, AppState>, req: DeleteExpiring) -> Reply<()> {
    reply(run(&state.ctx(), req).await)
}

/// Removes the expired rows of one table, or of all three; returns how many per model.
#[tauri::command]
#[specta::specta]
pub async fn cleanup_expired(
    state: State<'_, AppState>,
    req: CleanupExpired,
) -> Reply<BTreeMap<String, u64>> {
    reply(run(&state.ctx(), req).await.map(|removed| {
        removed
            .into_iter()
            .map(|(model, n)| (model.to_owned(), n))
            .collect()
    }))
}
