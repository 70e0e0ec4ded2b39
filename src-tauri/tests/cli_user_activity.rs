//! `whodis-admin list users` with each user's computed activity, as a script reads it: sorted,
//! paged by cursor and filtered by it, on both backends.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use whodis_core::demo::DEMO_ADMIN;

mod common;
use common::{bootstrap, cli, ok_json};

const NEVER: [&str; 3] = ["ann@corp.test", "bob@corp.test", "cy@corp.test"];

fn emails(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_owned())
        .collect()
}

/// Every page of `list users ARGS`, one row a page, following `next_cursor`.
fn paged(db: &str, args: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut full = vec!["list", "users", "--limit", "1"];
        full.extend(args);
        if let Some(c) = &cursor {
            full.extend(["--cursor", c.as_str()]);
        }
        let page = ok_json(db, &full);
        out.extend(emails(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

fn users_activity(db: &str) {
    bootstrap(db);
    for email in NEVER {
        ok_json(db, &["user", "add", email]);
    }
    // the operator's changes are audited under their email: they alone have been active
    let listed = ok_json(db, &["list", "users"]);
    for row in listed["rows"].as_array().unwrap() {
        let seen = row["email"] == DEMO_ADMIN;
        assert_eq!(row["last_audit_at"].is_string(), seen, "{row}");
        assert_eq!(row["last_activity_at"], row["last_audit_at"], "{row}");
        assert_eq!(row["last_session_at"], Value::Null, "{row}");
        assert_eq!(row["active"], Value::Bool(seen), "{row}");
    }

    // newest activity first: never seen (NULL, the largest) first, newest user first among
    // them; the same order page by page through the cursors
    let mut expected: Vec<String> = NEVER.iter().rev().map(|e| (*e).to_owned()).collect();
    expected.push(DEMO_ADMIN.to_owned());
    let whole = ok_json(db, &["list", "users", "--sort", "last_activity_at"]);
    assert_eq!(emails(&whole), expected);
    assert_eq!(paged(db, &["--sort", "last_activity_at"]), expected);
    expected.reverse();
    assert_eq!(
        paged(db, &["--sort", "last_activity_at", "--asc"]),
        expected
    );

    let active = ok_json(db, &["list", "users", "--filter", "active=eq:true"]);
    assert_eq!(emails(&active), [DEMO_ADMIN]);
    let inactive = paged(db, &["--filter", "active=eq:false"]);
    assert_eq!(inactive.len(), NEVER.len());
    let never = ok_json(db, &["list", "users", "--filter", "last_activity_at=null"]);
    assert_eq!(never["total"]["value"], NEVER.len());
    // N = 0: nobody's last activity is at or after now
    let none = ok_json(
        db,
        &[
            "list",
            "users",
            "--filter",
            "active=eq:true",
            "--within-days",
            "0",
        ],
    );
    assert_eq!(emails(&none), Vec::<String>::new());

    let refused = cli(db, &["list", "users", "--within-days", "-2"]);
    assert_eq!(refused.status.code(), Some(2), "bad input");
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("within_days") && err.contains("-2"), "{err}");
    let refused = cli(
        db,
        &["list", "users", "--filter", "last_activity_at=gte:soon"],
    );
    assert_eq!(refused.status.code(), Some(2), "bad input");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("last_activity_at"));
}

cli_both_backends!(
    list_users_sorts_pages_and_filters_by_activity,
    super::users_activity
);
