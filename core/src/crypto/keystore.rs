//! Where keys live: the OS keyring (Secret Service, macOS Keychain, Windows Credential Manager),
//! behind a small trait so operations can be tested with keyring-core's mock store.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use keyring_core::{CredentialStore, Entry};
use zeroize::{Zeroize, Zeroizing};

use super::secret::SecretBytes;
use crate::error::{Error, Result};

/// The keyring "service" every whodis-admin entry is filed under.
pub const SERVICE: &str = "whodis-admin";

/// Key storage as operations see it. Entry names come from [`entry_name_for_database`].
pub trait KeyStore: Send + Sync {
    /// `Ok(None)` when there is no such entry; `Err` only when the store itself fails.
    fn get(&self, entry: &str) -> Result<Option<SecretBytes>>;
    /// Creates or replaces the entry.
    fn set(&self, entry: &str, secret: &SecretBytes) -> Result<()>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, entry: &str) -> Result<()>;
    /// Which store this is, for the About dialog.
    fn backend(&self) -> String {
        "an in-process store".to_owned()
    }
}

/// A [`KeyStore`] over any keyring-core credential store.
///
/// The store is held here rather than installed with `keyring_core::set_default_store`, so
/// there is no process-global state and tests can run side by side with their own stores.
/// Secrets are written as base64 text: some Secret Service back ends (KDE Wallet) only hold UTF-8.
pub struct OsKeyStore {
    store: Arc<CredentialStore>,
    /// What the About dialog calls it.
    name: String,
}

impl std::fmt::Debug for OsKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OsKeyStore")
            .field("vendor", &self.store.vendor())
            .finish()
    }
}

impl OsKeyStore {
    /// Wraps a given credential store (the mock store in tests).
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        let name = store.vendor();
        OsKeyStore { store, name }
    }

    /// The platform's native keyring. On Linux this connects to the Secret Service over D-Bus
    /// right away, so a missing session bus or keyring daemon is reported here, not later.
    pub fn platform_default() -> Result<Self> {
        let store = platform_store()?;
        let name = PLATFORM_KEYRING.to_owned();
        Ok(OsKeyStore { store, name })
    }

    fn entry(&self, name: &str) -> Result<Entry> {
        self.store
            .build(SERVICE, name, None)
            .map_err(|e| keyring_error(name, "open", e))
    }
}

impl KeyStore for OsKeyStore {
    fn backend(&self) -> String {
        self.name.clone()
    }

    fn get(&self, name: &str) -> Result<Option<SecretBytes>> {
        let raw = match self.entry(name)?.get_secret() {
            Ok(raw) => Zeroizing::new(raw),
            Err(keyring_core::Error::NoEntry) => return Ok(None),
            Err(e) => return Err(keyring_error(name, "read", e)),
        };
        let text = raw.trim_ascii();
        STANDARD
            .decode(text)
            .map(|b| Some(SecretBytes::new(b)))
            .map_err(|_| not_our_data(name))
    }

    fn set(&self, name: &str, secret: &SecretBytes) -> Result<()> {
        let text = Zeroizing::new(STANDARD.encode(secret.expose()));
        self.entry(name)?
            .set_password(&text)
            .map_err(|e| keyring_error(name, "write", e))
    }

    fn delete(&self, name: &str) -> Result<()> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(name, "delete", e)),
        }
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    match zbus_secret_service_keyring_store::Store::new() {
        Ok(store) => Ok(store),
        Err(e) => Err(Error::Keyring(format!(
            "cannot reach the Secret Service (the desktop keyring) over D-Bus: {}. \
             whodis-admin needs a running desktop session with GNOME Keyring or KWallet; \
             on a headless machine start one with `dbus-run-session` and `gnome-keyring-daemon --unlock`",
            platform_detail(&e)
        ))),
    }
}

/// The platform's keyring, as its users know it.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
const PLATFORM_KEYRING: &str = "the Secret Service (GNOME Keyring, KWallet…) over D-Bus";
#[cfg(target_os = "macos")]
const PLATFORM_KEYRING: &str = "the macOS Keychain";
#[cfg(target_os = "windows")]
const PLATFORM_KEYRING: &str = "the Windows Credential Manager";
#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
const PLATFORM_KEYRING: &str = "none";

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    apple_native_keyring_store::keychain::Store::new()
        .map(|s| s as Arc<CredentialStore>)
        .map_err(|e| {
            Error::Keyring(format!(
                "cannot open the macOS Keychain: {}",
                platform_detail(&e)
            ))
        })
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    windows_native_keyring_store::Store::new()
        .map(|s| s as Arc<CredentialStore>)
        .map_err(|e| {
            Error::Keyring(format!(
                "cannot open the Windows Credential Manager: {}",
                platform_detail(&e)
            ))
        })
}

#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Err(Error::Keyring(
        "this platform has no supported OS keyring".to_owned(),
    ))
}

/// Maps keyring-core errors to messages a person can act on. Variants that carry secret bytes
/// (`BadEncoding`, `BadDataFormat`) are zeroized and never formatted.
fn keyring_error(entry: &str, action: &str, e: keyring_core::Error) -> Error {
    use keyring_core::Error as K;
    let msg = match e {
        K::NoStorageAccess(detail) if no_default_keyring(detail.as_ref()) => format!(
            "the OS keyring has no default keyring to keep the key \"{entry}\" in, so it could \
             not be {}; create a password keyring and set it as the default (GNOME: Passwords \
             and Keys, + then Password Keyring, then Set as Default), then try again",
            past(action)
        ),
        K::NoStorageAccess(detail) => format!(
            "the OS keyring is locked or refused access, so the key \"{entry}\" could not be {}; \
             unlock the keyring (log in to the desktop session) and try again ({detail})",
            past(action)
        ),
        K::PlatformFailure(detail) => {
            format!("the OS keyring failed to {action} the key \"{entry}\": {detail}")
        }
        K::NoDefaultStore => "no OS keyring store is configured".to_owned(),
        K::BadEncoding(mut bytes) | K::BadDataFormat(mut bytes, _) => {
            bytes.zeroize();
            return not_our_data(entry);
        }
        K::Ambiguous(items) => format!(
            "{} keyring items match \"{entry}\" for service {SERVICE}; remove the duplicates \
             with your keyring manager (e.g. Seahorse)",
            items.len()
        ),
        K::TooLong(attr, limit) => {
            format!("the keyring refused \"{entry}\": {attr} is longer than its limit of {limit}")
        }
        K::Invalid(attr, reason) => format!("the keyring refused \"{entry}\": {attr} {reason}"),
        K::NotSupportedByStore(what) => {
            format!("the OS keyring cannot {action} the key \"{entry}\": {what}")
        }
        K::NoEntry => format!("the key \"{entry}\" disappeared from the OS keyring"),
        // keyring-core's Error is non-exhaustive; an unknown variant is not formatted in case
        // it carries data.
        _ => format!("the OS keyring failed to {action} the key \"{entry}\""),
    };
    Error::Keyring(msg)
}

/// The Secret Service has no collection under its `default` alias (a fresh GNOME Keyring nobody
/// unlocked, as on a headless login): a new item has nowhere to go. secret-service says so with
/// `NoResult`, which keyring-core files under "no storage access" with a locked keyring.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn no_default_keyring(detail: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    matches!(
        detail.downcast_ref::<secret_service::Error>(),
        Some(secret_service::Error::NoResult)
    )
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn no_default_keyring(_: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    false
}

fn not_our_data(entry: &str) -> Error {
    Error::Keyring(format!(
        "the keyring entry \"{entry}\" (service {SERVICE}) does not hold a whodis-admin key; \
         delete it, then import the key again from a recovery string"
    ))
}

fn platform_detail(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::PlatformFailure(d) | keyring_core::Error::NoStorageAccess(d) => {
            d.to_string()
        }
        keyring_core::Error::NotSupportedByStore(d) => d.clone(),
        _ => "unexpected error".to_owned(),
    }
}

fn past(action: &str) -> &'static str {
    match action {
        "read" => "read",
        "write" => "written",
        "delete" => "deleted",
        _ => "opened",
    }
}

/// A stable keyring entry name for a database, without any password.
///
/// `sqlite:` URLs become `sqlite:<absolute path>` (query options dropped); PostgreSQL URLs become
/// `postgres://user@host:port/database` with the default port filled in, so equivalent spellings
/// of the same database share one key. The input is never echoed in errors: it may hold a password.
pub fn entry_name_for_database(url: &str) -> Result<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("sqlite:") {
        sqlite_entry_name(&url["sqlite:".len()..])
    } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        postgres_entry_name(url)
    } else {
        Err(Error::invalid(
            "database_url",
            "unsupported database URL: expected sqlite:<path> or postgres://user@host/database",
        ))
    }
}

/// What a sibling of a database's key entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sibling {
    /// The server's Fernet key, beside our data key.
    Fernet,
    /// The new key of a rotation, until it replaces the main entry.
    Pending,
    /// The previous key of a rotation, until every value reads with the new one.
    Backup,
    /// The key of the audit trail's hash chain (`audit_chain`); never rotated with the data key.
    Chain,
}

impl Sibling {
    fn word(self) -> &'static str {
        match self {
            Sibling::Fernet => "fernet",
            Sibling::Pending => "pending",
            Sibling::Backup => "backup",
            Sibling::Chain => "chain",
        }
    }
}

/// The name of a sibling entry: the role in front (`backup:sqlite:/data/x.db`). A database's own
/// entry always starts with `sqlite:` or `postgres://`, so no database — whatever its file is
/// called — has another's sibling as its entry. (A suffix did collide: `x.db.backup` was both a
/// file's entry and the backup of `x.db`'s key.)
pub fn sibling_entry(entry: &str, role: Sibling) -> String {
    format!("{}:{entry}", role.word())
}

/// The name the same sibling had in earlier builds (`<entry>.backup`), read only to carry keys
/// over (see `lifecycle::carry_over_legacy_entries`).
pub fn legacy_sibling_entry(entry: &str, role: Sibling) -> String {
    format!("{entry}.{}", role.word())
}

fn sqlite_entry_name(rest: &str) -> Result<String> {
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix("//").unwrap_or(path);
    if path.is_empty() || path == ":memory:" {
        return Ok("sqlite::memory:".to_owned());
    }
    let absolute = std::path::absolute(path).map_err(|e| {
        Error::invalid(
            "database_url",
            format!("cannot resolve the SQLite path: {e}"),
        )
    })?;
    Ok(format!("sqlite:{}", absolute.display()))
}

fn postgres_entry_name(url: &str) -> Result<String> {
    let parsed = url::Url::parse(url).map_err(|e| {
        // url's messages describe the problem ("invalid port number"), never the input.
        Error::invalid("database_url", format!("not a valid PostgreSQL URL: {e}"))
    })?;
    let query = |name: &str| {
        parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let host = match parsed.host_str() {
        // Lower-cased by hand: url leaves hosts of non-special schemes such as postgres:// as written.
        Some(h) if !h.is_empty() => h.to_ascii_lowercase(),
        _ => query("host").unwrap_or_else(|| "localhost".to_owned()),
    };
    let port = parsed
        .port()
        .map(|p| p.to_string())
        .or_else(|| query("port"))
        .unwrap_or_else(|| "5432".to_owned());
    let user = match parsed.username() {
        "" => query("user").unwrap_or_default(),
        u => u.to_owned(),
    };
    let db = match parsed.path().trim_start_matches('/') {
        "" => query("dbname").unwrap_or_default(),
        d => d.to_owned(),
    };
    let user = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    Ok(format!("postgres://{user}{host}:{port}/{db}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::mock;

    fn store() -> (Arc<mock::Store>, OsKeyStore) {
        let mock = mock::Store::new().expect("mock store");
        let ks = OsKeyStore::with_store(mock.clone());
        (mock, ks)
    }

    /// Makes the next call on `entry` fail with `err`.
    fn inject(mock: &mock::Store, entry: &str, err: keyring_core::Error) {
        use keyring_core::api::CredentialStoreApi;
        let e = mock.build(SERVICE, entry, None).expect("build");
        let cred: &mock::Cred = e.as_any().downcast_ref().expect("mock cred");
        cred.set_error(err);
    }

    fn keyring_msg<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Err(Error::Keyring(m)) => m,
            other => panic!("expected Error::Keyring, got {other:?}"),
        }
    }

    fn locked() -> keyring_core::Error {
        keyring_core::Error::NoStorageAccess(Box::new(std::io::Error::other(
            "collection is locked",
        )))
    }

    #[test]
    fn set_get_delete() {
        let (_, ks) = store();
        let secret = SecretBytes::from_slice(&[0, 1, 2, 255, 254, 10, 13]);
        assert!(ks.get("db").expect("get").is_none());
        ks.set("db", &secret).expect("set");
        assert_eq!(
            ks.get("db").expect("get").expect("present").expose(),
            secret.expose()
        );
        assert!(
            ks.get("db.backup").expect("get").is_none(),
            "entries are separate"
        );
        ks.set("db", &SecretBytes::from_slice(b"replaced"))
            .expect("set");
        assert_eq!(
            ks.get("db").expect("get").expect("present").expose(),
            b"replaced"
        );
        ks.delete("db").expect("delete");
        assert!(ks.get("db").expect("get").is_none());
        ks.delete("db").expect("deleting a missing entry is fine");
    }

    #[test]
    fn stored_as_base64_text_under_the_service() {
        let (mock, ks) = store();
        ks.set("db", &SecretBytes::from_slice(&[0xff; 4]))
            .expect("set");
        use keyring_core::api::CredentialStoreApi;
        let e = mock.build(SERVICE, "db", None).expect("build");
        assert_eq!(e.get_password().expect("utf-8"), "/////w==");
    }

    #[test]
    fn locked_keyring_maps_to_keyring_error() {
        let (mock, ks) = store();
        ks.set("db", &SecretBytes::from_slice(b"k")).expect("set");
        for op in ["read", "write", "delete"] {
            inject(&mock, "db", locked());
            let msg = match op {
                "read" => keyring_msg(ks.get("db")),
                "write" => keyring_msg(ks.set("db", &SecretBytes::from_slice(b"k"))),
                _ => keyring_msg(ks.delete("db")),
            };
            assert!(msg.contains("locked or refused access"), "{op}: {msg}");
            assert!(msg.contains("\"db\""), "{op}: {msg}");
        }
        // The error was one-shot; the value is intact.
        assert_eq!(ks.get("db").expect("get").expect("present").expose(), b"k");
    }

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    #[test]
    fn no_default_collection_is_told_apart_from_a_locked_keyring() {
        let (mock, ks) = store();
        let none = keyring_core::Error::NoStorageAccess(Box::new(secret_service::Error::NoResult));
        inject(&mock, "db", none);
        let msg = keyring_msg(ks.set("db", &SecretBytes::from_slice(b"k")));
        assert!(msg.contains("has no default keyring"), "{msg}");
        assert!(msg.contains("could not be written"), "{msg}");
        assert!(!msg.contains("locked"), "{msg}");
    }

    #[test]
    fn platform_failure_maps_to_keyring_error() {
        let (mock, ks) = store();
        let dbus = keyring_core::Error::PlatformFailure(Box::new(std::io::Error::other(
            "D-Bus connection lost",
        )));
        inject(&mock, "db", dbus);
        let msg = keyring_msg(ks.get("db"));
        assert!(msg.contains("D-Bus connection lost"), "{msg}");
    }

    #[test]
    fn foreign_or_corrupt_data_never_shows_bytes() {
        let (mock, ks) = store();
        inject(
            &mock,
            "db",
            keyring_core::Error::BadEncoding(b"TOPSECRET".to_vec()),
        );
        let msg = keyring_msg(ks.get("db"));
        assert!(
            msg.contains("does not hold a whodis-admin key") && !msg.contains("TOPSECRET"),
            "{msg}"
        );

        use keyring_core::api::CredentialStoreApi;
        let e = mock.build(SERVICE, "db", None).expect("build");
        e.set_password("not base64 TOPSECRET!").expect("set");
        let msg = keyring_msg(ks.get("db"));
        assert!(!msg.contains("TOPSECRET"), "{msg}");
    }

    #[test]
    fn entry_names_never_contain_passwords() {
        let cases = [
            (
                "postgres://admin:hunter2@db.example.com:5433/whodis",
                "postgres://admin@db.example.com:5433/whodis",
            ),
            (
                "postgresql://admin:hunter2@DB.example.com/whodis?sslmode=require",
                "postgres://admin@db.example.com:5432/whodis",
            ),
            (
                "postgres://admin@db.example.com:5432/whodis",
                "postgres://admin@db.example.com:5432/whodis",
            ),
            (
                "postgres://db.example.com/whodis",
                "postgres://db.example.com:5432/whodis",
            ),
            (
                "postgres:///whodis?host=/var/run/postgresql&user=ops&password=hunter2",
                "postgres://ops@/var/run/postgresql:5432/whodis",
            ),
            (
                "postgres://ad%40min:p%40ss%2Fw@h/whodis",
                "postgres://ad%40min@h:5432/whodis",
            ),
            (
                "sqlite:/var/lib/whodis/demo.db",
                "sqlite:/var/lib/whodis/demo.db",
            ),
            (
                "sqlite:///var/lib/whodis/demo.db?mode=rwc",
                "sqlite:/var/lib/whodis/demo.db",
            ),
            ("sqlite::memory:", "sqlite::memory:"),
        ];
        for (url, want) in cases {
            let got = entry_name_for_database(url).expect(url);
            assert_eq!(got, want, "{url}");
            assert!(!got.contains("hunter2") && !got.contains("p%40ss"), "{got}");
        }
        let rel = entry_name_for_database("sqlite://data/demo.db").expect("relative");
        let cwd = std::env::current_dir().expect("cwd");
        assert_eq!(
            rel,
            format!("sqlite:{}", cwd.join("data/demo.db").display())
        );
        assert_eq!(
            sibling_entry("sqlite:/x.db", Sibling::Backup),
            "backup:sqlite:/x.db"
        );
    }

    #[test]
    fn bad_database_urls_do_not_echo_the_url() {
        for url in [
            "mysql://root:hunter2@h/db",
            "postgres://root:hunter2@h:notaport/db",
            "hunter2",
        ] {
            match entry_name_for_database(url) {
                Err(Error::Invalid { field, reason }) => {
                    assert_eq!(field, "database_url");
                    assert!(!reason.contains("hunter2"), "{reason}");
                }
                other => panic!("{url}: expected Invalid, got {other:?}"),
            }
        }
    }
}
