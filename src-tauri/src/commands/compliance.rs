//! Job-role compliance: the job code × system role matrix, its edits, and the report.

use tauri::State;
use whodis_core::models::{EmployeeRoleAssignment, JobRoleMapping};
use whodis_core::ops::compliance::{
    self, AddMapping, AssignRole, ComplianceReport, Matrix, RemoveMapping, UnassignRole,
};
use whodis_core::ops::export::Exported;
use whodis_core::ops::{run, Permission};

use super::{reply, Reply};
use crate::app::AppState;
use crate::files;

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

/// Records that an employee holds a role (a report's "missing role" fixed).
#[tauri::command]
#[specta::specta]
pub async fn assign_role(
    state: State<'_, AppState>,
    req: AssignRole,
) -> Reply<EmployeeRoleAssignment> {
    reply(run(&state.ctx(), req).await)
}

/// Records that an employee no longer holds a role (a report's "extra role" fixed).
#[tauri::command]
#[specta::specta]
pub async fn unassign_role(state: State<'_, AppState>, req: UnassignRole) -> Reply<()> {
    reply(run(&state.ctx(), req).await)
}

/// Asks where to save, then writes the employees with gaps there as CSV; `None` when the
/// dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_compliance_report(state: State<'_, AppState>) -> Reply<Option<Exported>> {
    // refused before the dialog: no one picks a file for nothing
    reply(
        state
            .ctx()
            .authorize(Permission::Export, compliance::REPORT_RESOURCE)
            .await,
    )?;
    let name = files::dated_name("compliance", "csv");
    let title = "Export the compliance report";
    let Some(path) = files::choose_save_path(title, &name, &[files::CSV]).await else {
        return Ok(None);
    };
    let path = path.to_string_lossy().into_owned();
    let rows = compliance::export_report(&state.ctx(), &path).await;
    reply(rows.map(|rows| {
        Some(Exported {
            path,
            rows,
            unreadable: 0,
        })
    }))
}
