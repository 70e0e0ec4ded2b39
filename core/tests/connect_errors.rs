//! Opening a database that cannot be opened says at once what went wrong, in words a person can
//! act on, and never with a password: a missing SQLite file; a PostgreSQL port nobody listens on,
//! a host name that does not resolve, a role or database the server does not know. (Each backend
//! fails in its own ways, so this file names its cases instead of running one body on both.)
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::error::DbErrorKind;
use whodis_core::{Db, DbUrl, Error};

async fn refusal(url: &str) -> (DbErrorKind, String) {
    match Db::connect_existing(&DbUrl::parse(url).unwrap()).await {
        Err(Error::Database { kind, message }) => (kind, message),
        Err(other) => panic!("expected a database error, got {other:?}"),
        Ok(_) => panic!("{url} opened"),
    }
}

fn server_with(user: &str, host: &str, database: &str) -> String {
    let admin = common::pg_admin_url();
    let rest = admin.split_once('@').map_or(admin.as_str(), |(_, r)| r);
    let (address, _) = rest.split_once('/').unwrap_or((rest, ""));
    let address = if host.is_empty() {
        address.to_owned()
    } else {
        host.to_owned()
    };
    format!("postgres://{user}:not-the-password@{address}/{database}")
}

#[tokio::test]
async fn a_refused_port_says_refused() {
    // port 1: nothing listens there
    let (kind, message) = refusal(&server_with("postgres", "127.0.0.1:1", "postgres")).await;
    assert_eq!(kind, DbErrorKind::Connection);
    assert!(message.contains("connection refused"), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");
}

#[tokio::test]
async fn an_unknown_host_says_so() {
    let (kind, message) = refusal(&server_with(
        "postgres",
        "no-such-host.invalid:5432",
        "postgres",
    ))
    .await;
    assert_eq!(kind, DbErrorKind::Connection);
    assert!(message.contains("could not be resolved"), "{message}");
}

#[tokio::test]
async fn a_refused_login_says_so() {
    let (kind, message) = refusal(&server_with("no_such_role_here", "", "postgres")).await;
    assert_eq!(kind, DbErrorKind::Connection);
    assert!(
        message.contains("refused the login") && message.contains("no_such_role_here"),
        "{message}"
    );
    assert!(!message.contains("not-the-password"), "{message}");
    let (_, message) = refusal(&server_with("postgres", "", "no_such_database_here")).await;
    assert!(
        message.contains("refused the login") && message.contains("no_such_database_here"),
        "{message}"
    );
}

#[tokio::test]
async fn a_missing_sqlite_file_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let url = format!("sqlite://{}", path.display());
    match Db::connect_existing(&DbUrl::parse(&url).unwrap()).await {
        Err(e) => assert!(e.to_string().contains("there is no database"), "{e}"),
        Ok(_) => panic!("opened a file that does not exist"),
    }
    assert!(!path.exists());
}
