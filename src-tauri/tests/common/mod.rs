//! Running the CLI as a user does, shared by the CLI tests: a subprocess with JSON on stdout,
//! and fresh PostgreSQL databases per test.
#![allow(clippy::unwrap_used, dead_code)]

use std::process::{Command, Output};

use serde_json::Value;
use sqlx::{Connection, Executor};
use whodis_core::demo::DEMO_ADMIN;

/// Every run names the demo admin as its operator; empty databases get it as their first admin
/// through `user add` (see `bootstrap`).
pub fn command(database: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whodis-admin"));
    cmd.arg("--database")
        .arg(database)
        .env_remove("WHODIS_DATABASE_URL")
        .env("WHODIS_OPERATOR", DEMO_ADMIN);
    cmd
}

/// Creates the database (an explicit `migrate`: other commands refuse a missing file) and makes
/// the operator its first admin.
pub fn bootstrap(database: &str) {
    ok_json(database, &["migrate"]);
    ok_json(database, &["user", "add", DEMO_ADMIN, "--role", "admin"]);
}

pub fn cli(database: &str, args: &[&str]) -> Output {
    command(database).args(args).output().unwrap()
}

pub fn ok_json(database: &str, args: &[&str]) -> Value {
    let out = cli(database, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn pg_admin_url() -> String {
    std::env::var("WHODIS_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A fresh PostgreSQL database for one test, dropped at the end.
pub struct PgDb {
    pub name: String,
    pub url: String,
}

impl PgDb {
    pub async fn create(tag: &str) -> PgDb {
        let name = format!("whodis_cli_{tag}_{}", std::process::id());
        let mut admin = sqlx::PgConnection::connect(&pg_admin_url())
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is required for this test: {e}"));
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .unwrap();
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let base = pg_admin_url();
        let url = format!("{}/{name}", &base[..base.rfind('/').unwrap()]);
        PgDb { name, url }
    }

    pub async fn drop_db(self) {
        let mut admin = sqlx::PgConnection::connect(&pg_admin_url()).await.unwrap();
        admin
            .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .unwrap();
    }
}

pub fn cli_stdin(database: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = command(database)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Declares `$name::sqlite` and `$name::postgres`, each running the blocking session `$body`
/// (a `fn(&str)` taking a database URL) on a fresh database of that backend.
#[macro_export]
macro_rules! cli_both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let db = format!("sqlite://{}", dir.path().join("test.db").display());
                $body(&db);
            }

            #[tokio::test(flavor = "multi_thread")]
            async fn postgres() {
                let pg = $crate::common::PgDb::create(stringify!($name)).await;
                let url = pg.url.clone();
                tokio::task::spawn_blocking(move || $body(&url))
                    .await
                    .unwrap();
                pg.drop_db().await;
            }
        }
    };
}
