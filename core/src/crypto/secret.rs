//! Secret-holding types.
//!
//! They zeroize their memory on drop, print `[redacted]` under `Debug`, and deliberately implement
//! neither `Display` nor `Serialize`: putting a secret in a log line, an error message or an IPC
//! payload is a compile error, not a review finding.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

const REDACTED: &str = "[redacted]";

/// Arbitrary secret bytes (key material read from the keyring, a decoded recovery string, ...).
#[derive(Clone, Default)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Takes ownership so the only copy is the one that will be zeroized.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(Zeroizing::new(bytes))
    }

    pub fn from_slice(bytes: &[u8]) -> Self {
        SecretBytes::new(bytes.to_vec())
    }

    /// The bytes as text, if they are UTF-8 (a password kept in the keyring).
    pub fn to_secret_string(&self) -> Option<SecretString> {
        SecretString::from_utf8(Zeroizing::new(self.0.to_vec()))
    }

    /// The raw bytes. Named `expose` so every use is easy to find in review.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// For filling a buffer in place (e.g. from the RNG) without an intermediate copy.
    pub(crate) fn expose_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl ZeroizeOnDrop for SecretBytes {}

/// A decrypted text value (e.g. a configuration password).
#[derive(Clone, Default)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    pub fn new(s: String) -> Self {
        SecretString(Zeroizing::new(s))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// UTF-8 check without leaving an unzeroized copy behind on either path.
    pub(crate) fn from_utf8(mut bytes: Zeroizing<Vec<u8>>) -> Option<Self> {
        std::str::from_utf8(&bytes).ok()?;
        match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(s) => Some(SecretString::new(s)),
            Err(e) => {
                e.into_bytes().zeroize();
                None
            }
        }
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl ZeroizeOnDrop for SecretString {}

/// Length of the AES-256-GCM data key in bytes.
pub const DATA_KEY_LEN: usize = 32;

/// Domain-separation label so a fingerprint can never equal any other hash of the key.
const FINGERPRINT_LABEL: &[u8] = b"whodis-admin data key fingerprint v1\0";

/// The 256-bit key that encrypts configuration values.
///
/// Boxed so that moving a `DataKey` moves a pointer and leaves no stray copy of the key on the stack.
pub struct DataKey(Box<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self> {
        let mut key = Box::new([0u8; DATA_KEY_LEN]);
        fill_random(&mut key[..])?;
        Ok(DataKey(key))
    }

    /// Key material from the keyring or a recovery string; must be exactly 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != DATA_KEY_LEN {
            return Err(Error::Crypto(format!(
                "a data key must be {DATA_KEY_LEN} bytes, got {}",
                bytes.len()
            )));
        }
        let mut key = Box::new([0u8; DATA_KEY_LEN]);
        key.copy_from_slice(bytes);
        Ok(DataKey(key))
    }

    pub fn expose(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }

    /// A copy for storage (keyring) where the caller needs owned bytes.
    pub fn to_secret_bytes(&self) -> SecretBytes {
        SecretBytes::from_slice(&self.0[..])
    }

    /// 16 hex characters that identify the key without revealing it: admins compare these to
    /// check they hold the same key. Truncated SHA-256 over a label + key; safe to show and log.
    pub fn fingerprint(&self) -> String {
        fingerprint(FINGERPRINT_LABEL, &self.0[..])
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for DataKey {}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        Error::Crypto(format!(
            "the operating system's random number generator failed: {e}"
        ))
    })
}

/// First 8 bytes of SHA-256(label || key), as lowercase hex.
pub(crate) fn fingerprint(label: &[u8], key: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(label)
        .chain_update(key)
        .finalize();
    hex(&digest[..8])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Accepts a value to be stored (IPC requests, files); there is deliberately no `Serialize`.
impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        // serde's own message would quote a wrongly typed value ("invalid type: integer 1234")
        String::deserialize(d)
            .map(SecretString::new)
            .map_err(|_| serde::de::Error::custom("expected a text value (not shown)"))
    }
}

/// Crosses IPC as a plain string, only into the app (requests) or in an explicit reveal.
#[cfg(feature = "specta")]
impl specta::Type for SecretString {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        <String as specta::Type>::definition(types)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrongly_typed_secret_is_not_quoted_in_the_error() {
        let err = serde_json::from_str::<SecretString>("918273645").expect_err("a number");
        assert!(!err.to_string().contains("918273645"), "{err}");
        assert!(err.to_string().contains("expected a text value"), "{err}");
        let ok = serde_json::from_str::<SecretString>("\"918273645\"").expect("text");
        assert_eq!(ok.expose(), "918273645");
    }

    #[test]
    fn debug_never_shows_bytes() {
        let bytes = SecretBytes::from_slice(b"hunter2-bytes");
        let text = SecretString::new("hunter2-text".to_owned());
        let key = DataKey::from_bytes(&[0xAB; 32]).expect("32 bytes");
        for shown in [
            format!("{bytes:?}"),
            format!("{text:?}"),
            format!("{key:?}"),
            format!("{key:#?}"),
        ] {
            assert_eq!(shown, "[redacted]");
        }
        // Inside a derived Debug of a containing struct, too.
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            key: DataKey,
        }
        assert_eq!(
            format!("{:?}", Holder { key }),
            "Holder { key: [redacted] }"
        );
    }

    #[test]
    fn generated_keys_are_random_and_full_length() {
        let a = DataKey::generate().expect("rng");
        let b = DataKey::generate().expect("rng");
        assert_eq!(a.expose().len(), 32);
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn fingerprint_is_stable_short_hex_and_not_the_key() {
        let key = DataKey::from_bytes(&[7u8; 32]).expect("32 bytes");
        let fp = key.fingerprint();
        assert_eq!(fp.len(), 16);
        assert!(fp
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(
            fp,
            DataKey::from_bytes(&[7u8; 32])
                .expect("32 bytes")
                .fingerprint()
        );
        // Domain separation: not simply a prefix of SHA-256(key).
        assert_ne!(fp, hex(&Sha256::digest([7u8; 32])[..8]));
        assert!(!fp.contains("0707"));
    }

    #[test]
    fn data_key_rejects_wrong_length() {
        let err = DataKey::from_bytes(&[1u8; 31]).expect_err("31 bytes");
        assert!(
            matches!(err, Error::Crypto(ref m) if m.contains("32 bytes, got 31")),
            "{err}"
        );
    }

    #[test]
    fn secret_string_from_utf8() {
        let ok = SecretString::from_utf8(Zeroizing::new("pässwörd".as_bytes().to_vec()));
        assert_eq!(ok.expect("valid utf-8").expose(), "pässwörd");
        assert!(SecretString::from_utf8(Zeroizing::new(vec![0xff, 0xfe])).is_none());
    }
}
