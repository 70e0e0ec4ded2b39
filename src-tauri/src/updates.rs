//! Updates, off by default. A build made with the `updater` feature checks a release endpoint
//! when `~/.config/com.whodis.admin/updater.json` (per platform elsewhere) names one:
//!
//! ```json
//! { "endpoint": "https://releases.example/whodis-admin/latest.json", "pubkey": "<minisign public key>" }
//! ```
//!
//! Updates are verified against that public key (Tauri's signer, minisign); the private key
//! never ships. Builds without the feature, like the packages `scripts/package.sh` makes, update
//! through the system's package manager and say so.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use whodis_core::{Error, Result};

/// What About shows: whether this build checks for updates, and what it found.
#[derive(Debug, Serialize, specta::Type)]
pub struct UpdateStatus {
    pub enabled: bool,
    /// Why updates are off, or what went wrong.
    pub note: Option<String>,
    /// The newer version the endpoint offers, if any.
    pub available: Option<String>,
}

/// The update settings file.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSettings {
    pub endpoint: url::Url,
    pub pubkey: String,
}

pub fn settings_file() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join(crate::paths::APP_ID).join("updater.json"))
}

/// The settings in `file`: `None` when there is no file, an error naming the file when it is
/// not valid (an endpoint must be https).
pub fn read_settings(file: &Path) -> Result<Option<UpdateSettings>> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::invalid(
                "updater",
                format!("cannot read {}: {e}", file.display()),
            ))
        }
    };
    let invalid =
        |why: String| Error::invalid("updater", format!("{} is not valid: {why}", file.display()));
    let settings: UpdateSettings =
        serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if settings.endpoint.scheme() != "https" {
        return Err(invalid("the endpoint must be an https:// URL".into()));
    }
    if settings.pubkey.trim().is_empty() {
        return Err(invalid("the public key is empty".into()));
    }
    Ok(Some(settings))
}

#[cfg(feature = "updater")]
mod enabled {
    use tauri::{AppHandle, Wry};
    use tauri_plugin_updater::UpdaterExt;
    use whodis_core::{Error, Result};

    use super::{read_settings, settings_file, UpdateSettings, UpdateStatus};

    fn settings() -> Result<Option<UpdateSettings>> {
        match settings_file() {
            Some(file) => read_settings(&file),
            None => Ok(None),
        }
    }

    /// The updater plugin, when the settings name an endpoint.
    pub fn plugin() -> Option<tauri::plugin::TauriPlugin<Wry, tauri_plugin_updater::Config>> {
        match settings() {
            Ok(Some(s)) => Some(
                tauri_plugin_updater::Builder::new()
                    .pubkey(s.pubkey)
                    .build(),
            ),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!("updates are off: {e}");
                None
            }
        }
    }

    fn updater(app: &AppHandle) -> Result<tauri_plugin_updater::Updater> {
        let Some(s) = settings()? else {
            return Err(Error::invalid("updater", "no update endpoint is set"));
        };
        let failed = |e: tauri_plugin_updater::Error| Error::invalid("updater", e.to_string());
        app.updater_builder()
            .endpoints(vec![s.endpoint])
            .map_err(failed)?
            .build()
            .map_err(failed)
    }

    pub async fn check(app: &AppHandle) -> UpdateStatus {
        let found = async {
            updater(app)?
                .check()
                .await
                .map_err(|e| Error::invalid("updater", e.to_string()))
        };
        match found.await {
            Ok(update) => UpdateStatus {
                enabled: true,
                note: None,
                available: update.map(|u| u.version),
            },
            Err(e) => UpdateStatus {
                enabled: true,
                note: Some(e.to_string()),
                available: None,
            },
        }
    }

    /// Downloads, verifies and installs the offered update, then restarts the app.
    pub async fn install(app: &AppHandle) -> Result<()> {
        let failed = |e: tauri_plugin_updater::Error| Error::invalid("updater", e.to_string());
        let Some(update) = updater(app)?.check().await.map_err(failed)? else {
            return Err(Error::invalid("updater", "there is no newer version"));
        };
        tracing::info!("installing version {}", update.version);
        update
            .download_and_install(|_, _| {}, || {})
            .await
            .map_err(failed)?;
        app.restart()
    }
}

#[cfg(feature = "updater")]
pub use enabled::{check, install, plugin};

#[cfg(not(feature = "updater"))]
pub async fn check(_app: &tauri::AppHandle) -> UpdateStatus {
    const MANAGED: &str = "update it with the system's package manager (apt, dnf)";
    let note = match settings_file().map(|file| read_settings(&file)) {
        Some(Ok(Some(_))) => {
            format!(
                "updater.json names an endpoint, but this build does not update itself: {MANAGED}"
            )
        }
        Some(Err(e)) => e.to_string(),
        _ => format!("this build does not update itself: {MANAGED}"),
    };
    UpdateStatus {
        enabled: false,
        note: Some(note),
        available: None,
    }
}

#[cfg(not(feature = "updater"))]
pub async fn install(_app: &tauri::AppHandle) -> Result<()> {
    Err(Error::invalid(
        "updater",
        "this build does not update itself: update it with the system's package manager",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings_in(text: &str) -> Result<Option<UpdateSettings>> {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("updater.json");
        std::fs::write(&file, text).expect("written");
        read_settings(&file)
    }

    #[test]
    fn no_file_means_updates_are_off() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            read_settings(&dir.path().join("updater.json")),
            Ok(None)
        ));
    }

    #[test]
    fn settings_need_an_https_endpoint_and_a_key() {
        let ok = settings_in(r#"{"endpoint": "https://r.example/latest.json", "pubkey": "K"}"#);
        assert_eq!(ok.ok().flatten().map(|s| s.pubkey), Some("K".to_owned()));
        for (text, why) in [
            (
                r#"{"endpoint": "http://r.example/latest.json", "pubkey": "K"}"#,
                "https",
            ),
            (
                r#"{"endpoint": "https://r.example/", "pubkey": " "}"#,
                "empty",
            ),
            (r#"{"endpoint": "https://r.example/"}"#, "pubkey"),
            (
                r#"{"endpoint": "https://r.example/", "pubkey": "K", "extra": 1}"#,
                "extra",
            ),
            ("not json", "expected"),
        ] {
            let message = settings_in(text).expect_err(text).to_string();
            assert!(
                message.contains("updater.json is not valid") && message.contains(why),
                "{message}"
            );
        }
    }
}
