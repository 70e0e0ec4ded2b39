//! Stored values the app cannot show never panic and never fail a whole page: a PostgreSQL
//! `infinity` or a year beyond chrono's range, a SQLite time that is no time, mark their row; an
//! expiry pushed past any storable date is refused.
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::db::Pool;
use whodis_core::list::{list_table, ListQuery, Sort, UNREADABLE};
use whodis_core::models::Session;
use whodis_core::ops::export::{export_rows, ExportFormat, ExportRows};
use whodis_core::{expirable, Table};

both_backends!(unshowable_times_mark_their_row, |db| {
    let bad_times: &[&str] = match db.pool() {
        Pool::Postgres(p) => {
            for (message, at) in [
                ("fine", "2026-11-30 12:00:00+00"),
                ("inf", "infinity"),
                ("neg", "-infinity"),
                ("far", "294000-01-01 00:00:00+00"),
            ] {
                sqlx::query(
                    "INSERT INTO audit_log (event_type, success, message, created_at, updated_at) \
                     VALUES ('search', true, $1, $2::timestamptz, now())",
                )
                .bind(message)
                .bind(at)
                .execute(p)
                .await
                .unwrap();
            }
            &["inf", "neg", "far"]
        }
        Pool::Sqlite(p) => {
            for (message, at) in [
                ("fine", "2026-11-30T12:00:00+00:00"),
                ("text", "not a time"),
                ("blob", "\u{1}\u{2}"),
            ] {
                sqlx::query(
                    "INSERT INTO audit_log (event_type, success, message, created_at, updated_at) \
                     VALUES ('search', 1, ?, ?, '2026-11-30T12:00:00+00:00')",
                )
                .bind(message)
                .bind(at)
                .execute(p)
                .await
                .unwrap();
            }
            &["text", "blob"]
        }
    };
    let mut c = db.conn().await.unwrap();
    for descending in [true, false] {
        let query = ListQuery {
            sort: Some(Sort {
                column: "id".into(),
                descending,
            }),
            ..Default::default()
        };
        let page = list_table(&mut c, Table::AuditLog, &query).await.unwrap();
        assert_eq!(page.rows.len(), bad_times.len() + 1);
        let marked: Vec<&serde_json::Map<String, serde_json::Value>> = page
            .rows
            .iter()
            .filter(|r| r.contains_key(UNREADABLE))
            .collect();
        assert_eq!(marked.len(), bad_times.len(), "{:?}", page.rows);
        for row in &marked {
            let why = row[UNREADABLE].as_str().unwrap();
            assert!(why.contains("created_at"), "{why}");
            assert!(row["id"].as_i64().is_some(), "a marked row keeps its id");
        }
        let fine = page
            .rows
            .iter()
            .find(|r| r.get("message") == Some(&"fine".into()));
        assert!(fine.is_some(), "the readable row is listed");
    }
    drop(c);

    // an export writes every row and says how many could not be read
    let ctx = common::ctx(&db, "admin@corp.test");
    whodis_core::ops::users::bootstrap_admin(&ctx, "admin@corp.test")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.csv");
    let exported = export_rows(
        &ctx,
        ExportRows {
            table: Table::AuditLog.name().into(),
            query: ListQuery {
                filters: vec![whodis_core::list::Filter::parse("event_type=eq:search").unwrap()],
                ..Default::default()
            },
            format: ExportFormat::Csv,
            path: path.display().to_string(),
            time_zone: None,
        },
        |_| Ok(()),
    )
    .await
    .unwrap();
    assert_eq!(exported.rows, bad_times.len() as u64 + 1);
    assert_eq!(exported.unreadable, bad_times.len() as u64);
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert_eq!(lines as u64, exported.rows + 1, "a header and every row");
});

both_backends!(an_expiry_past_any_date_is_refused, |db| {
    let mut c = db.conn().await.unwrap();
    let mut session = Session {
        session_id: "s".repeat(40),
        user_email: "a@corp.test".into(),
        last_activity: whodis_core::time::now(),
        expires_at: whodis_core::time::now(),
        ..Default::default()
    };
    session.save(&mut c).await.unwrap();
    let before = session.clone();
    for seconds in [i64::MAX, i64::MAX / 1_000_000, 400_000 * 365 * 86_400] {
        let err = expirable::extend_expiration(&mut c, &mut session, seconds)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("seconds"), "{seconds}: {err}");
    }
    assert_eq!(session, before);
});
