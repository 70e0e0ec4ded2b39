//! The explorer's writes on a WhoDis database, to a table the server has and the app has no
//! model for (`blocked_numbers`): each needs an admin, a refusal changes nothing and lands in
//! `access_attempts`, a success writes its `audit_log` row (never a revealed value), and
//! WhoDis's own tables are left to their own operations.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Map, Value as Json};
use whodis_core::model::Model;
use whodis_core::models::{AccessAttempt, AuditLog, User};
use whodis_core::ops::rows::{DeleteTableRow, EditRow, InsertRow, RemoveExpired, RevealValue};
use whodis_core::ops::{explore, run, Ctx};
use whodis_core::{Db, Error};

const TABLE: &str = "blocked_numbers";

/// The server's extra table, with a secret-named column and an expiry.
async fn extra_table(db: &Db) {
    let ddl = match db.backend() {
        whodis_core::Backend::Sqlite => {
            "CREATE TABLE blocked_numbers (id INTEGER PRIMARY KEY, phone_number VARCHAR(32) \
             NOT NULL UNIQUE, reason TEXT, unblock_token VARCHAR(64), expires_at DATETIME, \
             created_at DATETIME, updated_at DATETIME)"
        }
        whodis_core::Backend::Postgres => {
            "CREATE TABLE blocked_numbers (id SERIAL PRIMARY KEY, phone_number VARCHAR(32) \
             NOT NULL UNIQUE, reason TEXT, unblock_token VARCHAR(64), expires_at TIMESTAMP, \
             created_at TIMESTAMP, updated_at TIMESTAMP)"
        }
    };
    let mut c = db.conn().await.unwrap();
    whodis_core::exec::execute_planned(&mut c, ddl)
        .await
        .unwrap();
    let insert = "INSERT INTO blocked_numbers (phone_number, reason, unblock_token, expires_at) \
                  VALUES ('+15550001', 'spam', 'tok-secret-1', '2020-01-01 00:00:00'), \
                         ('+15550002', 'fraud', 'tok-secret-2', '2099-01-01 00:00:00')";
    whodis_core::exec::execute_planned(&mut c, insert)
        .await
        .unwrap();
    drop(c);
    db.refresh_shape().await.unwrap();
}

fn obj(v: Json) -> Map<String, Json> {
    v.as_object().unwrap().clone()
}

async fn rows(ctx: &Ctx) -> Vec<Map<String, Json>> {
    let q = whodis_core::list::ListQuery {
        sort: Some(whodis_core::list::Sort {
            column: "id".into(),
            descending: false,
        }),
        ..Default::default()
    };
    explore::list_any(ctx, TABLE, &q).await.unwrap().rows
}

async fn count<M: Model>(db: &Db) -> i64 {
    whodis_core::utilities::count_rows::<M>(&mut db.conn().await.unwrap())
        .await
        .unwrap()
}

fn ok<T>(r: Result<T, Error>) -> Result<(), Error> {
    r.map(|_| ())
}

/// Every explorer write, as one operator runs it; the operation names in order.
async fn every_write(
    ctx: &Ctx,
    first: &Map<String, Json>,
) -> Vec<(&'static str, Result<(), Error>)> {
    let key = obj(json!({ "id": first["id"] }));
    vec![
        (
            "rows.insert",
            ok(run(
                ctx,
                InsertRow {
                    table: TABLE.into(),
                    values: obj(json!({ "phone_number": "+15550003", "reason": "robocalls" })),
                },
            )
            .await),
        ),
        (
            "rows.edit",
            ok(run(
                ctx,
                EditRow {
                    table: TABLE.into(),
                    key: key.clone(),
                    expected: first.clone(),
                    changes: obj(json!({ "reason": "spam, confirmed" })),
                },
            )
            .await),
        ),
        (
            "rows.reveal",
            ok(run(
                ctx,
                RevealValue {
                    table: TABLE.into(),
                    key: key.clone(),
                    column: "unblock_token".into(),
                },
            )
            .await),
        ),
        (
            "rows.remove_expired",
            ok(run(
                ctx,
                RemoveExpired {
                    table: TABLE.into(),
                },
            )
            .await),
        ),
    ]
}

both_backends!(explorer_writes_need_an_admin_and_are_audited, |db| {
    extra_table(&db).await;
    for (email, role) in [
        ("viewer@corp.test", "viewer"),
        ("editor@corp.test", "editor"),
    ] {
        User::new(email, role)
            .save(&mut db.conn().await.unwrap())
            .await
            .unwrap();
        let ctx = common::ctx(&db, email);
        let before = rows(&ctx).await;
        let (audits, denials) = (
            count::<AuditLog>(&db).await,
            count::<AccessAttempt>(&db).await,
        );
        for (name, outcome) in every_write(&ctx, &before[0]).await {
            let err = outcome.unwrap_err();
            assert_eq!(err.kind(), "forbidden", "{role} {name}: {err}");
        }
        assert_eq!(rows(&ctx).await, before, "{role}: nothing changed");
        assert_eq!(count::<AuditLog>(&db).await, audits);
        assert_eq!(
            count::<AccessAttempt>(&db).await,
            denials + 4,
            "each refusal recorded"
        );
    }

    User::new("admin@corp.test", "admin")
        .save(&mut db.conn().await.unwrap())
        .await
        .unwrap();
    let ctx = common::ctx(&db, "admin@corp.test");
    let before = rows(&ctx).await;
    // the token is masked in the list, and the list never sends it
    assert!(before[0].get("unblock_token").is_none_or(Json::is_null));
    let audits = count::<AuditLog>(&db).await;
    for (name, outcome) in every_write(&ctx, &before[0]).await {
        outcome.unwrap_or_else(|e| panic!("admin {name}: {e}"));
    }
    assert_eq!(
        count::<AuditLog>(&db).await,
        audits + 4,
        "one audit row each"
    );
    let after = rows(&ctx).await;
    // the expired +15550001 went; the edit before it was made; the insert is there
    let phones: Vec<&Json> = after.iter().map(|r| &r["phone_number"]).collect();
    assert_eq!(phones, [&json!("+15550002"), &json!("+15550003")]);
    assert!(
        after[1]["created_at"].is_string(),
        "the store's timestamp was set"
    );

    let log: Vec<AuditLog> =
        whodis_core::model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
            .await
            .unwrap();
    let ours: Vec<&AuditLog> = log.iter().rev().take(4).collect();
    let operations: Vec<Json> = ours
        .iter()
        .rev()
        .map(|a| a.additional_data.as_ref().unwrap()["operation"].clone())
        .collect();
    assert_eq!(
        operations,
        [
            json!("rows.insert"),
            json!("rows.edit"),
            json!("rows.reveal"),
            json!("rows.remove_expired")
        ]
    );
    let edit = ours[2].additional_data.as_ref().unwrap();
    assert_eq!(edit["entity"], json!(TABLE));
    assert_eq!(
        edit["changes"]["reason"],
        json!({ "before": "spam", "after": "spam, confirmed" })
    );
    let text = serde_json::to_string(&log).unwrap();
    assert!(
        !text.contains("tok-secret"),
        "a revealed value is never recorded"
    );

    // a WhoDis table is changed through its own operations, not the explorer's
    let err = run(
        &ctx,
        RemoveExpired {
            table: "sessions".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "invalid", "{err}");
    let err = run(
        &ctx,
        DeleteTableRow {
            table: "users".into(),
            key: obj(json!({ "id": 1 })),
            expected: Map::new(),
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("its own screen"), "{err}");
});
