//! Job-role compliance: the job code × system role matrix, its edits, and the report.

use tauri::State;
use whodis_core::models::JobRoleMapping;
use whodis_core::ops::compliance::{self, AddMapping, ComplianceReport, Matrix, RemoveMapping};
use whodis_core::ops::run;

use super::{reply, Reply};
use crate::app::AppState;

#[tauri::command]
#[specta::specta]
pub async fn compliance_matrix(state: State<'_, AppState>) -> Reply<Matrix> {
    reply(compliance::matrix(&state.ctx()).await)
}

#[tauri::command]
#[specta::specta]
pub async fn compliance_report(state: State<'_, AppState>) -> Reply<ComplianceReport> {
    reply(compliance::report(&state.ctx()).await)
}

#[tauri::command]
#[specta::specta]
pub async fn add_mapping(state: State<'_, AppState>, req: AddMapping) -> Reply<JobRoleMapping> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_mapping(state: State<'_, AppState>, req: RemoveMapping) -> Reply<()> {
    reply(run(&state.ctx(), req).await)
}

/// Writes the employees with gaps to a CSV file the user chose; returns how many.
#[tauri::command]
#[specta::specta]
pub async fn export_compliance_report(state: State<'_, AppState>, path: String) -> Reply<u64> {
    reply(compliance::export_report(&state.ctx(), &path).await)
}
