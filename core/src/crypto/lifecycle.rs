//! The key lifecycle of one database: init, status, export, import. Keys live in the OS
//! keyring under an entry named for the database; nothing here writes a key anywhere else.

use serde::Serialize;

use crate::crypto::{
    entry_name_for_database, is_fernet_token, legacy_sibling_entry, sibling_entry, DataKey,
    FernetKey, KeyStore, Keys, RecoveryKey, SecretBytes, SecretString, Sibling, WriteFormat,
};
use crate::db::{Db, DbUrl};
use crate::error::{Error, Result};
use crate::models::configuration::ValueCipher;
use crate::models::Configuration;

/// Where one database's keys live.
pub struct KeyContext<'a> {
    pub store: &'a dyn KeyStore,
    /// Entry of the AES data key; the Fernet key sits beside it under `fernet:<entry>`.
    pub entry: String,
}

/// The stored keys of a database at one moment (zeroized when dropped).
pub struct KeySnapshot {
    data: Option<SecretBytes>,
    fernet: Option<SecretBytes>,
    chain: Option<SecretBytes>,
}

impl<'a> KeyContext<'a> {
    pub fn for_database(store: &'a dyn KeyStore, url: &DbUrl) -> Result<Self> {
        Ok(KeyContext {
            store,
            entry: entry_name_for_database(&url.to_string())?,
        })
    }

    /// Both stored keys as they are now, for [`Self::restore`].
    pub fn snapshot(&self) -> Result<KeySnapshot> {
        Ok(KeySnapshot {
            data: self.store.get(&self.entry)?,
            fernet: self.store.get(&self.fernet_entry())?,
            chain: self.store.get(&self.chain_entry())?,
        })
    }

    /// Puts both keys back as a snapshot found them (absent ones are deleted); an entry that
    /// did not change is left alone.
    pub fn restore(&self, snapshot: KeySnapshot) -> Result<()> {
        for (entry, secret) in [
            (self.entry.clone(), snapshot.data),
            (self.fernet_entry(), snapshot.fernet),
            (self.chain_entry(), snapshot.chain),
        ] {
            let now = self.store.get(&entry)?;
            if now.as_ref().map(SecretBytes::expose) == secret.as_ref().map(SecretBytes::expose) {
                continue;
            }
            match secret {
                Some(secret) => self.store.set(&entry, &secret)?,
                None => self.store.delete(&entry)?,
            }
        }
        Ok(())
    }

    fn fernet_entry(&self) -> String {
        sibling_entry(&self.entry, Sibling::Fernet)
    }

    fn chain_entry(&self) -> String {
        sibling_entry(&self.entry, Sibling::Chain)
    }

    /// The key of the audit trail's hash chain, if this keyring holds it.
    pub fn chain_key(&self) -> Result<Option<DataKey>> {
        self.store
            .get(&self.chain_entry())?
            .map(|b| DataKey::from_bytes(b.expose()))
            .transpose()
    }

    /// Makes and stores the chain key of a database whose chain has not begun.
    pub fn create_chain_key(&self) -> Result<DataKey> {
        let key = DataKey::generate()?;
        self.store
            .set(&self.chain_entry(), &key.to_secret_bytes())?;
        Ok(key)
    }

    /// The keys stored for this database (either may be absent).
    pub fn load(&self) -> Result<Keys> {
        let data = self
            .store
            .get(&self.entry)?
            .map(|b| DataKey::from_bytes(b.expose()))
            .transpose()?;
        let fernet = self
            .store
            .get(&self.fernet_entry())?
            .map(|b| FernetKey::from_bytes(b.expose()))
            .transpose()?;
        Ok(Keys {
            data,
            fernet,
            ..Default::default()
        })
    }
}

/// The setting that says which format new encrypted values are written in (per database, so
/// every admin of that database writes the same format).
pub const WRITE_FORMAT_PATH: &str = "whodis_admin.encryption_format";

/// The chosen format, or by default the one the server can read wherever the server's values
/// are: Fernet on a database another program made or one that holds Fernet tokens already,
/// our envelope otherwise. Writing what the server cannot read is an explicit choice.
pub async fn write_format(ex: &mut impl crate::exec::Executor) -> Result<WriteFormat> {
    let (category, key) = crate::models::configuration::split_path(WRITE_FORMAT_PATH)?;
    match Configuration::find(ex, category, key).await? {
        Some(row) if row.value_plaintext.as_deref() == Some("fernet") => {
            return Ok(WriteFormat::Fernet)
        }
        Some(row) if row.value_plaintext.as_deref() == Some("envelope") => {
            return Ok(WriteFormat::Envelope)
        }
        _ => {}
    }
    if ex.shape().is_foreign() {
        return Ok(WriteFormat::Fernet);
    }
    // a value starting with "g" that is not a token would take a freak of data: a few suffice
    let holds_fernet = crate::dialect::fernet_candidates(ex, 16)
        .await?
        .iter()
        .any(|value| crate::crypto::is_fernet_token(value));
    Ok(if holds_fernet {
        WriteFormat::Fernet
    } else {
        WriteFormat::Envelope
    })
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct KeyStatus {
    /// The format new secrets are written in; `fernet` is what the WhoDis server reads.
    pub write_format: WriteFormat,
    pub entry: String,
    /// Fingerprint of the data key in use (safe to show), if one is stored.
    pub fingerprint: Option<String>,
    pub fernet_fingerprint: Option<String>,
    /// Fingerprint of the audit trail's chain key, if this keyring holds it.
    pub chain_fingerprint: Option<String>,
    pub encrypted_values: usize,
    pub decryptable: usize,
    /// `category.key` of every value the stored keys cannot decrypt.
    pub undecryptable: Vec<String>,
}

pub async fn status(db: &Db, ctx: &KeyContext<'_>) -> Result<KeyStatus> {
    let keys = ctx.load()?;
    let mut conn = db.conn().await?;
    let rows = Configuration::all_encrypted(&mut conn).await?;
    let write_format = write_format(&mut conn).await?;
    let undecryptable: Vec<String> = rows
        .iter()
        .filter(|r| {
            keys.decrypt(&r.path(), r.value.as_deref().unwrap_or_default())
                .is_err()
        })
        .map(Configuration::path)
        .collect();
    Ok(KeyStatus {
        write_format,
        entry: ctx.entry.clone(),
        fingerprint: keys.data.as_ref().map(DataKey::fingerprint),
        fernet_fingerprint: keys.fernet.as_ref().map(FernetKey::fingerprint),
        chain_fingerprint: ctx.chain_key()?.as_ref().map(DataKey::fingerprint),
        encrypted_values: rows.len(),
        decryptable: rows.len() - undecryptable.len(),
        undecryptable,
    })
}

/// Creates the data key of a database that has none. Refused when the database already holds
/// envelope values: a new key could not read them — import the existing key instead.
pub async fn init(db: &Db, ctx: &KeyContext<'_>) -> Result<KeyStatus> {
    if ctx.store.get(&ctx.entry)?.is_some() {
        return Err(Error::Conflict {
            field: None,
            message: "this database already has a key in the keyring; see `key status`".into(),
        });
    }
    let existing = envelope_rows(db).await?;
    if !existing.is_empty() {
        return Err(Error::Conflict {
            field: None,
            message: format!(
                "{} encrypted values (e.g. {}) were written with a key this keyring does not have; \
                 import that key with `key import` instead of creating a new one",
                existing.len(),
                existing[0].path()
            ),
        });
    }
    ctx.store
        .set(&ctx.entry, &DataKey::generate()?.to_secret_bytes())?;
    status(db, ctx).await
}

async fn envelope_rows(db: &Db) -> Result<Vec<Configuration>> {
    let rows = Configuration::all_encrypted(&mut db.conn().await?).await?;
    Ok(rows
        .into_iter()
        .filter(|r| !is_fernet_token(r.value.as_deref().unwrap_or_default()))
        .collect())
}

/// The recovery string of the stored data key (or Fernet key). It *is* the key: the caller
/// shows it once, on explicit request.
pub fn export(ctx: &KeyContext<'_>, fernet: bool) -> Result<SecretString> {
    let keys = ctx.load()?;
    let key =
        if fernet {
            RecoveryKey::Fernet(keys.fernet.ok_or_else(|| {
                Error::KeyMissing("no Fernet key is stored for this database".into())
            })?)
        } else {
            RecoveryKey::Data(keys.data.ok_or_else(|| {
                Error::KeyMissing(
                    "no data key is stored for this database; create one with `key init`".into(),
                )
            })?)
        };
    Ok(key.to_recovery_string())
}

/// The recovery string of the audit trail's chain key, for another admin's keyring.
pub fn export_chain(ctx: &KeyContext<'_>) -> Result<SecretString> {
    let key = ctx.chain_key()?.ok_or_else(|| {
        Error::KeyMissing(
            "no chain key is stored for this database: it is made with the first change this \
             app records with a keyring, or imported from an admin who has it"
                .into(),
        )
    })?;
    Ok(RecoveryKey::Chain(key).to_recovery_string())
}

/// Stores a key from a recovery string after checking that it decrypts every value of its
/// format in this database; a key that does not is refused and nothing is stored.
pub async fn import(db: &Db, ctx: &KeyContext<'_>, recovery: &str) -> Result<KeyStatus> {
    let imported = RecoveryKey::parse(recovery)?;
    let mut candidate = ctx.load()?;
    let (entry, bytes, is_fernet) = match imported {
        RecoveryKey::Chain(k) => return import_chain(db, ctx, k).await,
        RecoveryKey::Data(k) => {
            let bytes = k.to_secret_bytes();
            candidate.data = Some(k);
            (ctx.entry.clone(), bytes, false)
        }
        RecoveryKey::Fernet(k) => {
            let bytes = crate::crypto::SecretBytes::from_slice(k.expose());
            candidate.fernet = Some(k);
            (ctx.fernet_entry(), bytes, true)
        }
    };
    let rows = Configuration::all_encrypted(&mut db.conn().await?).await?;
    let relevant: Vec<&Configuration> = rows
        .iter()
        .filter(|r| is_fernet_token(r.value.as_deref().unwrap_or_default()) == is_fernet)
        .collect();
    let failing: Vec<String> = relevant
        .iter()
        .filter(|r| {
            candidate
                .decrypt(&r.path(), r.value.as_deref().unwrap_or_default())
                .is_err()
        })
        .map(|r| r.path())
        .collect();
    if !failing.is_empty() {
        return Err(Error::invalid(
            "recovery_string",
            format!(
                "this key does not decrypt {} of the {} values it should (e.g. {}); it belongs to \
                 another database or an older key",
                failing.len(),
                relevant.len(),
                failing[0]
            ),
        ));
    }
    if let Some(current) = ctx.store.get(&entry)? {
        if current.expose() != bytes.expose() {
            return Err(Error::Conflict {
                field: Some("recovery_string".into()),
                message: "a different key is already stored for this database; rotate instead"
                    .into(),
            });
        }
    }
    ctx.store.set(&entry, &bytes)?;
    status(db, ctx).await
}

/// Stores the chain key after checking it seals the newest chained row of this database.
async fn import_chain(db: &Db, ctx: &KeyContext<'_>, key: DataKey) -> Result<KeyStatus> {
    if !crate::audit_chain::key_fits(&mut db.conn().await?, &key).await? {
        return Err(Error::invalid(
            "recovery_string",
            "this chain key does not seal this database's audit trail: it belongs to another \
             database (or the newest chained row was altered — run `audit verify`)",
        ));
    }
    if let Some(current) = ctx.chain_key()? {
        if current.expose() != key.expose() {
            return Err(Error::Conflict {
                field: Some("recovery_string".into()),
                message: "a different chain key is already stored for this database".into(),
            });
        }
    }
    ctx.store.set(&ctx.chain_entry(), &key.to_secret_bytes())?;
    status(db, ctx).await
}

/// Re-encrypts every envelope value under a new data key, in one transaction.
///
/// `progress(done, total)` is called after each row; returning an error (a cancel, or a test's
/// injected failure) rolls everything back. Order of effects, so that no failure loses data:
/// the old key is copied to `backup:<entry>` and the new one to `pending:<entry>` before the
/// database changes; the new key replaces the main entry only after the commit.
pub async fn rotate(
    db: &Db,
    ctx: &KeyContext<'_>,
    progress: impl FnMut(usize, usize) -> Result<()>,
) -> Result<KeyStatus> {
    let mut tx = db.begin().await?;
    rotate_in(&mut tx, ctx, progress).await?;
    tx.commit().await?;
    promote_pending(ctx)?;
    status(db, ctx).await
}

/// What [`rotate_in`] did; the caller commits, then calls [`promote_pending`].
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Rotation {
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    pub reencrypted: usize,
}

/// The database half of a rotation, on the caller's transaction: stages the keys in the
/// keyring (`backup:`, `pending:`) and re-encrypts every envelope value on `ex`.
pub async fn rotate_in(
    ex: &mut impl crate::exec::Executor,
    ctx: &KeyContext<'_>,
    mut progress: impl FnMut(usize, usize) -> Result<()>,
) -> Result<Rotation> {
    let keys = ctx.load()?;
    let all = Configuration::all_encrypted(ex).await?;
    let (server, rows): (Vec<Configuration>, Vec<Configuration>) = all
        .into_iter()
        .partition(|r| is_fernet_token(r.value.as_deref().unwrap_or_default()));
    if rows.is_empty() && !server.is_empty() {
        return Err(Error::invalid(
            "key",
            format!(
                "the {} encrypted values of this database are the WhoDis server's Fernet tokens; \
                 rotating means rotating the server's key: `whodis-admin key rotate --fernet` \
                 (the server's WHODIS_ENCRYPTION_KEY must then be changed to the new key)",
                server.len()
            ),
        ));
    }
    let old = keys.data.as_ref().ok_or_else(|| {
        Error::KeyMissing("no data key is stored for this database; nothing to rotate".into())
    })?;
    // Refuse before changing anything if the current key cannot read every value.
    let plaintexts = rows
        .iter()
        .map(|r| {
            crate::crypto::envelope::decrypt(old, &r.path(), r.value.as_deref().unwrap_or_default())
        })
        .collect::<Result<Vec<_>>>()?;

    let new = DataKey::generate()?;
    ctx.store.set(
        &sibling_entry(&ctx.entry, Sibling::Backup),
        &old.to_secret_bytes(),
    )?;
    ctx.store.set(
        &sibling_entry(&ctx.entry, Sibling::Pending),
        &new.to_secret_bytes(),
    )?;
    pause_point("staged");

    let total = rows.len();
    for (i, (mut row, plain)) in rows.into_iter().zip(plaintexts).enumerate() {
        let bytes = crate::crypto::envelope::encrypt(&new, &row.path(), plain.expose().as_bytes())?;
        row.set_stored(crate::models::configuration::StoredValue::Encrypted(bytes));
        row.save(ex).await?;
        progress(i + 1, total)?;
    }
    Ok(Rotation {
        old_fingerprint: old.fingerprint(),
        new_fingerprint: new.fingerprint(),
        reencrypted: total,
    })
}

/// What [`rotate_fernet_in`] did. `new_key` is the server's new `WHODIS_ENCRYPTION_KEY`, to be
/// shown once: the server reads nothing until its environment has it.
pub struct FernetRotation {
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    pub reencrypted: usize,
    pub new_key: SecretString,
}

/// Rotates the server's Fernet key, on the caller's transaction: every Fernet value is
/// re-encrypted under a new Fernet key. The old key is kept in `backup:fernet:<entry>` and the
/// new one staged in `pending:fernet:<entry>` before anything changes; the caller commits and
/// then calls [`promote_pending_fernet`].
pub async fn rotate_fernet_in(
    ex: &mut impl crate::exec::Executor,
    ctx: &KeyContext<'_>,
    mut progress: impl FnMut(usize, usize) -> Result<()>,
) -> Result<FernetRotation> {
    let keys = ctx.load()?;
    let old = keys.fernet.as_ref().ok_or_else(|| {
        Error::KeyMissing(
            "the server's Fernet key is not stored for this database; import it with \
             `whodis-admin key import` first"
                .into(),
        )
    })?;
    let rows: Vec<Configuration> = Configuration::all_encrypted(ex)
        .await?
        .into_iter()
        .filter(|r| is_fernet_token(r.value.as_deref().unwrap_or_default()))
        .collect();
    let plaintexts = rows
        .iter()
        .map(|r| old.decrypt(&r.path(), r.value.as_deref().unwrap_or_default()))
        .collect::<Result<Vec<_>>>()?;
    let new = FernetKey::generate()?;
    let fernet_entry = ctx.fernet_entry();
    ctx.store.set(
        &sibling_entry(&fernet_entry, Sibling::Backup),
        &SecretBytes::from_slice(old.expose()),
    )?;
    ctx.store.set(
        &sibling_entry(&fernet_entry, Sibling::Pending),
        &SecretBytes::from_slice(new.expose()),
    )?;
    let total = rows.len();
    for (i, (mut row, plain)) in rows.into_iter().zip(plaintexts).enumerate() {
        let bytes = new.encrypt(plain.expose().as_bytes())?;
        row.set_stored(crate::models::configuration::StoredValue::Encrypted(bytes));
        row.save(ex).await?;
        progress(i + 1, total)?;
    }
    Ok(FernetRotation {
        old_fingerprint: old.fingerprint(),
        new_fingerprint: new.fingerprint(),
        reencrypted: total,
        new_key: new.to_key_string(),
    })
}

/// After a Fernet rotation committed: the pending key becomes the stored server key.
pub fn promote_pending_fernet(ctx: &KeyContext<'_>) -> Result<()> {
    promote(ctx, &ctx.fernet_entry())
}

/// A test's way to stop a real `key rotate` process at one step, so it can be killed there:
/// `WHODIS_TEST_PAUSE_ROTATION=staged|committed|promoted` makes the process say so on stderr
/// and wait. Unset (always, outside tests), it does nothing.
fn pause_point(step: &str) {
    if std::env::var("WHODIS_TEST_PAUSE_ROTATION").as_deref() == Ok(step) {
        eprintln!("whodis-admin: paused at {step}");
        std::thread::sleep(std::time::Duration::from_secs(120));
    }
}

/// Finishes or undoes a key rotation that a crash (or a keyring that refused) interrupted, on
/// opening the database. Which key is right is decided by the database itself: the key that
/// decrypts every value of its format becomes the stored one — the main entry if it does (a
/// leftover pending key is then dropped), else the pending key of a rotation that committed,
/// else the backup key. Returns what was done, to be said to the user.
pub async fn recover_interrupted_rotation(db: &Db, ctx: &KeyContext<'_>) -> Result<Vec<String>> {
    let rows = Configuration::all_encrypted(&mut db.conn().await?).await?;
    let (fernet_rows, envelope_rows): (Vec<&Configuration>, Vec<&Configuration>) = rows
        .iter()
        .partition(|r| is_fernet_token(r.value.as_deref().unwrap_or_default()));
    let mut done = Vec::new();
    let envelope_ok = |bytes: &SecretBytes| {
        DataKey::from_bytes(bytes.expose()).is_ok_and(|k| {
            envelope_rows.iter().all(|r| {
                crate::crypto::envelope::decrypt(
                    &k,
                    &r.path(),
                    r.value.as_deref().unwrap_or_default(),
                )
                .is_ok()
            })
        })
    };
    settle_entry(ctx, &ctx.entry, &envelope_ok, &mut done)?;
    let fernet_ok = |bytes: &SecretBytes| {
        FernetKey::from_bytes(bytes.expose()).is_ok_and(|k| {
            fernet_rows.iter().all(|r| {
                k.decrypt(&r.path(), r.value.as_deref().unwrap_or_default())
                    .is_ok()
            })
        })
    };
    settle_entry(ctx, &ctx.fernet_entry(), &fernet_ok, &mut done)?;
    Ok(done)
}

/// One key entry: keeps the main key if it reads everything, else promotes the pending or the
/// backup key that does.
fn settle_entry(
    ctx: &KeyContext<'_>,
    entry: &str,
    reads_all: &dyn Fn(&SecretBytes) -> bool,
    done: &mut Vec<String>,
) -> Result<()> {
    let pending_entry = sibling_entry(entry, Sibling::Pending);
    let main = ctx.store.get(entry)?;
    let pending = ctx.store.get(&pending_entry)?;
    if main.as_ref().is_some_and(reads_all) {
        if pending.is_some() {
            // a rotation that rolled back, or was promoted but not cleaned up
            ctx.store.delete(&pending_entry)?;
        }
        return Ok(());
    }
    if let Some(key) = pending.filter(|k| reads_all(k)) {
        ctx.store.set(entry, &key)?;
        ctx.store.delete(&pending_entry)?;
        done.push(format!(
            "recovered the rotated key from {pending_entry}: the last rotation committed but was \
             interrupted before the keyring was updated"
        ));
        return Ok(());
    }
    let backup_entry = sibling_entry(entry, Sibling::Backup);
    if main.is_some() {
        if let Some(key) = ctx.store.get(&backup_entry)?.filter(|k| reads_all(k)) {
            ctx.store.set(entry, &key)?;
            done.push(format!(
                "restored the key from {backup_entry}: the stored key no longer read this \
                 database's values"
            ));
        }
    }
    Ok(())
}

/// Moves keys stored under the names earlier builds used (`<entry>.fernet`, `.pending`,
/// `.backup`) to today's (`fernet:<entry>`, …), on opening a database. A legacy name that could
/// be another database's own entry (a SQLite file by that name exists, or a PostgreSQL database
/// of that name on the same server) is left alone: it may be that database's key, not ours.
/// Returns what was moved, to be said to the user.
pub async fn carry_over_legacy_entries(db: &Db, ctx: &KeyContext<'_>) -> Result<Vec<String>> {
    let fernet = ctx.fernet_entry();
    let legacy_fernet = legacy_sibling_entry(&ctx.entry, Sibling::Fernet);
    let moves = [
        (legacy_fernet.clone(), fernet.clone()),
        (
            legacy_sibling_entry(&ctx.entry, Sibling::Pending),
            sibling_entry(&ctx.entry, Sibling::Pending),
        ),
        (
            legacy_sibling_entry(&ctx.entry, Sibling::Backup),
            sibling_entry(&ctx.entry, Sibling::Backup),
        ),
        (
            legacy_sibling_entry(&legacy_fernet, Sibling::Pending),
            sibling_entry(&fernet, Sibling::Pending),
        ),
        (
            legacy_sibling_entry(&legacy_fernet, Sibling::Backup),
            sibling_entry(&fernet, Sibling::Backup),
        ),
    ];
    let mut done = Vec::new();
    for (legacy, current) in moves {
        let Some(key) = ctx.store.get(&legacy)? else {
            continue;
        };
        if could_be_another_database(db, &legacy).await? {
            continue;
        }
        if ctx.store.get(&current)?.is_none() {
            ctx.store.set(&current, &key)?;
        }
        ctx.store.delete(&legacy)?;
        done.push(format!(
            "moved the keyring entry {legacy} to {current} (entries are now named so that no \
             database's file name can collide with them)"
        ));
    }
    Ok(done)
}

/// Whether a keyring entry name is the main entry some other database would use.
async fn could_be_another_database(db: &Db, entry: &str) -> Result<bool> {
    if let Some(path) = entry.strip_prefix("sqlite:") {
        return Ok(std::path::Path::new(path).exists());
    }
    let Some(name) = entry.rsplit_once('/').map(|(_, name)| name) else {
        return Ok(false);
    };
    match db.pool() {
        crate::db::Pool::Postgres(pool) => {
            let found: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                    .bind(name)
                    .fetch_optional(pool)
                    .await?;
            Ok(found.is_some())
        }
        crate::db::Pool::Sqlite(_) => Ok(false),
    }
}

/// The backup key a rotation leaves behind is kept until the database is next opened and
/// every value decrypts with the current key; then it is removed. Returns whether it was.
pub async fn forget_backup_once_current_works(db: &Db, ctx: &KeyContext<'_>) -> Result<bool> {
    let backup = sibling_entry(&ctx.entry, Sibling::Backup);
    if ctx.store.get(&backup)?.is_none() {
        return Ok(false);
    }
    let now = status(db, ctx).await?;
    if now.fingerprint.is_none() || now.decryptable != now.encrypted_values {
        return Ok(false);
    }
    ctx.store.delete(&backup)?;
    Ok(true)
}

/// After the re-encryption committed: the pending key becomes the database's key.
pub fn promote_pending(ctx: &KeyContext<'_>) -> Result<()> {
    promote(ctx, &ctx.entry)
}

/// `pending:<entry>` replaces `<entry>`, then goes.
fn promote(ctx: &KeyContext<'_>, entry: &str) -> Result<()> {
    pause_point("committed");
    let pending = sibling_entry(entry, Sibling::Pending);
    let key = ctx.store.get(&pending)?.ok_or_else(|| {
        Error::Keyring(format!(
            "the rotated key is missing from the entry {pending}"
        ))
    })?;
    ctx.store.set(entry, &key).map_err(|e| {
        Error::Keyring(format!(
            "the values were re-encrypted but the new key could not replace the old one ({e}); \
             it is kept under the entry {pending}"
        ))
    })?;
    pause_point("promoted");
    ctx.store.delete(&pending)
}
