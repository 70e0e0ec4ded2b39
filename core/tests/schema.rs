//! Migrations and the schema itself, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::dialect::{column_names, table_names};
use whodis_core::Table;

both_backends!(schema_matches_the_models, |db| {
    let mut c = db.conn().await.unwrap();
    let mut expected: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    expected.sort();
    assert_eq!(table_names(&mut c).await.unwrap(), expected);
    for t in Table::ALL {
        let mut in_db = column_names(&mut c, t.name()).await.unwrap();
        let mut in_model: Vec<String> = t.columns().iter().map(|c| c.name.to_owned()).collect();
        in_db.sort();
        in_model.sort();
        assert_eq!(in_db, in_model, "columns of {}", t.name());
    }
});

both_backends!(migrations_go_down_and_up_again, |db| {
    assert_eq!(db.applied_versions().await.unwrap(), vec![1, 2, 3, 4]);
    db.downgrade(2).await.unwrap();
    let mut c = db.conn().await.unwrap();
    let names = table_names(&mut c).await.unwrap();
    assert!(!names.contains(&"job_codes".to_owned()) && names.contains(&"audit_log".to_owned()));
    db.downgrade(0).await.unwrap();
    assert!(
        table_names(&mut c).await.unwrap().is_empty(),
        "no tables left"
    );
    assert!(db.applied_versions().await.unwrap().is_empty());
    db.migrate().await.unwrap();
    assert_eq!(table_names(&mut c).await.unwrap().len(), Table::ALL.len());
    assert_eq!(db.applied_versions().await.unwrap(), vec![1, 2, 3, 4]);
    assert!(db.downgrade(-1).await.is_err());
});

/// Tables whose rows the demo bulk-loads with times it generates (relative to its anchor); every
/// other table is written through the store, which stamps `created_at`/`updated_at` itself.
const BULK_LOADED: [Table; 3] = [Table::AuditLog, Table::AccessAttempts, Table::ErrorLog];

/// Every table's rows, by id, with what legitimately depends on the moment of the fill taken
/// out: the store's `created_at`/`updated_at` of rows saved one by one are dropped (the time
/// each save ran); every other time (expiries, last activity, role assignments, the log rows'
/// own times) is kept as its offset in microseconds from the fill's anchor, and a profile's
/// `hire_date` as its number of days before the anchor's date. The anchor is read back from the
/// demo's `genesys` API token, which expires exactly one hour after it.
async fn demo_dump(db: &whodis_core::Db) -> Vec<(Table, Vec<serde_json::Value>)> {
    use serde_json::{json, Value};
    use whodis_core::model;
    let mut c = db.conn().await.unwrap();
    let parse = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let tokens: Vec<whodis_core::models::ApiToken> =
        model::find(&mut c, sea_query::Condition::all())
            .await
            .unwrap();
    let genesys = tokens
        .iter()
        .find(|t| t.service_name == "genesys")
        .expect("the demo's genesys token");
    let anchor = genesys.expires_at - chrono::TimeDelta::hours(1);
    let mut out = Vec::new();
    for &t in Table::ALL {
        let rows: Vec<serde_json::Map<String, Value>> = whodis_core::with_model!(t, M => {
            let rows: Vec<M> = model::find(&mut c, sea_query::Condition::all()).await.unwrap();
            rows.iter().map(|r| model::to_dict(r, &[])).collect()
        });
        let times: Vec<&str> = t
            .columns()
            .iter()
            .filter(|c| c.kind == whodis_core::model::ColumnKind::Timestamp)
            .map(|c| c.name)
            .collect();
        let rows = rows
            .into_iter()
            .map(|mut row| {
                for name in &times {
                    let stamp = matches!(*name, "created_at" | "updated_at");
                    if stamp && !BULK_LOADED.contains(&t) {
                        row.remove(*name);
                    } else if let Some(v) = row.get_mut(*name).filter(|v| !v.is_null()) {
                        *v = json!((parse(v) - anchor).num_microseconds());
                    }
                }
                if let Some(Value::Object(k)) = row.get_mut("keystone_data") {
                    if let Some(hired) = k.get_mut("hire_date") {
                        let date =
                            chrono::NaiveDate::parse_from_str(hired.as_str().unwrap(), "%Y-%m-%d")
                                .unwrap();
                        *hired = json!((anchor.date_naive() - date).num_days());
                    }
                }
                Value::Object(row)
            })
            .collect();
        out.push((t, rows));
    }
    out
}

both_backends!(demo_data_is_complete_and_deterministic, |db| {
    use futures_util::FutureExt;
    let options = whodis_core::demo::DemoOptions::default();
    let summary = whodis_core::demo::fill(&db, options).await.unwrap();
    assert_eq!(summary.users, 50);
    assert_eq!(summary.employee_profiles, 1000);
    assert_eq!(
        summary.audit_log + summary.access_attempts + summary.error_log,
        20_000
    );
    let stats = whodis_core::ops::summary(&common::ctx(&db, "tests@whodis.test"))
        .await
        .unwrap();
    assert_eq!(stats.tables["EmployeeProfile"].total, 1000);
    assert!(
        stats.expired["Session"] > 0
            && stats.expired["SearchCache"] > 0
            && stats.expired["ApiToken"] == 1
    );
    let roles = whodis_core::list::ListQuery {
        filters: vec![whodis_core::list::Filter::parse("role=eq:admin").unwrap()],
        ..Default::default()
    };
    assert_eq!(
        whodis_core::list::list_table(&mut db.conn().await.unwrap(), Table::Users, &roles)
            .await
            .unwrap()
            .rows
            .len(),
        5
    );

    // deterministic: a second fresh database filled with the same options holds the same rows
    let first = demo_dump(&db).await;
    for (t, rows) in &first {
        assert_eq!(
            rows.len() as i64,
            stats.tables[t.model_name()].total,
            "the dump of {} holds every row",
            t.name()
        );
    }
    let other = common::fresh(db.backend()).await;
    let second = std::panic::AssertUnwindSafe(async {
        let again = whodis_core::demo::fill(&other.db, options).await.unwrap();
        (again, demo_dump(&other.db).await)
    })
    .catch_unwind()
    .await;
    other.cleanup().await;
    let (again, second) = second.unwrap_or_else(|p| std::panic::resume_unwind(p));
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&summary).unwrap()
    );
    for ((t, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a.len(), b.len(), "rows of {}", t.name());
        if let Some((x, y)) = a.iter().zip(b).find(|(x, y)| x != y) {
            panic!("{} differs between two fills:\n{x}\n{y}", t.name());
        }
    }
    assert!(
        first.iter().all(|(_, rows)| !rows.is_empty()),
        "every table has demo rows"
    );

    // a second fill is refused and changes nothing
    assert!(matches!(
        whodis_core::demo::fill(&db, Default::default()).await,
        Err(whodis_core::Error::Conflict { .. })
    ));
    assert_eq!(
        whodis_core::ops::summary(&common::ctx(&db, "tests@whodis.test"))
            .await
            .unwrap()
            .tables,
        stats.tables
    );
});

#[tokio::test]
async fn connection_errors_are_clear_and_never_echo_passwords() {
    let url = whodis_core::DbUrl::parse("postgres://admin:hunter2@127.0.0.1:1/whodis").unwrap();
    let err = whodis_core::Db::open(&url).await.err().unwrap();
    let msg = err.to_string();
    assert_eq!(err.kind(), "database");
    assert!(
        msg.contains("cannot open") && msg.contains("127.0.0.1:1"),
        "{msg}"
    );
    assert!(!msg.contains("hunter2"), "{msg}");
}

/// A viewer's PostgreSQL login may be read-only (README: "Let PostgreSQL enforce read-only"):
/// opening an up-to-date database must not write, and the server then refuses changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_postgres_login_opens_an_up_to_date_database() {
    let fresh = common::fresh(whodis_core::Backend::Postgres).await;
    let name = fresh.url.to_string();
    let name = name.rsplit('/').next().unwrap().to_owned();
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&common::pg_admin_url())
        .await
        .unwrap();
    sqlx::query(&format!(
        "ALTER DATABASE {name} SET default_transaction_read_only = on"
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    let outcome = async {
        let db = whodis_core::Db::open(&fresh.url).await?;
        let summary = whodis_core::ops::summary(&common::ctx(&db, "viewer@corp.test")).await?;
        let write = whodis_core::ops::users::bootstrap_admin(
            &common::ctx(&db, "first@corp.test"),
            "first@corp.test",
        )
        .await;
        db.close().await;
        Ok::<_, whodis_core::Error>((summary.schema_version, write))
    }
    .await;
    fresh.cleanup().await;
    let (version, write) = outcome.expect("a read-only login opens an up-to-date database");
    assert!(version > 0);
    let err = write.expect_err("the server refuses writes");
    assert!(err.to_string().contains("read-only"), "{err}");
}
