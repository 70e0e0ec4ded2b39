//! The list engine behind every table view. A table is named as text: one of the WhoDis tables
//! (read through its model) or any other table of the open database (the explorer's).

use tauri::State;
use whodis_core::explore::TableSummary;
use whodis_core::list::{ListQuery, Page, Total};
use whodis_core::model::Column;
use whodis_core::ops;

use super::{reply, Reply};
use crate::app::AppState;

#[tauri::command]
#[specta::specta]
pub async fn table_columns(state: State<'_, AppState>, table: String) -> Reply<Vec<Column>> {
    reply(ops::explore::columns_any(&state.ctx(), &table).await)
}

#[tauri::command]
#[specta::specta]
pub async fn list_rows(state: State<'_, AppState>, table: String, query: ListQuery) -> Reply<Page> {
    reply(ops::explore::list_any(&state.ctx(), &table, &query).await)
}

/// The total of a selection, asked beside its first page (sent with `skip_total`), so the rows
/// show before a slow count ends.
#[tauri::command]
#[specta::specta]
pub async fn count_rows(
    state: State<'_, AppState>,
    table: String,
    query: ListQuery,
) -> Reply<Total> {
    reply(ops::explore::count_any(&state.ctx(), &table, &query).await)
}

/// Every table of the open database: columns, keys, links both ways, badges, row estimates.
#[tauri::command]
#[specta::specta]
pub async fn explore_tables(state: State<'_, AppState>) -> Reply<Vec<TableSummary>> {
    reply(ops::explore::tables(&state.ctx()).await)
}

/// What one bytes cell of an explored table holds (size, image type, first bytes); the image
/// itself is served by `photo://localhost/cell/…`.
#[tauri::command]
#[specta::specta]
pub async fn preview_bytes(
    state: State<'_, AppState>,
    table: String,
    column: String,
    key: serde_json::Map<String, serde_json::Value>,
) -> Reply<Option<ops::cell_bytes::BytesPreview>> {
    reply(ops::cell_bytes::preview(&state.ctx(), &table, &column, &key).await)
}

/// Every table, after reading the catalog again (a schema changed while the app was open).
#[tauri::command]
#[specta::specta]
pub async fn reread_tables(state: State<'_, AppState>) -> Reply<Vec<TableSummary>> {
    reply(ops::explore::reread_tables(&state.ctx()).await)
}

/// How many rows of a table with `expires_at` have expired (what "Remove expired" would take).
#[tauri::command]
#[specta::specta]
pub async fn count_expired_rows(state: State<'_, AppState>, table: String) -> Reply<u64> {
    reply(ops::rows::count_expired(&state.ctx(), &table).await)
}

/// Removes the expired rows of any table with `expires_at` (recorded like every change).
#[tauri::command]
#[specta::specta]
pub async fn remove_expired_rows(
    state: State<'_, AppState>,
    req: ops::rows::RemoveExpired,
) -> Reply<ops::rows::Removed> {
    reply(ops::run(&state.ctx(), req).await)
}

/// Edits one row of a table the explorer found; returns the row as saved.
#[tauri::command]
#[specta::specta]
pub async fn edit_row(
    state: State<'_, AppState>,
    req: ops::rows::EditRow,
) -> Reply<serde_json::Map<String, serde_json::Value>> {
    reply(ops::run(&state.ctx(), req).await)
}

/// Deletes one row of a table the explorer found.
#[tauri::command]
#[specta::specta]
pub async fn delete_row(state: State<'_, AppState>, req: ops::rows::DeleteTableRow) -> Reply<()> {
    reply(ops::run(&state.ctx(), req).await)
}

/// One masked value of an explored table's row, because the operator asked (recorded, without
/// the value).
#[tauri::command]
#[specta::specta]
pub async fn reveal_value(
    state: State<'_, AppState>,
    req: ops::rows::RevealValue,
) -> Reply<serde_json::Value> {
    reply(ops::run(&state.ctx(), req).await)
}

/// Inserts one row into a table the explorer found; returns the row as stored.
#[tauri::command]
#[specta::specta]
pub async fn insert_row(
    state: State<'_, AppState>,
    req: ops::rows::InsertRow,
) -> Reply<serde_json::Map<String, serde_json::Value>> {
    reply(ops::run(&state.ctx(), req).await)
}
