//! The list engine behind every table view.

use tauri::State;
use whodis_core::list::{ListQuery, Page, Total};
use whodis_core::model::Column;
use whodis_core::{ops, Table};

use super::{reply, Reply};
use crate::app::AppState;

#[tauri::command]
#[specta::specta]
pub async fn table_columns(state: State<'_, AppState>, table: Table) -> Reply<Vec<Column>> {
    reply(ops::columns(&state.ctx(), table).await)
}

#[tauri::command]
#[specta::specta]
pub async fn list_rows(state: State<'_, AppState>, table: Table, query: ListQuery) -> Reply<Page> {
    reply(ops::list(&state.ctx(), table, &query).await)
}

/// The total of a selection, asked beside its first page (sent with `skip_total`), so the rows
/// show before a slow count ends.
#[tauri::command]
#[specta::specta]
pub async fn count_rows(
    state: State<'_, AppState>,
    table: Table,
    query: ListQuery,
) -> Reply<Total> {
    reply(ops::count(&state.ctx(), table, &query).await)
}
