//! The embedded SQLite file is never written after another program deleted or replaced it or
//! its write-ahead log: SQLite would write into the unlinked files and lose every write when the
//! app closes. (SQLite only: PostgreSQL has no such file.)
#![allow(clippy::unwrap_used)]

use whodis_core::models::User;
use whodis_core::{Db, DbUrl};

async fn open(dir: &tempfile::TempDir) -> (Db, std::path::PathBuf) {
    let path = dir.path().join("app.db");
    let db = Db::open(&DbUrl::sqlite_file(&path)).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let mut u = User {
        email: "first@corp.test".into(),
        role: "admin".into(),
        ..Default::default()
    };
    u.save(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    (db, path)
}

fn refused(result: whodis_core::Result<whodis_core::Tx>, what: &str) {
    let err = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.contains(what) && err.contains("nothing was written"),
        "{err}"
    );
}

#[tokio::test]
async fn a_deleted_write_ahead_log_stops_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = open(&dir).await;
    let wal = path.with_file_name("app.db-wal");
    assert!(wal.exists(), "WAL mode keeps a -wal file while open");
    // what a second process does when it wrongly believes it is alone: checkpoint, delete
    std::fs::remove_file(&wal).unwrap();
    refused(db.begin().await, "write-ahead log");
    db.close().await;
}

#[tokio::test]
async fn a_replaced_database_file_stops_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = open(&dir).await;
    let other = dir.path().join("other.db");
    std::fs::write(&other, b"").unwrap();
    std::fs::rename(&other, &path).unwrap();
    refused(db.begin().await, "database file");
    db.close().await;
}

#[tokio::test]
async fn an_untouched_file_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = open(&dir).await;
    for _ in 0..3 {
        db.begin().await.unwrap().commit().await.unwrap();
    }
    db.close().await;
}
