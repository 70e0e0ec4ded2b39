//! The tamper-evident audit trail (`ops::chain`), on both backends: the chain is opt-in, every
//! change after its start is sealed, a keyring without the key is refused until it imports it,
//! and rows edited, deleted or inserted by hand — with the real `sqlite3` and `psql` tools, as
//! someone with only database access would — are named by `verify`.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use whodis_core::audit_chain::{ChainReport, ProblemKind};
use whodis_core::crypto::SecretString;
use whodis_core::model;
use whodis_core::models::{AuditLog, Configuration, User};
use whodis_core::ops::chain::{self, ChainKeyExport, StartChain};
use whodis_core::ops::settings::{DeleteConfig, KeyImport, SetConfig};
use whodis_core::ops::users::CreateUser;
use whodis_core::ops::{run, Ctx, Role};
use whodis_core::{Backend, Db, DbUrl};

/// Runs SQL on the database with the database's own command-line tool.
fn by_hand(url: &DbUrl, sql: &str) {
    let out = match url {
        DbUrl::Sqlite(path) => Command::new("sqlite3")
            .args(["-cmd", ".timeout 5000"])
            .arg(path)
            .arg(sql)
            .output()
            .expect("the sqlite3 tool (apt package sqlite3)"),
        DbUrl::Postgres(u) => Command::new("psql")
            .args([u.as_str(), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
            .output()
            .expect("the psql tool (apt package postgresql-client)"),
    };
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn verify(ctx: &Ctx) -> ChainReport {
    chain::verify(ctx, |_, _| Ok(())).await.unwrap()
}

async fn add_user(ctx: &Ctx, email: &str) -> whodis_core::Result<User> {
    run(
        ctx,
        CreateUser {
            email: email.into(),
            role: Role::Viewer,
        },
    )
    .await
}

async fn newest_audit(db: &Db) -> AuditLog {
    let rows: Vec<AuditLog> =
        model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
            .await
            .unwrap();
    rows.into_iter().last().unwrap()
}

async fn scenario(backend: Backend) {
    let fresh = common::fresh(backend).await;
    let (db, url) = (fresh.db.clone(), fresh.url.clone());
    let mut admin = User::new("chain-admin@example.com", "admin");
    admin.save(&mut db.conn().await.unwrap()).await.unwrap();
    let ctx = common::ctx(&db, "chain-admin@example.com");

    // before the start: rows are outside the chain and verify has nothing to complain about
    add_user(&ctx, "before@example.com").await.unwrap();
    assert!(!chain::status(&ctx).await.unwrap().started);
    let r = verify(&ctx).await;
    assert!(r.intact && r.chained == 0 && r.outside >= 1, "{r:?}");

    let started = run(&ctx, StartChain).await.unwrap();
    assert!(started.started && started.key_fingerprint.is_some());
    let err = run(&ctx, StartChain).await.unwrap_err();
    assert_eq!(err.kind(), "conflict", "a chain starts once: {err}");
    let mut ids = vec![newest_audit(&db).await.id];
    for n in 0..4 {
        add_user(&ctx, &format!("u{n}@example.com")).await.unwrap();
        ids.push(newest_audit(&db).await.id);
    }
    // a row the server writes (no app marker) is outside the chain, and not a problem
    by_hand(
        &url,
        "INSERT INTO audit_log (event_type, user_email, message, success, created_at, updated_at) \
         VALUES ('search', 'someone@example.com', 'searched', true, '2026-12-01 10:00:00', '2026-12-01 10:00:00')",
    );
    let r = verify(&ctx).await;
    assert!(r.intact, "{:?}", r.problems);
    assert_eq!(r.chained, 5);
    assert_eq!(r.first.as_ref().map(|e| (e.id, e.seq)), Some((ids[0], 1)));
    assert_eq!(r.last.as_ref().map(|e| (e.id, e.seq)), Some((ids[4], 5)));

    // another admin's keyring lacks the key: refused, nothing written, until it imports it
    let other = common::ctx(&db, "chain-admin@example.com");
    let before = newest_audit(&db).await.id;
    let err = add_user(&other, "refused@example.com").await.unwrap_err();
    assert_eq!(err.kind(), "key_missing", "{err}");
    assert!(err.to_string().contains("keys import"), "{err}");
    assert_eq!(newest_audit(&db).await.id, before, "nothing was written");
    let recovery = run(&ctx, ChainKeyExport).await.unwrap();
    let wrong = whodis_core::crypto::RecoveryKey::Chain(
        whodis_core::crypto::DataKey::from_bytes(&[7; 32]).unwrap(),
    )
    .to_recovery_string();
    let err = run(&other, KeyImport { recovery: wrong })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not seal"), "{err}");
    run(
        &other,
        KeyImport {
            recovery: SecretString::new(recovery.expose().to_owned()),
        },
    )
    .await
    .unwrap();
    add_user(&other, "imported@example.com").await.unwrap();
    ids.push(newest_audit(&db).await.id);
    let r = verify(&ctx).await;
    assert!(r.intact, "{:?}", r.problems);
    assert_eq!(
        r.chained, 8,
        "the start, 4 users, the export, the import and the importer's user"
    );

    // altered: one field of a chained row, then put back
    let victim = ids[2];
    let original: AuditLog = model::require(&mut db.conn().await.unwrap(), victim)
        .await
        .unwrap();
    let set_message = |text: &str| {
        format!(
            "UPDATE audit_log SET message = '{}' WHERE id = {victim}",
            text.replace('\'', "''")
        )
    };
    by_hand(&url, &set_message("nothing happened"));
    let r = verify(&ctx).await;
    assert_eq!(
        (r.problems[0].kind, r.problems[0].id, r.problems.len()),
        (ProblemKind::Altered, victim, 1),
        "{:?}",
        r.problems
    );
    by_hand(&url, &set_message(original.message.as_deref().unwrap()));
    let r = verify(&ctx).await;
    assert!(r.intact, "put back, it verifies again: {:?}", r.problems);

    // deleted: the next chained row names the gap
    by_hand(
        &url,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[3]),
    );
    let r = verify(&ctx).await;
    assert_eq!(
        (r.problems[0].kind, r.problems[0].id),
        (ProblemKind::Deleted, ids[4]),
        "{:?}",
        r.problems
    );

    // inserted: a copy of a chained row, and a row claiming to be the app's without a link
    by_hand(
        &url,
        &format!(
            "INSERT INTO audit_log (event_type, user_email, message, success, additional_data, created_at, updated_at) \
             SELECT event_type, user_email, 'Deleted user x', success, additional_data, created_at, updated_at \
             FROM audit_log WHERE id = {}",
            ids[1]
        ),
    );
    let copied = newest_audit(&db).await.id;
    by_hand(
        &url,
        "INSERT INTO audit_log (event_type, user_email, message, success, additional_data, created_at, updated_at) \
         VALUES ('admin', 'chain-admin@example.com', 'Made x an admin', true, '{\"app\": \"whodis-admin\"}', '2026-12-01 10:00:00', '2026-12-01 10:00:00')",
    );
    let forged = newest_audit(&db).await.id;
    let r = verify(&ctx).await;
    let found: Vec<(ProblemKind, i64)> = r.problems.iter().map(|p| (p.kind, p.id)).collect();
    assert_eq!(
        found,
        vec![
            (ProblemKind::Deleted, ids[4]),
            (ProblemKind::Inserted, copied),
            (ProblemKind::Unchained, forged),
        ]
    );
    assert!(!r.intact);

    // the start is recorded as the app's own setting, which the settings commands leave alone
    let mark: Configuration =
        Configuration::find(&mut db.conn().await.unwrap(), "whodis_admin", "audit_chain")
            .await
            .unwrap()
            .expect("the start writes its setting");
    let err = run(
        &ctx,
        SetConfig {
            path: "whodis_admin.audit_chain".into(),
            value: SecretString::new(String::new()),
            protection: Default::default(),
            expected_updated_at: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "invalid", "{err}");
    let err = run(
        &ctx,
        DeleteConfig {
            id: mark.id,
            expected_updated_at: mark.updated_at,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "invalid", "{err}");

    // writes read that setting, not the log: removed by hand, a keyring without the key writes
    // again — and verify names that row as outside the chain it should have joined
    by_hand(
        &url,
        "DELETE FROM configuration WHERE category = 'whodis_admin' AND key = 'audit_chain'",
    );
    let third = common::ctx(&db, "chain-admin@example.com");
    add_user(&third, "unsealed@example.com").await.unwrap();
    let unsealed = newest_audit(&db).await.id;
    let r = verify(&ctx).await;
    assert_eq!(
        r.problems.last().map(|p| (p.kind, p.id)),
        Some((ProblemKind::Unchained, unsealed)),
        "{:?}",
        r.problems
    );
    fresh.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    scenario(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    scenario(Backend::Postgres).await;
}
