//! Where the embedded default database lives.

use whodis_core::{DbUrl, Error, Result};

/// Same folder Tauri's `app_data_dir` resolves to for our identifier.
pub const APP_ID: &str = "com.whodis.admin";

pub fn default_database() -> Result<DbUrl> {
    let dir = dirs::data_dir().ok_or_else(|| {
        Error::invalid(
            "database",
            "no per-user data folder on this system; pass --database URL",
        )
    })?;
    Ok(DbUrl::sqlite_file(&dir.join(APP_ID).join("whodis.db")))
}

/// `--database` (or `WHODIS_DATABASE_URL`) if given, else the embedded default.
pub fn resolve(database: Option<&str>) -> Result<(DbUrl, bool)> {
    match database {
        Some(url) => Ok((DbUrl::parse(url)?, false)),
        None => Ok((default_database()?, true)),
    }
}

/// The operator: as given, else the demo admin on the embedded demo database, else an address
/// no database knows (so the connection is read-only until `--operator` names a user).
pub fn operator(given: Option<String>, embedded: bool) -> String {
    match given.filter(|e| !e.trim().is_empty()) {
        Some(email) => email,
        None if embedded => whodis_core::demo::DEMO_ADMIN.to_owned(),
        None => format!(
            "{}@localhost",
            std::env::var("USER").unwrap_or_else(|_| "operator".into())
        ),
    }
}

/// This platform's keyring (Secret Service, Keychain, Credential Manager), or why there is none.
pub fn keyring() -> whodis_core::Result<std::sync::Arc<dyn whodis_core::crypto::KeyStore>> {
    Ok(std::sync::Arc::new(
        whodis_core::crypto::OsKeyStore::platform_default()?,
    ))
}

/// The OS log folder for our identifier, the same one Tauri's `app_log_dir` names:
/// `~/.local/share/com.whodis.admin/logs` on Linux, `~/Library/Logs/com.whodis.admin` on macOS,
/// `%LOCALAPPDATA%\com.whodis.admin\logs` on Windows.
pub fn log_dir() -> Option<std::path::PathBuf> {
    if cfg!(target_os = "macos") {
        return dirs::home_dir().map(|home| home.join("Library/Logs").join(APP_ID));
    }
    dirs::data_local_dir().map(|dir| dir.join(APP_ID).join("logs"))
}

/// Where the change journals of databases that are not WhoDis's are kept
/// ([`whodis_core::journal::Journal`]): beside the embedded database.
pub fn journal_dir() -> Option<std::path::PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_ID).join("journal"))
}
