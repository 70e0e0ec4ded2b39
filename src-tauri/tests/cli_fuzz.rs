//! The CLI's share of the fuzz suite (the operations themselves are fuzzed in
//! `core/tests/fuzz.rs`): generated command lines for every subcommand — table names,
//! filters, sorts, limits, cursors, emails, roles, setting paths, stdin values, recovery
//! strings, key files, ids, seconds, export files, operators — run as real processes on a demo
//! database of each backend. Every run exits 0, 1 or 2 (never a panic's 101), a failure is one
//! `error:` line on stderr, and a failed command changes no row count.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_json::Value;

mod common;
use common::{command, ok_json};

/// Command lines per backend (each a process: about 40 ms).
const CASES: u32 = 150;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z_]{1,12}",
        "[ -~]{0,30}",
        "\\PC{0,12}",
        Just("'; DROP TABLE users; --".to_owned()),
        Just("-1".to_owned()),
        Just("--yes".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("z".repeat(2_000)),
    ]
}

fn table() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "users", "audit_log", "sessions", "configuration", "employee_profiles",
            "api_tokens", "search_cache", "job_codes", "AuditLog", "User",
        ])
        .prop_map(str::to_owned),
        1 => text(),
    ]
}

fn filter() -> impl Strategy<Value = String> {
    let column = prop_oneof![
        prop::sample::select(vec![
            "email",
            "role",
            "created_at",
            "success",
            "search_query",
            "value",
            "session_id",
            "expires_at",
            "id",
            "additional_data",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ];
    let op = prop::sample::select(vec![
        "eq", "ne", "contains", "gt", "gte", "lt", "lte", "null", "notnull", "like", "",
    ]);
    (column, op, text()).prop_map(|(c, o, v)| match o {
        "null" | "notnull" => format!("{c}={o}"),
        _ => format!("{c}={o}:{v}"),
    })
}

/// One command line (after `--database`), and what goes to its stdin.
fn command_line() -> impl Strategy<Value = (Vec<String>, String)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let list = (
        table(),
        prop::collection::vec(filter(), 0..3),
        prop::option::of(text()),
        any::<bool>(),
        prop::option::of(prop_oneof![Just("0".to_owned()), "[0-9]{1,4}", text()]),
        prop::option::of(prop_oneof!["[A-Za-z0-9_-]{0,60}", text()]),
    )
        .prop_map(move |(t, filters, sort, asc, limit, cursor)| {
            let mut a = s(&["list"]);
            a.push(t);
            for f in filters {
                a.extend(["--filter".to_owned(), f]);
            }
            if let Some(col) = sort {
                a.extend(["--sort".to_owned(), col]);
            }
            if asc {
                a.push("--asc".into());
            }
            if let Some(n) = limit {
                a.extend(["--limit".to_owned(), n]);
            }
            if let Some(c) = cursor {
                a.extend(["--cursor".to_owned(), c]);
            }
            (a, String::new())
        });
    let export =
        (table(), prop::collection::vec(filter(), 0..2), text()).prop_map(|(t, filters, file)| {
            let mut a = vec!["export".to_owned(), t];
            for f in filters {
                a.extend(["--filter".to_owned(), f]);
            }
            // a file name in the test's folder (the runner sets the working directory)
            a.extend(["--out".to_owned(), file.replace('/', "_")]);
            (a, String::new())
        });
    let role = prop::sample::select(vec!["admin", "editor", "viewer", "root", ""]);
    let user = (text(), role).prop_map(move |(email, role)| {
        (s(&["user", "add", &email, "--role", role]), String::new())
    });
    let config = prop_oneof![
        text().prop_map(move |p| (s(&["config", "get", &p]), String::new())),
        (
            text(),
            text(),
            prop::sample::select(vec!["", "--encrypt", "--plain"])
        )
            .prop_map(move |(p, v, flag)| {
                let mut a = s(&["config", "set", &p]);
                if !flag.is_empty() {
                    a.push(flag.into());
                }
                (a, v)
            }),
    ];
    let key = prop_oneof![
        Just((s(&["key", "status"]), String::new())),
        Just((s(&["key", "export"]), String::new())),
        Just((s(&["key", "export", "--fernet"]), String::new())),
        prop_oneof![
            text(),
            "whodis-key1-[A-Za-z0-9_-]{0,60}",
            "[A-Za-z0-9_-]{43}="
        ]
        .prop_map(move |k| (s(&["key", "import"]), k)),
        text().prop_map(move |f| (s(&["key", "import", "--file", &f]), String::new())),
    ];
    let extend = (
        prop::sample::select(vec!["sessions", "search_cache", "api_tokens", "users"]),
        prop_oneof!["[0-9]{1,3}", text()],
        prop_oneof!["-?[0-9]{1,20}", text()],
    )
        .prop_map(move |(t, id, secs)| (s(&["extend", t, &id, "--seconds", &secs]), String::new()));
    let guarded = prop_oneof![
        // below version 2 without the database's name typed: always refused
        "[01]".prop_map(move |to| (s(&["downgrade", "--to", &to, "--yes"]), String::new())),
        text().prop_map(move |to| (s(&["downgrade", "--to", &to]), String::new())),
        Just((s(&["schema"]), String::new())),
        Just((s(&["adopt", "--plan"]), String::new())),
        Just((s(&["stats"]), String::new())),
        Just((s(&["cleanup-expired"]), String::new())),
        text().prop_map(move |sub| (vec![sub], String::new())),
    ];
    let line = prop_oneof![4 => list, 2 => export, 1 => user, 2 => config, 2 => key, 1 => extend, 2 => guarded];
    // sometimes as someone else: an unknown operator, under either policy
    (line, prop::option::of((text(), any::<bool>()))).prop_map(|((mut args, stdin), operator)| {
        if let Some((email, refuse)) = operator {
            let mut pre = vec!["--operator".to_owned(), email];
            if refuse {
                pre.extend(["--unknown-operator".to_owned(), "refuse".to_owned()]);
            }
            pre.append(&mut args);
            args = pre;
        }
        (args, stdin)
    })
}

/// Row counts of every table (what a failed command must leave as it was); the logs of
/// refusals and errors are where a failure is recorded, so they are left out.
fn counts(db: &str) -> Value {
    let mut stats = ok_json(db, &["stats"])["tables"].clone();
    let tables = stats.as_object_mut().unwrap();
    tables.remove("AccessAttempt");
    tables.remove("ErrorLog");
    stats
}

fn fuzz_session(db: &str) {
    ok_json(db, &["migrate"]);
    ok_json(db, &["demo", "--scale", "1"]);
    let folder = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    });
    runner
        .run(&command_line(), |(args, stdin)| {
            use std::io::Write as _;
            let before = counts(db);
            let mut child = command(db)
                .args(&args)
                .current_dir(folder.path())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            // a command that reads no stdin may have exited already
            let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            let code = out.status.code();
            prop_assert!(
                matches!(code, Some(0..=2)),
                "{:?} exited {:?}: {}",
                args,
                code,
                err
            );
            prop_assert!(!err.contains("panicked"), "{:?}: {}", args, err);
            if code != Some(0) {
                // clap's usage errors are its own text with a usage line; ours are one line
                if !err.contains("Usage:") {
                    let ours = err.lines().filter(|l| l.starts_with("error: ")).count();
                    prop_assert_eq!(ours, 1, "{:?}: {}", args, err);
                }
                let after = counts(db);
                if before != after {
                    return Err(TestCaseError::fail(format!(
                        "{args:?} failed ({err}) but changed rows: {before} → {after}"
                    )));
                }
            }
            Ok(())
        })
        .unwrap();
}

crate::cli_both_backends!(generated_command_lines, super::fuzz_session);
