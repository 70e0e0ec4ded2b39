//! The WhoDis server's own database, on both backends: created by the server's SQLAlchemy
//! models (`tests/server/`), used through our CLI as an admin would, then read back by the
//! server's ORM with the server's key. Needs Python with the packages of
//! `tests/server/requirements.txt` and the real Secret Service (scripts/test.sh provides both).
#![allow(clippy::unwrap_used)]

use std::process::Command;

use serde_json::Value;

mod common;
use common::{cli, cli_stdin, ok_json};

const ADMIN: &str = "server.admin@whodis.example";
const VIEWER: &str = "server.viewer@whodis.example";

/// Runs the server-side fixture (`tests/server/fixture.py`) and returns its JSON.
fn fixture(args: &[&str]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/server/fixture.py");
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fixture.py {args:?} failed (pip install -r tests/server/requirements.txt?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// As `operator`, with the exit status kept (no JSON parsing).
fn as_op(db: &str, operator: &str, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--operator", operator];
    full.extend_from_slice(args);
    cli(db, &full)
}

fn as_admin(db: &str, args: &[&str]) -> Value {
    let mut full = vec!["--operator", ADMIN];
    full.extend_from_slice(args);
    ok_json(db, &full)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn all_rows(db: &str, table: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = vec!["list", table, "--limit", "7"];
        if let Some(c) = &cursor {
            args.extend(["--cursor", c.as_str()]);
        }
        let page = ok_json(db, &args);
        rows.extend(page["rows"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return rows,
        }
    }
}

fn session_expiry(dump: &Value, id: i64) -> chrono::DateTime<chrono::Utc> {
    let row = dump["tables"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    let text = row["expires_at"].as_str().unwrap();
    whodis_core::codec::parse_stored_time(text).unwrap()
}

/// The whole admin session of issue "server's own database", on one database.
fn server_database_session(db: &str) {
    let key = whodis_core::crypto::FernetKey::generate().unwrap();
    let key_text = key.to_key_string();
    // `--key=…`, not `--key …`: a key may start with '-', which argparse takes for an option
    let key_arg = format!("--key={}", key_text.expose());
    let made = fixture(&["make", "--url", db, &key_arg]);
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("server.key");
    std::fs::write(&key_file, key_text.expose()).unwrap();
    let before = fixture(&["dump", "--url", db, &key_arg]);

    // Opening changes nothing: recognised as another tool's database, compared table by table.
    let report = ok_json(db, &["schema"]);
    assert_eq!(report["origin"]["kind"], "foreign");
    assert_eq!(report["origin"]["migration_table"], "alembic_version");
    let status = |r: &Value, t: &str| {
        r["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["table"] == t)
            .map(|x| x["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(status(&report, "users"), "compatible");
    assert_eq!(status(&report, "employee_role_assignments"), "missing");
    assert_eq!(status(&report, "configuration"), "degraded");
    let extra = report["extra_tables"].to_string();
    assert!(extra.contains("blocked_numbers") && extra.contains("alembic_version"));
    let users = report["tables"][0].clone();
    assert!(users["extra_columns"].to_string().contains("is_active"));

    // Every table lists, every row the server wrote decodes, paging walks them all.
    for (table, count) in made["tables"].as_object().unwrap() {
        if matches!(table.as_str(), "alembic_version" | "blocked_numbers") {
            continue;
        }
        let rows = all_rows(db, table);
        assert_eq!(rows.len() as u64, count.as_u64().unwrap(), "{table}");
        let unreadable: Vec<&Value> = rows
            .iter()
            .filter(|r| r.get("_unreadable").is_some())
            .collect();
        assert!(unreadable.is_empty(), "{table}: {unreadable:?}");
    }
    // the legacy audit rows: NULL updated_at, success and event_type
    let legacy = ok_json(db, &["list", "audit_log", "--filter", "id=eq:3"]);
    assert_eq!(legacy["rows"][0]["event_type"], Value::Null);
    assert_eq!(legacy["rows"][0]["success"], Value::Null);
    // Keystone records are visible
    let profiles = all_rows(db, "employee_profiles");
    assert!(profiles
        .iter()
        .all(|p| p["keystone_data"]["job_code"].is_string()));
    assert!(profiles.iter().all(|p| p.get("access_token").is_none()));
    let missing = cli(db, &["list", "employee_role_assignments"]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("adopt --plan"),
        "{}",
        stderr(&missing)
    );
    let stats = ok_json(db, &["stats"]);
    let server_users = before["tables"]["users"].as_array().unwrap();
    let active = server_users
        .iter()
        .filter(|u| u["is_active"] == true)
        .count();
    assert!(
        active < server_users.len(),
        "the fixture has an inactive user"
    );
    assert_eq!(stats["tables"]["User"]["total"], server_users.len());
    assert_eq!(
        stats["tables"]["User"]["active"], active,
        "the server's is_active column is counted"
    );

    // The server's secrets: unreadable without its key, readable with it.
    let no_key = as_op(db, ADMIN, &["config", "get", "ldap.bind_password"]);
    assert!(!no_key.status.success());
    assert!(
        stderr(&no_key).contains("Fernet key"),
        "{}",
        stderr(&no_key)
    );
    let wrong = cli_stdin(
        db,
        &["--operator", ADMIN, "key", "import"],
        "dGhpcyBpcyBub3QgdGhlIHNlcnZlcnMga2V5ISEhISE=\n",
    );
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("does not decrypt"),
        "{}",
        stderr(&wrong)
    );
    let status = as_admin(db, &["key", "import", "--file", key_file.to_str().unwrap()]);
    assert_eq!(status["write_format"], "fernet");
    assert_eq!(status["encrypted_values"], 4);
    assert_eq!(status["decryptable"], 4);
    assert!(
        !status.to_string().contains(key_text.expose()),
        "the key is never shown back"
    );
    let revealed = as_admin(db, &["config", "get", "genesys.client_secret"]);
    assert_eq!(revealed["value"], "Server-genesys-s3cret");

    // Changes the server must still read.
    let set = cli_stdin(
        db,
        &["--operator", ADMIN, "config", "set", "ldap.bind_password"],
        "Changed-by-whodis-admin\n",
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let set = cli_stdin(
        db,
        &[
            "--operator",
            ADMIN,
            "config",
            "set",
            "genesys.backup_secret",
        ],
        "fresh-secret\n",
    );
    assert!(set.status.success(), "{}", stderr(&set));
    as_admin(db, &["user", "add", "added.viewer@whodis.example"]);
    as_admin(db, &["extend", "sessions", "3", "--seconds", "7200"]);

    // Adopt: the plan changes nothing, a viewer cannot apply it, an admin can.
    let plan = as_admin(db, &["adopt", "--plan"]);
    let statements = plan["plan"]["statements"].as_array().unwrap().clone();
    assert!(statements.iter().any(|s| s["sql"]
        .as_str()
        .unwrap()
        .starts_with("CREATE TABLE employee_role_assignments")));
    assert_eq!(status_of(db, "employee_role_assignments"), "missing");
    let refused = as_op(db, VIEWER, &["adopt", "--apply"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("admin"), "{}", stderr(&refused));
    assert_eq!(status_of(db, "employee_role_assignments"), "missing");
    as_admin(db, &["adopt", "--apply"]);
    let adopted = ok_json(db, &["schema"]);
    for t in adopted["tables"].as_array().unwrap() {
        assert_eq!(t["status"], "compatible", "{t}");
    }
    assert!(adopted["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["available"] == true));
    let again = as_admin(db, &["adopt", "--plan"]);
    assert_eq!(again["plan"]["statements"], Value::Array(vec![]));
    let recorded = ok_json(
        db,
        &[
            "list",
            "audit_log",
            "--filter",
            "message=contains:Adopted the database",
        ],
    );
    assert_eq!(recorded["rows"].as_array().unwrap().len(), 1);
    assert!(all_rows(db, "employee_role_assignments").is_empty());

    // The server's ORM still writes after the adopt (its inserts know nothing of our columns).
    fixture(&[
        "set-config",
        "--url",
        db,
        &key_arg,
        "--path",
        "ldap.admin_password",
        "--value",
        "written-by-the-server",
    ]);
    let added = fixture(&["insert-audit", "--url", db, "--count", "3"]);
    // ...and the app shows those rows at the top on the next read, paging stays whole
    let first = ok_json(db, &["list", "audit_log", "--limit", "3"]);
    let newest: Vec<&Value> = first["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["id"])
        .collect();
    let mut inserted: Vec<Value> = added["ids"].as_array().unwrap().clone();
    inserted.reverse();
    assert_eq!(newest, inserted.iter().collect::<Vec<_>>());
    let ids: Vec<i64> = all_rows(db, "audit_log")
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no row twice across pages");
    let total = ok_json(db, &["list", "audit_log", "--limit", "1"])["total"]["value"].clone();
    assert_eq!(Value::from(ids.len()), total);

    // Rotating means rotating the server's key: our envelope rotation refuses and says so
    let refused = as_op(db, ADMIN, &["key", "rotate"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--fernet"),
        "{}",
        stderr(&refused)
    );

    // The server's side reads every table and decrypts every secret, ours included.
    let after = fixture(&["dump", "--url", db, &key_arg]);
    let config = &after["config"];
    assert_eq!(config["ldap.bind_password"], "Changed-by-whodis-admin");
    assert_eq!(config["genesys.backup_secret"], "fresh-secret");
    assert_eq!(config["genesys.client_secret"], "Server-genesys-s3cret");
    assert_eq!(config["ldap.admin_password"], "written-by-the-server");
    let users = after["tables"]["users"].to_string();
    assert!(users.contains("added.viewer@whodis.example"));
    let moved = session_expiry(&after, 3) - session_expiry(&before, 3);
    assert_eq!(moved.num_seconds(), 7200);
    assert_eq!(session_expiry(&after, 4), session_expiry(&before, 4));

    // ...and the server's key rotated: the new key is printed once, the server reads every
    // value with it and none with the old one
    let rotated = as_admin(db, &["key", "rotate", "--fernet"]);
    let new_key = rotated["whodis_encryption_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_key, key_text.expose());
    assert_eq!(
        rotated["reencrypted"],
        Value::from(
            after["config"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| whodis_core::config::looks_sensitive(k.split_once('.').unwrap().1))
                .count()
        )
    );
    let with_new = fixture(&["dump", "--url", db, &format!("--key={new_key}")]);
    assert_eq!(
        with_new["config"], after["config"],
        "every secret reads the same under the new key"
    );
    let old = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/server/fixture.py"
        ))
        .args(["dump", "--url", db, &key_arg])
        .output()
        .unwrap();
    assert!(!old.status.success(), "the old key no longer decrypts");
    let status = as_admin(db, &["key", "status"]);
    assert_eq!(status["decryptable"], status["encrypted_values"]);
    assert!(
        !status.to_string().contains(&new_key),
        "the new key is not shown again"
    );
}

fn status_of(db: &str, table: &str) -> String {
    let report = ok_json(db, &["schema"]);
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == table)
        .map(|t| t["status"].as_str().unwrap().to_owned())
        .unwrap()
}

crate::cli_both_backends!(server_database, super::server_database_session);
