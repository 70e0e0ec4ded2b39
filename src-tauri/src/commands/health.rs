//! Database health: the size and upkeep report, and Analyze.

use tauri::State;
use whodis_core::health::{Analyzed, DatabaseHealth};
use whodis_core::ops::{self, health::Analyze};

use super::{reply, Reply};
use crate::app::AppState;

/// The database's size, each table's and its indexes', rows and last vacuum/analyze.
#[tauri::command]
#[specta::specta]
pub async fn database_health(state: State<'_, AppState>) -> Reply<DatabaseHealth> {
    reply(ops::health::report(&state.ctx()).await)
}

/// Refreshes every table's planner statistics (an admin's, recorded in the audit log).
#[tauri::command]
#[specta::specta]
pub async fn analyze_database(state: State<'_, AppState>) -> Reply<Analyzed> {
    reply(ops::run(&state.ctx(), Analyze {}).await)
}
