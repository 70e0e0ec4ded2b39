//! Where the embedded default database lives.

use whodis_core::{DbUrl, Error, Result};

/// Same folder Tauri's `app_data_dir` resolves to for our identifier.
const APP_ID: &str = "com.whodis.admin";

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
