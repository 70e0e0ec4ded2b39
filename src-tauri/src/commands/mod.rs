//! Typed commands, one module per area. Each is thin: decode the arguments, call a
//! `whodis_core::ops` function with the app's context, map the error to its IPC form.

mod audit;
mod compliance;
mod connections;
mod expiring;
mod export;
mod health;
mod profiles;
mod session;
mod settings;
mod tables;
mod updates;
mod users;
mod views;

use whodis_core::ErrorPayload;

/// What every command returns across IPC: its value, or `{kind, message, field}`.
pub type Reply<T> = Result<T, ErrorPayload>;

pub(crate) fn reply<T>(result: whodis_core::Result<T>) -> Reply<T> {
    result.map_err(|e| ErrorPayload::from(&e))
}

/// Every command the UI may call (the invoke handler and the TypeScript bindings).
pub fn all() -> tauri_specta::Commands<tauri::Wry> {
    tauri_specta::collect_commands![
        session::session_info,
        session::about,
        updates::update_check,
        updates::update_install,
        connections::list_connections,
        connections::save_connection,
        connections::test_connection,
        connections::open_connection,
        connections::remove_connection,
        connections::choose_sqlite_file,
        session::database_summary,
        session::audit_per_day,
        audit::revert_preview,
        audit::revert_change,
        audit::verify_audit_chain,
        audit::audit_chain_status,
        audit::start_audit_chain,
        session::schema_report,
        session::adopt_plan,
        session::adopt_database,
        health::database_health,
        health::analyze_database,
        views::list_views,
        views::save_view,
        views::delete_view,
        views::set_default_view,
        tables::table_columns,
        tables::list_rows,
        tables::explore_tables,
        tables::count_expired_rows,
        tables::remove_expired_rows,
        tables::edit_row,
        tables::delete_row,
        tables::insert_row,
        tables::reveal_value,
        tables::preview_bytes,
        tables::reread_tables,
        tables::count_rows,
        export::export_rows,
        export::export_cancel,
        users::create_user,
        users::update_user,
        users::delete_user,
        profiles::replace_photo,
        profiles::remove_photo,
        profiles::update_profile,
        profiles::import_genesys_file,
        compliance::compliance_matrix,
        compliance::compliance_report,
        compliance::export_compliance_report,
        compliance::add_mapping,
        compliance::remove_mapping,
        compliance::assign_role,
        compliance::unassign_role,
        expiring::extend_expiration,
        expiring::delete_expiring,
        expiring::cleanup_expired,
        settings::key_status,
        settings::config_set,
        settings::config_protect,
        settings::config_delete,
        settings::config_reveal,
        settings::key_init,
        settings::chain_key_export,
        settings::key_import,
        settings::key_export,
        settings::set_write_format,
        settings::key_rotate,
        settings::key_rotate_cancel,
    ]
}
