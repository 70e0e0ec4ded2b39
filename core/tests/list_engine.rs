//! The list engine: filters, sorting, keyset pages and totals, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;

use serde_json::json;
use whodis_core::list::{list_table, Page};
use whodis_core::list::{CountKind, Filter, FilterOp, ListQuery, Sort, EXACT_COUNT_LIMIT};
use whodis_core::models::*;
use whodis_core::{Db, Table};

/// The list engine on a pooled connection (the permission check is tested in operations.rs).
async fn list_of(db: &Db, t: Table, query: &ListQuery) -> whodis_core::Result<Page> {
    list_table(&mut db.conn().await?, t, query).await
}

async fn seed_users(db: &Db, n: usize) {
    let mut tx = db.begin().await.unwrap();
    for i in 0..n {
        let role = ["admin", "editor", "viewer"][i % 3];
        User::new(format!("Person{i:03}@Example.com"), role)
            .save(&mut tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

fn q(filters: Vec<Filter>, sort: Option<(&str, bool)>, limit: u32) -> ListQuery {
    ListQuery {
        filters,
        sort: sort.map(|(c, d)| Sort {
            column: c.into(),
            descending: d,
        }),
        limit: Some(limit),
        cursor: None,
    }
}

async fn all_pages(
    db: &Db,
    t: Table,
    mut query: ListQuery,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let mut rows = Vec::new();
    loop {
        let page = list_of(db, t, &query).await.unwrap();
        rows.extend(page.rows);
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => return rows,
        }
    }
}

both_backends!(keyset_pages_visit_every_row_once_in_order, |db| {
    seed_users(&db, 53).await;
    for sort in [
        ("created_at", true),
        ("email", false),
        ("role", true),
        ("id", false),
    ] {
        let rows = all_pages(&db, Table::Users, q(vec![], Some(sort), 10)).await;
        assert_eq!(rows.len(), 53, "sort {sort:?}");
        let ids: HashSet<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.len(), 53, "no duplicates with sort {sort:?}");
        // compare typed values: serialized times trim trailing zeros, so text order would lie
        let keys: Vec<(Option<chrono::DateTime<chrono::Utc>>, Option<i64>, String)> = rows
            .iter()
            .map(|r| {
                let v = &r[sort.0];
                let time = v.as_str().and_then(whodis_core::list::parse_timestamp);
                (time, v.as_i64(), v.to_string())
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        if sort.1 {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "ordered by {sort:?}");
    }
});

both_backends!(filters_are_typed_and_case_insensitive, |db| {
    seed_users(&db, 30).await;
    let page = list_of(
        &db,
        Table::Users,
        &q(vec![Filter::parse("role=eq:admin").unwrap()], None, 500),
    )
    .await
    .unwrap();
    assert_eq!(page.rows.len(), 10);
    assert_eq!(page.total.value, 10);
    assert_eq!(page.total.kind, CountKind::Exact);
    let page = list_of(
        &db,
        Table::Users,
        &q(
            vec![Filter::parse("email=contains:PERSON01").unwrap()],
            None,
            500,
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        page.rows.len(),
        10,
        "person010..019, matched case-insensitively"
    );
    // a LIKE wildcard in the needle is literal
    let page = list_of(
        &db,
        Table::Users,
        &q(vec![Filter::parse("email=contains:%").unwrap()], None, 500),
    )
    .await
    .unwrap();
    assert_eq!(page.rows.len(), 0);
    let page = list_of(
        &db,
        Table::Users,
        &q(
            vec![
                Filter::parse("id=gte:5").unwrap(),
                Filter::parse("id=lt:9").unwrap(),
            ],
            None,
            500,
        ),
    )
    .await
    .unwrap();
    assert_eq!(page.rows.len(), 4);
    let page = list_of(
        &db,
        Table::Users,
        &q(
            vec![Filter::parse("created_at=gte:2000-01-01").unwrap()],
            None,
            500,
        ),
    )
    .await
    .unwrap();
    assert_eq!(page.rows.len(), 30);

    let mut c = db.conn().await.unwrap();
    for (name, active) in [("a", true), ("b", false), ("c", true)] {
        GenesysGroup::sync_from_service_data(
            &mut c,
            "genesys",
            &[json!({"id": name, "name": name, "active": active})],
        )
        .await
        .unwrap();
    }
    let f = Filter {
        column: "is_active".into(),
        op: FilterOp::Eq(json!(false)),
    };
    assert_eq!(
        list_of(&db, Table::GenesysGroups, &q(vec![f], None, 10))
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    let f = Filter::parse("additional_data=null:").unwrap();
    assert_eq!(
        list_of(&db, Table::GenesysGroups, &q(vec![f], None, 10))
            .await
            .unwrap()
            .rows
            .len(),
        3
    );
});

both_backends!(bad_list_input_is_refused_clearly, |db| {
    seed_users(&db, 3).await;
    let cases: Vec<(ListQuery, &str)> = vec![
        (
            q(vec![Filter::parse("nope=eq:1").unwrap()], None, 10),
            "filter",
        ),
        (q(vec![Filter::parse("id=eq:abc").unwrap()], None, 10), "id"),
        (q(vec![], Some(("updated_at", true)), 10), "sort"),
        (q(vec![], None, 0), "limit"),
        (q(vec![], None, 501), "limit"),
        (
            ListQuery {
                cursor: Some("garbage".into()),
                ..Default::default()
            },
            "cursor",
        ),
    ];
    for (query, field) in cases {
        let err = list_of(&db, Table::Users, &query).await.unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    }
    // a cursor of another table's list is refused
    let sessions_page = list_of(&db, Table::Users, &q(vec![], None, 1))
        .await
        .unwrap();
    let foreign = ListQuery {
        cursor: sessions_page.next_cursor.clone(),
        limit: Some(1),
        ..Default::default()
    };
    let err = list_of(&db, Table::AuditLog, &foreign).await.unwrap_err();
    assert!(err.to_string().contains("another table"), "{err}");
    // a cursor from one sort order is refused for another
    let page = list_of(&db, Table::Users, &q(vec![], Some(("email", false)), 1))
        .await
        .unwrap();
    let mut other = q(vec![], Some(("email", true)), 1);
    other.cursor = page.next_cursor;
    assert_eq!(
        list_of(&db, Table::Users, &other)
            .await
            .unwrap_err()
            .field(),
        Some("cursor")
    );
    // secrets cannot be probed through filters
    let f = Filter::parse("access_token=contains:a").unwrap();
    assert!(list_of(&db, Table::ApiTokens, &q(vec![f], None, 10))
        .await
        .is_err());
});

both_backends!(lists_return_the_safe_form_without_bytes, |db| {
    let mut c = db.conn().await.unwrap();
    ApiToken::upsert_token(&mut c, "genesys", "SECRET-TOKEN", 60, "Bearer")
        .await
        .unwrap();
    let mut p = EmployeeProfile {
        email: "p@example.com".into(),
        ..Default::default()
    };
    p.set_photo(whodis_core::demo::avatar_png("p", 32).unwrap())
        .unwrap();
    p.save(&mut c).await.unwrap();
    let page = list_of(&db, Table::ApiTokens, &ListQuery::default())
        .await
        .unwrap();
    assert!(!serde_json::to_string(&page)
        .unwrap()
        .contains("SECRET-TOKEN"));
    let page = list_of(&db, Table::EmployeeProfiles, &ListQuery::default())
        .await
        .unwrap();
    assert!(!page.rows[0].contains_key("photo_data"));
    assert_eq!(page.rows[0]["photo_content_type"], "image/png");
});

both_backends!(totals_switch_from_exact_to_bounded, |db| {
    // EXACT_COUNT_LIMIT + 5 audit rows through the bulk loader
    let mut tx = db.begin().await.unwrap();
    let now = whodis_core::time::now();
    use whodis_core::dialect::{bulk_insert, Cell};
    let rows: Vec<Vec<Cell>> = (0..EXACT_COUNT_LIMIT + 5)
        .map(|i| {
            vec![
                Cell::Text(if i % 2 == 0 {
                    "search".into()
                } else {
                    "admin".into()
                }),
                Cell::Bool(true),
                Cell::Time(now),
                Cell::Time(now),
            ]
        })
        .collect();
    bulk_insert(
        &mut tx,
        "audit_log",
        &["event_type", "success", "created_at", "updated_at"],
        &rows,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(EXACT_COUNT_LIMIT, 10_000, "the documented limit");
    // the estimator itself, not the list's floor under it, is close to the truth
    let truth = EXACT_COUNT_LIMIT + 5;
    let estimate = whodis_core::dialect::estimated_rows(&mut db.conn().await.unwrap(), "audit_log")
        .await
        .unwrap();
    assert!(
        (estimate - truth).abs() <= truth / 10,
        "estimate {estimate} for {truth} rows"
    );
    let page = list_of(&db, Table::AuditLog, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total.kind, CountKind::Estimate);
    assert!(
        (page.total.value - truth).abs() <= truth / 10,
        "{:?}",
        page.total
    );
    let f = Filter::parse("event_type=eq:search").unwrap();
    let page = list_of(&db, Table::AuditLog, &q(vec![f], None, 100))
        .await
        .unwrap();
    assert_eq!(
        page.total,
        whodis_core::list::Total {
            value: (EXACT_COUNT_LIMIT + 6) / 2,
            kind: CountKind::Exact
        }
    );
    let f = Filter::parse("success=eq:true").unwrap();
    let page = list_of(&db, Table::AuditLog, &q(vec![f], None, 100))
        .await
        .unwrap();
    assert_eq!(page.total.kind, CountKind::AtLeast);
});

both_backends!(audit_events_are_counted_per_utc_day, |db| {
    let mut c = db.conn().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..4 {
        let mut row = whodis_core::models::AuditLog {
            event_type: Some("search".into()),
            success: Some(true),
            message: Some(format!("event {i}")),
            ..Default::default()
        };
        row.save(&mut c).await.unwrap();
        ids.push(row.id);
    }
    drop(c);
    // move one event two days back (and one out of the window) by hand
    let now = whodis_core::time::now();
    for (id, days) in [(ids[0], 2), (ids[1], 30)] {
        let at = now - chrono::TimeDelta::days(days);
        match db.pool() {
            whodis_core::db::Pool::Sqlite(p) => {
                sqlx::query("UPDATE audit_log SET created_at = ? WHERE id = ?")
                    .bind(at)
                    .bind(id)
                    .execute(p)
                    .await
                    .unwrap();
            }
            whodis_core::db::Pool::Postgres(p) => {
                sqlx::query("UPDATE audit_log SET created_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(id)
                    .execute(p)
                    .await
                    .unwrap();
            }
        }
    }
    let ctx = common::ctx(&db, "reader@corp.test");
    let days = whodis_core::ops::audit_per_day(&ctx, 7).await.unwrap();
    assert_eq!(days.len(), 7);
    let counts: Vec<i64> = days.iter().map(|d| d.count).collect();
    assert_eq!(counts, vec![0, 0, 0, 0, 1, 0, 2]);
    assert_eq!(days[6].day, now.format("%Y-%m-%d").to_string());
    assert!(whodis_core::ops::audit_per_day(&ctx, 0).await.is_err());
});

both_backends!(
    nulls_in_a_sort_column_page_last_going_up_and_first_going_down,
    |db| {
        let mut tx = db.begin().await.unwrap();
        for i in 0..30 {
            let query = (i % 3 != 0).then(|| format!("q{:02}", i % 7));
            let mut row = AuditLog {
                event_type: Some("search".into()),
                success: Some(true),
                search_query: query,
                message: Some(format!("row {i}")),
                ..Default::default()
            };
            row.save(&mut tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        for descending in [false, true] {
            let rows = all_pages(
                &db,
                Table::AuditLog,
                q(vec![], Some(("search_query", descending)), 7),
            )
            .await;
            let ids: HashSet<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
            assert_eq!(
                (rows.len(), ids.len()),
                (30, 30),
                "every row once ({descending})"
            );
            let keys: Vec<Option<&str>> = rows.iter().map(|r| r["search_query"].as_str()).collect();
            let nulls = keys.iter().filter(|k| k.is_none()).count();
            assert_eq!(nulls, 10);
            let (first, last) = keys.split_at(if descending { nulls } else { 30 - nulls });
            let (null_part, values) = if descending {
                (first, last)
            } else {
                (last, first)
            };
            assert!(
                null_part.iter().all(Option::is_none),
                "NULLs together ({descending})"
            );
            let mut sorted: Vec<Option<&str>> = values.to_vec();
            sorted.sort();
            if descending {
                sorted.reverse();
            }
            assert_eq!(values, sorted.as_slice(), "values in order ({descending})");
        }
    }
);

both_backends!(
    contains_searches_json_and_refuses_what_no_database_compares,
    |db| {
        let mut c = db.conn().await.unwrap();
        for n in [3, 7] {
            AuditLog {
                event_type: Some("search".into()),
                success: Some(true),
                additional_data: Some(json!({"results_count": n, "services": ["LDAP"]})),
                ..Default::default()
            }
            .save(&mut c)
            .await
            .unwrap();
        }
        drop(c);
        // JSON is searched in its text form, case-insensitively (PostgreSQL had no lower(jsonb))
        let page = list_of(
            &db,
            Table::AuditLog,
            &q(
                vec![Filter::parse("additional_data=contains:ldap").unwrap()],
                None,
                10,
            ),
        )
        .await
        .unwrap();
        assert_eq!(page.rows.len(), 2);
        for bad in [
            format!("message=contains:{}", "x".repeat(1001)),
            "message=eq:a\u{0}b".into(),
        ] {
            let err = list_of(
                &db,
                Table::AuditLog,
                &q(vec![Filter::parse(&bad).unwrap()], None, 10),
            )
            .await
            .unwrap_err();
            assert_eq!(err.field(), Some("filter"), "{err}");
        }
    }
);
