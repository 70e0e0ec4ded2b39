//! Adopting a server's database adds columns to tables the app has already read on pooled
//! connections. PostgreSQL refuses a prepared statement whose result columns changed ("cached
//! plan must not change result type"), so the app names its columns instead of `SELECT *` /
//! `RETURNING *`: every pooled connection keeps reading and writing after the adopt, and so does
//! the adopt's own transaction, which reads configuration (the audit chain's start setting).
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use whodis_core::crypto::SecretString;
use whodis_core::models::Configuration;
use whodis_core::ops::settings::SetConfig;
use whodis_core::ops::{self, run};
use whodis_core::{Backend, Db};

async fn scenario(backend: Backend) {
    let empty = common::empty(backend).await;
    let key = whodis_core::crypto::FernetKey::generate().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/server/fixture.py");
    let out = Command::new("python3")
        .args([script, "make", "--url", &empty.url.to_string()])
        .arg(format!("--key={}", key.to_key_string().expose()))
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Db::open(&empty.url).await.unwrap();
    let ctx = common::ctx(&db, "server.admin@whodis.example");
    assert!(!db.shape().has_column("configuration", "updated_at"));

    // every pooled connection reads and writes configuration before the adopt
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut c = db.conn().await.unwrap();
        let rows = whodis_core::model::find::<Configuration>(&mut c, sea_query::Condition::all())
            .await
            .unwrap();
        assert!(!rows.is_empty());
        held.push(c);
    }
    drop(held);
    run(
        &ctx,
        SetConfig {
            path: "app.banner".into(),
            value: SecretString::new("before".into()),
            protection: Default::default(),
            expected_updated_at: None,
        },
    )
    .await
    .unwrap();

    let plan = ops::schema::plan(&ctx).await.unwrap();
    let expected = plan.statements.iter().map(|s| s.sql.clone()).collect();
    ops::schema::adopt(&ctx, expected).await.unwrap();
    assert!(db.shape().has_column("configuration", "updated_at"));

    // and after it, on whichever connection the pool hands out
    for n in 0..4 {
        run(
            &ctx,
            SetConfig {
                path: "app.banner".into(),
                value: SecretString::new(format!("after {n}")),
                protection: Default::default(),
                expected_updated_at: None,
            },
        )
        .await
        .unwrap();
        let mut c = db.conn().await.unwrap();
        let row = Configuration::find(&mut c, "app", "banner")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.value_plaintext.as_deref(),
            Some(format!("after {n}").as_str())
        );
        assert!(row.updated_at.is_some(), "the adopted column is read");
    }
    db.close().await;
    empty.cleanup().await;
}

mod adopt_keeps_statements_working {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::scenario(whodis_core::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::scenario(whodis_core::Backend::Postgres).await;
    }
}
