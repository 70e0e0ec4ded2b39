//! `Configuration` (seed: `app/models/configuration.py`): one setting per `(category, key)`,
//! held either as plaintext or as opaque encrypted bytes — never both.
//!
//! This module stores and reads the two forms; turning plaintext into bytes and back is the
//! job of a [`ValueCipher`], the seam the crypto layer plugs into.

use sea_query::{Condition, Expr};

use crate::define_model;
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::model::{self, col, Validate};

define_model! {
    /// A configuration setting.
    pub struct Configuration in "configuration" sortable ["category", "key"] {
        pub category: String,
        pub key: String,
        #[serde(with = "crate::model::base64_bytes", default)]
        pub value: Option<Vec<u8>>,
        pub value_plaintext: Option<String>,
        pub is_encrypted: bool,
    }
}

/// A stored setting's value, in the form it is kept.
#[derive(Clone, PartialEq)]
pub enum StoredValue {
    Plain(Option<String>),
    /// Ciphertext; meaningful only to the cipher that wrote it.
    Encrypted(Vec<u8>),
}

impl std::fmt::Debug for StoredValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoredValue::Plain(_) => f.write_str("Plain([not shown])"),
            StoredValue::Encrypted(b) => write!(f, "Encrypted({} bytes)", b.len()),
        }
    }
}

/// Encrypts and decrypts configuration values. `aad` is `"category.key"`, bound to the
/// ciphertext so a value cannot be moved to another row unnoticed.
pub trait ValueCipher: Send + Sync {
    fn encrypt(&self, aad: &str, plaintext: &str) -> Result<Vec<u8>>;
    fn decrypt(&self, aad: &str, ciphertext: &[u8]) -> Result<crate::crypto::SecretString>;
}

/// Splits `"category.key"` (the seed's `config_get` argument) at the first dot.
pub fn split_path(path: &str) -> Result<(&str, &str)> {
    match path.split_once('.') {
        Some((c, k)) if !c.is_empty() && !k.is_empty() => Ok((c, k)),
        _ => Err(Error::invalid(
            "path",
            format!("'{path}' is not of the form category.key"),
        )),
    }
}

impl Configuration {
    /// `"category.key"`, the associated data of an encrypted value.
    pub fn path(&self) -> String {
        format!("{}.{}", self.category, self.key)
    }

    pub fn stored(&self) -> StoredValue {
        match (&self.value, self.is_encrypted) {
            (Some(bytes), true) => StoredValue::Encrypted(bytes.clone()),
            _ => StoredValue::Plain(self.value_plaintext.clone()),
        }
    }

    /// Replaces the value, keeping exactly one of `value` / `value_plaintext` and a truthful
    /// `is_encrypted`.
    pub fn set_stored(&mut self, stored: StoredValue) {
        match stored {
            StoredValue::Plain(text) => {
                self.value = None;
                self.value_plaintext = text;
                self.is_encrypted = false;
            }
            StoredValue::Encrypted(bytes) => {
                self.value = Some(bytes);
                self.value_plaintext = None;
                self.is_encrypted = true;
            }
        }
    }

    pub async fn find(ex: &mut impl Executor, category: &str, key: &str) -> Result<Option<Self>> {
        let cond = Condition::all()
            .add(col("category").eq(category))
            .add(col("key").eq(key));
        model::find_one(ex, cond).await
    }

    /// Like [`Self::find`], with the row locked until the transaction ends (see
    /// [`model::require_locked`]), for a version check followed by a write.
    pub async fn find_locked(
        ex: &mut impl Executor,
        category: &str,
        key: &str,
    ) -> Result<Option<Self>> {
        let cond = Condition::all()
            .add(col("category").eq(category))
            .add(col("key").eq(key));
        model::find_one_locked(ex, cond).await
    }

    /// Writes a setting in the given form, creating it if missing.
    pub async fn put(
        ex: &mut impl Executor,
        category: &str,
        key: &str,
        stored: StoredValue,
    ) -> Result<Self> {
        let mut row = match Self::find(ex, category, key).await? {
            Some(row) => row,
            None => Configuration {
                category: category.into(),
                key: key.into(),
                ..Default::default()
            },
        };
        row.set_stored(stored);
        row.save(ex).await?;
        Ok(row)
    }

    /// Every encrypted setting (for key status and rotation).
    pub async fn all_encrypted(ex: &mut impl Executor) -> Result<Vec<Self>> {
        model::find(
            ex,
            Condition::all().add(Expr::col(sea_query::Alias::new("is_encrypted")).eq(true)),
        )
        .await
    }
}

impl Validate for Configuration {
    const MASKED_BY_CONTENT: &'static [&'static str] = &["value_plaintext"];

    fn mask(safe: &mut serde_json::Map<String, serde_json::Value>) {
        mask_secret_plaintext(safe);
    }

    fn check(&self) -> Result<()> {
        if self.category.trim().is_empty() || self.category.len() > 50 {
            return Err(Error::invalid("category", "must be 1 to 50 characters"));
        }
        if self.key.trim().is_empty() || self.key.len() > 100 {
            return Err(Error::invalid("key", "must be 1 to 100 characters"));
        }
        match (self.is_encrypted, &self.value, &self.value_plaintext) {
            (true, Some(_), None) | (false, None, _) => Ok(()),
            _ => Err(Error::invalid(
                "value",
                "a setting is either encrypted bytes or plaintext, never both",
            )),
        }
    }
}

/// In the safe form, a plaintext value stored under a secret-looking name (`--plain` on
/// `ldap.bind_password`) is as secret as an encrypted one: it is left out, and
/// `value_masked: true` says a value exists.
fn mask_secret_plaintext(map: &mut serde_json::Map<String, serde_json::Value>) {
    let secret = map
        .get("key")
        .and_then(serde_json::Value::as_str)
        .is_some_and(crate::config::looks_sensitive);
    let encrypted = map.get("is_encrypted") == Some(&serde_json::Value::Bool(true));
    let has_plaintext = map.get("value_plaintext").is_some_and(|v| !v.is_null());
    if secret && has_plaintext {
        map.insert("value_plaintext".into(), serde_json::Value::Null);
    }
    map.insert(
        "value_masked".into(),
        serde_json::Value::Bool(encrypted || (secret && has_plaintext)),
    );
}
