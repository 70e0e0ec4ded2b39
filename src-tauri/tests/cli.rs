//! The CLI as a user runs it: a subprocess against a temp SQLite file and a fresh PostgreSQL
//! database, printing JSON on stdout and one-line errors on stderr.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::process::Output;

use serde_json::Value;
use whodis_core::demo::{DEMO_ADMIN, DEMO_VIEWER};

mod common;
use common::{bootstrap, cli, cli_stdin, command, ok_json, PgDb};

/// What `--confirm-database` expects: the SQLite file's name or the PostgreSQL database's.
fn database_name(url: &str) -> String {
    url.rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// Schema changes are an admin's, and going below the audit log's version needs the name typed.
fn schema_changes_are_guarded(db: &str) {
    let name = database_name(db);
    // a migrated database without users: migrating needs no one, downgrading needs --yes
    ok_json(db, &["migrate"]);
    let refused = cli(db, &["downgrade", "--to", "2"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    ok_json(db, &["downgrade", "--to", "2", "--yes"]);
    ok_json(db, &["migrate"]);
    bootstrap(db);
    ok_json(db, &["user", "add", DEMO_VIEWER]);
    let tables = |db: &str| ok_json(db, &["stats"])["tables"].as_object().unwrap().len();
    let before = tables(db);
    for args in [
        vec![
            "--operator",
            DEMO_VIEWER,
            "downgrade",
            "--to",
            "0",
            "--confirm-database",
            &name,
        ],
        vec![
            "--operator",
            "nobody@corp.test",
            "--unknown-operator",
            "refuse",
            "downgrade",
            "--to",
            "1",
        ],
        vec!["--operator", DEMO_VIEWER, "migrate"],
    ] {
        let out = cli(db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?} must be refused");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("forbidden"),
            "{args:?}"
        );
        assert_eq!(tables(db), before, "{args:?} changed the schema");
    }
    let denied = ok_json(
        db,
        &[
            "list",
            "access_attempts",
            "--filter",
            "resource=eq:schema.downgrade",
        ],
    );
    let who: Vec<&str> = denied["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["user_email"].as_str().unwrap())
        .collect();
    assert_eq!(
        who,
        ["nobody@corp.test", DEMO_VIEWER],
        "both refusals are recorded"
    );
    for wrong in [None, Some("another.db")] {
        let mut args = vec!["downgrade", "--to", "1"];
        if let Some(w) = wrong {
            args.extend(["--confirm-database", w]);
        }
        let out = cli(db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("--confirm-database {name}")), "{err}");
        assert_eq!(tables(db), before);
    }
    ok_json(db, &["downgrade", "--to", "2"]);
    ok_json(db, &["migrate"]);
    let down = ok_json(db, &["downgrade", "--to", "0", "--confirm-database", &name]);
    assert_eq!(down["applied_versions"], serde_json::json!([]));
}

crate::cli_both_backends!(
    schema_changes_are_guarded,
    super::schema_changes_are_guarded
);

/// `health` prints the report for anyone who may read; `health --analyze` is an admin's,
/// recorded in the audit log, and a viewer's is refused.
fn health_reports_and_analyze_is_an_admins(db: &str) {
    bootstrap(db);
    ok_json(db, &["user", "add", DEMO_VIEWER]);
    let analyzed = |db: &str| {
        ok_json(
            db,
            &[
                "list",
                "audit_log",
                "--filter",
                "message=contains:Analyzed the database",
            ],
        )["total"]["value"]
            .as_i64()
            .unwrap()
    };
    let report = ok_json(db, &["--operator", DEMO_VIEWER, "health"]);
    assert!(report["database_bytes"].as_i64().unwrap() > 0, "{report}");
    let tables = report["tables"].as_array().unwrap();
    let users = tables.iter().find(|t| t["name"] == "users").unwrap();
    assert!(!users["indexes"].as_array().unwrap().is_empty(), "{users}");
    assert!(report.get("analyzed").is_none());
    let refused = cli(db, &["--operator", DEMO_VIEWER, "health", "--analyze"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("forbidden"));
    assert_eq!(analyzed(db), 0);
    let done = ok_json(db, &["health", "--analyze"]);
    assert_eq!(
        done["analyzed"]["tables"].as_u64().unwrap() as usize,
        done["tables"].as_array().unwrap().len(),
        "{done}"
    );
    assert_eq!(analyzed(db), 1);
}

crate::cli_both_backends!(
    health_reports_and_analyze_is_an_admins,
    super::health_reports_and_analyze_is_an_admins
);

/// The scripted session every backend must pass; returns the table counts after `demo`.
fn scripted_session(db: &str) -> Value {
    let migrated = ok_json(db, &["migrate"]);
    assert_eq!(
        migrated["applied_versions"],
        serde_json::json!([1, 2, 3, 4])
    );
    let demo = ok_json(db, &["demo"]);
    assert_eq!(demo["data"]["users"], 50);
    // the test keyring is real, so the demo's secrets are encrypted and all decrypt
    assert_eq!(demo["secrets"], serde_json::json!({ "encrypted": 2 }));
    // maintenance outside the role model is on record too
    let demo_row = ok_json(
        db,
        &[
            "list",
            "audit_log",
            "--filter",
            "message=contains:with demo data",
        ],
    );
    assert_eq!(demo_row["rows"].as_array().unwrap().len(), 1);
    let demo_row = &demo_row["rows"][0];
    assert_eq!(demo_row["additional_data"]["operation"], "demo.fill");
    assert_eq!(demo_row["additional_data"]["rows"]["users"], 50);
    assert_eq!(demo_row["user_email"], DEMO_ADMIN);
    let status = ok_json(db, &["key", "status"]);
    assert_eq!(
        (&status["encrypted_values"], &status["decryptable"]),
        (&serde_json::json!(2), &serde_json::json!(2))
    );
    let stats = ok_json(db, &["stats"]);
    assert_eq!(stats["tables"]["User"]["total"], 50);
    assert_eq!(stats["tables"]["User"]["active"], Value::Null);
    assert!(stats["tables"]["GenesysGroup"]["active"].as_i64().unwrap() > 0);

    let admins = ok_json(
        db,
        &[
            "list",
            "users",
            "--filter",
            "role=eq:admin",
            "--limit",
            "500",
        ],
    );
    assert_eq!(admins["rows"].as_array().unwrap().len(), 5);
    assert_eq!(
        admins["total"],
        serde_json::json!({"value": 5, "kind": "exact"})
    );

    // two pages of the audit log, no overlap, then the cursor continues: together they are
    // exactly the first 100 rows, in order
    let ids = |page: &Value| -> Vec<i64> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    let first100 = ok_json(db, &["list", "audit_log", "--limit", "100"]);
    let p1 = ok_json(db, &["list", "audit_log", "--limit", "50"]);
    let cursor = p1["next_cursor"].as_str().unwrap();
    let p2 = ok_json(
        db,
        &["list", "AuditLog", "--limit", "50", "--cursor", cursor],
    );
    let (ids1, ids2, all) = (ids(&p1), ids(&p2), ids(&first100));
    assert_eq!((ids1.len(), ids2.len(), all.len()), (50, 50, 100));
    let set1: BTreeSet<i64> = ids1.iter().copied().collect();
    let set2: BTreeSet<i64> = ids2.iter().copied().collect();
    assert_eq!((set1.len(), set2.len()), (50, 50), "no row twice on a page");
    assert!(set1.is_disjoint(&set2), "the pages overlap");
    assert_eq!(
        set1.union(&set2).copied().collect::<BTreeSet<i64>>(),
        all.iter().copied().collect::<BTreeSet<i64>>(),
        "the two pages are the first 100 rows"
    );
    assert_eq!([ids1, ids2].concat(), all, "in the same order");
    let time = |v: &Value| whodis_core::list::parse_timestamp(v.as_str().unwrap()).unwrap();
    assert!(time(&p1["rows"][49]["created_at"]) >= time(&p2["rows"][0]["created_at"]));

    // tokens come out in their safe form
    let tokens = ok_json(db, &["list", "api_tokens"]);
    assert!(tokens["rows"][0].get("access_token").is_none());

    // a viewer may read but not clean up: refused with a hint, nothing removed
    let refused = command(db)
        .env("WHODIS_OPERATOR", DEMO_VIEWER)
        .arg("cleanup-expired")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("--operator"), "{err}");
    assert_eq!(ok_json(db, &["stats"])["expired"], stats["expired"]);

    // an operator not in `users` may browse, unless the connection refuses unknown operators
    let stranger = |policy: &str| {
        command(db)
            .env("WHODIS_OPERATOR", "nobody@elsewhere.example")
            .args(["--unknown-operator", policy, "stats"])
            .output()
            .unwrap()
    };
    assert!(stranger("read-only").status.success());
    let refused = stranger("refuse");
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("refuses unknown operators"), "{err}");

    let expired = stats["expired"].clone();
    let removed = ok_json(db, &["cleanup-expired"]);
    assert_eq!(removed["removed"]["Session"], expired["Session"]);
    assert_eq!(removed["removed"]["ApiToken"], 1);
    let after = ok_json(db, &["stats"]);
    assert_eq!(after["expired"]["Session"], 0);

    // bad input: exit 2, one line on stderr, nothing on stdout
    let bad = cli(db, &["list", "users", "--filter", "role=like:x"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("unknown operator"), "{err}");
    assert!(bad.stdout.is_empty());
    let bad = cli(db, &["list", "nosuchtable"]);
    assert_eq!(bad.status.code(), Some(2));

    // schema changes that changed something are recorded, newest first; a no-op is not
    ok_json(db, &["downgrade", "--to", "2"]);
    ok_json(db, &["migrate"]);
    ok_json(db, &["migrate"]);
    let schema = ok_json(
        db,
        &[
            "list",
            "audit_log",
            "--filter",
            "message=contains:the schema",
        ],
    );
    let messages: Vec<&str> = schema["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "Migrated the schema from version 2 to 4",
            "Downgraded the schema from version 4 to 2",
            "Migrated the schema from version 0 to 4",
        ]
    );
    assert_eq!(
        schema["rows"][1]["additional_data"]["operation"],
        "schema.downgrade"
    );

    let name = database_name(db);
    let down = ok_json(db, &["downgrade", "--to", "0", "--confirm-database", &name]);
    assert_eq!(down["applied_versions"], serde_json::json!([]));
    let up = ok_json(db, &["migrate"]);
    assert_eq!(up["applied_versions"], serde_json::json!([1, 2, 3, 4]));
    assert_eq!(ok_json(db, &["stats"])["tables"]["User"]["total"], 0);
    stats["tables"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_session_gives_the_same_counts_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("cli.db").display());
    let sqlite_counts = tokio::task::spawn_blocking(move || scripted_session(&sqlite))
        .await
        .unwrap();

    let pg = PgDb::create("session").await;
    let url = pg.url.clone();
    let pg_counts = tokio::task::spawn_blocking(move || scripted_session(&url)).await;
    pg.drop_db().await;
    let pg_counts = pg_counts.unwrap();
    assert_eq!(
        sqlite_counts, pg_counts,
        "demo + stats print the same table counts on both backends"
    );
}

#[test]
fn a_mistyped_sqlite_path_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("whodis.db");
    let url = format!("sqlite://{}", missing.display());
    let out = cli(&url, &["stats"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no database at"));
    assert!(!missing.parent().unwrap().exists(), "no folder was made");
    // an explicit create does make it
    ok_json(&url, &["migrate"]);
    assert!(missing.exists());
}

/// A real `key rotate` killed with SIGKILL at each step leaves every secret readable: the next
/// command finds the key that reads the values (the rotated one once the database committed)
/// and says so; rotating again works.
fn rotation_killed_at_each_step_loses_nothing(db: &str) {
    use std::io::{BufRead, BufReader};
    bootstrap(db);
    ok_json(db, &["key", "init"]);
    let set = cli_stdin(
        db,
        &["config", "set", "ldap.bind_password"],
        "Killed-rotation-1\n",
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    for step in ["staged", "committed", "promoted"] {
        let mut child = command(db)
            .args(["key", "rotate"])
            .env("WHODIS_TEST_PAUSE_ROTATION", step)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut paused = false;
        for line in BufReader::new(stderr).lines() {
            if line.unwrap().contains(&format!("paused at {step}")) {
                paused = true;
                break;
            }
        }
        assert!(paused, "the rotation reached {step}");
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let got = cli(db, &["config", "get", "ldap.bind_password"]);
        assert!(
            got.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        let value: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
        assert_eq!(
            value["value"], "Killed-rotation-1",
            "after a kill at {step}"
        );
        let note = String::from_utf8_lossy(&got.stderr).to_string();
        assert_eq!(
            note.contains("recovered the rotated key"),
            step == "committed",
            "{step}: {note}"
        );
        let status = ok_json(db, &["key", "status"]);
        assert_eq!(status["decryptable"], status["encrypted_values"], "{step}");
        // nothing is left stuck: another rotation goes through
        ok_json(db, &["key", "rotate"]);
    }
}

crate::cli_both_backends!(
    rotation_killed_at_each_step,
    super::rotation_killed_at_each_step_loses_nothing
);

#[test]
fn help_never_prints_the_database_url_from_the_environment() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_whodis-admin"))
        .arg("--help")
        .env(
            "WHODIS_DATABASE_URL",
            "postgres://admin:hunter2@db.internal/whodis",
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("WHODIS_DATABASE_URL"), "{help}");
    assert!(
        !help.contains("hunter2") && !help.contains("db.internal"),
        "{help}"
    );
}

#[test]
fn a_password_with_url_characters_is_never_echoed() {
    for url in [
        "postgres://admin:hun/ter?2@127.0.0.1:1/whodis",
        "postgres://admin@127.0.0.1:1/whodis?password=hunter2",
    ] {
        let out = cli(url, &["stats"]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("hunter2") && !err.contains("ter?2"), "{err}");
    }
}

#[test]
fn unreachable_server_is_a_clear_error_without_the_password() {
    let out = cli("postgres://admin:hunter2@127.0.0.1:1/whodis", &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open postgres://admin:***@127.0.0.1:1/whodis"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    let out = cli("mysql://root:hunter2@h/db", &["stats"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));
}

/// A real Secret Service with no default keyring: a D-Bus session of its own whose GNOME Keyring
/// is started the distribution's way and never unlocked (a headless login). `key init` fails
/// saying what to create, and the database is left as it was: the same command then works in
/// the unlocked keyring of the test session.
#[test]
fn key_init_without_a_default_keyring_says_what_to_create() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("keys.db").display());
    bootstrap(&db);
    let home = tempfile::tempdir().unwrap();
    let cmd = command(&db);
    let out = std::process::Command::new("dbus-run-session")
        .arg("--")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .args(["key", "init"])
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("HOME", home.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the OS keyring has no default keyring"),
        "{stderr}"
    );
    assert!(stderr.contains("Set as Default"), "{stderr}");
    let status = ok_json(&db, &["key", "status"]);
    assert!(
        status["fingerprint"].is_null(),
        "no key was stored: {status}"
    );
    ok_json(&db, &["key", "init"]);
    assert!(ok_json(&db, &["key", "status"])["fingerprint"].is_string());
}

/// Needs the real Secret Service (scripts/test.sh runs every test inside one); fails without it.
#[test]
fn key_and_config_commands_with_the_real_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("keys.db").display());
    bootstrap(&db);
    let init = ok_json(&db, &["key", "init"]);
    let fingerprint = init["fingerprint"].as_str().unwrap().to_owned();

    let set = cli_stdin(
        &db,
        &["config", "set", "ldap.bind_password"],
        "hunter2-LDAP\n",
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let set: Value = serde_json::from_slice(&set.stdout).unwrap();
    assert_eq!(set["is_encrypted"], true);
    assert!(!set.to_string().contains("hunter2"));
    let plain = cli_stdin(&db, &["config", "set", "ldap.host"], "ldap.corp\n");
    assert!(plain.status.success());

    let got = ok_json(&db, &["config", "get", "ldap.bind_password"]);
    assert_eq!(got["value"], "hunter2-LDAP");
    let status = ok_json(&db, &["key", "status"]);
    assert_eq!(
        (
            status["encrypted_values"].as_i64(),
            status["decryptable"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(status["fingerprint"], fingerprint.as_str());
    assert!(!status.to_string().contains("hunter2"));

    // a multi-line value (a PEM key) is stored whole; the shell's trailing newline is removed
    // and said so; an oversized value and a missing setting are clear errors, not a reveal
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG\n-----END PRIVATE KEY-----";
    let set = cli_stdin(
        &db,
        &["config", "set", "graph.client_key", "--plain"],
        &format!("{pem}\n"),
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let written: Value = serde_json::from_slice(&set.stdout).unwrap();
    assert_eq!(written["trailing_newline_removed"], true);
    assert_eq!(
        ok_json(&db, &["config", "get", "graph.client_key"])["value"],
        pem
    );
    let huge = cli_stdin(&db, &["config", "set", "ldap.note"], &"x".repeat(70 * 1024));
    assert_eq!(huge.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&huge.stderr).contains("64 KiB"));
    let reveals = |db: &str| {
        ok_json(
            db,
            &["list", "audit_log", "--filter", "message=contains:Revealed"],
        )["total"]["value"]
            .as_i64()
            .unwrap()
    };
    let before = reveals(&db);
    let missing = cli(&db, &["config", "get", "nope.nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("not found"));
    assert_eq!(reveals(&db), before, "a missing setting is no reveal");

    let exported = ok_json(&db, &["key", "export"]);
    let recovery = exported["recovery_string"].as_str().unwrap().to_owned();
    let again = cli_stdin(&db, &["key", "import"], &format!("{recovery}\n"));
    assert!(again.status.success(), "re-importing the same key is fine");
    let typo = cli_stdin(&db, &["key", "import"], "whodis-key1-AAAA\n");
    assert_eq!(typo.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&typo.stderr).contains("AAAA"));
    let rotated = ok_json(&db, &["key", "rotate"]);
    assert_ne!(rotated["fingerprint"], fingerprint.as_str());
    assert_eq!(rotated["decryptable"], 1);
    assert_eq!(
        ok_json(&db, &["config", "get", "ldap.bind_password"])["value"],
        "hunter2-LDAP"
    );
    let second = cli(&db, &["key", "init"]);
    assert_eq!(second.status.code(), Some(1), "a database keeps its key");
}

/// Runs a scripted session with trace logging and checks that neither the secret value nor the
/// key's recovery string appears anywhere except in the two explicit reveals.
#[test]
fn a_scripted_session_leaks_no_secret() {
    const SECRET: &str = "Leak-Canary-7f3a9c";
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("leak.db").display());
    bootstrap(&db);
    let run = |args: &[&str], input: Option<&str>| -> Output {
        let mut cmd = command(&db);
        cmd.args(args).env("WHODIS_LOG", "trace");
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            if let Some(text) = input {
                stdin.write_all(text.as_bytes()).unwrap();
            }
        }
        child.wait_with_output().unwrap()
    };
    let mut captured = String::new();
    // every command must have logged at debug or trace level (the guard that the secrets were
    // looked for in real log output) and ended as expected: success, or a refusal (exit 2)
    let mut keep = |o: &Output, args: &[&str], refused: bool| {
        let stderr = String::from_utf8_lossy(&o.stderr);
        if refused {
            assert_eq!(o.status.code(), Some(2), "{args:?} is refused: {stderr}");
        } else {
            assert!(o.status.success(), "{args:?} failed: {stderr}");
        }
        let detailed = stderr
            .lines()
            .filter(|l| matches!(log_level(l), Some("DEBUG" | "TRACE")))
            .count();
        assert!(detailed > 0, "{args:?} logged no debug line:\n{stderr}");
        captured.push_str(&String::from_utf8_lossy(&o.stdout));
        captured.push_str(&stderr);
    };
    let input = format!("{SECRET}\n");
    let steps: [(&[&str], Option<&str>, bool); 9] = [
        (&["key", "init"], None, false),
        (
            &["config", "set", "genesys.client_secret"],
            Some(&input),
            false,
        ),
        (
            &["config", "set", "ldap.bind_password", "--plain"],
            Some(&input),
            false,
        ),
        (
            &["config", "set", "ldap.bind_password", "--encrypt"],
            Some(&input),
            false,
        ),
        (&["config", "set", "nodot"], Some(&input), true),
        (&["key", "status"], None, false),
        (&["list", "configuration"], None, false),
        (&["key", "rotate"], None, false),
        (&["stats"], None, false),
    ];
    for (args, stdin, refused) in steps {
        keep(&run(args, stdin), args, refused);
    }

    // the explicit reveals are the only places the secrets may appear
    let reveal = run(&["config", "get", "genesys.client_secret"], None);
    assert!(reveal.status.success());
    assert!(String::from_utf8_lossy(&reveal.stdout).contains(SECRET));
    let export = run(&["key", "export"], None);
    assert!(export.status.success());
    let recovery: Value = serde_json::from_slice(&export.stdout).unwrap();
    let recovery = recovery["recovery_string"].as_str().unwrap().to_owned();
    let import = ["key", "import"];
    keep(
        &run(&import, Some(&format!("{recovery}\n"))),
        &import,
        false,
    );
    keep(
        &run(&import, Some("whodis-key1-not-a-real-key\n")),
        &import,
        true,
    );

    assert!(
        !captured.contains(SECRET),
        "the secret value leaked:\n{captured}"
    );
    assert!(!captured.contains(&recovery), "the key leaked");
    let body = recovery.trim_start_matches("whodis-key1-");
    assert!(!captured.contains(&body[..20]), "part of the key leaked");
}

/// The level of a line the CLI's log formatter wrote (`<time> DEBUG <target>: …`), if it is one.
fn log_level(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let time = words.next()?;
    let level = words.next()?;
    (whodis_core::list::parse_timestamp(time).is_some()
        && ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].contains(&level))
    .then_some(level)
}

#[test]
fn log_levels_are_read_from_the_formatted_line_only() {
    assert_eq!(
        log_level("2026-01-31T12:00:00.123456Z DEBUG sqlx::query: summary=\"SELECT 1\""),
        Some("DEBUG")
    );
    assert_eq!(
        log_level("2026-01-31T12:00:00.123456Z  WARN whodis: x"),
        Some("WARN")
    );
    // the word elsewhere is not a log line of that level
    assert_eq!(log_level("error: DEBUG is not a level here"), None);
    assert_eq!(log_level("{\"fingerprint\": \"DEBUG\"}"), None);
}

/// `audit revert AUDIT_ID`: a change made with the app is reverted as a change of its own (the
/// role the change needed, the row as the change left it); `--dry-run` says what would change.
fn audit_revert_puts_a_change_back(db: &str) {
    bootstrap(db);
    ok_json(db, &["user", "add", DEMO_VIEWER]);
    ok_json(db, &["user", "add", "pat@corp.test", "--role", "editor"]);
    let newest_audit = |db: &str| {
        let page = ok_json(db, &["list", "audit_log", "--limit", "1"]);
        page["rows"][0].clone()
    };
    let created = newest_audit(db);
    assert_eq!(created["additional_data"]["operation"], "users.create");
    let id = created["id"].as_i64().unwrap().to_string();
    let pat = |db: &str| {
        ok_json(db, &["list", "users", "--filter", "email=eq:pat@corp.test"])["rows"]
            .as_array()
            .unwrap()
            .len()
    };

    let plan = ok_json(db, &["audit", "revert", &id, "--dry-run"]);
    assert_eq!(plan["change"], "create");
    assert_eq!(plan["table"], "users");
    assert_eq!(plan["permission"], "manage_users");
    assert_eq!(plan["blocked"], Value::Null);
    assert_eq!(pat(db), 1, "a dry run changes nothing");

    // a viewer is refused, and nothing changes
    let refused = cli(db, &["--operator", DEMO_VIEWER, "audit", "revert", &id]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("forbidden") && stderr.contains("admin"),
        "{stderr}"
    );
    assert_eq!(pat(db), 1);

    let done = ok_json(db, &["audit", "revert", &id]);
    assert_eq!(done["reverts"].as_i64().unwrap().to_string(), id);
    assert_eq!(done["change"], "create");
    assert_eq!(pat(db), 0, "the user the change created is gone");
    let revert_row = newest_audit(db);
    assert_eq!(revert_row["additional_data"]["operation"], "audit.revert");
    assert_eq!(
        revert_row["additional_data"]["reverts"]
            .as_i64()
            .unwrap()
            .to_string(),
        id
    );

    // twice: the row is gone, so there is nothing to revert (exit 1, a conflict)
    let again = cli(db, &["audit", "revert", &id]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("was deleted since this change"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // the revert itself is reverted: pat is back
    let back = revert_row["id"].as_i64().unwrap().to_string();
    ok_json(db, &["audit", "revert", &back]);
    assert_eq!(pat(db), 1);

    // a row that records no change of one row (the schema migration) is refused as bad input
    let migrated = ok_json(
        db,
        &[
            "list",
            "audit_log",
            "--filter",
            "message=contains:Migrated",
            "--limit",
            "1",
        ],
    );
    let row = &migrated["rows"][0];
    assert!(row["id"].is_i64(), "{migrated}");
    let out = cli(db, &["audit", "revert", &row["id"].to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("records no field changes of one row"),
        "{stderr}"
    );
}

crate::cli_both_backends!(
    audit_revert_puts_a_change_back_on_both_backends,
    super::audit_revert_puts_a_change_back
);

/// `--read-only`: every command that would write is refused before it starts, whatever the
/// operator's role, naming the connection (exit 1), and the database is left as it was; reads
/// still work.
fn read_only_refuses_every_write(db: &str) {
    bootstrap(db);
    ok_json(db, &["user", "add", DEMO_VIEWER]);
    let everything = |db: &str| {
        let stats = ok_json(db, &["stats"]);
        let users = ok_json(db, &["list", "users"]);
        let audit = ok_json(db, &["list", "audit_log", "--limit", "500"]);
        (
            stats["tables"].clone(),
            users["rows"].clone(),
            audit["rows"].clone(),
        )
    };
    let before = everything(db);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("users.csv");
    let out_arg = out.display().to_string();
    let writes: Vec<Vec<&str>> = vec![
        vec!["user", "add", "new@corp.test"],
        vec!["user", "add", "boss@corp.test", "--role", "admin"],
        vec!["cleanup-expired"],
        vec!["extend", "sessions", "1", "--seconds", "60"],
        vec!["export", "users", "--out", &out_arg],
        vec!["adopt", "--apply"],
        vec!["health", "--analyze"],
        vec!["key", "init"],
        vec!["key", "rotate"],
        vec!["config", "get", "ldap.bind_password"],
        vec!["demo"],
        vec!["migrate"],
        vec!["downgrade", "--to", "0", "--yes"],
    ];
    for args in &writes {
        let mut full = vec!["--read-only"];
        full.extend(args);
        let refused = cli(db, &full);
        let err = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("this connection is read-only:") && err.contains("(--read-only)"),
            "{args:?}: {err}"
        );
    }
    let refused = cli_stdin(db, &["--read-only", "config", "set", "a.b"], "value\n");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("read-only"));
    assert!(!out.exists(), "a refused export wrote a file");
    // nothing changed, and no refusal was recorded anywhere (audit, access, error logs)
    assert_eq!(everything(db), before);
    // reads work read-only; the same command without the flag writes
    let listed = ok_json(db, &["--read-only", "list", "users"]);
    assert_eq!(listed["rows"], before.1);
    ok_json(db, &["--read-only", "stats"]);
    ok_json(db, &["user", "add", "new@corp.test"]);
}

crate::cli_both_backends!(
    read_only_refuses_every_write,
    super::read_only_refuses_every_write
);
