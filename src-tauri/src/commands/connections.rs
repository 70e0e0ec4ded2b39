//! Connection profiles: list, save (a PostgreSQL password goes to the OS keyring), test, open
//! (switches the window to that database), remove.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use whodis_core::crypto::{SecretBytes, SecretString};
use whodis_core::ops::{self, SessionInfo};
use whodis_core::{Db, Error};

use super::{reply, Reply};
use crate::app::{self, AppState};
use crate::connections::{password_entry, Profile, ProfileStore, Target, EMBEDDED_ID};

#[derive(Serialize, specta::Type)]
pub struct ConnectionEntry {
    pub profile: Profile,
    pub active: bool,
    /// What a production connection's destructive actions ask to be typed.
    pub database_name: String,
}

/// A profile as typed in the form; `password` only for PostgreSQL, stored in the keyring.
#[derive(Deserialize, specta::Type)]
pub struct SaveConnection {
    /// Empty for a new profile.
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    pub target: Target,
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub password: Option<SecretString>,
    #[serde(default)]
    pub production: bool,
    /// `#rrggbb`, for a production connection's band.
    #[serde(default)]
    pub colour: Option<String>,
    #[serde(default)]
    pub read_only: bool,
}

#[derive(Serialize, specta::Type)]
pub struct ConnectionTest {
    pub database: String,
    /// Who made it: a database another program made is opened as it is, never migrated.
    pub origin: whodis_core::schema::Origin,
    pub schema_version: i64,
    pub latest_version: i64,
}

fn store() -> whodis_core::Result<ProfileStore> {
    ProfileStore::default_location()
}

fn keyring_password(id: &str) -> whodis_core::Result<Option<SecretString>> {
    let Ok(keyring) = crate::paths::keyring() else {
        return Ok(None);
    };
    Ok(keyring
        .get(&password_entry(id))?
        .and_then(|b| b.to_secret_string()))
}

fn profile_of(req: &SaveConnection, id: String) -> Profile {
    Profile {
        id,
        name: req.name.trim().to_owned(),
        target: req.target.clone(),
        operator: req.operator.clone().filter(|o| !o.trim().is_empty()),
        production: req.production,
        colour: req
            .colour
            .clone()
            .filter(|c| req.production && !c.trim().is_empty()),
        read_only: req.read_only,
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_connections(state: State<'_, AppState>) -> Reply<Vec<ConnectionEntry>> {
    let active = state.active_profile();
    reply(store().and_then(|s| s.load()).map(|profiles| {
        profiles
            .into_iter()
            .map(|profile| ConnectionEntry {
                active: active.as_deref() == Some(profile.id.as_str()),
                database_name: profile.database_name(),
                profile,
            })
            .collect()
    }))
}

/// The saved profile `req` edits, if it names one.
fn saved_profile(req: &SaveConnection) -> whodis_core::Result<Option<Profile>> {
    match &req.id {
        Some(id) => Ok(store()?.load()?.into_iter().find(|p| &p.id == id)),
        None => Ok(None),
    }
}

/// A SQLite path a request names must be one the user picked in the native dialog (or the
/// profile's own, unchanged): never a path the page made up.
fn check_sqlite_path(
    state: &AppState,
    target: &Target,
    saved: Option<&Profile>,
) -> whodis_core::Result<()> {
    let Target::Sqlite { path } = target else {
        return Ok(());
    };
    let unchanged = saved.is_some_and(|p| &p.target == target);
    let chosen = state
        .chosen_files
        .lock()
        .map(|c| c.contains(std::path::Path::new(path)))
        .unwrap_or(false);
    if unchanged || chosen {
        return Ok(());
    }
    Err(Error::invalid(
        "path",
        "choose the SQLite file with Browse…: a connection opens only a file picked there",
    ))
}

/// The password to connect with: the one typed, or the saved one — only for the host, port,
/// user and TLS mode it was saved with.
fn password_for(
    req: &SaveConnection,
    saved: Option<&Profile>,
) -> whodis_core::Result<Option<SecretString>> {
    if let Some(typed) = &req.password {
        return Ok(Some(typed.clone()));
    }
    match saved {
        Some(profile) if profile.target.same_credentials_as(&req.target) => {
            keyring_password(&profile.id)
        }
        Some(profile) if matches!(profile.target, Target::Postgres { .. }) => {
            match keyring_password(&profile.id)? {
                Some(_) => Err(Error::invalid(
                    "password",
                    "the host, port, user or TLS mode differ from the saved connection: type \
                     the password again",
                )),
                None => Ok(None),
            }
        }
        _ => Ok(None),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn save_connection(state: State<'_, AppState>, req: SaveConnection) -> Reply<Profile> {
    let saved = (|| {
        let before = saved_profile(&req)?;
        check_sqlite_path(&state, &req.target, before.as_ref())?;
        let id = req
            .id
            .clone()
            .unwrap_or_else(|| ops::Client::new("profile").session_id[..12].to_owned());
        let profile = profile_of(&req, id);
        profile.validate()?;
        match (&profile.target, &req.password) {
            (Target::Postgres { .. }, Some(password)) => {
                crate::paths::keyring()?.set(
                    &password_entry(&profile.id),
                    &SecretBytes::from_slice(password.expose().as_bytes()),
                )?;
            }
            // a saved password stays with the server it was typed for
            (target, None)
                if before
                    .as_ref()
                    .is_some_and(|b| !b.target.same_credentials_as(target)) =>
            {
                if let Ok(keyring) = crate::paths::keyring() {
                    keyring.delete(&password_entry(&profile.id))?;
                }
            }
            _ => {}
        }
        store()?.put(profile.clone())?;
        Ok(profile)
    })();
    reply(saved)
}

/// Connects and reads the schema version, changing nothing: no migration, and no file created.
#[tauri::command]
#[specta::specta]
pub async fn test_connection(
    state: State<'_, AppState>,
    req: SaveConnection,
) -> Reply<ConnectionTest> {
    let tested = async {
        let before = saved_profile(&req)?;
        check_sqlite_path(&state, &req.target, before.as_ref())?;
        let profile = profile_of(&req, req.id.clone().unwrap_or_default());
        profile.validate()?;
        let password = password_for(&req, before.as_ref())?;
        let url = profile.url(password.as_ref())?;
        let db = Db::connect_existing(&url).await?;
        let versions = db.applied_versions().await;
        let latest = db.latest_version();
        db.close().await;
        let origin = db.shape().origin.clone();
        Ok::<_, Error>(ConnectionTest {
            origin,
            database: url.to_string(),
            schema_version: versions?.last().copied().unwrap_or(0),
            latest_version: latest,
        })
    };
    reply(tested.await)
}

/// Opens a profile's database in this window.
#[tauri::command]
#[specta::specta]
pub async fn open_connection(app: AppHandle, id: String) -> Reply<SessionInfo> {
    let opened = async {
        let profile = store()?.get(&id)?;
        let password = keyring_password(&profile.id)?;
        let url = profile.url(password.as_ref())?;
        // a profile's file that is gone is an error, not a new empty database
        if let (Target::Sqlite { path }, false) = (&profile.target, profile.id == EMBEDDED_ID) {
            if !std::path::Path::new(path).is_file() {
                return Err(Error::invalid(
                    "path",
                    format!("there is no database at {path} any more"),
                ));
            }
        }
        app::switch_to(&app, url, profile.operator.clone(), Some(profile), false).await
    };
    reply(opened.await)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_connection(state: State<'_, AppState>, id: String) -> Reply<()> {
    let removed = (|| {
        if state.active_profile().as_deref() == Some(id.as_str()) {
            return Err(Error::invalid(
                "id",
                "this connection is open; open another one first",
            ));
        }
        store()?.remove(&id)?;
        if let Ok(keyring) = crate::paths::keyring() {
            keyring.delete(&password_entry(&id))?;
        }
        Ok(())
    })();
    reply(removed)
}

/// Asks for an existing SQLite database file; its path, or `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_sqlite_file(state: State<'_, AppState>) -> Reply<Option<String>> {
    let title = "Choose a WhoDis SQLite database";
    let path = crate::files::choose_file(title, &[crate::files::SQLITE]).await;
    if let (Some(path), Ok(mut chosen)) = (&path, state.chosen_files.lock()) {
        chosen.insert(path.clone());
    }
    Ok(path.map(|p| p.to_string_lossy().into_owned()))
}
