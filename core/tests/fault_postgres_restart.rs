//! Fault: the PostgreSQL server restarts in the middle of a session (its own test binary, so no
//! other test shares the server while it restarts). The next command reconnects, or fails with
//! a clear connection error; a write in flight during the restart is committed once or not at
//! all — its audit row with it — never twice. Needs the local cluster `pg_ctlcluster` manages
//! (the test command's PostgreSQL).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use whodis_core::models::{AuditLog, User};
use whodis_core::ops::users::{bootstrap_admin, CreateUser};
use whodis_core::ops::{self, Role};
use whodis_core::utilities::count_where;
use whodis_core::Backend;

fn restart_postgres() {
    let version = std::fs::read_dir("/etc/postgresql")
        .expect("a local PostgreSQL cluster (/etc/postgresql) is needed to restart it")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .max_by_key(|v| v.parse::<u32>().unwrap_or(0))
        .unwrap();
    let status = std::process::Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, "main", "restart"])
        .status()
        .expect("pg_ctlcluster");
    assert!(status.success(), "the restart failed");
}

fn is_connection_error(e: &whodis_core::Error) -> bool {
    matches!(
        e,
        whodis_core::Error::Database {
            kind: whodis_core::error::DbErrorKind::Connection,
            ..
        }
    ) || e.kind() == "database"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restart_mid_session_reconnects_and_no_write_is_doubled() {
    common::run(Backend::Postgres, |db| async move {
        let ctx = common::ctx(&db, "admin@corp.example");
        bootstrap_admin(&ctx, "admin@corp.example").await.unwrap();

        // a transaction open when the server restarts: its commit fails and nothing of it stays
        let mut tx = db.begin().await.unwrap();
        User::new("in.flight@corp.example", "viewer")
            .save(&mut tx)
            .await
            .unwrap();
        tokio::task::spawn_blocking(restart_postgres).await.unwrap();
        let committed = tx.commit().await;
        let err = committed.expect_err("a transaction cut by the restart cannot commit");
        assert!(is_connection_error(&err), "{err}");

        // writes keep coming while the server restarts again
        let writer = {
            let ctx = common::ctx(&db, "admin@corp.example");
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for i in 0..60 {
                    let r = ops::run(
                        &ctx,
                        CreateUser {
                            email: format!("during{i:02}@corp.example"),
                            role: Role::Viewer,
                        },
                    )
                    .await;
                    outcomes.push(r.map(drop));
                    tokio::time::sleep(Duration::from_millis(40)).await;
                }
                outcomes
            })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        tokio::task::spawn_blocking(restart_postgres).await.unwrap();
        let outcomes = writer.await.unwrap();

        let failed: Vec<&whodis_core::Error> =
            outcomes.iter().filter_map(|r| r.as_ref().err()).collect();
        for e in &failed {
            assert!(is_connection_error(e), "a clear connection error, not: {e}");
        }
        // the session goes on after the restart (the pool reconnects)
        let mut after = None;
        for _ in 0..50 {
            match ops::run(
                &ctx,
                CreateUser {
                    email: "after@corp.example".into(),
                    role: Role::Viewer,
                },
            )
            .await
            {
                Ok(u) => {
                    after = Some(u);
                    break;
                }
                Err(e) => {
                    assert!(is_connection_error(&e), "{e}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        assert!(after.is_some(), "the session reconnects after the restart");

        // every write is there once or not at all, and exactly with its audit row
        let mut c = db.conn().await.unwrap();
        let during = sea_query::Condition::all()
            .add(sea_query::Expr::col(sea_query::Alias::new("email")).like("during%"));
        let users = count_where::<User>(&mut c, during).await.unwrap();
        let in_flight = sea_query::Condition::all()
            .add(sea_query::Expr::col(sea_query::Alias::new("email")).eq("in.flight@corp.example"));
        assert_eq!(count_where::<User>(&mut c, in_flight).await.unwrap(), 0);
        let succeeded = outcomes.iter().filter(|r| r.is_ok()).count() as i64;
        assert!(
            users >= succeeded && users <= outcomes.len() as i64,
            "{users} rows for {succeeded} successful writes"
        );
        let audited = sea_query::Condition::all().add(
            sea_query::Expr::col(sea_query::Alias::new("message")).like("Created user during%"),
        );
        let rows = count_where::<AuditLog>(&mut c, audited).await.unwrap();
        eprintln!(
            "restart: {succeeded} writes succeeded, {} failed, {users} rows, {rows} audit rows",
            failed.len()
        );
        assert_eq!(rows, users, "each write committed with its audit row, once");
    })
    .await;
}
