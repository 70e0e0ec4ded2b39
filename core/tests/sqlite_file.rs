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

async fn pragma(db: &Db, name: &str) -> String {
    let whodis_core::db::Pool::Sqlite(p) = db.pool() else {
        unreachable!("SQLite only")
    };
    let value: sqlx::sqlite::SqliteRow = sqlx::query(&format!("PRAGMA {name}"))
        .fetch_one(p)
        .await
        .unwrap();
    use sqlx::{Row, ValueRef};
    let raw = value.try_get_raw(0).unwrap();
    if raw.type_info().to_string() == "INTEGER" {
        value.get::<i64, _>(0).to_string()
    } else {
        value.get::<String, _>(0)
    }
}

#[tokio::test]
async fn a_commit_is_on_disk_before_it_returns() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = open(&dir).await;
    // 2 = FULL: in WAL, NORMAL may lose the last commits on a power cut
    assert_eq!(pragma(&db, "synchronous").await, "2");
    db.close().await;
}

async fn users(db: &Db) -> i64 {
    let mut c = db.conn().await.unwrap();
    whodis_core::utilities::count_rows::<User>(&mut c)
        .await
        .unwrap()
}

/// The bulk load's transaction: a rollback journal while it runs (a multi-GB transaction in WAL
/// is what made SQLite slow at 10M rows), atomic, and the WAL with the app's settings after.
#[tokio::test]
async fn a_bulk_load_is_atomic_and_leaves_the_wal_on() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = open(&dir).await;
    let add = |email: &'static str| User {
        email: email.into(),
        role: "viewer".into(),
        ..Default::default()
    };

    let mut tx = db.begin_bulk().await.unwrap();
    {
        use whodis_core::exec::Executor;
        let whodis_core::exec::Conn::Sqlite(c) = tx.conn() else {
            unreachable!()
        };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(
            mode, "truncate",
            "alone on the file, the load skips the WAL"
        );
    }
    add("loaded@corp.test").save(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(users(&db).await, 2);
    assert_eq!(pragma(&db, "journal_mode").await, "wal");

    let mut tx = db.begin_bulk().await.unwrap();
    add("dropped@corp.test").save(&mut tx).await.unwrap();
    drop(tx); // as a failed load does
    let mut tx = db.begin_bulk().await.unwrap();
    add("rolled-back@corp.test").save(&mut tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(users(&db).await, 2, "neither uncommitted load is there");

    // the load's cache size stayed with its connection, which was closed
    for _ in 0..4 {
        assert_eq!(pragma(&db, "cache_size").await, "-2000");
    }
    db.close().await;
    // and the file reopens in WAL mode with everything in it
    let again = Db::open(&DbUrl::sqlite_file(&path)).await.unwrap();
    assert_eq!(users(&again).await, 2);
    assert_eq!(pragma(&again, "journal_mode").await, "wal");
    again.close().await;
}

/// With another connection on the file the load stays in WAL (slower, just as safe).
#[tokio::test]
async fn a_bulk_load_beside_another_connection_stays_in_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = open(&dir).await;
    let other = Db::open(&DbUrl::sqlite_file(&path)).await.unwrap();
    let held = other.conn().await.unwrap();
    let mut tx = db.begin_bulk().await.unwrap();
    User {
        email: "beside@corp.test".into(),
        role: "viewer".into(),
        ..Default::default()
    }
    .save(&mut tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    drop(held);
    assert_eq!(users(&other).await, 2);
    assert_eq!(pragma(&db, "journal_mode").await, "wal");
    other.close().await;
    db.close().await;
}
