//! The list engine: filters, sorting, keyset pages and totals, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeSet, HashSet};

use serde_json::json;
use whodis_core::list::{list_table, Page};
use whodis_core::list::{CountKind, Filter, FilterOp, ListQuery, Sort, EXACT_COUNT_LIMIT};
use whodis_core::model::Model;
use whodis_core::models::*;
use whodis_core::{Db, Error, Table};

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
        skip_total: false,
        search: None,
        within_days: None,
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
    assert_eq!(page.total.as_ref().unwrap().value, 10);
    assert_eq!(page.total.as_ref().unwrap().kind, CountKind::Exact);
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
    // LIKE's wildcards and its escape character in the needle are literal (PostgreSQL's
    // ILIKE escapes with its default backslash, SQLite's LIKE with an explicit one)
    for needle in ["%", "_", "\\", "person01_", "n01%"] {
        let page = list_of(
            &db,
            Table::Users,
            &q(
                vec![Filter::parse(&format!("email=contains:{needle}")).unwrap()],
                None,
                500,
            ),
        )
        .await
        .unwrap();
        assert_eq!(page.rows.len(), 0, "needle {needle:?}");
    }
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
    for probe in [
        "access_token=contains:a",
        "access_token=eq:a",
        "access_token=notnull",
    ] {
        let f = Filter::parse(probe).unwrap();
        match list_of(&db, Table::ApiTokens, &q(vec![f], None, 10)).await {
            Err(Error::Invalid { field, reason }) => {
                assert_eq!(field, "filter", "{probe}");
                assert!(reason.contains("secret"), "{probe}: {reason}");
            }
            other => panic!("{probe}: expected Invalid, got {other:?}"),
        }
    }
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
    use whodis_core::dialect::{bulk_insert, refresh_statistics, Cell};
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
    refresh_statistics(&mut tx, "audit_log").await.unwrap();
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
    assert_eq!(page.total.as_ref().unwrap().kind, CountKind::Estimate);
    assert!(
        (page.total.as_ref().unwrap().value - truth).abs() <= truth / 10,
        "{:?}",
        page.total
    );
    let f = Filter::parse("event_type=eq:search").unwrap();
    let page = list_of(&db, Table::AuditLog, &q(vec![f], None, 100))
        .await
        .unwrap();
    assert_eq!(
        page.total.unwrap(),
        whodis_core::list::Total {
            value: (EXACT_COUNT_LIMIT + 6) / 2,
            kind: CountKind::Exact
        }
    );
    let f = Filter::parse("success=eq:true").unwrap();
    let page = list_of(&db, Table::AuditLog, &q(vec![f], None, 100))
        .await
        .unwrap();
    assert_eq!(page.total.as_ref().unwrap().kind, CountKind::AtLeast);
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

/// Audit rows saved one by one, with NULLs in the nullable sortable columns `search_query`
/// (every third row) and `user_email` (every fourth), a boolean `success` (NOT NULL in our
/// schema), and repeated values so that ties are broken by `(created_at, id)`; returned as
/// stored.
async fn seed_audit(db: &Db, n: usize) -> Vec<AuditLog> {
    let mut tx = db.begin().await.unwrap();
    let mut rows = Vec::new();
    for i in 0..n {
        let mut row = AuditLog {
            event_type: Some(["search", "admin", "config"][i % 3].into()),
            success: Some(i % 4 != 1),
            user_email: (i % 4 != 2).then(|| format!("u{}@corp.test", i % 5)),
            search_query: (i % 3 != 0).then(|| format!("q{:02}", i % 7)),
            message: Some(format!("row {i}")),
            ..Default::default()
        };
        row.save(&mut tx).await.unwrap();
        rows.push(row);
    }
    tx.commit().await.unwrap();
    rows
}

/// The ids in the order the design promises, computed here from the seeded rows: NULL is the
/// largest value (last going up, first going down), ties broken by `created_at` then `id` in
/// the same direction.
fn expected_order<K: Ord>(
    rows: &[AuditLog],
    key: impl Fn(&AuditLog) -> Option<K>,
    descending: bool,
) -> Vec<i64> {
    let mut sorted: Vec<&AuditLog> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        (ka.is_none(), ka, a.created_at, a.id).cmp(&(kb.is_none(), kb, b.created_at, b.id))
    });
    if descending {
        sorted.reverse();
    }
    sorted.iter().map(|r| r.id).collect()
}

/// Every page of a listing, followed through the cursors.
async fn pages(db: &Db, t: Table, mut query: ListQuery) -> Vec<Vec<i64>> {
    let mut out = Vec::new();
    loop {
        let page = list_of(db, t, &query).await.unwrap();
        out.push(
            page.rows
                .iter()
                .map(|r| r["id"].as_i64().unwrap())
                .collect(),
        );
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => return out,
        }
        assert!(out.len() <= 1000, "the cursors never end");
    }
}

both_backends!(
    nulls_in_a_sort_column_page_last_going_up_and_first_going_down,
    |db| {
        let seeded = seed_audit(&db, 30).await;
        let all: BTreeSet<i64> = seeded.iter().map(|r| r.id).collect();
        assert_eq!(
            seeded.iter().filter(|r| r.search_query.is_none()).count(),
            10
        );
        assert_eq!(seeded.iter().filter(|r| r.user_email.is_none()).count(), 7);
        // page sizes that cut inside the NULL run, exactly at its edge (10, 20: a cursor on
        // the last NULL or the last value), every row (1) and all at once (30)
        for limit in [1u32, 7, 10, 20, 30] {
            for descending in [false, true] {
                for column in ["search_query", "user_email", "success"] {
                    let what = format!("{column} descending={descending} limit={limit}");
                    let got = pages(
                        &db,
                        Table::AuditLog,
                        q(vec![], Some((column, descending)), limit),
                    )
                    .await;
                    assert_eq!(got.len(), 30usize.div_ceil(limit as usize), "{what}");
                    assert!(got.iter().all(|p| p.len() <= limit as usize), "{what}");
                    let ids: Vec<i64> = got.concat();
                    let set: BTreeSet<i64> = ids.iter().copied().collect();
                    assert_eq!((ids.len(), &set), (30, &all), "every row once: {what}");
                    let expected = match column {
                        "search_query" => {
                            expected_order(&seeded, |r| r.search_query.clone(), descending)
                        }
                        "user_email" => {
                            expected_order(&seeded, |r| r.user_email.clone(), descending)
                        }
                        _ => expected_order(&seeded, |r| r.success, descending),
                    };
                    assert_eq!(ids, expected, "order: {what}");
                }
            }
        }
    }
);

/// The ids a filtered listing returns, checking that the total counts exactly them.
async fn matching(db: &Db, t: Table, filters: Vec<Filter>) -> BTreeSet<i64> {
    let page = list_of(db, t, &q(filters, None, 500)).await.unwrap();
    assert!(page.next_cursor.is_none());
    let ids: BTreeSet<i64> = page
        .rows
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), page.rows.len());
    assert_eq!(
        (
            page.total.as_ref().unwrap().value,
            page.total.as_ref().unwrap().kind
        ),
        (ids.len() as i64, CountKind::Exact)
    );
    ids
}

both_backends!(filter_operators_select_what_rust_selects, |db| {
    let seeded = seed_audit(&db, 30).await;
    let mid = seeded[12].id;
    type Pick = Box<dyn Fn(&AuditLog) -> bool>;
    let text = |t: &str| FilterOp::Eq(json!(t));
    let cases: Vec<(Vec<Filter>, Pick)> = vec![
        (
            vec![Filter::parse(&format!("id=gt:{mid}")).unwrap()],
            Box::new(move |r| r.id > mid),
        ),
        (
            vec![Filter::parse(&format!("id=lte:{mid}")).unwrap()],
            Box::new(move |r| r.id <= mid),
        ),
        (
            vec![Filter::parse(&format!("id=ne:{mid}")).unwrap()],
            Box::new(move |r| r.id != mid),
        ),
        (
            // typed JSON values, as the window sends them
            vec![Filter {
                column: "id".into(),
                op: FilterOp::Gt(json!(mid)),
            }],
            Box::new(move |r| r.id > mid),
        ),
        (
            vec![Filter::parse("event_type=ne:search").unwrap()],
            Box::new(|r| r.event_type.as_deref() != Some("search")),
        ),
        (
            vec![Filter::parse("search_query=lte:q03").unwrap()],
            Box::new(|r| r.search_query.as_deref().is_some_and(|v| v <= "q03")),
        ),
        (
            vec![Filter::parse("search_query=gt:q03").unwrap()],
            Box::new(|r| r.search_query.as_deref().is_some_and(|v| v > "q03")),
        ),
        (
            vec![Filter::parse("search_query=notnull").unwrap()],
            Box::new(|r| r.search_query.is_some()),
        ),
        (
            vec![Filter::parse("search_query=null").unwrap()],
            Box::new(|r| r.search_query.is_none()),
        ),
        (
            vec![Filter::parse("search_query=null:").unwrap()],
            Box::new(|r| r.search_query.is_none()),
        ),
        (
            vec![Filter::parse("user_email=null").unwrap()],
            Box::new(|r| r.user_email.is_none()),
        ),
        (
            vec![Filter::parse("user_email=notnull").unwrap()],
            Box::new(|r| r.user_email.is_some()),
        ),
        // a boolean column, by its text and its JSON forms
        (
            vec![Filter::parse("success=eq:true").unwrap()],
            Box::new(|r| r.success == Some(true)),
        ),
        (
            vec![Filter::parse("success=eq:no").unwrap()],
            Box::new(|r| r.success == Some(false)),
        ),
        (
            vec![Filter {
                column: "success".into(),
                op: FilterOp::Eq(json!(false)),
            }],
            Box::new(|r| r.success == Some(false)),
        ),
        (
            vec![Filter::parse("success=ne:true").unwrap()],
            Box::new(|r| r.success == Some(false)),
        ),
        // filters combine with AND
        (
            vec![
                Filter::parse("success=eq:1").unwrap(),
                Filter::parse("search_query=notnull").unwrap(),
                Filter {
                    column: "event_type".into(),
                    op: text("admin"),
                },
            ],
            Box::new(|r| {
                r.success == Some(true)
                    && r.search_query.is_some()
                    && r.event_type.as_deref() == Some("admin")
            }),
        ),
    ];
    for (filters, pick) in cases {
        let expected: BTreeSet<i64> = seeded.iter().filter(|r| pick(r)).map(|r| r.id).collect();
        assert!(
            !expected.is_empty() && expected.len() < seeded.len(),
            "{filters:?} must tell rows apart"
        );
        assert_eq!(
            matching(&db, Table::AuditLog, filters.clone()).await,
            expected,
            "{filters:?}"
        );
    }
});

both_backends!(time_filters_take_rfc3339_with_offsets_and_dates, |db| {
    use chrono::{DateTime, TimeDelta, Utc};
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let base = at("2030-01-01T12:00:00Z");
    let mut c = db.conn().await.unwrap();
    let mut seeded: Vec<(i64, DateTime<Utc>)> = Vec::new();
    for (i, micros) in [
        -86_400_000_000i64,
        -1,
        0,
        1,
        500_000,
        1_000_000,
        86_400_000_005,
    ]
    .into_iter()
    .enumerate()
    {
        let mut s = Session {
            session_id: format!("s{i}"),
            user_email: "t@example.com".into(),
            expires_at: base + TimeDelta::microseconds(micros),
            ..Default::default()
        };
        s.fill_defaults();
        s.save(&mut c).await.unwrap();
        assert_eq!(s.expires_at, base + TimeDelta::microseconds(micros));
        seeded.push((s.id, s.expires_at));
    }
    drop(c);
    let half = base + TimeDelta::milliseconds(500);
    let day_after = at("2030-01-02T00:00:00Z");
    let midnight = at("2030-01-01T00:00:00Z");
    type Pick = Box<dyn Fn(DateTime<Utc>) -> bool>;
    let cases: Vec<(&str, Pick)> = vec![
        (
            "expires_at=gt:2030-01-01T12:00:00Z",
            Box::new(move |t| t > base),
        ),
        (
            "expires_at=lte:2030-01-01T12:00:00Z",
            Box::new(move |t| t <= base),
        ),
        // the same instant written in another zone
        (
            "expires_at=gt:2030-01-01T14:00:00+02:00",
            Box::new(move |t| t > base),
        ),
        (
            "expires_at=lte:2030-01-01T07:00:00-05:00",
            Box::new(move |t| t <= base),
        ),
        (
            "expires_at=ne:2030-01-01T12:00:00Z",
            Box::new(move |t| t != base),
        ),
        // sub-second precision, down to the microsecond
        (
            "expires_at=lt:2030-01-01T12:00:00.000001Z",
            Box::new(move |t| t < base + TimeDelta::microseconds(1)),
        ),
        (
            "expires_at=gte:2030-01-01T12:00:00.5Z",
            Box::new(move |t| t >= half),
        ),
        (
            "expires_at=eq:2030-01-01T13:00:00.500+01:00",
            Box::new(move |t| t == half),
        ),
        // a date is its midnight, UTC
        (
            "expires_at=gte:2030-01-02",
            Box::new(move |t| t >= day_after),
        ),
        ("expires_at=lt:2030-01-01", Box::new(move |t| t < midnight)),
    ];
    for (filter, pick) in cases {
        let expected: BTreeSet<i64> = seeded
            .iter()
            .filter(|(_, t)| pick(*t))
            .map(|(id, _)| *id)
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < seeded.len(),
            "{filter} must tell rows apart"
        );
        assert_eq!(
            matching(&db, Table::Sessions, vec![Filter::parse(filter).unwrap()]).await,
            expected,
            "{filter}"
        );
    }
});

both_backends!(
    a_filter_that_does_not_fit_its_column_is_refused_naming_it,
    |db| {
        seed_audit(&db, 3).await;
        // `contains` on a column that is not text: an `invalid` filter naming the column
        for (table, column) in [
            (Table::AuditLog, "id"),
            (Table::AuditLog, "success"),
            (Table::AuditLog, "created_at"),
            (Table::Sessions, "expires_at"),
            (Table::EmployeeProfiles, "photo_data"),
        ] {
            let f = Filter::parse(&format!("{column}=contains:1")).unwrap();
            match list_of(&db, table, &q(vec![f], None, 10)).await {
                Err(Error::Invalid { field, reason }) => {
                    assert_eq!(field, "filter", "{column}: {reason}");
                    assert!(
                        reason.contains(&format!("'{column}'")),
                        "{column}: {reason}"
                    );
                }
                other => panic!("contains on {column}: expected Invalid, got {other:?}"),
            }
        }
        // a value that is not of the column's type: `invalid`, with the column as the field
        for (table, filter, column) in [
            (Table::AuditLog, "success=eq:maybe", "success"),
            (Table::AuditLog, "id=gt:1.5", "id"),
            (Table::AuditLog, "created_at=gte:yesterday", "created_at"),
            (Table::AuditLog, "created_at=lt:31/01/2026", "created_at"),
            (Table::Sessions, "expires_at=lte:2030-13-01", "expires_at"),
        ] {
            let f = Filter::parse(filter).unwrap();
            match list_of(&db, table, &q(vec![f], None, 10)).await {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, column, "{filter}"),
                other => panic!("{filter}: expected Invalid, got {other:?}"),
            }
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

// The first page carries the total; a page reached by cursor does not count again.
both_backends!(only_the_first_page_counts, |db| {
    seed_users(&db, 12).await;
    let first = list_of(&db, Table::Users, &q(vec![], None, 5))
        .await
        .unwrap();
    let total = first.total.expect("the first page has a total");
    assert_eq!((total.value, total.kind), (12, CountKind::Exact));
    let next = ListQuery {
        cursor: first.next_cursor,
        ..q(vec![], None, 5)
    };
    let second = list_of(&db, Table::Users, &next).await.unwrap();
    assert_eq!(second.rows.len(), 5);
    assert!(second.total.is_none(), "{:?}", second.total);
});

// A page asked with skip_total carries no total, and the total asked apart is the one the page
// would have carried, whatever the sort or cursor.
both_backends!(the_total_asked_apart_matches_the_page, |db| {
    seed_users(&db, 12).await;
    let filters = vec![Filter::parse("role=eq:viewer").unwrap()];
    let with_total = list_of(&db, Table::Users, &q(filters.clone(), None, 5))
        .await
        .unwrap();
    let apart = ListQuery {
        skip_total: true,
        ..q(filters.clone(), Some(("email", false)), 5)
    };
    let page = list_of(&db, Table::Users, &apart).await.unwrap();
    assert!(page.total.is_none(), "{:?}", page.total);
    assert_eq!(page.rows.len(), with_total.rows.len());
    let mut c = db.conn().await.unwrap();
    let counted = whodis_core::list::count_table(
        &mut c,
        Table::Users,
        &ListQuery {
            cursor: page.next_cursor.clone(),
            ..apart.clone()
        },
    )
    .await
    .unwrap();
    let expected = with_total.total.expect("the first page's total");
    assert_eq!(
        (counted.value, counted.kind),
        (expected.value, expected.kind)
    );
    assert!(counted.value > 0, "the seed has viewers");
    let everyone = whodis_core::list::count_table(&mut c, Table::Users, &q(vec![], None, 1))
        .await
        .unwrap();
    assert_eq!((everyone.value, everyone.kind), (12, CountKind::Exact));
    // a bad filter is refused as on a page
    let bad = whodis_core::list::count_table(
        &mut c,
        Table::Users,
        &q(vec![Filter::parse("nope=eq:1").unwrap()], None, 1),
    )
    .await;
    assert!(
        matches!(bad, Err(whodis_core::Error::Invalid { .. })),
        "{bad:?}"
    );
});

both_backends!(quick_search_looks_in_every_shown_text_column, |db| {
    let mut c = db.conn().await.unwrap();
    let later = whodis_core::time::now() + chrono::TimeDelta::hours(1);
    for (i, (email, agent, sid)) in [
        ("ana@corp.test", "Firefox on Linux", "s3cr3t-session-aaaa"),
        ("bo@corp.test", "Safari", "s3cr3t-session-bbbb"),
        ("cy@firefox-fans.test", "Chrome", "s3cr3t-session-cccc"),
    ]
    .into_iter()
    .enumerate()
    {
        Session {
            session_id: sid.into(),
            user_email: email.into(),
            user_agent: Some(agent.into()),
            ip_address: Some(format!("10.0.0.{i}")),
            expires_at: later,
            last_activity: whodis_core::time::now(),
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
    }
    let search = |text: &str| ListQuery {
        search: Some(text.into()),
        ..q(vec![], None, 2)
    };
    let emails = |rows: &[serde_json::Map<String, serde_json::Value>]| -> BTreeSet<String> {
        rows.iter()
            .map(|r| r["user_email"].as_str().unwrap().to_owned())
            .collect()
    };
    // any column, any case, across pages, and the total agrees
    let rows = all_pages(&db, Table::Sessions, search("FIREFOX")).await;
    assert_eq!(
        emails(&rows),
        BTreeSet::from(["ana@corp.test".into(), "cy@firefox-fans.test".into()])
    );
    let first = list_of(&db, Table::Sessions, &search("firefox"))
        .await
        .unwrap();
    assert_eq!(first.total.unwrap().value, 2);
    // with a filter on top
    let both = ListQuery {
        filters: vec![Filter::parse("ip_address=eq:10.0.0.2").unwrap()],
        ..search("firefox")
    };
    assert_eq!(
        emails(&all_pages(&db, Table::Sessions, both).await),
        BTreeSet::from(["cy@firefox-fans.test".into()])
    );
    // a session id is shown by its start only: a search never finds a row by it
    assert!(all_pages(&db, Table::Sessions, search("session-bbbb"))
        .await
        .is_empty());
    assert!(all_pages(&db, Table::Sessions, search("s3cr3t"))
        .await
        .is_empty());
    // blank is no search; bad input is refused
    assert_eq!(all_pages(&db, Table::Sessions, search("  ")).await.len(), 3);
    let err = list_of(&db, Table::Sessions, &search("a\0b"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "invalid");
});
