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

/// How the open database compares with the models, table by table.
#[tauri::command]
#[specta::specta]
pub async fn schema_report(state: State<'_, AppState>) -> Reply<whodis_core::compat::CompatReport> {
    reply(ops::schema::report(&state.ctx()).await)
}

/// The statements adopting the open database would run (nothing runs).
#[tauri::command]
#[specta::specta]
pub async fn adopt_plan(state: State<'_, AppState>) -> Reply<whodis_core::compat::AdoptPlan> {
    reply(ops::schema::plan(&state.ctx()).await)
}

/// Runs the adopt plan the operator confirmed (`expected`: the statements shown to them).
#[tauri::command]
#[specta::specta]
pub async fn adopt_database(
    state: State<'_, AppState>,
    expected: Vec<String>,
) -> Reply<whodis_core::compat::AdoptPlan> {
    reply(ops::schema::adopt(&state.ctx(), expected).await)
}

/// What the About dialog shows: which build this is, what it has open, and where it keeps
/// its files.
#[derive(serde::Serialize, specta::Type)]
pub struct About {
    pub version: String,
    /// `release`, or `debug` for a developer's build (devtools on).
    pub build: String,
    pub platform: String,
    /// The open database (a PostgreSQL password is never shown).
    pub database: String,
    /// The OS keyring in use, or why there is none.
    pub keyring: String,
    pub log_folder: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn about(state: State<'_, AppState>) -> Reply<About> {
    let ctx = state.ctx();
    Ok(About {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .to_owned(),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        database: ctx.url().to_string(),
        keyring: ctx
            .keyring_backend()
            .unwrap_or_else(|why| format!("unavailable: {why}")),
        log_folder: crate::paths::log_dir().map(|dir| dir.display().to_string()),
    })
}
