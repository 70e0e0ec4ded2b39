//! Encryption of configuration values and storage of the keys.
//!
//! - [`secret`]: types that hold secrets (zeroized, redacted in `Debug`, never serializable).
//! - [`envelope`]: our AES-256-GCM format, bound to the row by associated data.
//! - [`fernet`]: reading (and writing) values the Python WhoDis server encrypted.
//! - [`recovery`]: recovery strings for moving a key between admins.
//! - [`keystore`]: the OS keyring behind the [`KeyStore`] trait.

pub mod envelope;
pub mod fernet;
pub mod keys;
pub mod keystore;
pub mod lifecycle;
pub mod recovery;
pub mod secret;

pub use envelope::row_aad;
pub use fernet::{is_fernet_token, FernetKey};
pub use keys::{Keys, WriteFormat};
pub use keystore::{
    entry_name_for_database, legacy_sibling_entry, sibling_entry, KeyStore, OsKeyStore, Sibling,
};
pub use recovery::RecoveryKey;
pub use secret::{DataKey, SecretBytes, SecretString};
