//! The fuzz suite: generated requests — list queries (filters, sorts, cursors, limits, table
//! names), writes (emails, roles, configuration paths and values, Keystone JSON, expiry
//! seconds, ids and versions), and the text parsers (CLI filters, recovery strings, database
//! URLs) — on both backends. Every request either succeeds or fails with a typed error a user
//! can act on (never a raw database error), nothing panics, and a failed write changes no row.
//! Failing cases are kept in `fuzz.proptest-regressions` and replayed first on every run.
#![allow(clippy::unwrap_used)]

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_json::{json, Value as Json};
use whodis_core::config::Protection;
use whodis_core::list::{list_table, Filter, FilterOp, ListQuery, Sort};
use whodis_core::models::*;
use whodis_core::ops::{self, Role};
use whodis_core::{Db, Table};

/// Cases per property and backend: 2 × (2,500 + 1,500) on the backends plus 2,000 parser cases
/// make 10,000 a run.
const LIST_CASES: u32 = 2_500;
const WRITE_CASES: u32 = 1_500;
const PARSER_CASES: u32 = 2_000;

/// The errors bad input may give: each says what to change.
const TYPED: [&str; 5] = [
    "invalid",
    "forbidden",
    "conflict",
    "not_found",
    "key_missing",
];

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    })
}

/// Text of every kind that breaks naive code: empty, long, NUL, quotes, SQL and LIKE
/// metacharacters, non-ASCII, times and numbers in text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z]{1,12}",
        "[ -~]{0,40}",
        "\\PC{0,20}",
        Just("\u{0}".to_owned()),
        Just("x\u{0}y".to_owned()),
        Just("%_\\'\"".to_owned()),
        Just("'; DROP TABLE users; --".to_owned()),
        Just("2026-01-31T12:00:00Z".to_owned()),
        Just("9999-12-31".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999".to_owned()),
        "[a-z@.]{1,300}",
        Just("z".repeat(5_000)),
    ]
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Json::from),
        text().prop_map(Json::from),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::from),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

fn table() -> impl Strategy<Value = Table> {
    prop::sample::select(Table::ALL.to_vec())
}

/// A real column of some table, or a made-up name.
fn column() -> impl Strategy<Value = String> {
    let real: Vec<String> = Table::ALL
        .iter()
        .flat_map(|t| t.columns())
        .map(|c| c.name.to_owned())
        .collect();
    prop_oneof![
        4 => prop::sample::select(real),
        1 => text(),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    let op = prop_oneof![
        json_value().prop_map(FilterOp::Eq),
        json_value().prop_map(FilterOp::Ne),
        text().prop_map(FilterOp::Contains),
        json_value().prop_map(FilterOp::Gt),
        json_value().prop_map(FilterOp::Gte),
        json_value().prop_map(FilterOp::Lt),
        json_value().prop_map(FilterOp::Lte),
        Just(FilterOp::IsNull),
        Just(FilterOp::NotNull),
    ];
    (column(), op).prop_map(|(column, op)| Filter { column, op })
}

fn query() -> impl Strategy<Value = ListQuery> {
    (
        prop::collection::vec(filter(), 0..3),
        prop::option::of((column(), any::<bool>())),
        prop::option::of(prop_oneof![0u32..3, 1u32..600, Just(u32::MAX)]),
        prop::option::of(prop_oneof![text(), "[A-Za-z0-9_-]{0,80}"]),
    )
        .prop_map(|(filters, sort, limit, cursor)| ListQuery {
            filters,
            sort: sort.map(|(column, descending)| Sort { column, descending }),
            limit,
            cursor,
        })
}

/// A small database with NULLs, secrets and every kind of column in use.
async fn seed(db: &Db) -> whodis_core::Ctx {
    let ctx = common::ctx(db, "fuzz.admin@corp.example");
    ops::users::bootstrap_admin(&ctx, "fuzz.admin@corp.example")
        .await
        .unwrap();
    let mut c = db.conn().await.unwrap();
    for (i, query) in [Some("ada"), None, Some("bob")].into_iter().enumerate() {
        AuditLog {
            event_type: Some("search".into()),
            success: Some(i % 2 == 0),
            search_query: query.map(str::to_owned),
            session_id: Some(format!("{i:0>40}")),
            additional_data: Some(json!({"n": i})),
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
    }
    Session {
        session_id: "s".repeat(40),
        user_email: "ada@corp.example".into(),
        last_activity: whodis_core::time::now(),
        expires_at: whodis_core::time::now(),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap();
    EmployeeProfile {
        email: "ada@corp.example".into(),
        keystone_data: Some(json!({"job_code": "CSR1"})),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap();
    whodis_core::config::config_set(&mut c, None, "ldap.server", "ldap://x", Protection::Plain)
        .await
        .unwrap();
    ctx
}

/// Every row of every table a failed request must leave alone (the logs of refusals and
/// errors are how a failure is recorded, so they are left out).
async fn snapshot(db: &Db) -> String {
    let mut out = String::new();
    let mut c = db.conn().await.unwrap();
    for t in Table::ALL {
        if matches!(t, Table::AccessAttempts | Table::ErrorLog) {
            continue;
        }
        let page = list_table(
            &mut c,
            *t,
            &ListQuery {
                limit: Some(500),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        out.push_str(&serde_json::to_string(&page.rows).unwrap());
    }
    out
}

fn typed(e: &whodis_core::Error) -> Result<(), TestCaseError> {
    prop_assert!(TYPED.contains(&e.kind()), "untyped error {}: {e}", e.kind());
    Ok(())
}

/// Runs an async block from inside a proptest case (the test's runtime is multi-threaded).
fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

both_backends!(generated_list_requests_fail_typed_and_never_panic, |db| {
    seed(&db).await;
    runner(LIST_CASES)
        .run(&(table(), query()), |(t, q)| {
            let result = block(async { list_table(&mut db.conn().await.unwrap(), t, &q).await });
            match result {
                Ok(page) => {
                    let limit = q.limit.unwrap_or(whodis_core::list::DEFAULT_PAGE_SIZE);
                    prop_assert!(page.rows.len() <= limit as usize);
                }
                Err(e) => typed(&e)?,
            }
            Ok(())
        })
        .unwrap();
});

#[derive(Debug, Clone)]
enum WriteRequest {
    CreateUser(String, Role),
    SetConfig(String, String, Protection),
    UpdateProfile(i64, Option<Json>, Option<Json>),
    Extend(i64, i64),
    Delete(i64, bool),
    Import(String),
}

fn write_request() -> impl Strategy<Value = WriteRequest> {
    let role = prop::sample::select(vec![Role::Admin, Role::Editor, Role::Viewer]);
    let protection = prop::sample::select(vec![
        Protection::Auto,
        Protection::Encrypt,
        Protection::Plain,
    ]);
    let path = prop_oneof![
        text(),
        ("[a-z]{1,8}", "[a-z_]{1,20}").prop_map(|(c, k)| format!("{c}.{k}"))
    ];
    let id = prop_oneof![Just(1i64), -2i64..5, any::<i64>()];
    prop_oneof![
        (text(), role).prop_map(|(e, r)| WriteRequest::CreateUser(e, r)),
        (path, text(), protection).prop_map(|(p, v, pr)| WriteRequest::SetConfig(p, v, pr)),
        (
            id.clone(),
            prop::option::of(json_value()),
            prop::option::of(json_value())
        )
            .prop_map(|(i, b, k)| WriteRequest::UpdateProfile(i, b, k)),
        (id.clone(), any::<i64>()).prop_map(|(i, s)| WriteRequest::Extend(i, s)),
        (id, any::<bool>()).prop_map(|(i, fresh)| WriteRequest::Delete(i, fresh)),
        text().prop_map(WriteRequest::Import),
    ]
}

async fn apply(ctx: &whodis_core::Ctx, req: WriteRequest) -> whodis_core::Result<()> {
    use whodis_core::ops::expiring::{DeleteExpiring, ExpiringTable, ExtendExpiration};
    let version = |id: i64| async move {
        whodis_core::model::get_by_id::<Session>(&mut ctx.db.conn().await.unwrap(), id)
            .await
            .ok()
            .flatten()
            .and_then(|s| whodis_core::model::Model::updated_at(&s))
    };
    match req {
        WriteRequest::CreateUser(email, role) => {
            ops::run(ctx, ops::users::CreateUser { email, role })
                .await
                .map(drop)
        }
        WriteRequest::SetConfig(path, value, protection) => ops::run(
            ctx,
            ops::settings::SetConfig {
                path,
                value: whodis_core::crypto::SecretString::new(value),
                protection,
                expected_updated_at: None,
            },
        )
        .await
        .map(drop),
        WriteRequest::UpdateProfile(id, based_on, keystone_data) => ops::run(
            ctx,
            ops::directory::UpdateProfile {
                id,
                expected_updated_at: None,
                based_on,
                keystone_data,
            },
        )
        .await
        .map(drop),
        WriteRequest::Extend(id, seconds) => {
            let expected_updated_at = version(id).await;
            ops::run(
                ctx,
                ExtendExpiration {
                    table: ExpiringTable::Sessions,
                    id,
                    expected_updated_at,
                    seconds,
                },
            )
            .await
        }
        WriteRequest::Delete(id, fresh) => {
            let expected_updated_at = if fresh { version(id).await } else { None };
            ops::run(
                ctx,
                DeleteExpiring {
                    table: ExpiringTable::SearchCache,
                    id,
                    expected_updated_at,
                },
            )
            .await
        }
        WriteRequest::Import(text) => ops::run(
            ctx,
            ops::settings::KeyImport {
                recovery: whodis_core::crypto::SecretString::new(text),
            },
        )
        .await
        .map(drop),
    }
}

both_backends!(generated_writes_fail_typed_and_change_nothing, |db| {
    let ctx = seed(&db).await;
    runner(WRITE_CASES)
        .run(&write_request(), |req| {
            let before = block(snapshot(&db));
            let result = block(apply(&ctx, req.clone()));
            if let Err(e) = result {
                typed(&e)?;
                let after = block(snapshot(&db));
                prop_assert_eq!(before, after, "{:?} failed ({}) but changed rows", req, e);
            }
            Ok(())
        })
        .unwrap();
});

#[test]
fn generated_text_parses_or_is_refused_clearly() {
    let input = prop_oneof![
        text(),
        "[a-z_]{1,10}=[a-z]{0,8}:?[ -~]{0,20}",
        "whodis-key1-[A-Za-z0-9_-]{0,90}"
    ];
    runner(PARSER_CASES)
        .run(&input, |s| {
            // where a secret may be pasted (a key, a URL with a password), an error never
            // quotes the input back; names and filters may be
            for (result, may_quote) in [
                (Filter::parse(&s).map(drop), true),
                (Table::parse(&s).map(drop), true),
                (whodis_core::crypto::RecoveryKey::parse(&s).map(drop), false),
                (whodis_core::DbUrl::parse(&s).map(drop), false),
            ] {
                if let Err(e) = result {
                    prop_assert_eq!(e.kind(), "invalid", "{}", e);
                    if !may_quote && s.len() > 12 {
                        prop_assert!(!e.to_string().contains(&s), "{} quotes {:?}", e, s);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

// Failures the fuzzer found, kept as plain cases (proptest also replays its saved seeds).
both_backends!(seeds_the_fuzzer_found, |db| {
    let ctx = seed(&db).await;
    // a NUL in an email reached PostgreSQL as a raw "invalid byte sequence" error
    for req in [
        WriteRequest::CreateUser("\u{0}".into(), Role::Admin),
        WriteRequest::SetConfig("ldap.\u{0}".into(), "x".into(), Protection::Plain),
    ] {
        let err = apply(&ctx, req.clone()).await.unwrap_err();
        assert_eq!(err.kind(), "invalid", "{req:?}: {err}");
    }
    // a recovery string pasted where a database URL goes was quoted back in the error
    let pasted = "whodis-key1-0AA0_-a--";
    let err = whodis_core::DbUrl::parse(pasted).unwrap_err().to_string();
    assert!(!err.contains(pasted), "{err}");
});
