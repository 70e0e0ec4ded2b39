//! The seed's `config_get` / `config_set` (ConfigurationService): values are read decrypted and
//! written encrypted when their name looks sensitive or when asked.

use crate::crypto::SecretString;
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::models::configuration::{split_path, StoredValue, ValueCipher};
use crate::models::Configuration;

/// Whether a value is encrypted on write.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protection {
    /// Encrypt when the key name looks sensitive.
    #[default]
    Auto,
    Encrypt,
    Plain,
}

const SENSITIVE_WORDS: [&str; 6] = [
    "password",
    "secret",
    "token",
    "key",
    "credential",
    "credentials",
];

/// Key names that are encrypted automatically: a `_`/`-`/`.`-separated word, or the end of the
/// name, is password, secret, token, key or credential (`bind_password`, `clientSecret`,
/// `api_key`) — but `keystone_url` is not.
pub fn looks_sensitive(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower
        .split(['_', '-', '.'])
        .any(|w| SENSITIVE_WORDS.contains(&w))
        || SENSITIVE_WORDS.iter().any(|w| lower.ends_with(w))
}

/// `config_get("category.key")`: the value, decrypted if needed; `None` when unset.
pub async fn config_get(
    ex: &mut impl Executor,
    cipher: Option<&dyn ValueCipher>,
    path: &str,
) -> Result<Option<SecretString>> {
    let (category, key) = split_path(path)?;
    let Some(row) = Configuration::find(ex, category, key).await? else {
        return Ok(None);
    };
    match row.stored() {
        StoredValue::Plain(text) => Ok(text.map(SecretString::new)),
        StoredValue::Encrypted(bytes) => {
            let cipher = cipher.ok_or_else(|| {
                Error::KeyMissing(format!(
                    "{path} is encrypted and no key is loaded for this database"
                ))
            })?;
            cipher.decrypt(&row.path(), &bytes).map(Some)
        }
    }
}

/// `config_set("category.key", value)`: writes exactly one of `value` / `value_plaintext`.
pub async fn config_set(
    ex: &mut impl Executor,
    cipher: Option<&dyn ValueCipher>,
    path: &str,
    value: &str,
    protection: Protection,
) -> Result<Configuration> {
    let (category, key) = split_path(path)?;
    crate::known_settings::check(path, value)?;
    let encrypt = match protection {
        Protection::Auto => looks_sensitive(key),
        Protection::Encrypt => true,
        Protection::Plain => false,
    };
    let stored = if encrypt {
        let cipher = cipher.ok_or_else(|| {
            Error::KeyMissing(format!(
                "{path} must be encrypted and no key is loaded for this database"
            ))
        })?;
        StoredValue::Encrypted(cipher.encrypt(&format!("{category}.{key}"), value)?)
    } else {
        StoredValue::Plain(Some(value.to_owned()))
    };
    Configuration::put(ex, category, key, stored).await
}

#[cfg(test)]
mod tests {
    use super::looks_sensitive;

    #[test]
    fn sensitive_names_follow_the_server_rule_without_false_hits() {
        for yes in [
            "bind_password",
            "client_secret",
            "api_key",
            "access_token",
            "graph_credential",
            "clientSecret",
            "key",
        ] {
            assert!(looks_sensitive(yes), "{yes}");
        }
        for no in ["host", "keystone_url", "base_dn", "monkeys_count", "region"] {
            assert!(!looks_sensitive(no), "{no}");
        }
    }
}
