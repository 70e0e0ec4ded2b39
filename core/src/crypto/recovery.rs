//! Recovery strings: how an admin hands a key to another admin or a new laptop.
//!
//! ```text
//! whodis-key1-<base64url, no padding, of: kind (1 byte) || key (32 bytes) || checksum (4 bytes)>
//! ```
//! `kind` is 0x01 for our AES-256-GCM data key, 0x02 for a server Fernet key and 0x03 for the
//! audit trail's chain key; `checksum` is the
//! first 4 bytes of SHA-256(kind || key), so a mistyped character is caught before the key is
//! stored. The whole string is 62 characters. Whitespace anywhere is ignored, because such
//! strings get wrapped by mail clients and chat windows.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::{DecodeError, Engine as _};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::fernet::{FernetKey, FERNET_KEY_TEXT_LEN};
use super::secret::{DataKey, SecretBytes, SecretString};
use crate::error::{Error, Result};

pub const PREFIX: &str = "whodis-key1-";
/// Everything before the version digit, to tell "other version" from "not ours".
const FAMILY: &str = "whodis-key";
const KIND_DATA_KEY: u8 = 0x01;
const KIND_FERNET_KEY: u8 = 0x02;
const KIND_CHAIN_KEY: u8 = 0x03;
const KEY_LEN: usize = 32;
const CHECKSUM_LEN: usize = 4;
const PAYLOAD_LEN: usize = 1 + KEY_LEN + CHECKSUM_LEN;
/// Unpadded base64 length of the payload.
const BODY_LEN: usize = (PAYLOAD_LEN * 4).div_ceil(3);
pub const RECOVERY_STRING_LEN: usize = PREFIX.len() + BODY_LEN;

const FIELD: &str = "recovery_string";

/// A key carried by a recovery string.
#[derive(Debug)]
pub enum RecoveryKey {
    /// The AES-256-GCM key for our envelopes.
    Data(DataKey),
    /// A Fernet key for values the WhoDis server wrote.
    Fernet(FernetKey),
    /// The key that seals the audit trail's hash chain.
    Chain(DataKey),
}

impl RecoveryKey {
    /// The recovery string. It is the key itself: show it once, never log it.
    pub fn to_recovery_string(&self) -> SecretString {
        let (kind, key) = match self {
            RecoveryKey::Data(k) => (KIND_DATA_KEY, &k.expose()[..]),
            RecoveryKey::Fernet(k) => (KIND_FERNET_KEY, k.expose()),
            RecoveryKey::Chain(k) => (KIND_CHAIN_KEY, &k.expose()[..]),
        };
        let mut payload = Zeroizing::new(Vec::with_capacity(PAYLOAD_LEN));
        payload.push(kind);
        payload.extend_from_slice(key);
        let sum = checksum(&payload);
        payload.extend_from_slice(&sum);
        let body = Zeroizing::new(URL_SAFE_NO_PAD.encode(&*payload));
        SecretString::new(format!("{PREFIX}{}", body.as_str()))
    }

    /// Parses a recovery string, or the WhoDis server's raw 44-character Fernet key (its
    /// `WHODIS_ENCRYPTION_KEY`); each kind of mistake gets its own message, none echoes the input.
    pub fn parse(text: &str) -> Result<Self> {
        let text: Zeroizing<String> =
            Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
        if !text.starts_with(FAMILY) && text.len() == FERNET_KEY_TEXT_LEN {
            return FernetKey::parse(&text)
                .map(RecoveryKey::Fernet)
                .map_err(|e| match e {
                    Error::Invalid { reason, .. } => invalid(&format!(
                        "not a whodis-admin recovery string, and not a valid server key: {reason}"
                    )),
                    other => other,
                });
        }
        let body =
            match text.strip_prefix(PREFIX) {
                Some(body) => body,
                None if text.starts_with(FAMILY) => {
                    return Err(invalid(
                        "this recovery string was made by a different version of whodis-admin \
                     (it does not start with \"whodis-key1-\")",
                    ))
                }
                None => return Err(invalid(
                    "neither a whodis-admin recovery string (it starts with \"whodis-key1-\") nor \
                     the server's WHODIS_ENCRYPTION_KEY (44 characters of URL-safe base64)",
                )),
            };
        if body.len() != BODY_LEN {
            return Err(invalid(&format!(
                "wrong length: a recovery string is {RECOVERY_STRING_LEN} characters, this one has {} \
                 (was it cut off, or pasted twice?)",
                PREFIX.len() + body.chars().count()
            )));
        }
        let payload = URL_SAFE_NO_PAD
            .decode(body)
            .map(SecretBytes::new)
            .map_err(|e| invalid(&base64_reason(&e)))?;
        let payload = payload.expose();
        if payload.len() != PAYLOAD_LEN {
            return Err(invalid(
                "wrong length after decoding (was it cut off, or pasted twice?)",
            ));
        }
        let (data, sum) = payload.split_at(1 + KEY_LEN);
        if checksum(data) != sum {
            return Err(invalid("checksum does not match: the string has a typo, please check it character by character"));
        }
        match data[0] {
            KIND_DATA_KEY => Ok(RecoveryKey::Data(DataKey::from_bytes(&data[1..])?)),
            KIND_FERNET_KEY => Ok(RecoveryKey::Fernet(FernetKey::from_bytes(&data[1..])?)),
            KIND_CHAIN_KEY => Ok(RecoveryKey::Chain(DataKey::from_bytes(&data[1..])?)),
            other => Err(invalid(&format!(
                "key kind {other} is not known to this version of whodis-admin"
            ))),
        }
    }
}

fn checksum(data: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = Sha256::digest(data);
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(&digest[..CHECKSUM_LEN]);
    out
}

/// Positions are safe to report; the offending characters are not echoed.
fn base64_reason(e: &DecodeError) -> String {
    let at = |offset: usize| PREFIX.len() + offset + 1;
    match e {
        DecodeError::InvalidByte(offset, _) => format!(
            "character {} is not allowed (only A-Z, a-z, 0-9, '-' and '_' appear after the prefix)",
            at(*offset)
        ),
        DecodeError::InvalidLastSymbol(offset, _) => {
            format!("character {} is wrong: the string has a typo", at(*offset))
        }
        _ => "not valid base64url (a typo, or the string was cut)".to_owned(),
    }
}

fn invalid(reason: &str) -> Error {
    Error::invalid(FIELD, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(text: &str) -> String {
        match RecoveryKey::parse(text) {
            Err(Error::Invalid { field, reason }) => {
                assert_eq!(field, FIELD);
                reason
            }
            other => panic!("expected Invalid(recovery_string), got {other:?}"),
        }
    }

    fn data_string() -> (DataKey, String) {
        let key = DataKey::generate().expect("rng");
        let copy = DataKey::from_bytes(key.expose()).expect("32 bytes");
        let s = RecoveryKey::Data(copy)
            .to_recovery_string()
            .expose()
            .to_owned();
        (key, s)
    }

    #[test]
    fn round_trip_data_key() {
        let (key, s) = data_string();
        assert!(s.starts_with(PREFIX));
        assert_eq!(s.len(), RECOVERY_STRING_LEN);
        assert_eq!(RECOVERY_STRING_LEN, 62);
        match RecoveryKey::parse(&s).expect("parse") {
            RecoveryKey::Data(k) => assert_eq!(k.expose(), key.expose()),
            _ => panic!("kind lost"),
        }
    }

    #[test]
    fn round_trip_fernet_key() {
        let key = FernetKey::generate().expect("rng");
        let s = RecoveryKey::Fernet(key.clone()).to_recovery_string();
        match RecoveryKey::parse(s.expose()).expect("parse") {
            RecoveryKey::Fernet(k) => assert_eq!(k.expose(), key.expose()),
            _ => panic!("kind lost"),
        }
    }

    #[test]
    fn round_trip_chain_key() {
        let key = DataKey::generate().expect("rng");
        let s = RecoveryKey::Chain(DataKey::from_bytes(key.expose()).expect("32 bytes"))
            .to_recovery_string();
        match RecoveryKey::parse(s.expose()).expect("parse") {
            RecoveryKey::Chain(k) => assert_eq!(k.expose(), key.expose()),
            _ => panic!("kind lost"),
        }
    }

    #[test]
    fn whitespace_from_wrapping_is_ignored() {
        let (key, s) = data_string();
        let wrapped = format!("  {}\n{} \r\n", &s[..30], &s[30..]);
        match RecoveryKey::parse(&wrapped).expect("parse") {
            RecoveryKey::Data(k) => assert_eq!(k.expose(), key.expose()),
            _ => panic!("kind lost"),
        }
    }

    #[test]
    fn bad_prefix() {
        let (_, s) = data_string();
        assert!(
            reason(&s.replacen("whodis-key1-", "whodis-key2-", 1)).contains("different version")
        );
        for bad in [
            s.replacen("whodis-key1-", "", 1),
            String::new(),
            s.to_uppercase(),
        ] {
            let why = reason(&bad);
            assert!(
                why.contains("neither a whodis-admin recovery string")
                    && why.contains("WHODIS_ENCRYPTION_KEY"),
                "{why}"
            );
        }
    }

    #[test]
    fn bad_base64() {
        let (_, s) = data_string();
        let mut bad = s.clone();
        bad.replace_range(20..21, "!");
        let r = reason(&bad);
        assert!(r.contains("character 21 is not allowed"), "{r}");
        // Standard-alphabet characters are typos too.
        let mut plus = s.clone();
        plus.replace_range(40..41, "+");
        assert!(reason(&plus).contains("character 41"));
    }

    #[test]
    fn bad_length() {
        let (_, s) = data_string();
        let r = reason(&s[..s.len() - 1]);
        assert!(r.contains("62 characters, this one has 61"), "{r}");
        assert!(reason(&format!("{s}{}", &s[PREFIX.len()..])).contains("pasted twice"));
    }

    #[test]
    fn checksum_catches_a_typo_anywhere() {
        let (_, s) = data_string();
        let mut caught = 0;
        for i in PREFIX.len()..s.len() {
            let mut typo = s.clone().into_bytes();
            typo[i] = if typo[i] == b'a' { b'b' } else { b'a' };
            let typo = String::from_utf8(typo).expect("ascii");
            let r = reason(&typo);
            assert!(
                r.contains("checksum does not match") || r.contains("has a typo"),
                "pos {i}: {r}"
            );
            caught += 1;
        }
        assert_eq!(caught, BODY_LEN);
    }

    #[test]
    fn unknown_kind_with_valid_checksum() {
        let mut payload = vec![0x7f];
        payload.extend_from_slice(&[9u8; KEY_LEN]);
        let sum = checksum(&payload);
        payload.extend_from_slice(&sum);
        let s = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&payload));
        assert!(reason(&s).contains("key kind 127"));
    }

    #[test]
    fn errors_never_echo_the_input() {
        let (_, s) = data_string();
        let body = &s[PREFIX.len()..];
        for bad in [s[..40].to_owned(), s.replacen('A', "?", 1), format!("{s}x")] {
            if let Err(e) = RecoveryKey::parse(&bad) {
                let shown = format!("{e} {e:?}");
                assert!(!shown.contains(&body[5..15]), "{shown}");
            }
        }
        assert_eq!(
            format!("{:?}", RecoveryKey::parse(&s).expect("parse")),
            "Data([redacted])"
        );
    }
}
