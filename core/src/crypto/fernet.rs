//! Values written by the Python WhoDis server: `cryptography` Fernet with a raw Fernet key
//! (44 characters of URL-safe base64, no key derivation). The stored value is the token text
//! (`gAAAAA…`) as UTF-8 bytes.
//!
//! Fernet has no associated data, so such a value can be moved between rows undetected; this
//! module only exists to read them (and to write them for interop tests and migration).
//! Unlike the server, which returned `""` for a bad token, every failure here is an error.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use zeroize::Zeroizing;

use super::envelope::VERSION_1;
use super::secret::{fill_random, fingerprint, SecretBytes, SecretString};
use crate::error::{Error, Result};

/// Raw Fernet key length: 16 bytes signing key, then 16 bytes encryption key.
pub const FERNET_KEY_LEN: usize = 32;
/// The key's text form, as `Fernet.generate_key()` prints it (with one `=` of padding).
pub const FERNET_KEY_TEXT_LEN: usize = 44;
/// Unpadded base64 of the shortest token: 0x80, 8-byte time, 16-byte IV, one block, 32-byte HMAC.
const MIN_TOKEN_LEN: usize = 98;

const FINGERPRINT_LABEL: &[u8] = b"whodis-admin fernet key fingerprint v1\0";

/// True when the stored bytes look like a Fernet token rather than our envelope.
///
/// A token is URL-safe base64 whose first byte decodes to 0x80 followed by a 64-bit timestamp,
/// so its text always starts with `gAAAAA`; our envelope starts with the byte 0x01.
pub fn is_fernet_token(bytes: &[u8]) -> bool {
    bytes.len() >= MIN_TOKEN_LEN
        && bytes.starts_with(b"gAAAAA")
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='))
}

/// A Fernet key (the server's `WHODIS_ENCRYPTION_KEY`).
#[derive(Clone, Debug)]
pub struct FernetKey(SecretBytes);

impl FernetKey {
    /// Parses the 44-character text form. Surrounding whitespace (a pasted newline) is ignored.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |reason: String| Error::invalid("fernet_key", reason);
        let text = text.trim();
        if text.len() != FERNET_KEY_TEXT_LEN {
            return Err(invalid(format!(
                "a Fernet key is {FERNET_KEY_TEXT_LEN} characters of URL-safe base64, got {} characters",
                text.chars().count()
            )));
        }
        if text.contains(['+', '/']) {
            return Err(invalid(
                "contains '+' or '/': that is standard base64, a Fernet key uses URL-safe base64 ('-' and '_')"
                    .to_owned(),
            ));
        }
        let bytes = URL_SAFE.decode(text).map(SecretBytes::new).map_err(|_| {
            invalid(
                "is not valid URL-safe base64 (A-Z, a-z, 0-9, '-', '_', ending in '=')".to_owned(),
            )
        })?;
        Self::from_bytes(bytes.expose())
    }

    /// From the raw 32 bytes (as kept in the keyring or a recovery string).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != FERNET_KEY_LEN {
            return Err(Error::invalid(
                "fernet_key",
                format!(
                    "a Fernet key is {FERNET_KEY_LEN} bytes, got {}",
                    bytes.len()
                ),
            ));
        }
        Ok(FernetKey(SecretBytes::from_slice(bytes)))
    }

    /// A new random key, e.g. for a server that has none yet.
    pub fn generate() -> Result<Self> {
        let mut bytes = SecretBytes::new(vec![0u8; FERNET_KEY_LEN]);
        fill_random(bytes.expose_mut())?;
        Ok(FernetKey(bytes))
    }

    /// The 44-character text form the Python server expects in its environment.
    pub fn to_key_string(&self) -> SecretString {
        SecretString::new(URL_SAFE.encode(self.0.expose()))
    }

    pub fn expose(&self) -> &[u8] {
        self.0.expose()
    }

    /// 16 hex characters that identify the key without revealing it.
    pub fn fingerprint(&self) -> String {
        fingerprint(FINGERPRINT_LABEL, self.0.expose())
    }

    /// Encrypts as the server did: the token text as UTF-8 bytes.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        Ok(self.cipher()?.encrypt(plaintext).into_bytes())
    }

    /// Decrypts a server-written value; `row` (`category.key`) names it in the error.
    pub fn decrypt(&self, row: &str, bytes: &[u8]) -> Result<SecretString> {
        let fail =
            |reason: &str| Error::Crypto(format!("value for {row} cannot be decrypted: {reason}"));
        if !is_fernet_token(bytes) {
            return Err(fail(if bytes.first() == Some(&VERSION_1) {
                "it is a whodis-admin envelope, not a Fernet token"
            } else {
                "the stored value is not a Fernet token"
            }));
        }
        // is_fernet_token checked the bytes are ASCII.
        let token = std::str::from_utf8(bytes)
            .map_err(|_| fail("the stored value is not a Fernet token"))?;
        // Python (no ttl, as the server used it) accepts tokens dated in the future; fernet-rs
        // rejects those more than 60 s ahead. Deciding "now" as no earlier than the token's own
        // time restores Python's behaviour, so a server clock running fast cannot lock values out.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let at = token_timestamp(token).map_or(now, |t| t.max(now));
        let plaintext = self
            .cipher()?
            .decrypt_at_time(token, None, at)
            .map_err(|_| fail("wrong Fernet key or a damaged token"))?;
        SecretString::from_utf8(Zeroizing::new(plaintext))
            .ok_or_else(|| fail("the decrypted value is not UTF-8 text"))
    }

    /// Encrypts with a chosen token time (tests of clock skew).
    #[cfg(test)]
    fn encrypt_at(&self, plaintext: &[u8], time: u64) -> Result<Vec<u8>> {
        Ok(self.cipher()?.encrypt_at_time(plaintext, time).into_bytes())
    }

    fn cipher(&self) -> Result<fernet::Fernet> {
        fernet::Fernet::new(self.to_key_string().expose())
            .ok_or_else(|| Error::Crypto("the Fernet key is malformed".to_owned()))
    }
}

/// The token's creation time (bytes 1..9, big-endian seconds), which is not secret.
fn token_timestamp(token: &str) -> Option<u64> {
    let raw = URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).ok()?;
    let time: [u8; 8] = raw.get(1..9)?.try_into().ok()?;
    Some(u64::from_be_bytes(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = "ldap.bind_password";
    /// The example key from the Fernet spec's test vectors.
    const SPEC_KEY: &str = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

    fn crypto_msg(r: Result<SecretString>) -> String {
        match r {
            Err(Error::Crypto(m)) => m,
            other => panic!("expected Error::Crypto, got {other:?}"),
        }
    }

    #[test]
    fn round_trip() {
        let key = FernetKey::generate().expect("rng");
        for pt in ["", "s3cr3t", "pässwörd ✓"] {
            let token = key.encrypt(pt.as_bytes()).expect("encrypt");
            assert!(is_fernet_token(&token));
            assert!(token.starts_with(b"gAAAAA"));
            assert_eq!(key.decrypt(ROW, &token).expect("decrypt").expose(), pt);
        }
    }

    #[test]
    fn key_text_round_trip() {
        let key = FernetKey::parse(SPEC_KEY).expect("spec key");
        assert_eq!(key.to_key_string().expose(), SPEC_KEY);
        let padded = format!("  {SPEC_KEY}\n");
        assert_eq!(
            FernetKey::parse(&padded).expect("trimmed").expose(),
            key.expose()
        );
        let fresh = FernetKey::generate().expect("rng");
        assert_eq!(fresh.to_key_string().expose().len(), FERNET_KEY_TEXT_LEN);
        assert_eq!(
            FernetKey::parse(fresh.to_key_string().expose())
                .expect("own")
                .expose(),
            fresh.expose()
        );
    }

    #[test]
    fn bad_key_text_gives_specific_errors() {
        let reason = |s: &str| match FernetKey::parse(s) {
            Err(Error::Invalid { field, reason }) if field == "fernet_key" => reason,
            other => panic!("expected Invalid(fernet_key), got {other:?}"),
        };
        assert!(reason("too-short").contains("got 9 characters"));
        assert!(reason(&SPEC_KEY.replace('_', "/")).contains("standard base64"));
        assert!(reason(&SPEC_KEY.replace('c', "!")).contains("not valid URL-safe base64"));
        // 44 characters without padding decode to 33 bytes: must not be accepted.
        assert!(reason(&format!("{}A", &SPEC_KEY[..43])).contains("32 bytes, got 33"));
        // Nothing of the offered key text appears in the message.
        assert!(!reason(&SPEC_KEY.replace('c', "!")).contains("x689"));
    }

    #[test]
    fn bad_tokens_give_clear_errors_not_empty_strings() {
        let key = FernetKey::generate().expect("rng");
        let token = key.encrypt(b"hunter2").expect("encrypt");

        let other = FernetKey::generate().expect("rng");
        let msg = crypto_msg(other.decrypt(ROW, &token));
        assert_eq!(
            msg,
            "value for ldap.bind_password cannot be decrypted: wrong Fernet key or a damaged token"
        );

        // Tamper inside the token (keep it well-formed base64 by swapping letters).
        let mut bad = token.clone();
        let i = bad.len() / 2;
        bad[i] = if bad[i] == b'A' { b'B' } else { b'A' };
        assert!(crypto_msg(key.decrypt(ROW, &bad)).contains("damaged token"));

        assert!(crypto_msg(key.decrypt(ROW, &token[..60])).contains("not a Fernet token"));
        assert!(crypto_msg(key.decrypt(ROW, b"")).contains("not a Fernet token"));
        assert!(crypto_msg(key.decrypt(ROW, &[VERSION_1; 40])).contains("whodis-admin envelope"));
    }

    #[test]
    fn future_dated_tokens_decrypt_like_python() {
        let key = FernetKey::generate().expect("rng");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        for time in [0, now - 86_400, now + 3_600] {
            let token = key.encrypt_at(b"skewed", time).expect("encrypt");
            assert_eq!(
                token_timestamp(std::str::from_utf8(&token).expect("ascii")),
                Some(time)
            );
            assert_eq!(
                key.decrypt(ROW, &token).expect("decrypt").expose(),
                "skewed"
            );
        }
    }

    #[test]
    fn token_detection() {
        let token = FernetKey::generate()
            .expect("rng")
            .encrypt(b"")
            .expect("encrypt");
        assert_eq!(token.len(), 100, "shortest padded token");
        assert!(is_fernet_token(&token));
        assert!(is_fernet_token(token.strip_suffix(b"==").unwrap_or(&token)));
        assert!(!is_fernet_token(&token[..MIN_TOKEN_LEN - 1]));
        assert!(!is_fernet_token(b"plain text value"));
        let mut envelope = vec![VERSION_1];
        envelope.extend_from_slice(&token[1..]);
        assert!(!is_fernet_token(&envelope));
        let mut spaced = token.clone();
        spaced[50] = b' ';
        assert!(!is_fernet_token(&spaced));
    }

    #[test]
    fn debug_is_redacted() {
        let key = FernetKey::parse(SPEC_KEY).expect("spec key");
        assert_eq!(format!("{key:?}"), "FernetKey([redacted])");
        assert_eq!(key.fingerprint().len(), 16);
    }
}
