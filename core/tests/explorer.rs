//! The explorer on databases of the sibling systems, written by their own SQLAlchemy models
//! (`tests/fixtures/siblings/fixture.py`), on both backends: every table listed with its keys
//! and links both ways, secret columns masked, foreign-key columns filtered like any other,
//! keyset paging over integer and text keys, and expiry filters counting what the fixture
//! expired.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use serde_json::{json, Value as Json};
use whodis_core::explore::Badge;
use whodis_core::list::{Filter, FilterOp, ListQuery, Sort};
use whodis_core::ops::explore;
use whodis_core::{Backend, Ctx, Db, DbUrl};

/// Creates and fills a sibling system's database with its own ORM; returns `make`'s JSON.
fn make(system: &str, url: &DbUrl) -> Json {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/siblings/fixture.py"
    );
    let out = Command::new("python3")
        .args([
            script,
            "make",
            "--system",
            system,
            "--url",
            &url.to_string(),
        ])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "fixture.py make {system} failed (pip install -r tests/server/requirements.txt?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn open(backend: Backend, system: &str) -> (common::Empty, Db, Ctx, Json) {
    let empty = common::empty(backend).await;
    let made = make(system, &empty.url);
    let db = Db::open(&empty.url).await.unwrap();
    let ctx = common::ctx(&db, "admin@example.com");
    (empty, db, ctx, made)
}

fn eq(column: &str, value: Json) -> Filter {
    Filter {
        column: column.into(),
        op: FilterOp::Eq(value),
    }
}

fn query(filters: Vec<Filter>) -> ListQuery {
    ListQuery {
        filters,
        ..Default::default()
    }
}

/// Every row of a table, page by page through the cursors; checks no row comes twice.
async fn all_ids(ctx: &Ctx, table: &str, sort: Option<Sort>, limit: u32) -> Vec<Json> {
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let q = ListQuery {
            sort: sort.clone(),
            limit: Some(limit),
            cursor: cursor.clone(),
            skip_total: true,
            ..Default::default()
        };
        let page = explore::list(ctx, table, &q).await.unwrap();
        ids.extend(page.rows.iter().map(|r| r["id"].clone()));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut unique = ids.clone();
    unique.sort_by_key(|v| v.to_string());
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{table}: a row came twice");
    ids
}

async fn total(ctx: &Ctx, table: &str, filters: Vec<Filter>) -> i64 {
    explore::count(ctx, table, &query(filters))
        .await
        .unwrap()
        .value
}

async fn tables_listed(ctx: &Ctx, made: &Json) -> Vec<whodis_core::explore::TableSummary> {
    let tables = explore::tables(ctx).await.unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    for (name, _) in made["tables"].as_object().unwrap() {
        assert!(
            names.contains(&name.as_str()),
            "{name} not listed: {names:?}"
        );
    }
    tables
}

fn summary<'a>(
    tables: &'a [whodis_core::explore::TableSummary],
    name: &str,
) -> &'a whodis_core::explore::TableSummary {
    tables.iter().find(|t| t.name == name).unwrap()
}

fn has_badge(t: &whodis_core::explore::TableSummary, column: &str, badge: Badge) -> bool {
    t.columns
        .iter()
        .any(|c| c.name == column && c.badges.contains(&badge))
}

async fn reviewpoint(backend: Backend) {
    let (empty, db, ctx, made) = open(backend, "reviewpoint").await;
    let facts = &made["facts"];
    assert!(!db.shape().is_whodis());
    let tables = tables_listed(&ctx, &made).await;

    // files.user_id → users.id, and users lists files among its children
    let files = summary(&tables, "files");
    let col = files.columns.iter().find(|c| c.name == "user_id").unwrap();
    assert_eq!(col.references.as_deref(), Some("users.id"));
    let users = summary(&tables, "users");
    assert!(users.referenced_by.iter().any(|fk| fk.table == "files"));
    assert_eq!(users.primary_key, vec!["id"]);

    // secrets by name: never listed
    assert!(has_badge(users, "hashed_password", Badge::Secret));
    assert!(has_badge(
        summary(&tables, "blacklisted_tokens"),
        "jti",
        Badge::Secret
    ));
    assert!(has_badge(
        summary(&tables, "used_password_reset_tokens"),
        "nonce",
        Badge::Secret
    ));
    assert!(has_badge(users, "created_at", Badge::StoreTimestamp));
    assert!(has_badge(
        summary(&tables, "blacklisted_tokens"),
        "expires_at",
        Badge::Expires
    ));
    let page = explore::list(&ctx, "users", &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(
        page.rows.len() as i64,
        made["tables"]["users"].as_i64().unwrap()
    );
    for row in &page.rows {
        assert!(!row.contains_key("hashed_password"), "{row:?}");
        assert!(row["email"].is_string() && row["id"].is_i64());
    }
    let page = explore::list(&ctx, "blacklisted_tokens", &ListQuery::default())
        .await
        .unwrap();
    assert!(page.rows.iter().all(|r| !r.contains_key("jti")));
    let err = explore::list(
        &ctx,
        "users",
        &query(vec![eq("hashed_password", json!("x"))]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "invalid", "{err}");

    // user → files through the foreign key column
    let owner = facts["user_id_with_files"].clone();
    assert_eq!(
        total(&ctx, "files", vec![eq("user_id", owner.clone())]).await,
        facts["files_of_that_user"].as_i64().unwrap()
    );
    let page = explore::list(&ctx, "files", &query(vec![eq("user_id", owner.clone())]))
        .await
        .unwrap();
    assert!(page.rows.iter().all(|r| r["user_id"] == owner));

    // expired tokens, as a cleanup would count them
    let expired = |table: &'static str| {
        let ctx = &ctx;
        async move {
            total(
                ctx,
                table,
                vec![Filter {
                    column: "expires_at".into(),
                    op: FilterOp::Lt(json!("2026-12-01T00:00:00Z")),
                }],
            )
            .await
        }
    };
    assert_eq!(
        expired("blacklisted_tokens").await,
        facts["expired_blacklisted_tokens"].as_i64().unwrap()
    );
    assert_eq!(
        expired("used_password_reset_tokens").await,
        facts["expired_reset_tokens"].as_i64().unwrap()
    );
    // a table that is not there
    let err = explore::list(&ctx, "no_such_table", &ListQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "invalid", "{err}");
    assert!(
        err.to_string().contains("no table 'no_such_table'"),
        "{err}"
    );
    db.close().await;
    empty.cleanup().await;
}

async fn llm(backend: Backend) {
    let (empty, db, ctx, made) = open(backend, "llm").await;
    let facts = &made["facts"];
    let tables = tables_listed(&ctx, &made).await;
    let users = summary(&tables, "users");
    let dept = users
        .columns
        .iter()
        .find(|c| c.name == "department_id")
        .unwrap();
    assert_eq!(dept.references.as_deref(), Some("departments.id"));
    assert!(dept.badges.contains(&Badge::ForeignKey));
    assert!(summary(&tables, "departments")
        .referenced_by
        .iter()
        .any(|fk| fk.table == "users"));
    assert!(summary(&tables, "conversations")
        .referenced_by
        .iter()
        .any(|fk| fk.table == "chat_messages"));

    // conversation → its messages, and every message paged through exactly once, newest first
    assert_eq!(
        total(
            &ctx,
            "chat_messages",
            vec![eq("conversation_id", facts["conversation_id"].clone())]
        )
        .await,
        facts["messages_in_conversation"].as_i64().unwrap()
    );
    let ids = all_ids(&ctx, "chat_messages", None, 37).await;
    assert_eq!(
        ids.len() as i64,
        made["tables"]["chat_messages"].as_i64().unwrap()
    );
    let ids = all_ids(
        &ctx,
        "usage_logs",
        Some(Sort {
            column: "id".into(),
            descending: false,
        }),
        64,
    )
    .await;
    let ints: Vec<i64> = ids.iter().map(|v| v.as_i64().unwrap()).collect();
    assert!(ints.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        ints.len() as i64,
        made["tables"]["usage_logs"].as_i64().unwrap()
    );

    // usage logs of a department reached through the user's foreign key
    let user = explore::list(
        &ctx,
        "users",
        &query(vec![eq("id", facts["user_id"].clone())]),
    )
    .await
    .unwrap();
    assert_eq!(user.rows[0]["department_id"], facts["user_department_id"]);
    assert_eq!(
        total(
            &ctx,
            "usage_logs",
            vec![eq("department_id", facts["department_id"].clone())]
        )
        .await,
        facts["usage_logs_with_that_department_id"]
            .as_i64()
            .unwrap()
    );
    // decimals arrive exactly, as text; JSON as JSON
    let configs = explore::list(&ctx, "llm_configurations", &ListQuery::default())
        .await
        .unwrap();
    assert!(configs
        .rows
        .iter()
        .all(|r| !r.contains_key("api_key_encrypted")));
    assert!(configs
        .rows
        .iter()
        .any(|r| r["cost_per_1k_input_tokens"].is_string()));
    db.close().await;
    empty.cleanup().await;
}

async fn points(backend: Backend) {
    let (empty, db, ctx, made) = open(backend, "points").await;
    let facts = &made["facts"];
    let tables = tables_listed(&ctx, &made).await;
    let users = summary(&tables, "users");
    assert!(has_badge(users, "hashed_password", Badge::Secret));
    assert!(summary(&tables, "user_activity_logs")
        .referenced_by
        .is_empty());
    assert!(users
        .referenced_by
        .iter()
        .any(|fk| fk.table == "user_activity_logs" && fk.columns == ["user_id"]));
    // text primary keys page like integer ones
    let ids = all_ids(&ctx, "users", None, 7).await;
    assert_eq!(ids.len() as i64, made["tables"]["users"].as_i64().unwrap());
    assert!(ids.iter().all(Json::is_string));
    assert_eq!(
        total(
            &ctx,
            "user_activity_logs",
            vec![eq("user_id", facts["user_id"].clone())]
        )
        .await,
        facts["activity_logs_of_user"].as_i64().unwrap()
    );
    db.close().await;
    empty.cleanup().await;
}

/// `mod $system { fn sqlite(); fn postgres(); }`, so the suite sees each on both backends.
macro_rules! on_both {
    ($($system:ident),*) => {$(
        mod $system {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$system(whodis_core::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$system(whodis_core::Backend::Postgres).await;
            }
        }
    )*};
}

on_both!(reviewpoint, llm, points);
