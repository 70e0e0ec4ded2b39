//! The keys of one database, as a [`ValueCipher`]: our AES envelope, and optionally the
//! Python server's Fernet key for the values it wrote.

use crate::crypto::{envelope, is_fernet_token, DataKey, FernetKey, SecretString};
use crate::error::{Error, Result};
use crate::models::configuration::ValueCipher;

/// The format new encrypted values are written in.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteFormat {
    /// AES-256-GCM envelope bound to the row (the default).
    #[default]
    Envelope,
    /// Fernet tokens the WhoDis server can read.
    Fernet,
}

#[derive(Debug, Default)]
pub struct Keys {
    pub data: Option<DataKey>,
    pub fernet: Option<FernetKey>,
    pub write_format: WriteFormat,
}

impl Keys {
    pub fn envelope(key: DataKey) -> Self {
        Keys {
            data: Some(key),
            fernet: None,
            write_format: WriteFormat::Envelope,
        }
    }
}

impl ValueCipher for Keys {
    fn encrypt(&self, aad: &str, plaintext: &str) -> Result<Vec<u8>> {
        match self.write_format {
            WriteFormat::Envelope => {
                let key = self.data.as_ref().ok_or_else(|| missing(aad, "data key"))?;
                envelope::encrypt(key, aad, plaintext.as_bytes())
            }
            WriteFormat::Fernet => {
                let key = self
                    .fernet
                    .as_ref()
                    .ok_or_else(|| missing(aad, "Fernet key"))?;
                key.encrypt(plaintext.as_bytes())
            }
        }
    }

    /// Recognises the stored format: Fernet tokens (`gAAAAA…`) or our envelope.
    fn decrypt(&self, aad: &str, ciphertext: &[u8]) -> Result<SecretString> {
        if is_fernet_token(ciphertext) {
            let key = self
                .fernet
                .as_ref()
                .ok_or_else(|| missing(aad, "Fernet key"))?;
            return key.decrypt(aad, ciphertext);
        }
        let key = self.data.as_ref().ok_or_else(|| missing(aad, "data key"))?;
        envelope::decrypt(key, aad, ciphertext)
    }
}

fn missing(aad: &str, which: &str) -> Error {
    Error::KeyMissing(format!(
        "{aad} needs the {which} of this database, which is not loaded"
    ))
}
