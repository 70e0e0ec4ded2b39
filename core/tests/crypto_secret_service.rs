//! Against the REAL OS keyring (Secret Service on Linux). Needs a D-Bus session with an unlocked
//! keyring; CI runs it as `dbus-run-session -- sh with-keyring.sh cargo test --test secret_service`.
//! Without one it fails on purpose: a skipped keyring test would hide a broken keyring setup.

use whodis_core::crypto::keystore::{sibling_entry, KeyStore, OsKeyStore, Sibling};
use whodis_core::crypto::{DataKey, SecretBytes};
use whodis_core::error::Error;

fn open() -> OsKeyStore {
    match OsKeyStore::platform_default() {
        Ok(store) => store,
        Err(e) => panic!(
            "no usable OS keyring: {e}\n\
             run this test as: dbus-run-session -- sh with-keyring.sh cargo test --test secret_service"
        ),
    }
}

/// A name no other run or user entry can have.
fn random_entry() -> String {
    let nonce = DataKey::generate().expect("rng").fingerprint();
    format!("sqlite:/tmp/whodis-keyring-test-{nonce}.db")
}

#[test]
fn set_get_delete_in_the_real_secret_service() {
    let entry = random_entry();
    let key = DataKey::generate().expect("rng");
    let store = open();

    assert!(store.get(&entry).expect("get before set").is_none());
    store.set(&entry, &key.to_secret_bytes()).expect("set");

    // A second connection sees it: the value went to the daemon, not a cache in this process.
    let again = open();
    let read = again.get(&entry).expect("get").expect("entry present");
    assert_eq!(read.expose(), key.expose());

    // Overwrite, and a sibling entry is independent.
    let backup = sibling_entry(&entry, Sibling::Backup);
    store
        .set(&backup, &SecretBytes::from_slice(b"old key"))
        .expect("set backup");
    let newer = DataKey::generate().expect("rng");
    store
        .set(&entry, &newer.to_secret_bytes())
        .expect("overwrite");
    assert_eq!(
        again.get(&entry).expect("get").expect("present").expose(),
        newer.expose()
    );
    assert_eq!(
        again.get(&backup).expect("get").expect("present").expose(),
        b"old key"
    );

    store.delete(&entry).expect("delete");
    store.delete(&backup).expect("delete backup");
    assert!(again.get(&entry).expect("get after delete").is_none());
    assert!(again.get(&backup).expect("get after delete").is_none());
    store
        .delete(&entry)
        .expect("deleting a missing entry is not an error");
}

/// Operations run on tokio (Tauri commands); the store's blocking D-Bus calls must work there,
/// both on a worker thread directly and through `spawn_blocking`, which callers should prefer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_from_inside_a_tokio_runtime() {
    let entry = random_entry();
    let store = open();
    store
        .set(&entry, &SecretBytes::from_slice(b"from tokio"))
        .expect("set on a worker");
    let read = tokio::task::spawn_blocking(move || {
        let got = store.get(&entry).expect("get");
        store.delete(&entry).expect("delete");
        got
    })
    .await
    .expect("join");
    assert_eq!(read.expect("present").expose(), b"from tokio");
}

#[test]
fn no_dbus_session_gives_a_keyring_error() {
    // Run the constructor in a child process with no session bus, so this process keeps its own.
    if std::env::var_os("WHODIS_KEYRING_CHILD").is_some() {
        match OsKeyStore::platform_default() {
            Err(Error::Keyring(msg)) => {
                assert!(msg.contains("D-Bus"), "{msg}");
                return;
            }
            other => panic!("expected Error::Keyring without D-Bus, got {other:?}"),
        }
    }
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "no_dbus_session_gives_a_keyring_error",
            "--nocapture",
        ])
        .env("WHODIS_KEYRING_CHILD", "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/whodis-test-bus",
        )
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .expect("run child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // a filter that matched nothing also exits 0: the child must have run this very test
    assert_eq!(
        passed_tests(&stdout),
        Some(1),
        "the child ran the test once and it passed:\n{stdout}"
    );
}

/// N of the harness's `test result: ok. N passed; …` line; `None` without such a line.
fn passed_tests(harness_output: &str) -> Option<u32> {
    harness_output.lines().find_map(|line| {
        line.trim()
            .strip_prefix("test result: ok. ")?
            .split_once(" passed")?
            .0
            .parse()
            .ok()
    })
}

#[test]
fn passed_tests_reads_the_harness_summary() {
    let ran = "running 1 test\ntest x ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored";
    assert_eq!(passed_tests(ran), Some(1));
    let none = "running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored";
    assert_eq!(passed_tests(none), Some(0));
    assert_eq!(
        passed_tests("test result: FAILED. 0 passed; 1 failed"),
        None
    );
    assert_eq!(passed_tests(""), None);
}
