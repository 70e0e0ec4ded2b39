//! Verifying the audit trail's hash chain at scale: loads N chained audit rows (each sealed as
//! the write path seals it) into a fresh database, then times `ops::chain::verify` over them,
//! as `whodis-admin audit verify` and the Verify button run it. Prints and writes rows/s.
//!
//! `cargo run --release -p whodis-core --example chain_bench -- DATABASE_URL ROWS OUT.json`
//! (DATABASE_URL: a new SQLite file or an empty PostgreSQL database.)

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use whodis_core::audit_chain::{attach, seal, Link};
use whodis_core::crypto::{KeyStore, OsKeyStore};
use whodis_core::dialect::{bulk_insert, Cell};
use whodis_core::model;
use whodis_core::models::{AuditLog, User};
use whodis_core::ops::{chain, Client, Ctx};
use whodis_core::{Db, DbUrl};

const BATCH: i64 = 20_000;
const COLUMNS: [&str; 8] = [
    "id",
    "created_at",
    "updated_at",
    "event_type",
    "user_email",
    "success",
    "message",
    "additional_data",
];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, rows, out] = args.as_slice() else {
        eprintln!("usage: chain_bench DATABASE_URL ROWS OUT.json");
        std::process::exit(2);
    };
    let total: i64 = rows.parse().expect("ROWS is a number");
    let url = DbUrl::parse(url).expect("database URL");
    let db = Db::open(&url).await.expect("open");
    let keys: Arc<dyn KeyStore> = Arc::new(OsKeyStore::with_store(
        keyring_core::mock::Store::new().expect("mock key store"),
    ));
    let operator = "bench.admin@whodis.example";
    let ctx =
        Ctx::new(db.clone(), url.clone(), operator, Client::new("bench")).with_keystore(Ok(keys));
    let mut admin = User::new(operator, "admin");
    model::save(&mut db.conn().await.expect("conn"), &mut admin)
        .await
        .expect("admin");
    let key = ctx
        .keys()
        .and_then(|k| k.create_chain_key())
        .expect("chain key");

    let started = Instant::now();
    let first_id = 1_000_000_000;
    let t0 = whodis_core::time::now() - chrono::TimeDelta::days(30);
    let mut prev: Option<Link> = None;
    let mut tx = db.begin_bulk().await.expect("bulk transaction");
    let mut done = 0;
    while done < total {
        let n = BATCH.min(total - done);
        let mut cells = Vec::with_capacity(n as usize);
        for i in done..done + n {
            let at = t0 + chrono::TimeDelta::milliseconds(i);
            let mut row = AuditLog {
                id: first_id + i,
                created_at: Some(at),
                updated_at: Some(at),
                event_type: Some("admin".into()),
                user_email: Some(operator.into()),
                success: Some(true),
                message: Some(format!("Changed setting number {i}")),
                additional_data: Some(json!({
                    "app": "whodis-admin",
                    "operation": "config.set",
                    "changes": { "value": { "before": i, "after": i + 1 } },
                })),
                ..Default::default()
            };
            let link = seal(&key, prev, &row);
            attach(&mut row, link);
            prev = Some(link);
            cells.push(vec![
                Cell::Text(row.id.to_string()),
                Cell::Time(at),
                Cell::Time(at),
                Cell::Text("admin".into()),
                Cell::Text(operator.into()),
                Cell::Bool(true),
                Cell::Text(row.message.take().unwrap_or_default()),
                Cell::Json(row.additional_data.take().unwrap_or_default()),
            ]);
        }
        bulk_insert(&mut tx, "audit_log", &COLUMNS, &cells)
            .await
            .expect("load");
        done += n;
    }
    tx.commit().await.expect("commit");
    let load_s = started.elapsed().as_secs_f64();
    let mut c = db.conn().await.expect("conn");
    whodis_core::dialect::refresh_statistics(&mut c, "audit_log")
        .await
        .expect("analyze");
    drop(c);

    let started = Instant::now();
    let report = chain::verify(&ctx, |_, _| Ok(())).await.expect("verify");
    let verify_s = started.elapsed().as_secs_f64();
    assert!(report.intact, "{:?}", report.problems.first());
    assert_eq!(report.chained, total);
    let result = json!({
        "backend": format!("{:?}", db.backend()),
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "chained_rows": total,
        "load_s": load_s,
        "verify_s": verify_s,
        "verify_rows_per_s": total as f64 / verify_s,
    });
    println!("{result}");
    std::fs::write(out, serde_json::to_string_pretty(&result).expect("json")).expect("write");
    db.close().await;
}
