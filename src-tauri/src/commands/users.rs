//! Users and roles (admin only; enforced in `whodis_core::ops`).

use tauri::State;
use whodis_core::models::User;
use whodis_core::ops::run;
use whodis_core::ops::users::{CreateUser, DeleteRow, DeleteUser, UpdateUser};

use super::{reply, Reply};
use crate::app::AppState;

#[tauri::command]
#[specta::specta]
pub async fn create_user(state: State<'_, AppState>, req: CreateUser) -> Reply<User> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn update_user(state: State<'_, AppState>, req: UpdateUser) -> Reply<User> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_user(state: State<'_, AppState>, req: DeleteRow) -> Reply<()> {
    reply(run(&state.ctx(), DeleteUser(req)).await)
}
