//! Faults injected into real CLI processes on both backends: the disk filling up under an
//! export, and SIGKILL in the middle of an export and of a demo load. Each leaves the database
//! as it was (or wholly done) and never a file that looks like a finished export.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::{cli, command, ok_json};

/// How many rows the audit log holds now.
fn audit_rows(db: &str) -> u64 {
    ok_json(db, &["stats"])["tables"]["AuditLog"]["total"]
        .as_u64()
        .unwrap()
}

/// How many exports the audit log records.
fn export_records(db: &str) -> u64 {
    let page = ok_json(
        db,
        &[
            "list",
            "audit_log",
            "--filter",
            "additional_data=contains:rows.export",
        ],
    );
    page["rows"].as_array().unwrap().len() as u64
}

fn demo_db(db: &str) {
    ok_json(db, &["migrate"]);
    // 20,000 log rows: an export of several MiB, written over dozens of pages
    ok_json(db, &["demo", "--scale", "1"]);
}

/// Waits (at most 60 s) until `ready` holds, checking every few milliseconds.
fn wait_for(what: &str, child: &mut Child, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the process ended ({status}) before {what}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never saw {what}"
        );
        std::thread::sleep(Duration::from_millis(3));
    }
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// An export whose disk fills up fails with the system's reason, leaves no file in the folder
/// and no audit row; the same export to a disk with room works and is recorded.
fn a_full_disk_fails_an_export_cleanly(db: &str) {
    demo_db(db);
    assert_eq!(export_records(db), 0);
    let small = tempfile::tempdir().unwrap();
    let dir = small.path().display().to_string();
    let out = format!("{dir}/audit.csv");
    // a 256 KiB tmpfs over the folder, in a private mount namespace (no root needed)
    let cmd = command(db);
    let shell = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(
            "mount -t tmpfs -o size=256k tmpfs \"$DIR\" || exit 99; \"$@\"; rc=$?; \
             echo \"left: $(ls -A \"$DIR\")\" >&2; exit $rc",
        )
        .arg("sh")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .args(["export", "audit_log", "--out", &out])
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("DIR", &dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&shell.stderr);
    assert_ne!(shell.status.code(), Some(99), "tmpfs: {stderr}");
    // the user's file and the system's reason (exit 2: the place chosen cannot take it)
    assert_eq!(shell.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot write {out}: No space left on device")),
        "{stderr}"
    );
    assert!(
        stderr.contains("left: \n"),
        "nothing is left behind: {stderr}"
    );
    assert_eq!(export_records(db), 0, "a failed export is not recorded");

    // the control: with room, the same export is written whole and recorded
    let roomy = tempfile::tempdir().unwrap();
    let out = roomy.path().join("audit.csv").display().to_string();
    let total = audit_rows(db);
    let done = ok_json(db, &["export", "audit_log", "--out", &out]);
    let lines = std::fs::read_to_string(&out).unwrap().lines().count() as u64;
    assert_eq!(done["rows"].as_u64(), Some(total));
    assert_eq!(lines, total + 1, "a header and every row");
    assert!(
        size(Path::new(&out)) > 256 * 1024,
        "the export needs more than the tmpfs"
    );
    assert_eq!(export_records(db), 1);
}

crate::cli_both_backends!(full_disk_export, super::a_full_disk_fails_an_export_cleanly);

/// SIGKILL while an export is being written: no file at the chosen name and no audit row. The
/// `.partial` file being written stays (a killed process cannot remove it) under its telling
/// name, and the next export to that name replaces it.
fn an_export_killed_midway_publishes_nothing(db: &str) {
    demo_db(db);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.json");
    let partial = dir.path().join("audit.json.partial");
    // without the session bus, like the killed demo load below
    let mut child = command(db)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .args(["export", "audit_log", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the export writing", &mut child, || {
        size(&partial) > 64 * 1024
    });
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!out.exists(), "no file at the chosen name");
    assert_eq!(
        export_records(db),
        0,
        "no record of an export that did not happen"
    );

    let total = audit_rows(db);
    let done = ok_json(db, &["export", "audit_log", "--out", out.to_str().unwrap()]);
    assert_eq!(done["rows"].as_u64(), Some(total));
    let rows: Vec<Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(rows.len() as u64, total);
    assert!(!partial.exists(), "the next export replaced the leftover");
}

crate::cli_both_backends!(
    killed_export,
    super::an_export_killed_midway_publishes_nothing
);

/// Whether the demo load is visibly under way: SQLite has written its rollback journal (the
/// load's own, `Db::begin_bulk`; it is truncated at the commit) or spilled pages into its WAL
/// (were another connection open), PostgreSQL has a transaction that wrote.
fn demo_writing(db: &str) -> bool {
    if let Some(path) = db.strip_prefix("sqlite://") {
        return size(Path::new(&format!("{path}-journal"))) > 0
            || size(Path::new(&format!("{path}-wal"))) > 1024 * 1024;
    }
    let out = Command::new("psql")
        .args([db, "-Atc"])
        .arg(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND backend_xid IS NOT NULL",
        )
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim() != "0"
}

/// SIGKILL during a demo load (one transaction): the database is left as it was, and the load
/// then runs again from the start.
fn a_demo_load_killed_midway_leaves_nothing(db: &str) {
    ok_json(db, &["migrate"]);
    let before = ok_json(db, &["stats"])["tables"].clone();
    // without the session bus: a SIGKILL in the middle of a Secret Service call once left the
    // shared test keyring refusing every later caller ("result not returned from SS API");
    // this test is about the database, and the demo's secrets are simply skipped
    let mut child = command(db)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .args(["demo", "--scale", "20"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the demo load writing", &mut child, || demo_writing(db));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // PostgreSQL rolls the dead connection's transaction back once it notices
    let start = Instant::now();
    while !db.starts_with("sqlite") && demo_writing(db) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the transaction lingers"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // every table as it was: no user, profile, log row or anything else of the load
    assert_eq!(ok_json(db, &["stats"])["tables"], before);
    assert_eq!(before["User"]["total"], 0);
    let done = cli(db, &["demo", "--scale", "1"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        ok_json(db, &["stats"])["tables"]["EmployeeProfile"]["total"],
        1000
    );
}

crate::cli_both_backends!(
    killed_demo_load,
    super::a_demo_load_killed_midway_leaves_nothing
);
