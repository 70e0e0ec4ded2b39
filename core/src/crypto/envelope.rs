//! The versioned AES-256-GCM envelope that holds an encrypted configuration value.
//!
//! ```text
//! byte 0        version, 0x01
//! bytes 1..13   96-bit nonce, fresh from the OS RNG for every encryption
//! bytes 13..    ciphertext (same length as the plaintext) followed by the 16-byte GCM tag
//! ```
//! The associated data is the UTF-8 string `"{category}.{key}"` of the row, so a value copied
//! to another row fails to decrypt instead of silently showing up there.

use aes_gcm::aead::{Aead, KeyInit, Nonce, Payload};
use aes_gcm::Aes256Gcm;
use zeroize::Zeroizing;

use super::fernet::is_fernet_token;
use super::secret::{fill_random, DataKey, SecretString};
use crate::error::{Error, Result};

/// The only version written today. A new layout gets a new number; old ones stay readable.
pub const VERSION_1: u8 = 0x01;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;
/// Version byte plus nonce.
pub const HEADER_LEN: usize = 1 + NONCE_LEN;
/// An envelope of the empty string: header plus tag.
pub const MIN_LEN: usize = HEADER_LEN + TAG_LEN;

/// The associated data for a configuration row.
///
/// Note: `"a.b" + "c"` and `"a" + "b.c"` give the same string; categories are expected to be
/// dot-free identifiers, which is what the seed's data uses.
pub fn row_aad(category: &str, key: &str) -> String {
    format!("{category}.{key}")
}

/// Encrypts `plaintext` for the row named by `aad`. Fails only if the OS RNG fails.
pub fn encrypt(key: &DataKey, aad: &str, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let nonce = Nonce::<Aes256Gcm>::from(nonce);
    let sealed = cipher(key)?
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::Crypto(format!("value for {aad} cannot be encrypted")))?;

    let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
    out.push(VERSION_1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts an envelope written by [`encrypt`] for the same row. Every failure names the row
/// and the reason, never any byte of the value.
pub fn decrypt(key: &DataKey, aad: &str, bytes: &[u8]) -> Result<SecretString> {
    let fail =
        |reason: &str| Error::Crypto(format!("value for {aad} cannot be decrypted: {reason}"));

    match bytes.first() {
        None => return Err(fail("the stored value is empty")),
        Some(&VERSION_1) => {}
        Some(_) if is_fernet_token(bytes) => return Err(fail(
            "it is a Fernet token written by the WhoDis server and needs the server's Fernet key",
        )),
        Some(v) => return Err(fail(&format!("unsupported format version 0x{v:02x}"))),
    }
    if bytes.len() < MIN_LEN {
        return Err(fail(&format!(
            "the stored value is truncated ({} bytes, at least {MIN_LEN} expected)",
            bytes.len()
        )));
    }

    let nonce =
        Nonce::<Aes256Gcm>::try_from(&bytes[1..HEADER_LEN]).map_err(|_| fail("malformed nonce"))?;
    // GCM cannot tell a wrong key from tampered bytes or a value moved from another row.
    let plaintext = cipher(key)?
        .decrypt(
            &nonce,
            Payload {
                msg: &bytes[HEADER_LEN..],
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| fail("wrong key, tampered data, or a value moved from another row"))?;
    SecretString::from_utf8(Zeroizing::new(plaintext))
        .ok_or_else(|| fail("the decrypted value is not UTF-8 text"))
}

fn cipher(key: &DataKey) -> Result<Aes256Gcm> {
    Aes256Gcm::new_from_slice(key.expose())
        .map_err(|_| Error::Crypto("the data key has the wrong length".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AAD: &str = "ldap.bind_password";

    fn key() -> DataKey {
        DataKey::generate().expect("rng")
    }

    fn crypto_msg(r: Result<SecretString>) -> String {
        match r {
            Err(Error::Crypto(m)) => m,
            other => panic!("expected Error::Crypto, got {other:?}"),
        }
    }

    #[test]
    fn round_trip_and_layout() {
        let k = key();
        for pt in ["", "s3cr3t", "pässwörd ✓", &"x".repeat(10_000)] {
            let env = encrypt(&k, AAD, pt.as_bytes()).expect("encrypt");
            assert_eq!(env[0], VERSION_1);
            assert_eq!(env.len(), HEADER_LEN + pt.len() + TAG_LEN);
            assert_eq!(decrypt(&k, AAD, &env).expect("decrypt").expose(), pt);
        }
    }

    #[test]
    fn nonce_is_fresh_per_encryption() {
        let k = key();
        let a = encrypt(&k, AAD, b"same").expect("encrypt");
        let b = encrypt(&k, AAD, b"same").expect("encrypt");
        assert_ne!(a[1..HEADER_LEN], b[1..HEADER_LEN]);
        assert_ne!(a, b);
    }

    #[test]
    fn every_tampered_byte_is_rejected() {
        let k = key();
        let env = encrypt(&k, AAD, b"correct horse battery staple").expect("encrypt");
        // Byte 0 is the version, 1..13 the nonce, then ciphertext, then the last 16 are the tag.
        for i in 0..env.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = env.clone();
                bad[i] ^= flip;
                let msg = crypto_msg(decrypt(&k, AAD, &bad));
                let want = if i == 0 {
                    "unsupported format version"
                } else {
                    "wrong key, tampered data"
                };
                assert!(msg.contains(want), "byte {i}: {msg}");
            }
        }
    }

    #[test]
    fn truncated_or_extended_is_rejected() {
        let k = key();
        let env = encrypt(&k, AAD, b"value").expect("encrypt");
        for len in 0..env.len() {
            assert!(
                decrypt(&k, AAD, &env[..len]).is_err(),
                "prefix of {len} bytes accepted"
            );
        }
        let mut longer = env.clone();
        longer.push(0);
        assert!(decrypt(&k, AAD, &longer).is_err());
        assert!(crypto_msg(decrypt(&k, AAD, &env[..MIN_LEN - 1])).contains("truncated"));
        assert!(crypto_msg(decrypt(&k, AAD, &[])).contains("empty"));
    }

    #[test]
    fn swapped_rows_are_rejected() {
        let k = key();
        let a = encrypt(&k, "ldap.bind_password", b"ldap-secret").expect("encrypt");
        let b = encrypt(&k, "genesys.client_secret", b"genesys-secret").expect("encrypt");
        let msg = crypto_msg(decrypt(&k, "genesys.client_secret", &a));
        assert!(msg.contains("genesys.client_secret"), "{msg}");
        assert!(decrypt(&k, "ldap.bind_password", &b).is_err());
        assert!(decrypt(&k, &row_aad("ldap", "bind_password"), &a).is_ok());
    }

    #[test]
    fn wrong_key_is_rejected_with_a_clear_message() {
        let env = encrypt(&key(), AAD, b"hunter2").expect("encrypt");
        let msg = crypto_msg(decrypt(&key(), AAD, &env));
        assert_eq!(
            msg,
            "value for ldap.bind_password cannot be decrypted: \
             wrong key, tampered data, or a value moved from another row"
        );
        assert!(!msg.contains("hunter2"));
    }

    #[test]
    fn unsupported_version_is_rejected() {
        let k = key();
        let mut env = encrypt(&k, AAD, b"v").expect("encrypt");
        for v in [0x00u8, 0x02, 0x80, 0xff] {
            env[0] = v;
            let msg = crypto_msg(decrypt(&k, AAD, &env));
            assert!(
                msg.contains(&format!("unsupported format version 0x{v:02x}")),
                "{msg}"
            );
        }
    }

    #[test]
    fn fernet_token_gets_a_pointed_message() {
        let token = super::super::fernet::FernetKey::generate()
            .expect("rng")
            .encrypt(b"x")
            .expect("encrypt");
        let msg = crypto_msg(decrypt(&key(), AAD, &token));
        assert!(msg.contains("Fernet token"), "{msg}");
    }
}
