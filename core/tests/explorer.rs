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
use whodis_core::journal::Outcome;
use whodis_core::list::{Filter, FilterOp, ListQuery, Sort};
use whodis_core::ops::{self, explore, rows};
use whodis_core::{Backend, Ctx, Db, DbUrl};

/// Creates and fills a sibling system's database with its own ORM; returns `make`'s JSON.
fn make(system: &str, url: &DbUrl) -> Json {
    fixture("make", system, url)
}

/// Every row of every table, as the system's own ORM reads them (`fixture.py dump`).
fn dump(system: &str, url: &DbUrl) -> Json {
    fixture("dump", system, url)
}

fn fixture(action: &str, system: &str, url: &DbUrl) -> Json {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/siblings/fixture.py"
    );
    let out = Command::new("python3")
        .args([
            script,
            action,
            "--system",
            system,
            "--url",
            &url.to_string(),
        ])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "fixture.py {action} {system} failed (pip install -r tests/server/requirements.txt?): {}",
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
    remove_expired_tokens(&empty.url, &db, facts).await;
    reveal_password_hash(&db, facts).await;

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

/// "Remove expired" on ReViewPoint's token tables: counted, refused without a journal to record
/// it in (nothing deleted), undone by a failure before the commit (the journal says so), then
/// done; what remains is what the fixture made valid, and ReViewPoint's ORM still reads it.
async fn remove_expired_tokens(url: &DbUrl, db: &Db, facts: &Json) {
    let journal_dir = tempfile::tempdir().unwrap();
    let ctx = common::ctx(db, "ops@example.com").with_journal_in(journal_dir.path());
    let remove = |table: &str| rows::RemoveExpired {
        table: table.to_owned(),
    };
    for (table, expired, valid) in [
        (
            "blacklisted_tokens",
            "expired_blacklisted_tokens",
            "valid_blacklisted_tokens",
        ),
        (
            "used_password_reset_tokens",
            "expired_reset_tokens",
            "valid_reset_tokens",
        ),
    ] {
        let (expired, valid) = (
            facts[expired].as_u64().unwrap(),
            facts[valid].as_i64().unwrap(),
        );
        assert_eq!(rows::count_expired(&ctx, table).await.unwrap(), expired);

        // no journal: no change
        let unrecorded = common::ctx(db, "ops@example.com");
        let err = ops::run(&unrecorded, remove(table)).await.unwrap_err();
        assert_eq!(err.kind(), "invalid", "{err}");
        assert!(err.to_string().contains("journal"), "{err}");
        assert_eq!(rows::count_expired(&ctx, table).await.unwrap(), expired);

        // a failure before the commit: rolled back, and the journal says it failed
        let failing = common::ctx(db, "ops@example.com")
            .with_journal_in(journal_dir.path())
            .with_fault(std::sync::Arc::new(|_: &str| {
                Err(whodis_core::Error::invalid("fault", "injected"))
            }));
        ops::run(&failing, remove(table)).await.unwrap_err();
        assert_eq!(rows::count_expired(&ctx, table).await.unwrap(), expired);
        let failed = failing.journal().unwrap().entries().unwrap().pop().unwrap();
        assert_eq!(
            (failed.outcome, failed.details["entity"].clone()),
            (Outcome::Failed, json!(table))
        );

        let done = ops::run(&ctx, remove(table)).await.unwrap();
        assert_eq!((done.table.as_str(), done.removed), (table, expired));
        assert_eq!(rows::count_expired(&ctx, table).await.unwrap(), 0);
        assert_eq!(total(&ctx, table, vec![]).await, valid);

        let committed = ctx.journal().unwrap().entries().unwrap().pop().unwrap();
        assert_eq!(committed.outcome, Outcome::Committed);
        assert_eq!(committed.operator, "ops@example.com");
        assert_eq!(committed.details["entity"], json!(table));
        assert_eq!(committed.details["removed"], json!(expired));
    }
    // a table whose rows do not expire
    let err = ops::run(&ctx, remove("files")).await.unwrap_err();
    assert!(err.to_string().contains("no expires_at"), "{err}");
    // what is left, read by ReViewPoint's own models
    let after = dump("reviewpoint", url);
    for (table, valid) in [
        ("blacklisted_tokens", "valid_blacklisted_tokens"),
        ("used_password_reset_tokens", "valid_reset_tokens"),
    ] {
        let rows = after["tables"][table].as_array().unwrap();
        assert_eq!(rows.len() as i64, facts[valid].as_i64().unwrap());
        assert!(rows
            .iter()
            .all(|r| r["expires_at"].as_str().unwrap() > "2026-12-01"));
    }
}

/// A masked value shown on request: the value itself, with a record naming the column and row
/// and never the value; an unmasked column is refused (it is listed whole anyway).
async fn reveal_password_hash(db: &Db, facts: &Json) {
    let journal_dir = tempfile::tempdir().unwrap();
    let ctx = common::ctx(db, "ops@example.com").with_journal_in(journal_dir.path());
    let reveal = |column: &str| rows::RevealValue {
        table: "users".into(),
        key: obj(json!({ "id": facts["user_id_with_files"] })),
        column: column.into(),
    };
    let hash = ops::run(&ctx, reveal("hashed_password")).await.unwrap();
    let hash = hash.as_str().unwrap().to_owned();
    assert!(
        hash.starts_with("$2b$"),
        "a bcrypt hash, as ReViewPoint stored it"
    );
    let entry = ctx.journal().unwrap().entries().unwrap().pop().unwrap();
    assert_eq!(entry.operation, "rows.reveal");
    assert_eq!(entry.details["column"], json!("hashed_password"));
    let recorded = serde_json::to_string(&entry).unwrap();
    assert!(
        !recorded.contains(&hash),
        "the journal never holds the value"
    );
    let err = ops::run(&ctx, reveal("email")).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        ("invalid", Some("column")),
        "{err}"
    );
}

/// Export of explored tables: a department's usage logs as JSON (every selected row), and users
/// as CSV without their password hashes; each export recorded in the journal.
async fn export_any_table(db_ctx: &Ctx, facts: &Json) {
    use whodis_core::ops::export::{export_rows, ExportFormat, ExportRows};
    let journal_dir = tempfile::tempdir().unwrap();
    let ctx = common::ctx(&db_ctx.db, "ops@example.com").with_journal_in(journal_dir.path());
    let dir = tempfile::tempdir().unwrap();
    let department = facts["department_id"].clone();
    let selected = query(vec![eq("department_id", department)]);
    let path = dir.path().join("usage.json");
    let done = export_rows(
        &ctx,
        ExportRows {
            table: "usage_logs".into(),
            query: selected.clone(),
            format: ExportFormat::Json,
            path: path.display().to_string(),
            time_zone: None,
        },
        |_| Ok(()),
    )
    .await
    .unwrap();
    let expected = facts["usage_logs_with_that_department_id"]
        .as_u64()
        .unwrap();
    assert_eq!(done.rows, expected);
    let logs: Vec<Json> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(logs.len() as u64, expected);
    assert!(logs
        .iter()
        .all(|l| l["department_id"] == facts["department_id"]));
    assert!(logs[0].get("time_to_first_token_ms").is_some());

    let path = dir.path().join("users.csv");
    let done = export_rows(
        &ctx,
        ExportRows {
            table: "users".into(),
            query: ListQuery::default(),
            format: ExportFormat::Csv,
            path: path.display().to_string(),
            time_zone: None,
        },
        |_| Ok(()),
    )
    .await
    .unwrap();
    assert!(done.rows > 0);
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("email") && !header.contains("hashed_password"),
        "{header}"
    );
    assert!(!text.contains("$2b$"), "no password hash in the file");
    let entries = ctx.journal().unwrap().entries().unwrap();
    let exports: Vec<&Json> = entries
        .iter()
        .filter(|e| e.operation == "rows.export")
        .map(|e| &e.details["entity"])
        .collect();
    assert_eq!(exports, [&json!("usage_logs"), &json!("users")]);
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

    export_any_table(&ctx, facts).await;

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
    activity(&ctx, facts).await;
    edit_and_delete(&empty.url, &db).await;

    // this users table has a role column of its own: an admin there is no WhoDis role here,
    // and no role is needed (the login is the boundary)
    let email: String = explore::list(&ctx, "users", &query(vec![eq("role", json!("admin"))]))
        .await
        .unwrap()
        .rows[0]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = common::ctx(&db, &email);
    let info = ops::session_info(&theirs).await.unwrap();
    assert_eq!((info.whodis, info.operator.role), (false, None));
    assert_eq!(info.read_only_reason, None);
    assert!(info.grants.iter().all(|g| g.allowed), "{:?}", info.grants);
    db.close().await;
    empty.cleanup().await;
}

fn obj(v: Json) -> serde_json::Map<String, Json> {
    v.as_object().unwrap().clone()
}

async fn row_of(ctx: &Ctx, table: &str, id: Json) -> serde_json::Map<String, Json> {
    let page = explore::list(ctx, table, &query(vec![eq("id", id)]))
        .await
        .unwrap();
    page.rows.into_iter().next().unwrap()
}

/// Editing and deleting single rows of the points backend: checked against the row as read
/// (every column where the table has no `updated_at`, else `updated_at`), bad values refused
/// with nothing changed, recorded in the journal, and read back by the system's own ORM.
async fn edit_and_delete(url: &DbUrl, db: &Db) {
    let journal_dir = tempfile::tempdir().unwrap();
    let ctx = common::ctx(db, "ops@example.com").with_journal_in(journal_dir.path());
    let edit = |table: &str, id: Json, expected: &serde_json::Map<String, Json>, changes: Json| {
        rows::EditRow {
            table: table.into(),
            key: obj(json!({ "id": id })),
            expected: expected.clone(),
            changes: obj(changes),
        }
    };
    // point_transactions has no updated_at: the whole row as read is compared
    let read = row_of(&ctx, "point_transactions", json!(1)).await;
    let saved = ops::run(
        &ctx,
        edit(
            "point_transactions",
            json!(1),
            &read,
            json!({ "description": "corrected by ops" }),
        ),
    )
    .await
    .unwrap();
    assert_eq!(saved["description"], json!("corrected by ops"));
    assert_eq!(saved["points"], read["points"]);
    let entry = ctx.journal().unwrap().entries().unwrap().pop().unwrap();
    assert_eq!(entry.outcome, Outcome::Committed);
    assert_eq!(entry.operation, "rows.edit");
    assert_eq!(
        entry.details["changes"]["description"],
        json!({ "before": read["description"], "after": "corrected by ops" })
    );
    // the same edit from the stale read: a conflict, nothing written
    let err = ops::run(
        &ctx,
        edit(
            "point_transactions",
            json!(1),
            &read,
            json!({ "points": 1 }),
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "conflict", "{err}");
    assert_eq!(row_of(&ctx, "point_transactions", json!(1)).await, saved);

    // bad values: each refused by name, nothing written
    for (changes, field) in [
        (json!({ "points": "many" }), "points"),
        (json!({ "points": null }), "points"),
        (json!({ "id": 99 }), "id"),
        (json!({ "no_such_column": 1 }), "no_such_column"),
        (json!({ "created_at": "yesterday" }), "created_at"),
    ] {
        let err = ops::run(&ctx, edit("point_transactions", json!(1), &saved, changes))
            .await
            .unwrap_err();
        assert_eq!((err.kind(), err.field()), ("invalid", Some(field)), "{err}");
    }
    let user = row_of(&ctx, "users", json!("user001")).await;
    let err = ops::run(
        &ctx,
        rows::EditRow {
            table: "users".into(),
            key: obj(json!({ "id": "user001" })),
            expected: user.clone(),
            changes: obj(json!({ "hashed_password": "x" })),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("hashed_password"), "{err}");
    assert_eq!(row_of(&ctx, "point_transactions", json!(1)).await, saved);

    // user_points has updated_at: it decides, and the store sets it on the edit
    let balance = row_of(&ctx, "user_points", json!(1)).await;
    let after = ops::run(
        &ctx,
        edit(
            "user_points",
            json!(1),
            &balance,
            json!({ "current_points": 7 }),
        ),
    )
    .await
    .unwrap();
    assert_eq!(after["current_points"], json!(7));
    assert_ne!(after["updated_at"], balance["updated_at"]);

    // delete: a row others point at is refused by the database; a leaf row goes
    let err = ops::run(
        &ctx,
        rows::DeleteTableRow {
            table: "users".into(),
            key: obj(json!({ "id": "user001" })),
            expected: user,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "database", "{err}");
    let before = total(&ctx, "point_transactions", vec![]).await;
    let stale = ops::run(
        &ctx,
        rows::DeleteTableRow {
            table: "point_transactions".into(),
            key: obj(json!({ "id": 1 })),
            expected: read,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(stale.kind(), "conflict", "{stale}");
    ops::run(
        &ctx,
        rows::DeleteTableRow {
            table: "point_transactions".into(),
            key: obj(json!({ "id": 1 })),
            expected: saved,
        },
    )
    .await
    .unwrap();
    assert_eq!(total(&ctx, "point_transactions", vec![]).await, before - 1);

    // insert: an integer key numbered by the database, store timestamps set, required columns
    // named when missing
    let insert = |table: &str, values: Json| rows::InsertRow {
        table: table.into(),
        values: obj(values),
    };
    let err = ops::run(
        &ctx,
        insert(
            "point_transactions",
            json!({ "giver_id": "user001", "points": 5 }),
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        ("invalid", Some("receiver_id")),
        "{err}"
    );
    let grant = ops::run(
        &ctx,
        insert(
            "point_transactions",
            json!({ "giver_id": "user001", "receiver_id": "user002", "points": 5,
                    "transaction_type": "bonus" }),
        ),
    )
    .await
    .unwrap();
    assert!(grant["id"].as_i64().unwrap() > 0, "{grant:?}");
    assert!(grant["created_at"].is_string(), "{grant:?}");
    // a text key given, a secret typed in and never shown back
    let newcomer = ops::run(
        &ctx,
        insert(
            "users",
            json!({ "id": "user999", "email": "new.comer@points.example", "role": "user",
                    "is_active": true, "hashed_password": "$2b$12$typedin" }),
        ),
    )
    .await
    .unwrap();
    assert_eq!(newcomer["id"], json!("user999"));
    let recorded = serde_json::to_string(&ctx.journal().unwrap().entries().unwrap()).unwrap();
    assert!(
        !recorded.contains("typedin"),
        "the journal never holds a secret typed in"
    );
    let err = ops::run(
        &ctx,
        insert(
            "users",
            json!({ "id": "user999", "email": "again@points.example",
                                "role": "user", "is_active": true, "hashed_password": "x" }),
        ),
    )
    .await
    .unwrap_err();
    assert!(matches!(err.kind(), "conflict" | "database"), "{err}");

    // the system's own models read what was written
    let after = dump("points", url);
    let users = after["tables"]["users"].as_array().unwrap();
    let user = users.iter().find(|u| u["id"] == json!("user999")).unwrap();
    assert_eq!(user["hashed_password"], json!("$2b$12$typedin"));
    assert!(after["tables"]["point_transactions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == grant["id"] && t["transaction_type"] == json!("bonus")));
    let txs = after["tables"]["point_transactions"].as_array().unwrap();
    assert!(txs.iter().all(|t| t["id"] != json!(1)));
    let points = after["tables"]["user_points"].as_array().unwrap();
    assert_eq!(
        points.iter().find(|p| p["id"] == json!(1)).unwrap()["current_points"],
        json!(7)
    );
}

/// Seed 004's computed `last_login` and activity status on the points backend's users,
/// which its sessions and activity logs refer to.
async fn activity(ctx: &Ctx, facts: &Json) {
    let columns = explore::columns_any(ctx, "users").await.unwrap();
    for name in ["last_activity_at", "last_login_at", "active"] {
        assert!(columns.iter().any(|c| c.name == name), "{name}");
    }
    // the fixture's "active" is as of 2026-12-01 over 30 days and nobody was seen since:
    // a window reaching back from now to the same day counts the same users
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let within = 30 + (chrono::Utc::now() - as_of).num_days();
    let active = ListQuery {
        within_days: Some(within),
        ..query(vec![eq("active", json!(true))])
    };
    let count = explore::count(ctx, "users", &active).await.unwrap().value;
    assert_eq!(
        count,
        facts["active_users_within_30_days_of_2026-12-01"]
            .as_i64()
            .unwrap()
    );
    let page = explore::list(ctx, "users", &active).await.unwrap();
    assert_eq!(page.rows.len() as i64, count);
    assert!(page.rows.iter().all(|r| r["active"] == json!(true)));

    // the user's last login: their newest session's start
    let user = explore::list(
        ctx,
        "users",
        &query(vec![eq("id", facts["user_id"].clone())]),
    )
    .await
    .unwrap();
    let at = |v: &Json| {
        let text = v.as_str().unwrap();
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.naive_utc())
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
            .unwrap()
    };
    assert_eq!(
        at(&user.rows[0]["last_login_at"]),
        at(&facts["last_login_of_user"])
    );

    // sorted by last activity, newest first; never-seen users (NULL) sort as the largest
    // values, so first going down, as on every list
    let by_activity = ListQuery {
        sort: Some(Sort {
            column: "last_activity_at".into(),
            descending: true,
        }),
        limit: Some(100),
        ..Default::default()
    };
    let rows = explore::list(ctx, "users", &by_activity)
        .await
        .unwrap()
        .rows;
    let seen: Vec<_> = rows.iter().map(|r| r["last_activity_at"].clone()).collect();
    let nulls = seen.iter().take_while(|v| v.is_null()).count();
    let times: Vec<_> = seen[nulls..].iter().map(at).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert!(
        nulls > 0 && nulls < seen.len(),
        "never-seen users first, then the rest"
    );

    // the sessions table itself has no such columns
    let sessions = explore::columns_any(ctx, "user_sessions").await.unwrap();
    assert!(!sessions.iter().any(|c| c.name == "active"));
}

/// Column defaults as each catalog writes them, on a database of ours (the sibling systems'
/// defaults are SQLAlchemy's, in Python, where no catalog sees them).
async fn defaults(backend: Backend) {
    let empty = common::empty(backend).await;
    let db = Db::open(&empty.url).await.unwrap();
    let ctx = common::ctx(&db, "admin@example.com");
    let tables = explore::tables(&ctx).await.unwrap();
    let users = summary(&tables, "users");
    let column = |name: &str| users.columns.iter().find(|c| c.name == name).unwrap();
    let role = column("role").default.clone().unwrap();
    assert!(role.contains("'viewer'"), "{role}");
    assert_eq!(column("email").default, None);
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

on_both!(reviewpoint, llm, points, defaults);
