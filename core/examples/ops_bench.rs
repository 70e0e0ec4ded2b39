//! Whole operations at scale on a demo database (run by `bench/run.sh` after `list_bench`):
//! an export of every successful audit row to CSV (rows/s, and the process's peak memory
//! before and after, which must not grow with the rows: it streams), a Genesys import of
//! 100,000 items, key rotation over 10,000 encrypted values (in-memory key store), and
//! cleanup-expired over 1,000,000 expired sessions. Each once, as a user would run it.
//!
//! `cargo run --release -p whodis-core --example ops_bench -- DATABASE_URL OUT.json`

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use whodis_core::config::Protection;
use whodis_core::crypto::{KeyStore, OsKeyStore, SecretString};
use whodis_core::dialect::{bulk_insert, Cell};
use whodis_core::list::{Filter, ListQuery};
use whodis_core::ops::directory::{GenesysKind, ImportGenesys};
use whodis_core::ops::expiring::CleanupExpired;
use whodis_core::ops::export::{export_rows, ExportFormat, ExportRows};
use whodis_core::ops::settings::{KeyInit, KeyRotate, SetConfig};
use whodis_core::ops::{self, Client, Ctx};
use whodis_core::{Db, DbUrl, Table};

/// The process's peak resident memory so far, in MiB (Linux `VmHWM`).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn rate(n: u64, secs: f64) -> f64 {
    n as f64 / secs
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, out] = args.as_slice() else {
        eprintln!("usage: ops_bench DATABASE_URL OUT.json");
        std::process::exit(2);
    };
    let url = DbUrl::parse(url).expect("database URL");
    let db = Db::connect_existing(&url).await.expect("open");
    // keys in memory (keyring-core's mock store): this measures the database work, not a
    // keyring daemon
    let keys: Arc<dyn KeyStore> = Arc::new(OsKeyStore::with_store(
        keyring_core::mock::Store::new().expect("mock key store"),
    ));
    let ctx = Ctx::new(
        db.clone(),
        url.clone(),
        whodis_core::demo::DEMO_ADMIN,
        Client::new("bench"),
    )
    .with_keystore(Ok(keys));
    let backend = match db.pool() {
        whodis_core::db::Pool::Postgres(_) => "postgres",
        whodis_core::db::Pool::Sqlite(_) => "sqlite",
    };
    let mut report = serde_json::Map::new();
    println!("{backend}:");

    // export: every successful audit row, streamed page by page
    let dir = std::env::temp_dir().join(format!("whodis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let before = peak_mib();
    let start = Instant::now();
    let exported = export_rows(
        &ctx,
        ExportRows {
            table: Table::AuditLog.name().into(),
            query: ListQuery {
                filters: vec![Filter::parse("success=eq:true").expect("filter")],
                ..ListQuery::default()
            },
            format: ExportFormat::Csv,
            path: dir.join("audit.csv").display().to_string(),
            time_zone: None,
        },
        |_| Ok(()),
    )
    .await
    .expect("export");
    let secs = start.elapsed().as_secs_f64();
    let after = peak_mib();
    let bytes = std::fs::metadata(dir.join("audit.csv")).map_or(0, |m| m.len());
    println!(
        "  export of {} filtered rows to CSV: {secs:.1} s ({:.0} rows/s, {:.0} MiB written), \
         peak memory {before:.0} → {after:.0} MiB",
        exported.rows,
        rate(exported.rows, secs),
        bytes as f64 / 1_048_576.0
    );
    report.insert(
        "export".into(),
        json!({"rows": exported.rows, "seconds": secs, "peak_mib_before": before, "peak_mib_after": after}),
    );
    let _ = std::fs::remove_dir_all(&dir);

    // Genesys import of 100,000 groups
    let items: Vec<serde_json::Value> = (0..100_000)
        .map(|i| json!({"id": format!("bench-group-{i}"), "name": format!("Bench group {i}"), "state": "active"}))
        .collect();
    let start = Instant::now();
    ops::run(
        &ctx,
        ImportGenesys {
            kind: GenesysKind::Groups,
            service_name: "genesys".into(),
            items,
        },
    )
    .await
    .expect("import");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "  Genesys import of 100,000 groups: {secs:.1} s ({:.0} items/s)",
        rate(100_000, secs)
    );
    report.insert(
        "genesys_import".into(),
        json!({"items": 100_000, "seconds": secs}),
    );

    // key rotation over 10,000 encrypted values
    let _ = ops::run(&ctx, KeyInit {}).await;
    for i in 0..10_000 {
        ops::run(
            &ctx,
            SetConfig {
                path: format!("bench{i}.client_secret"),
                value: SecretString::new(format!("secret-{i}")),
                protection: Protection::Encrypt,
                expected_updated_at: None,
            },
        )
        .await
        .expect("set");
    }
    let start = Instant::now();
    let rotated = ops::run(
        &ctx,
        KeyRotate {
            progress: Box::new(|_, _| Ok(())),
        },
    )
    .await
    .expect("rotate");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "  key rotation over {} values: {secs:.1} s ({:.0} values/s)",
        rotated.reencrypted,
        rate(rotated.reencrypted as u64, secs)
    );
    report.insert(
        "key_rotation".into(),
        json!({"values": rotated.reencrypted, "seconds": secs}),
    );

    // cleanup-expired over 1,000,000 expired sessions
    let past = whodis_core::time::now() - chrono::TimeDelta::days(1);
    let mut tx = db.begin().await.expect("begin");
    for chunk in 0..100 {
        let rows: Vec<Vec<Cell>> = (0..10_000)
            .map(|i| {
                vec![
                    Cell::Text(format!("{:0>40}", chunk * 10_000 + i)),
                    Cell::Text("bench@corp.example".into()),
                    Cell::Time(past),
                    Cell::Time(past),
                    Cell::Time(past),
                    Cell::Time(past),
                ]
            })
            .collect();
        bulk_insert(
            &mut tx,
            "sessions",
            &[
                "session_id",
                "user_email",
                "last_activity",
                "expires_at",
                "created_at",
                "updated_at",
            ],
            &rows,
        )
        .await
        .expect("sessions");
    }
    tx.commit().await.expect("commit");
    let start = Instant::now();
    let removed = ops::run(&ctx, CleanupExpired::default())
        .await
        .expect("cleanup");
    let secs = start.elapsed().as_secs_f64();
    let sessions = removed.get("Session").copied().unwrap_or_default();
    println!(
        "  cleanup-expired: {sessions} sessions in {secs:.1} s ({:.0} rows/s)",
        rate(sessions, secs)
    );
    report.insert(
        "cleanup_expired".into(),
        json!({"sessions": sessions, "seconds": secs}),
    );

    let report = json!({"backend": backend, "operations": report});
    std::fs::write(out, serde_json::to_string_pretty(&report).expect("json")).expect("write");
}
