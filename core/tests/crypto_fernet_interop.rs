//! Fernet interop with the Python `cryptography` package (what the WhoDis server used), both ways.
//! Needs `python3` with `cryptography` installed; fails loudly, never skips, when it is missing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use whodis_core::crypto::FernetKey;
use whodis_core::error::Error;

const ROW: &str = "ldap.bind_password";
const PLAINTEXT: &str = "pässwörd ✓ with spaces & \"quotes\"";

fn python(request: Value) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/fernet_interop.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python3 (needed for the Fernet interop test): {e}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("write request");
    let out = child.wait_with_output().expect("python3 output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        panic!("{stderr}");
    }
    assert!(
        out.status.success(),
        "fernet_interop.py failed ({}):\n{stderr}",
        out.status
    );
    serde_json::from_slice(&out.stdout).expect("JSON from fernet_interop.py")
}

fn text(v: &Value, field: &str) -> String {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("missing {field} in {v}"))
        .to_owned()
}

#[test]
fn rust_decrypts_a_token_python_made() {
    let made = python(json!({"op": "make", "plaintext": PLAINTEXT}));
    let key = FernetKey::parse(&text(&made, "key")).expect("python's key parses");
    let token = text(&made, "token");
    assert!(whodis_core::crypto::is_fernet_token(token.as_bytes()));
    // As stored by the server: the token text as UTF-8 bytes.
    let value = key
        .decrypt(ROW, token.as_bytes())
        .expect("decrypt python token");
    assert_eq!(value.expose(), PLAINTEXT);

    // And with the wrong key: a clear error, not the server's silent "".
    let wrong = FernetKey::generate().expect("rng");
    match wrong.decrypt(ROW, token.as_bytes()) {
        Err(Error::Crypto(msg)) => assert!(msg.contains(ROW), "{msg}"),
        other => panic!("expected Error::Crypto, got {other:?}"),
    }
}

#[test]
fn rust_decrypts_a_token_from_a_server_clock_an_hour_ahead() {
    let ahead = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        + 3_600;
    let made = python(json!({"op": "make", "plaintext": PLAINTEXT, "at_time": ahead}));
    let key = FernetKey::parse(&text(&made, "key")).expect("python's key parses");
    let value = key
        .decrypt(ROW, text(&made, "token").as_bytes())
        .expect("decrypt future token");
    assert_eq!(value.expose(), PLAINTEXT);
}

#[test]
fn python_decrypts_a_token_rust_made() {
    let key = FernetKey::generate().expect("rng");
    let token = key.encrypt(PLAINTEXT.as_bytes()).expect("encrypt");
    let token = String::from_utf8(token).expect("token is ASCII");
    let out = python(json!({
        "op": "decrypt",
        "key": key.to_key_string().expose(),
        "token": token,
    }));
    assert_eq!(text(&out, "plaintext"), PLAINTEXT);
}
