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

both_backends!(demo_data_is_complete_and_deterministic, |db| {
    let summary = whodis_core::demo::fill(&db, whodis_core::demo::DemoOptions::default())
        .await
        .unwrap();
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
    // a second fill is refused and changes nothing
    assert!(whodis_core::demo::fill(&db, Default::default())
        .await
        .is_err());
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
