//! Who is operating, what they may do, and the database overview.

use tauri::State;
use whodis_core::ops::{self, DayCount, SessionInfo, Summary};

use super::{reply, Reply};
use crate::app::AppState;

#[tauri::command]
#[specta::specta]
pub async fn session_info(state: State<'_, AppState>) -> Reply<SessionInfo> {
    reply(ops::session_info(&state.ctx()).await)
}

#[tauri::command]
#[specta::specta]
pub async fn database_summary(state: State<'_, AppState>) -> Reply<Summary> {
    reply(ops::summary(&state.ctx()).await)
}

/// Audit events per UTC day over the last `days` days, for the dashboard's chart.
#[tauri::command]
#[specta::specta]
pub async fn audit_per_day(state: State<'_, AppState>, days: u32) -> Reply<Vec<DayCount>> {
    reply(ops::audit_per_day(&state.ctx(), days).await)
}
