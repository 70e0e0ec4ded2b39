//! Bytes cells of an explored table, on both backends (the table made while the database is
//! open, found when the catalog is read again): a list carries each cell's size (never
//! its bytes), a preview names an image by its first bytes and shows them in hex, a whole cell
//! loads for the window's image view up to a limit, and bytes kept as a secret, columns that do
//! not hold bytes and WhoDis's own photos are refused.
#![allow(clippy::unwrap_used)]

mod common;

use sea_query::{Alias, Query};
use serde_json::{json, Map, Value as Json};
use whodis_core::list::{ListQuery, Sort};
use whodis_core::models::User;
use whodis_core::ops::cell_bytes::{self, MAX_LOADED_BYTES};
use whodis_core::ops::explore;
use whodis_core::{Backend, Ctx, Db};

const TABLE: &str = "attachments";

fn png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// 1,000 bytes counting 0, 1, … 255, 0, 1, …: not an image.
fn counting() -> Vec<u8> {
    (0..1000).map(|i| (i % 256) as u8).collect()
}

/// A table a sibling system keeps files in: an image, other bytes, an empty cell, a cell too
/// large to load, and a secret kept as bytes.
async fn attachments(db: &Db) {
    let ddl = match db.backend() {
        Backend::Sqlite => {
            "CREATE TABLE attachments (id INTEGER PRIMARY KEY, name TEXT NOT NULL, \
             content BLOB, secret_key BLOB)"
        }
        Backend::Postgres => {
            "CREATE TABLE attachments (id SERIAL PRIMARY KEY, name TEXT NOT NULL, \
             content BYTEA, secret_key BYTEA)"
        }
    };
    let mut c = db.conn().await.unwrap();
    whodis_core::exec::execute_planned(&mut c, ddl)
        .await
        .unwrap();
    let huge = vec![0u8; MAX_LOADED_BYTES as usize + 1];
    for (name, content) in [
        ("photo.png", Some(png())),
        ("report.bin", Some(counting())),
        ("empty", None),
        ("huge.bin", Some(huge)),
    ] {
        let insert = Query::insert()
            .into_table(Alias::new(TABLE))
            .columns([
                Alias::new("name"),
                Alias::new("content"),
                Alias::new("secret_key"),
            ])
            .values_panic([name.into(), content.into(), b"k3y".to_vec().into()])
            .to_owned();
        whodis_core::exec::execute(&mut c, &insert).await.unwrap();
    }
}

fn key(id: i64) -> Map<String, Json> {
    json!({ "id": id }).as_object().unwrap().clone()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn listed(ctx: &Ctx) -> Vec<Map<String, Json>> {
    let q = ListQuery {
        sort: Some(Sort {
            column: "id".into(),
            descending: false,
        }),
        ..Default::default()
    };
    explore::list_any(ctx, TABLE, &q).await.unwrap().rows
}

both_backends!(bytes_cells_show_their_size_and_preview, |db| {
    User::new("viewer@corp.test", "viewer")
        .save(&mut db.conn().await.unwrap())
        .await
        .unwrap();
    // reading bytes is a read: a viewer may
    let ctx = common::ctx(&db, "viewer@corp.test");
    attachments(&db).await;
    let (png, counting) = (png(), counting());
    // made while the app had the database open: found once the catalog is read again
    let names = |tables: Vec<whodis_core::explore::TableSummary>| {
        tables.into_iter().map(|t| t.name).collect::<Vec<_>>()
    };
    assert!(!names(explore::tables(&ctx).await.unwrap()).contains(&TABLE.to_owned()));
    assert!(names(explore::reread_tables(&ctx).await.unwrap()).contains(&TABLE.to_owned()));

    let rows = listed(&ctx).await;
    let sizes: Vec<&Json> = rows.iter().map(|r| &r["content"]).collect();
    assert_eq!(
        sizes,
        [
            &json!(png.len()),
            &json!(1000),
            &Json::Null,
            &json!(MAX_LOADED_BYTES + 1)
        ]
    );
    for row in &rows {
        assert!(row.get("secret_key").is_none_or(Json::is_null), "{row:?}");
    }

    let image = cell_bytes::preview(&ctx, TABLE, "content", &key(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(image.size, png.len() as i64);
    assert_eq!(image.content_type.as_deref(), Some("image/png"));
    assert_eq!(image.head_hex, hex(&png[..png.len().min(256)]));
    assert!(image.loadable);
    let other = cell_bytes::preview(&ctx, TABLE, "content", &key(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.content_type, None);
    assert_eq!(other.head_hex, hex(&counting[..256]));
    let huge = cell_bytes::preview(&ctx, TABLE, "content", &key(4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(huge.size, MAX_LOADED_BYTES + 1);
    assert!(!huge.loadable);
    assert_eq!(
        cell_bytes::preview(&ctx, TABLE, "content", &key(3))
            .await
            .unwrap(),
        None
    );

    assert_eq!(
        cell_bytes::load(&ctx, TABLE, "content", &key(1))
            .await
            .unwrap(),
        Some(png)
    );
    assert_eq!(
        cell_bytes::load(&ctx, TABLE, "content", &key(3))
            .await
            .unwrap(),
        None
    );
    let err = cell_bytes::load(&ctx, TABLE, "content", &key(4))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than the 16 MiB"), "{err}");

    for (table, column, key, expected) in [
        (TABLE, "secret_key", key(1), "holds a secret"),
        (TABLE, "name", key(1), "does not hold bytes"),
        (TABLE, "nope", key(1), "has no column 'nope'"),
        (TABLE, "content", key(99), "has no row with that key"),
        (
            TABLE,
            "content",
            json!({"name": "photo.png"}).as_object().unwrap().clone(),
            "is not part of attachments's key",
        ),
        (
            "employee_profiles",
            "photo_data",
            key(1),
            "is a WhoDis table",
        ),
    ] {
        let err = cell_bytes::preview(&ctx, table, column, &key)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(expected),
            "{table}.{column}: {err}"
        );
        let err = cell_bytes::load(&ctx, table, column, &key)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(expected),
            "{table}.{column}: {err}"
        );
        // the refusal never carries the bytes
        assert!(!err.to_string().contains("k3y"), "{err}");
    }
});
