//! Database health on both backends: the report's figures follow what the database holds
//! (rows inserted show up as rows and bytes, an index is listed under its table, 500 tables
//! are all there), and Analyze is an admin's audited operation that a viewer cannot run.
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::exec::execute_planned;
use whodis_core::health::{DatabaseHealth, TableHealth};
use whodis_core::model::{self, Model};
use whodis_core::models::{AccessAttempt, AuditLog, User};
use whodis_core::ops::health::{report, Analyze};
use whodis_core::ops::run;
use whodis_core::{Backend, Db};

async fn add_user(db: &Db, email: &str, role: &str) {
    let mut u = User::new(email, role);
    u.save(&mut db.conn().await.unwrap()).await.unwrap();
}

async fn sql(db: &Db, statement: &str) {
    execute_planned(&mut db.conn().await.unwrap(), statement)
        .await
        .unwrap();
}

/// A table with an index of its own, for the figures to follow.
async fn make_probe(db: &Db) {
    let id = match db.backend() {
        Backend::Sqlite => "id INTEGER PRIMARY KEY",
        Backend::Postgres => "id BIGSERIAL PRIMARY KEY",
    };
    sql(db, &format!("CREATE TABLE health_probe ({id}, note TEXT)")).await;
    sql(
        db,
        "CREATE INDEX health_probe_note_idx ON health_probe (note)",
    )
    .await;
}

async fn insert_probe_rows(db: &Db, n: i64) {
    let statement = match db.backend() {
        Backend::Sqlite => format!(
            "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n}) \
             INSERT INTO health_probe (note) SELECT hex(zeroblob(100)) || i FROM g"
        ),
        Backend::Postgres => format!(
            "INSERT INTO health_probe (note) \
             SELECT repeat('x', 200) || g FROM generate_series(1, {n}) g"
        ),
    };
    sql(db, &statement).await;
}

fn table<'a>(h: &'a DatabaseHealth, name: &str) -> &'a TableHealth {
    h.tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the report"))
}

async fn rows_of<M: Model>(db: &Db) -> Vec<M> {
    model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
        .await
        .unwrap()
}

both_backends!(figures_follow_the_data_and_analyze_is_audited, |db| {
    add_user(&db, "admin@corp.test", "admin").await;
    make_probe(&db).await;
    let ctx = common::ctx(&db, "admin@corp.test");
    let before = report(&ctx).await.unwrap();
    assert_eq!(before.backend, db.backend());
    assert!(before.table_sizes_available, "{:?}", before.notes);
    // our own tables are there, with their indexes
    let users = table(&before, "users");
    assert!(!users.indexes.is_empty(), "users has indexes");
    let probe = table(&before, "health_probe");
    let index_names: Vec<&str> = probe.indexes.iter().map(|i| i.name.as_str()).collect();
    assert!(
        index_names.contains(&"health_probe_note_idx"),
        "{index_names:?}"
    );
    if db.backend() == Backend::Postgres {
        assert!(
            index_names.contains(&"health_probe_pkey"),
            "{index_names:?}"
        );
        assert_eq!(probe.last_analyze, None);
    } else {
        assert_eq!(probe.live_rows, Some(0));
        let pages = before.pages.clone().unwrap();
        assert_eq!(before.database_bytes, pages.page_size * pages.page_count);
    }

    insert_probe_rows(&db, 2000).await;
    let analyzed = run(&ctx, Analyze {}).await.unwrap();
    assert!(analyzed.skipped.is_empty(), "{:?}", analyzed.skipped);
    assert_eq!(
        analyzed.tables,
        before.tables.len() as i64,
        "every table analyzed"
    );

    let after = report(&ctx).await.unwrap();
    let probe_after = table(&after, "health_probe");
    assert_eq!(probe_after.live_rows, Some(2000));
    // 2,000 rows of 200+ bytes: well over 400 KB in the table and in its note index
    assert!(
        probe_after.table_bytes.unwrap() >= 400_000,
        "{probe_after:?}"
    );
    assert!(
        probe_after.table_bytes.unwrap() > probe.table_bytes.unwrap(),
        "{probe:?} → {probe_after:?}"
    );
    let note_index = |t: &TableHealth| {
        t.indexes
            .iter()
            .find(|i| i.name == "health_probe_note_idx")
            .and_then(|i| i.bytes)
            .unwrap()
    };
    assert!(note_index(probe_after) >= 400_000, "{probe_after:?}");
    assert!(note_index(probe_after) > note_index(probe));
    assert!(probe_after.index_bytes.unwrap() >= note_index(probe_after));
    assert!(after.database_bytes > before.database_bytes);
    let all_tables: i64 = after
        .tables
        .iter()
        .map(|t| t.table_bytes.unwrap() + t.index_bytes.unwrap())
        .sum();
    assert!(after.database_bytes >= all_tables);
    if db.backend() == Backend::Postgres {
        assert_eq!(probe_after.dead_rows, Some(0));
        assert!(probe_after.last_analyze.is_some(), "{probe_after:?}");
    } else {
        assert_eq!(probe_after.dead_rows, None);
        assert_eq!(probe_after.last_analyze, None, "SQLite records no time");
    }

    // the operation's audit row
    let audit = rows_of::<AuditLog>(&db).await.pop().unwrap();
    let data = audit.additional_data.clone().unwrap();
    assert_eq!(data["operation"], "database.analyze");
    assert_eq!(data["tables"], analyzed.tables);
    assert_eq!(audit.user_email.as_deref(), Some("admin@corp.test"));
    assert!(audit.message.unwrap().starts_with("Analyzed the database"));
});

/// Whether the probe table has planner statistics: SQLite's sqlite_stat1 rows, PostgreSQL's
/// last manual analyze.
async fn probe_analyzed(db: &Db, ctx: &whodis_core::Ctx) -> bool {
    match db.backend() {
        Backend::Sqlite => {
            let mut c = db.conn().await.unwrap();
            whodis_core::dialect::table_exists(&mut c, "sqlite_stat1")
                .await
                .unwrap()
        }
        Backend::Postgres => {
            let h = report(ctx).await.unwrap();
            table(&h, "health_probe").last_analyze.is_some()
        }
    }
}

both_backends!(a_viewer_gets_the_report_but_not_analyze, |db| {
    add_user(&db, "viewer@corp.test", "viewer").await;
    make_probe(&db).await;
    insert_probe_rows(&db, 50).await;
    let ctx = common::ctx(&db, "viewer@corp.test");
    let h = report(&ctx).await.unwrap();
    assert!(h.tables.iter().any(|t| t.name == "health_probe"));
    let (audits, denials) = (
        rows_of::<AuditLog>(&db).await.len(),
        rows_of::<AccessAttempt>(&db).await.len(),
    );
    let err = run(&ctx, Analyze {}).await.unwrap_err();
    assert_eq!(err.kind(), "forbidden", "{err}");
    assert!(err.to_string().contains("admin"), "{err}");
    assert_eq!(rows_of::<AuditLog>(&db).await.len(), audits);
    let attempts = rows_of::<AccessAttempt>(&db).await;
    assert_eq!(attempts.len(), denials + 1);
    let denial = attempts.last().unwrap();
    assert_eq!(denial.resource.as_deref(), Some("database.analyze"));
    assert_eq!(denial.required_role.as_deref(), Some("admin"));
    assert!(!probe_analyzed(&db, &ctx).await, "the refusal analyzed");
    // the same table, analyzed by an admin: the check above can see a change
    add_user(&db, "admin@corp.test", "admin").await;
    let admin = common::ctx(&db, "admin@corp.test");
    run(&admin, Analyze {}).await.unwrap();
    assert!(probe_analyzed(&db, &admin).await);
});

both_backends!(five_hundred_tables_are_all_reported, |db| {
    add_user(&db, "admin@corp.test", "admin").await;
    let mut tx = db.begin().await.unwrap();
    for i in 0..500 {
        let statement = format!("CREATE TABLE many_{i:03} (id INTEGER PRIMARY KEY, v TEXT)");
        execute_planned(&mut tx, &statement).await.unwrap();
        if i % 50 == 0 {
            let index = format!("CREATE INDEX many_{i:03}_v ON many_{i:03} (v)");
            execute_planned(&mut tx, &index).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    let ctx = common::ctx(&db, "admin@corp.test");
    let h = report(&ctx).await.unwrap();
    let many: Vec<&TableHealth> = h
        .tables
        .iter()
        .filter(|t| t.name.starts_with("many_"))
        .collect();
    assert_eq!(many.len(), 500);
    assert!(many.iter().all(|t| t.table_bytes.is_some()));
    let indexed: Vec<&str> = many
        .iter()
        .filter(|t| t.indexes.iter().any(|i| i.name == format!("{}_v", t.name)))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(indexed.len(), 10, "{indexed:?}");
    assert_eq!(indexed[5], "many_250");
    let analyzed = run(&ctx, Analyze {}).await.unwrap();
    assert_eq!(analyzed.tables, h.tables.len() as i64);
});

/// A PostgreSQL login that may only read (SELECT, not owner): it gets the whole report, and
/// its Analyze is refused by the database, saying so, with nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_postgres_login_gets_the_report_and_a_clear_refusal() {
    common::run(Backend::Postgres, |db| async move {
        add_user(&db, "admin@corp.test", "admin").await;
        make_probe(&db).await;
        let role = format!("whodis_ro_{}", std::process::id());
        let whodis_core::db::Pool::Postgres(pool) = db.pool() else {
            unreachable!("a PostgreSQL test")
        };
        let database: String = sqlx::query_scalar("SELECT current_database()::text")
            .fetch_one(pool)
            .await
            .unwrap();
        sql(&db, &format!("DROP ROLE IF EXISTS {role}")).await;
        sql(&db, &format!("CREATE ROLE {role} LOGIN")).await;
        sql(
            &db,
            &format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"),
        )
        .await;
        let base = common::pg_admin_url();
        let host = &base[base.find('@').unwrap() + 1..base.rfind('/').unwrap()];
        let url =
            whodis_core::DbUrl::parse(&format!("postgres://{role}@{host}/{database}")).unwrap();
        let outcome = std::panic::AssertUnwindSafe(async {
            let ro = Db::open(&url).await.unwrap();
            let ctx = common::ctx(&ro, "admin@corp.test");
            let h = report(&ctx).await.unwrap();
            assert!(h.database_bytes > 0);
            assert!(table(&h, "health_probe").table_bytes.is_some());
            assert!(table(&h, "users").indexes.len() > 1);
            let audits = rows_of::<AuditLog>(&db).await.len();
            let err = run(&ctx, Analyze {}).await.unwrap_err();
            let text = err.to_string();
            assert_eq!(err.kind(), "database", "{text}");
            assert!(text.contains("refused ANALYZE"), "{text}");
            assert!(text.contains(&role), "{text}");
            assert_eq!(rows_of::<AuditLog>(&db).await.len(), audits);
            let h = report(&ctx).await.unwrap();
            assert_eq!(table(&h, "health_probe").last_analyze, None);
            ro.close().await;
        });
        let outcome = futures_util::FutureExt::catch_unwind(outcome).await;
        sql(&db, &format!("DROP OWNED BY {role}")).await;
        sql(&db, &format!("DROP ROLE {role}")).await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    })
    .await;
}
