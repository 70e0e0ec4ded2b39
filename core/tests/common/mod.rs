//! Runs one test body against a fresh SQLite file and a fresh PostgreSQL database.
//!
//! PostgreSQL is required: when it cannot be reached the test fails (it never skips). Set
//! `WHODIS_TEST_PG_URL` to an admin URL (default `postgres://postgres@127.0.0.1:5432/postgres`).
#![allow(dead_code, clippy::unwrap_used)]

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::FutureExt;
use sqlx::Connection;
use whodis_core::{Backend, Db, DbUrl};

pub fn pg_admin_url() -> String {
    std::env::var("WHODIS_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Creates a PostgreSQL database of a name unique to this run; its name and URL.
async fn create_pg_database(prefix: &str) -> (String, DbUrl) {
    let name = format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    );
    let mut admin = sqlx::PgConnection::connect(&pg_admin_url())
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is required for this test and is not reachable: {e}")
        });
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = pg_admin_url();
    let url = format!("{}/{name}", &base[..base.rfind('/').unwrap()]);
    (name, DbUrl::parse(&url).unwrap())
}

async fn drop_pg_database(name: &str) {
    if let Ok(mut admin) = sqlx::PgConnection::connect(&pg_admin_url()).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await;
    }
}

/// A fresh, migrated, empty database; dropped (PostgreSQL) or deleted (SQLite) by `cleanup`.
pub struct Fresh {
    pub db: Db,
    pub url: DbUrl,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn fresh(backend: Backend) -> Fresh {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = DbUrl::sqlite_file(&dir.path().join("test.db"));
            let db = Db::open(&url).await.unwrap();
            Fresh {
                db,
                url,
                pg_name: None,
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let (name, url) = create_pg_database("whodis_test").await;
            let db = Db::open(&url).await.unwrap();
            Fresh {
                db,
                url,
                pg_name: Some(name),
                _dir: None,
            }
        }
    }
}

impl Fresh {
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some(name) = self.pg_name {
            drop_pg_database(&name).await;
        }
    }
}

/// A database nothing has been written to (no migration), for a fixture another program
/// fills; removed by `cleanup`.
pub struct Empty {
    pub url: DbUrl,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn empty(backend: Backend) -> Empty {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            Empty {
                url: DbUrl::sqlite_file(&dir.path().join("fixture.db")),
                pg_name: None,
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let (name, url) = create_pg_database("whodis_fixture").await;
            Empty {
                url,
                pg_name: Some(name),
                _dir: None,
            }
        }
    }
}

impl Empty {
    pub async fn cleanup(self) {
        if let Some(name) = self.pg_name {
            drop_pg_database(&name).await;
        }
    }
}

/// Runs `body` on a fresh database of `backend`, cleaning up even when it panics.
pub async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let fresh = fresh(backend).await;
    let outcome = AssertUnwindSafe(body(fresh.db.clone()))
        .catch_unwind()
        .await;
    fresh.cleanup().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Declares `mod $name { fn sqlite(); fn postgres(); }` running the same body on each backend.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::common::run(whodis_core::Backend::Sqlite, |$db| async move $body).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::common::run(whodis_core::Backend::Postgres, |$db| async move $body).await
            }
        }
    };
}

pub fn fields(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => panic!("fields!() needs a JSON object"),
    }
}

/// A context for `email` on `db`, with its own in-memory keyring (keyring-core's mock store).
pub fn ctx(db: &Db, email: &str) -> whodis_core::Ctx {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let label = DbUrl::parse(&format!(
        "sqlite:///whodis-test-{}-{n}.db",
        std::process::id()
    ))
    .unwrap();
    whodis_core::Ctx::new(
        db.clone(),
        label,
        email,
        whodis_core::ops::Client::new("test"),
    )
    .with_keystore(Ok(mock_keystore()))
}

pub fn mock_keystore() -> std::sync::Arc<dyn whodis_core::crypto::KeyStore> {
    std::sync::Arc::new(whodis_core::crypto::OsKeyStore::with_store(
        keyring_core::mock::Store::new().unwrap(),
    ))
}
