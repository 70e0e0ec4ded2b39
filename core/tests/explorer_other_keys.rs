//! A table keyed by a UUID, with a date column: types the app knows only by their text. On
//! both backends its pages follow one another by the key, a filter on either column selects
//! what it says, and a row is edited and deleted by its UUID (PostgreSQL compares through a
//! cast to the column's own type, so a text value meets a uuid or date column, and its index).
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Map, Value as Json};
use whodis_core::list::{Filter, FilterOp, ListQuery};
use whodis_core::models::User;
use whodis_core::ops::rows::{DeleteTableRow, EditRow};
use whodis_core::ops::{explore, run, Ctx};
use whodis_core::{Backend, Db};

const TABLE: &str = "devices";
const ROWS: u32 = 250;

/// A UUID for row `i`, scattered so the key's order is not the insertion order.
fn uuid(i: u32) -> String {
    let h = i.wrapping_mul(2_654_435_761);
    format!("{h:08x}-0000-4000-8000-{i:012x}")
}

/// Row `i` was bought on day `i % 60` of 2026.
fn bought(i: u32) -> String {
    let day =
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(i % 60));
    day.format("%Y-%m-%d").to_string()
}

async fn devices(db: &Db) {
    let (key, date) = match db.backend() {
        Backend::Sqlite => ("UUID PRIMARY KEY NOT NULL", "DATE"),
        Backend::Postgres => ("uuid PRIMARY KEY", "date"),
    };
    let ddl = format!("CREATE TABLE devices (id {key}, name TEXT NOT NULL, bought {date})");
    let mut c = db.conn().await.unwrap();
    whodis_core::exec::execute_planned(&mut c, &ddl)
        .await
        .unwrap();
    let values: Vec<String> = (0..ROWS)
        .map(|i| format!("('{}', 'device {i}', '{}')", uuid(i), bought(i)))
        .collect();
    let insert = format!(
        "INSERT INTO devices (id, name, bought) VALUES {}",
        values.join(", ")
    );
    whodis_core::exec::execute_planned(&mut c, &insert)
        .await
        .unwrap();
    drop(c);
    db.refresh_shape().await.unwrap();
}

fn filter(column: &str, op: FilterOp) -> Filter {
    Filter {
        column: column.into(),
        op,
    }
}

async fn rows(ctx: &Ctx, filters: Vec<Filter>) -> Vec<Map<String, Json>> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let q = ListQuery {
            filters: filters.clone(),
            cursor: cursor.take(),
            limit: Some(100),
            ..Default::default()
        };
        let page = explore::list_any(ctx, TABLE, &q).await.unwrap();
        all.extend(page.rows);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return all,
        }
    }
}

fn ids(rows: &[Map<String, Json>]) -> Vec<String> {
    rows.iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(uuid_keys_page_filter_edit_and_delete, |db| {
    devices(&db).await;
    User::new("admin@corp.test", "admin")
        .save(&mut db.conn().await.unwrap())
        .await
        .unwrap();
    let ctx = common::ctx(&db, "admin@corp.test");

    // three pages by the UUID key: every row once, in the key's order (the default: down)
    let all = rows(&ctx, vec![]).await;
    let mut expected: Vec<String> = (0..ROWS).map(uuid).collect();
    expected.sort_by(|a, b| b.cmp(a));
    assert!(
        ids(&all) == expected,
        "the pages skip, repeat or misorder rows"
    );

    // a filter on each: the key by equality, the date by range
    let one = uuid(17);
    let found = rows(&ctx, vec![filter("id", FilterOp::Eq(json!(one)))]).await;
    assert_eq!(ids(&found), std::slice::from_ref(&one));
    assert_eq!(found[0]["bought"], json!(bought(17)));
    let february = rows(
        &ctx,
        vec![
            filter("bought", FilterOp::Gte(json!("2026-02-01"))),
            filter("bought", FilterOp::Lt(json!("2026-02-10"))),
        ],
    )
    .await;
    let in_range = (0..ROWS)
        .filter(|i| ("2026-02-01".to_owned()..="2026-02-09".to_owned()).contains(&bought(*i)))
        .count();
    assert_eq!(february.len(), in_range);
    assert!(in_range > 0);

    // a value the type refuses: said so on PostgreSQL, without the value; no row on SQLite
    let q = ListQuery {
        filters: vec![filter("id", FilterOp::Eq(json!("not-a-uuid-7")))],
        ..Default::default()
    };
    match db.backend() {
        Backend::Postgres => {
            let err = explore::list_any(&ctx, TABLE, &q).await.unwrap_err();
            assert_eq!(err.kind(), "invalid", "{err}");
            assert!(err.to_string().contains("type uuid"), "{err}");
            assert!(!err.to_string().contains("not-a-uuid-7"), "{err}");
        }
        Backend::Sqlite => {
            assert!(explore::list_any(&ctx, TABLE, &q)
                .await
                .unwrap()
                .rows
                .is_empty());
        }
    }

    // edited and deleted by its UUID
    let key: Map<String, Json> = json!({ "id": one }).as_object().unwrap().clone();
    run(
        &ctx,
        EditRow {
            table: TABLE.into(),
            key: key.clone(),
            expected: found[0].clone(),
            changes: json!({ "name": "renamed device" })
                .as_object()
                .unwrap()
                .clone(),
        },
    )
    .await
    .unwrap();
    let edited = rows(&ctx, vec![filter("id", FilterOp::Eq(json!(one)))]).await;
    assert_eq!(edited[0]["name"], json!("renamed device"));
    run(
        &ctx,
        DeleteTableRow {
            table: TABLE.into(),
            key,
            expected: edited[0].clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(rows(&ctx, vec![]).await.len(), ROWS as usize - 1);
});
