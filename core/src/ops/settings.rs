//! Configuration values and the database's encryption keys (admin only). Values are encrypted
//! by the crypto layer; these operations add the permission check and the audit record, in
//! which a secret value never appears.

use serde::{Deserialize, Serialize};

use crate::config::{self, looks_sensitive, Protection};
use crate::crypto::lifecycle::{self, KeyStatus, Rotation};
use crate::crypto::{Keys, SecretString, WriteFormat};
use crate::error::{Error, Result};
use crate::model;
use crate::models::configuration::{split_path, StoredValue, ValueCipher};
use crate::models::Configuration;
use crate::ops::context::Ctx;
use crate::ops::permission::Permission;
use crate::ops::trail::{EventType, Operation, Write};
use crate::time::Timestamp;

pub use crate::crypto::lifecycle::{write_format, WRITE_FORMAT_PATH};

/// The keys of this database, with its chosen write format. A keyring failure is kept as the
/// error; callers that only need plaintext may go on without keys.
pub async fn load_keys(ctx: &Ctx, ex: &mut impl crate::exec::Executor) -> Result<Keys> {
    let mut keys = ctx.keys()?.load()?;
    keys.write_format = write_format(ex).await?;
    Ok(keys)
}

/// When a value needs a key and none could be loaded because the keyring failed, the
/// keyring's own explanation (locked, no Secret Service) is the clearer error.
fn keyring_cause(loaded: &Result<Keys>) -> impl Fn(Error) -> Error + '_ {
    move |e| match (&e, loaded) {
        (Error::KeyMissing(_), Err(Error::Keyring(why))) => Error::Keyring(why.clone()),
        _ => e,
    }
}

/// Fingerprints of the keys in use and how many encrypted values they decrypt (no secret in it,
/// so any reader may see it).
pub async fn key_status(ctx: &Ctx) -> Result<KeyStatus> {
    ctx.authorize(Permission::Read, "keys.status").await?;
    lifecycle::status(&ctx.db, &ctx.keys()?).await
}

/// On opening a database: moves keys from the entry names of earlier builds, finishes or undoes a key rotation a crash interrupted (the key that
/// reads the database's values wins), then drops the key a past rotation kept as a backup once
/// the current key reads every value. Returns what was recovered, to be said to the user. A
/// keyring that cannot be used leaves everything as it is.
pub async fn settle_keys(ctx: &Ctx) -> Result<Vec<String>> {
    // settling may re-encrypt values of an interrupted rotation: a write
    ctx.writable()?;
    let keys = ctx.keys()?;
    let mut recovered = lifecycle::carry_over_legacy_entries(&ctx.db, &keys).await?;
    recovered.extend(lifecycle::recover_interrupted_rotation(&ctx.db, &keys).await?);
    lifecycle::forget_backup_once_current_works(&ctx.db, &keys).await?;
    Ok(recovered)
}

/// Writes one value; see [`Protection`]. `expected_updated_at` guards an edit of an existing
/// value against a concurrent change (leave it out to create or overwrite).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct SetConfig {
    pub path: String,
    pub value: SecretString,
    #[serde(default)]
    pub protection: Protection,
    #[serde(default)]
    pub expected_updated_at: Option<Timestamp>,
}

/// Encrypts a stored plaintext value, or decrypts an encrypted one, in place: the explicit
/// action the automatic rule never takes on its own. The value never leaves the backend.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct ProtectConfig {
    pub path: String,
    pub encrypt: bool,
    pub expected_updated_at: Option<Timestamp>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct DeleteConfig {
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
}

/// Shows a decrypted value: an explicit, audited reveal.
#[derive(Debug, Clone, Deserialize)]
pub struct RevealConfig {
    pub path: String,
}

/// Chooses the format new encrypted values are written in.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct SetWriteFormat {
    pub format: WriteFormat,
}

/// What a configuration write returns: never the value itself.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ConfigWritten {
    pub id: i64,
    pub path: String,
    pub is_encrypted: bool,
    pub updated_at: Option<Timestamp>,
}

impl Operation for SetConfig {
    type Output = ConfigWritten;
    const NAME: &'static str = "config.set";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageConfig
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<ConfigWritten> {
        let (category, key) = split_path(&self.path)?;
        refuse_app_setting(category)?;
        if self.value.expose().len() > MAX_CONFIG_VALUE_BYTES {
            return Err(Error::invalid(
                "value",
                format!(
                    "is {} bytes; a configuration value is at most {} KiB",
                    self.value.expose().len(),
                    MAX_CONFIG_VALUE_BYTES / 1024
                ),
            ));
        }
        let before = Configuration::find_locked(w, category, key).await?;
        if let (Some(expected), Some(row)) = (self.expected_updated_at, &before) {
            if row.updated_at != Some(expected) {
                return Err(model::stale(row));
            }
        }
        let loaded = load_keys(w.ctx(), w).await;
        let cipher = loaded.as_ref().ok().map(|k| k as &dyn ValueCipher);
        let row = config::config_set(w, cipher, &self.path, self.value.expose(), self.protection)
            .await
            .map_err(keyring_cause(&loaded))?;
        w.message(format!(
            "Set {} ({})",
            row.path(),
            if row.is_encrypted {
                "encrypted"
            } else {
                "plaintext"
            }
        ));
        w.changed(before.as_ref(), Some(&row), &secret_fields(key));
        Ok(written(&row))
    }
}

/// Settings in this category are the app's own records (the write format, the audit chain's
/// start), written by their own operations: editing them by hand would silently change how the
/// app encrypts or whether it seals the audit trail.
const APP_CATEGORY: &str = "whodis_admin";

fn refuse_app_setting(category: &str) -> Result<()> {
    if category == APP_CATEGORY {
        return Err(Error::invalid(
            "path",
            format!(
                "'{APP_CATEGORY}.*' settings are kept by whodis-admin itself; change them with \
                 their own commands (Keys: write format; Audit log: the hash chain)"
            ),
        ));
    }
    Ok(())
}

/// A plaintext value of a secret-looking key is still a secret in the audit trail.
fn secret_fields(key: &str) -> Vec<&'static str> {
    let mut fields = vec!["value"];
    if looks_sensitive(key) {
        fields.push("value_plaintext");
    }
    fields
}

fn written(row: &Configuration) -> ConfigWritten {
    ConfigWritten {
        id: row.id,
        path: row.path(),
        is_encrypted: row.is_encrypted,
        updated_at: row.updated_at,
    }
}

impl Operation for ProtectConfig {
    type Output = ConfigWritten;
    const NAME: &'static str = "config.protect";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageConfig
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<ConfigWritten> {
        let (category, key) = split_path(&self.path)?;
        refuse_app_setting(category)?;
        let before = Configuration::find_locked(w, category, key)
            .await?
            .ok_or_else(|| Error::not_found("Configuration", self.path.clone()))?;
        if before.updated_at != self.expected_updated_at {
            return Err(model::stale(&before));
        }
        let loaded = load_keys(w.ctx(), w).await;
        let cipher = loaded.as_ref().ok().map(|k| k as &dyn ValueCipher);
        let value = config::config_get(w, cipher, &self.path)
            .await
            .map_err(keyring_cause(&loaded))?
            .unwrap_or_default();
        let protection = if self.encrypt {
            Protection::Encrypt
        } else {
            Protection::Plain
        };
        let row = config::config_set(w, cipher, &self.path, value.expose(), protection)
            .await
            .map_err(keyring_cause(&loaded))?;
        w.message(if self.encrypt {
            format!("Encrypted {} in place", row.path())
        } else {
            format!("Stored {} as plaintext", row.path())
        });
        w.changed(Some(&before), Some(&row), &secret_fields(key));
        Ok(written(&row))
    }
}

impl Operation for DeleteConfig {
    type Output = ();
    const NAME: &'static str = "config.delete";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageConfig
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        let row: Configuration = w.fresh(self.id, self.expected_updated_at).await?;
        refuse_app_setting(&row.category)?;
        model::delete_if_unchanged::<Configuration>(w, self.id, self.expected_updated_at).await?;
        w.message(format!("Deleted {}", row.path()));
        w.changed(Some(&row), None, &secret_fields(&row.key));
        Ok(())
    }
}

impl Operation for RevealConfig {
    type Output = Option<SecretString>;
    const NAME: &'static str = "config.reveal";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::RevealSecrets
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Option<SecretString>> {
        let loaded = load_keys(w.ctx(), w).await;
        let cipher = loaded.as_ref().ok().map(|k| k as &dyn ValueCipher);
        let value = config::config_get(w, cipher, &self.path)
            .await
            .map_err(keyring_cause(&loaded))?;
        // a setting that does not exist is not a reveal (and leaves no audit row)
        if value.is_none() && !config_exists(w, &self.path).await? {
            return Err(Error::not_found("Configuration", self.path.clone()));
        }
        w.message(format!("Revealed {}", self.path));
        w.detail("path", self.path.as_str());
        Ok(value)
    }
}

async fn config_exists(w: &mut Write<'_>, path: &str) -> Result<bool> {
    let (category, key) = split_path(path)?;
    Ok(Configuration::find(w, category, key).await?.is_some())
}

/// The largest value `config set` stores (a PEM key or a certificate chain fits; a file does not
/// belong in configuration, and every change is copied into its audit row).
pub const MAX_CONFIG_VALUE_BYTES: usize = 64 * 1024;

impl Operation for SetWriteFormat {
    type Output = WriteFormat;
    const NAME: &'static str = "keys.write_format";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<WriteFormat> {
        if self.format == WriteFormat::Fernet && w.ctx().keys()?.load()?.fernet.is_none() {
            return Err(Error::KeyMissing(
                "import the server's Fernet key before choosing the Fernet format".into(),
            ));
        }
        let (category, key) = split_path(WRITE_FORMAT_PATH)?;
        let text = serde_json::to_value(self.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        Configuration::put(w, category, key, StoredValue::Plain(text)).await?;
        w.message(format!(
            "New encrypted values will be written as {:?}",
            self.format
        ));
        w.detail(
            "format",
            serde_json::to_value(self.format).unwrap_or_default(),
        );
        Ok(self.format)
    }
}

/// Creates the data key of a database that has none.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct KeyInit {}

/// Stores a key from a recovery string (checked against this database's values first).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct KeyImport {
    pub recovery: SecretString,
}

/// The recovery string of the data key (or the Fernet key): shown once, recorded.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct KeyExport {
    #[serde(default)]
    pub fernet: bool,
}

/// A new server (Fernet) key; every Fernet value re-encrypted in one transaction.
pub struct KeyRotateFernet {
    /// `(done, total)` after each value; an `Err` cancels and rolls back.
    pub progress: Box<dyn FnMut(usize, usize) -> Result<()> + Send>,
}

/// A new data key; every value re-encrypted in the operation's one transaction.
pub struct KeyRotate {
    /// `(done, total)` after each value; an `Err` cancels and rolls back.
    pub progress: Box<dyn FnMut(usize, usize) -> Result<()> + Send>,
}

impl Operation for KeyInit {
    type Output = KeyStatus;
    const NAME: &'static str = "keys.init";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<KeyStatus> {
        let ctx = w.ctx();
        let keys = ctx.keys()?;
        // a key without its audit row would be an unrecorded change: if this fails anywhere
        // after the keyring write, the keyring goes back to what it held
        let before = keys.snapshot()?;
        let status = lifecycle::init(&ctx.db, &keys).await;
        w.undo_on_failure(Box::new(move || keys.restore(before)));
        let status = status?;
        w.message("Created the encryption key of this database");
        w.detail("fingerprint", status.fingerprint.clone());
        Ok(status)
    }
}

impl Operation for KeyImport {
    type Output = KeyStatus;
    const NAME: &'static str = "keys.import";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<KeyStatus> {
        let ctx = w.ctx();
        let keys = ctx.keys()?;
        // the import stores the data or the Fernet key; if it fails, or its audit row cannot
        // commit, both go back to what they were
        let before = keys.snapshot()?;
        let status = lifecycle::import(&ctx.db, &keys, self.recovery.expose()).await;
        w.undo_on_failure(Box::new(move || keys.restore(before)));
        let status = status?;
        w.message("Imported an encryption key from a recovery string");
        w.detail("fingerprint", status.fingerprint.clone());
        w.detail("fernet_fingerprint", status.fernet_fingerprint.clone());
        Ok(status)
    }
}

impl Operation for KeyExport {
    type Output = SecretString;
    const NAME: &'static str = "keys.export";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<SecretString> {
        let recovery = lifecycle::export(&w.ctx().keys()?, self.fernet)?;
        let which = if self.fernet { "Fernet" } else { "data" };
        w.message(format!("Exported the {which} key as a recovery string"));
        w.detail("key", which);
        Ok(recovery)
    }
}

impl Operation for KeyRotate {
    type Output = Rotation;
    const NAME: &'static str = "keys.rotate";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Rotation> {
        let keys = w.ctx().keys()?;
        let rotation = lifecycle::rotate_in(w, &keys, self.progress).await?;
        w.message(format!(
            "Rotated the encryption key; re-encrypted {} values",
            rotation.reencrypted
        ));
        w.detail("old_fingerprint", rotation.old_fingerprint.clone());
        w.detail("new_fingerprint", rotation.new_fingerprint.clone());
        w.detail("reencrypted", rotation.reencrypted);
        w.after_commit(Box::new(move || lifecycle::promote_pending(&keys)));
        Ok(rotation)
    }
}

impl Operation for KeyRotateFernet {
    type Output = lifecycle::FernetRotation;
    const NAME: &'static str = "keys.rotate_fernet";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<lifecycle::FernetRotation> {
        let keys = w.ctx().keys()?;
        let rotation = lifecycle::rotate_fernet_in(w, &keys, self.progress).await?;
        w.message(format!(
            "Rotated the server's Fernet key; re-encrypted {} values (the server needs the new \
             WHODIS_ENCRYPTION_KEY)",
            rotation.reencrypted
        ));
        w.detail("old_fingerprint", rotation.old_fingerprint.clone());
        w.detail("new_fingerprint", rotation.new_fingerprint.clone());
        w.detail("reencrypted", rotation.reencrypted);
        w.after_commit(Box::new(move || lifecycle::promote_pending_fernet(&keys)));
        Ok(rotation)
    }
}
