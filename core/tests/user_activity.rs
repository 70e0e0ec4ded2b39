//! Users at a glance: each user's last session activity, last audit event, the later of the
//! two and "active within N days", computed by the database in the page's one query, and
//! filtered, sorted and paged by the list engine like stored columns, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DurationRound, TimeDelta};
use serde_json::{Map, Value as Json};
use whodis_core::dialect::{bulk_insert, Cell};
use whodis_core::list::{list_table, parse_timestamp, Filter, ListQuery, Page, Sort};
use whodis_core::time::Timestamp;
use whodis_core::{Db, Error, Table};

type Row = Map<String, Json>;

/// A user as seeded: email, creation time (distinct, so the tie order is known), and the
/// days ago of their sessions' `last_activity` and of their audit events.
struct Seeded {
    email: &'static str,
    created_days_ago: i64,
    sessions: &'static [i64],
    audits: &'static [i64],
}

const USERS: &[Seeded] = &[
    // newest audit event (1 day) beats the newest session (2 days)
    Seeded {
        email: "both@corp.example",
        created_days_ago: 400,
        sessions: &[2, 40],
        audits: &[5, 1],
    },
    Seeded {
        email: "session@corp.example",
        created_days_ago: 399,
        sessions: &[10],
        audits: &[],
    },
    Seeded {
        email: "old-audit@corp.example",
        created_days_ago: 398,
        sessions: &[],
        audits: &[60],
    },
    Seeded {
        email: "never-a@corp.example",
        created_days_ago: 397,
        sessions: &[],
        audits: &[],
    },
    Seeded {
        email: "recent@corp.example",
        created_days_ago: 396,
        sessions: &[0],
        audits: &[3],
    },
    Seeded {
        email: "never-b@corp.example",
        created_days_ago: 395,
        sessions: &[],
        audits: &[],
    },
    Seeded {
        email: "mid@corp.example",
        created_days_ago: 394,
        sessions: &[20, 25],
        audits: &[],
    },
    Seeded {
        email: "year@corp.example",
        created_days_ago: 393,
        sessions: &[],
        audits: &[365, 366],
    },
    // the audit row names this user in other letters: matched exactly, it is not theirs
    Seeded {
        email: "Mixed@Corp.example",
        created_days_ago: 392,
        sessions: &[],
        audits: &[],
    },
    Seeded {
        email: "never-c@corp.example",
        created_days_ago: 391,
        sessions: &[],
        audits: &[],
    },
];

#[derive(Clone, Copy)]
struct World {
    now: Timestamp,
}

impl World {
    fn at(&self, days_ago: i64) -> Timestamp {
        self.now - TimeDelta::days(days_ago)
    }

    fn created(&self, u: &Seeded) -> Timestamp {
        self.at(u.created_days_ago)
    }

    fn last_session(&self, u: &Seeded) -> Option<Timestamp> {
        u.sessions.iter().min().map(|d| self.at(*d))
    }

    fn last_audit(&self, u: &Seeded) -> Option<Timestamp> {
        u.audits.iter().min().map(|d| self.at(*d))
    }

    fn last_activity(&self, u: &Seeded) -> Option<Timestamp> {
        self.last_session(u).max(self.last_audit(u))
    }

    /// The emails in the order the engine promises: by last activity, NULL the largest value
    /// (first going down, last going up), ties by creation time.
    fn ordered(&self, descending: bool) -> Vec<&'static str> {
        let mut users: Vec<&Seeded> = USERS.iter().collect();
        users.sort_by_key(|u| {
            // None < Some in Rust; the engine puts NULL above every value
            let activity = (self.last_activity(u).is_none(), self.last_activity(u));
            (activity, self.created(u))
        });
        if descending {
            users.reverse();
        }
        users.iter().map(|u| u.email).collect()
    }
}

async fn seed(db: &Db) -> World {
    let now = whodis_core::time::now()
        .duration_trunc(TimeDelta::seconds(1))
        .unwrap();
    let w = World { now };
    let mut tx = db.begin().await.unwrap();
    let users: Vec<Vec<Cell>> = USERS
        .iter()
        .map(|u| {
            let role = if u.email.starts_with("never") {
                "viewer"
            } else {
                "editor"
            };
            vec![
                Cell::Text(u.email.into()),
                Cell::Text(role.into()),
                Cell::Time(w.created(u)),
                Cell::Time(w.created(u)),
            ]
        })
        .collect();
    bulk_insert(
        &mut tx,
        "users",
        &["email", "role", "created_at", "updated_at"],
        &users,
    )
    .await
    .unwrap();
    let mut sessions = Vec::new();
    let mut audits = Vec::new();
    for u in USERS {
        for d in u.sessions {
            sessions.push(vec![
                Cell::Text(format!("{:0>40}", sessions.len())),
                Cell::Text(u.email.into()),
                Cell::Time(w.at(*d)),
                Cell::Time(w.at(*d - 1)),
                // created long before the activity: the column read is last_activity
                Cell::Time(w.at(500)),
                Cell::Time(w.at(500)),
            ]);
        }
        for d in u.audits {
            audits.push(audit_row(u.email, w.at(*d)));
        }
    }
    // someone else's events and one naming Mixed@ in lower case: none of these users'
    audits.push(audit_row("stranger@corp.example", w.at(0)));
    audits.push(audit_row("mixed@corp.example", w.at(2)));
    bulk_insert(
        &mut tx,
        "sessions",
        &[
            "session_id",
            "user_email",
            "last_activity",
            "expires_at",
            "created_at",
            "updated_at",
        ],
        &sessions,
    )
    .await
    .unwrap();
    bulk_insert(
        &mut tx,
        "audit_log",
        &[
            "event_type",
            "user_email",
            "success",
            "created_at",
            "updated_at",
        ],
        &audits,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    w
}

fn audit_row(email: &str, at: Timestamp) -> Vec<Cell> {
    vec![
        Cell::Text("access".into()),
        Cell::Text(email.into()),
        Cell::Bool(true),
        Cell::Time(at),
        Cell::Time(at),
    ]
}

fn query(filters: &[&str], sort: Option<(&str, bool)>, limit: u32) -> ListQuery {
    ListQuery {
        filters: filters.iter().map(|f| Filter::parse(f).unwrap()).collect(),
        sort: sort.map(|(column, descending)| Sort {
            column: column.into(),
            descending,
        }),
        limit: Some(limit),
        ..ListQuery::default()
    }
}

async fn page(db: &Db, q: &ListQuery) -> whodis_core::Result<Page> {
    list_table(&mut db.conn().await?, Table::Users, q).await
}

/// Every page of a query, following the cursors; also checks no page is empty but the last.
async fn all_pages(db: &Db, mut q: ListQuery) -> Vec<Row> {
    let mut rows = Vec::new();
    loop {
        let p = page(db, &q).await.unwrap();
        assert!(
            !p.rows.is_empty() || p.next_cursor.is_none(),
            "an empty page mid-list"
        );
        rows.extend(p.rows);
        match p.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => return rows,
        }
    }
}

fn emails(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r["email"].as_str().unwrap()).collect()
}

fn time(row: &Row, column: &str) -> Option<Timestamp> {
    match &row[column] {
        Json::Null => None,
        v => Some(parse_timestamp(v.as_str().unwrap()).unwrap()),
    }
}

fn by_email<'a>(rows: &'a [Row], email: &str) -> &'a Row {
    rows.iter().find(|r| r["email"] == email).unwrap()
}

both_backends!(each_user_gets_their_last_session_audit_and_activity, |db| {
    let w = seed(&db).await;
    let rows = page(&db, &query(&[], None, 100)).await.unwrap().rows;
    assert_eq!(rows.len(), USERS.len());
    for u in USERS {
        let row = by_email(&rows, u.email);
        assert_eq!(
            time(row, "last_session_at"),
            w.last_session(u),
            "{}",
            u.email
        );
        assert_eq!(time(row, "last_audit_at"), w.last_audit(u), "{}", u.email);
        assert_eq!(
            time(row, "last_activity_at"),
            w.last_activity(u),
            "{}",
            u.email
        );
        let active = w.last_activity(u).is_some_and(|t| t >= w.at(30));
        assert_eq!(row["active"], Json::Bool(active), "{}", u.email);
    }
    // spelled out for the cases the list above is about
    let both = by_email(&rows, "both@corp.example");
    assert_eq!(time(both, "last_session_at"), Some(w.at(2)));
    assert_eq!(time(both, "last_activity_at"), Some(w.at(1)));
    let mixed = by_email(&rows, "Mixed@Corp.example");
    assert_eq!(mixed["last_audit_at"], Json::Null, "emails match exactly");
    assert_eq!(mixed["active"], Json::Bool(false));
});

both_backends!(
    sorting_by_last_activity_pages_across_boundaries_and_nulls,
    |db| {
        let w = seed(&db).await;
        for descending in [true, false] {
            // pages of 3 end inside the never-active users and between them and the rest
            let rows = all_pages(&db, query(&[], Some(("last_activity_at", descending)), 3)).await;
            assert_eq!(
                emails(&rows),
                w.ordered(descending),
                "descending {descending}"
            );
            // the same on one page: the cursors neither skip nor repeat a row
            let whole = page(
                &db,
                &query(&[], Some(("last_activity_at", descending)), 100),
            )
            .await
            .unwrap();
            assert_eq!(emails(&whole.rows), w.ordered(descending));
        }
        // with a filter on a stored column too, and pages of 1
        let rows = all_pages(
            &db,
            query(&["role=eq:editor"], Some(("last_activity_at", true)), 1),
        )
        .await;
        let editors: Vec<&str> = w
            .ordered(true)
            .into_iter()
            .filter(|e| !e.starts_with("never"))
            .collect();
        assert_eq!(emails(&rows), editors);
        // the other computed times sort as well
        let rows = all_pages(&db, query(&[], Some(("last_audit_at", false)), 2)).await;
        let audits: Vec<Option<Timestamp>> =
            rows.iter().map(|r| time(r, "last_audit_at")).collect();
        let mut sorted = audits.clone();
        sorted.sort_by_key(|t| (t.is_none(), *t));
        assert_eq!(audits, sorted);
        assert_eq!(rows.len(), USERS.len());
    }
);

both_backends!(activity_filters_select_the_right_users, |db| {
    let w = seed(&db).await;
    let selected = |rows: Vec<Row>| {
        let mut e: Vec<String> = emails(&rows).into_iter().map(str::to_owned).collect();
        e.sort();
        e
    };
    let expect = |pred: &dyn Fn(&Seeded) -> bool| {
        let mut e: Vec<String> = USERS
            .iter()
            .filter(|u| pred(u))
            .map(|u| u.email.to_owned())
            .collect();
        e.sort();
        e
    };
    let within = |days: i64| move |u: &Seeded| w.last_activity(u).is_some_and(|t| t >= w.at(days));

    let active = all_pages(&db, query(&["active=eq:true"], None, 2)).await;
    assert_eq!(selected(active), expect(&within(30)));
    assert_eq!(
        expect(&within(30)),
        [
            "both@corp.example",
            "mid@corp.example",
            "recent@corp.example",
            "session@corp.example"
        ]
    );
    // the never active are inactive, whatever N
    let inactive = all_pages(&db, query(&["active=eq:false"], None, 2)).await;
    assert_eq!(selected(inactive), expect(&|u| !within(30)(u)));

    // N is the query's
    let mut q = query(&["active=eq:true"], None, 100);
    q.within_days = Some(5);
    assert_eq!(
        selected(page(&db, &q).await.unwrap().rows),
        expect(&within(5))
    );
    q.within_days = Some(90);
    assert_eq!(
        selected(page(&db, &q).await.unwrap().rows),
        expect(&within(90))
    );
    // the shown status follows N too
    q.filters.clear();
    q.within_days = Some(0);
    let rows = page(&db, &q).await.unwrap().rows;
    assert!(
        rows.iter().all(|r| r["active"] == Json::Bool(false)),
        "nobody is active within 0 days but… "
    );

    // before / after a date; NULL is neither
    let cutoff = w.at(15).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let before = all_pages(
        &db,
        query(&[&format!("last_activity_at=lt:{cutoff}")], None, 3),
    )
    .await;
    assert_eq!(
        selected(before),
        expect(&|u| w.last_activity(u).is_some_and(|t| t < w.at(15)))
    );
    let after = all_pages(
        &db,
        query(&[&format!("last_activity_at=gte:{cutoff}")], None, 3),
    )
    .await;
    assert_eq!(selected(after), expect(&within(15)));
    let never = all_pages(&db, query(&["last_activity_at=null"], None, 3)).await;
    assert_eq!(selected(never), expect(&|u| w.last_activity(u).is_none()));

    // counted like any filter
    let total = page(&db, &query(&["active=eq:true"], None, 1))
        .await
        .unwrap()
        .total
        .unwrap();
    assert_eq!(total.value, 4);

    // the search box: over email, case-insensitive, with the computed columns alongside
    let mut q = query(&[], Some(("last_activity_at", true)), 100);
    q.search = Some("NEVER".into());
    let rows = page(&db, &q).await.unwrap().rows;
    assert_eq!(
        emails(&rows),
        [
            "never-c@corp.example",
            "never-b@corp.example",
            "never-a@corp.example"
        ]
    );
});

both_backends!(bad_activity_input_is_refused_by_name, |db| {
    seed(&db).await;
    let mut q = query(&[], None, 10);
    q.within_days = Some(-1);
    match page(&db, &q).await {
        Err(Error::Invalid { field, reason }) => {
            assert_eq!(field, "within_days");
            assert!(reason.contains("-1"), "{reason}");
        }
        other => panic!("expected Invalid, got {:?}", other.map(|p| p.rows.len())),
    }
    match page(&db, &query(&["last_activity_at=lt:last tuesday"], None, 10)).await {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "last_activity_at"),
        other => panic!("expected Invalid, got {:?}", other.map(|p| p.rows.len())),
    }
    match page(&db, &query(&["active=eq:maybe"], None, 10)).await {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "active"),
        other => panic!("expected Invalid, got {:?}", other.map(|p| p.rows.len())),
    }
    // active is a status, not an order
    assert!(page(&db, &query(&[], Some(("active", true)), 10))
        .await
        .is_err());
    // a cursor made for another sort is refused rather than misread
    let first = page(&db, &query(&[], Some(("last_activity_at", true)), 2))
        .await
        .unwrap();
    let mut q = query(&[], Some(("last_audit_at", true)), 2);
    q.cursor = first.next_cursor;
    assert!(matches!(page(&db, &q).await, Err(Error::Invalid { .. })));
});

// The plan of a users page on a log big enough for the planner to care (24,000 audit rows and
// 6,000 sessions of 2,000 users): each user's lookups are index searches, never a scan of
// `audit_log` or `sessions`; a page in the table's own order walks its index and computes the
// activity of its rows only. (Sorting or filtering by a computed column reads every user that
// matches: no index holds it.)
both_backends!(activity_lookups_search_the_indexes, |db| {
    use whodis_core::db::Pool;
    use whodis_core::list::plan_page;
    use whodis_core::models::User;

    let now = whodis_core::time::now();
    let email = |i: usize| format!("user{}@corp.example", i % 2_000);
    let users: Vec<Vec<Cell>> = (0..2_000)
        .map(|i| {
            let at = now - TimeDelta::hours(i64::try_from(i).unwrap());
            let role = ["viewer", "editor", "admin"][i % 3];
            vec![
                Cell::Text(email(i)),
                Cell::Text(role.into()),
                Cell::Time(at),
                Cell::Time(at),
            ]
        })
        .collect();
    let audits: Vec<Vec<Cell>> = (0..24_000)
        .map(|i| {
            audit_row(
                &email(i),
                now - TimeDelta::minutes(i64::try_from(i).unwrap()),
            )
        })
        .collect();
    let sessions: Vec<Vec<Cell>> = (0..6_000)
        .map(|i| {
            let at = now - TimeDelta::hours(i64::try_from(i).unwrap());
            vec![
                Cell::Text(format!("{i:0>40}")),
                Cell::Text(email(i)),
                Cell::Time(at),
                Cell::Time(at),
                Cell::Time(at),
                Cell::Time(at),
            ]
        })
        .collect();
    let mut tx = db.begin().await.unwrap();
    bulk_insert(
        &mut tx,
        "users",
        &["email", "role", "created_at", "updated_at"],
        &users,
    )
    .await
    .unwrap();
    bulk_insert(
        &mut tx,
        "audit_log",
        &[
            "event_type",
            "user_email",
            "success",
            "created_at",
            "updated_at",
        ],
        &audits,
    )
    .await
    .unwrap();
    bulk_insert(
        &mut tx,
        "sessions",
        &[
            "session_id",
            "user_email",
            "last_activity",
            "expires_at",
            "created_at",
            "updated_at",
        ],
        &sessions,
    )
    .await
    .unwrap();
    for t in ["users", "audit_log", "sessions"] {
        whodis_core::dialect::refresh_statistics(&mut tx, t)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    if let Pool::Sqlite(p) = db.pool() {
        sqlx::query("ANALYZE").execute(p).await.unwrap();
    }

    for (what, q) in [
        ("newest users", query(&[], None, 100)),
        (
            "by last activity",
            query(&[], Some(("last_activity_at", true)), 100),
        ),
        (
            "active within 30 days",
            query(&["active=eq:true"], None, 100),
        ),
        (
            "inactive editors",
            query(&["role=eq:editor", "active=eq:false"], None, 100),
        ),
    ] {
        let conn = db.conn().await.unwrap();
        let plan = plan_page::<User>(&conn, &q).unwrap();
        drop(conn);
        for stmt in &plan.statements {
            let lines: Vec<String> = match db.pool() {
                Pool::Postgres(p) => {
                    let sql = stmt.to_string(sea_query::PostgresQueryBuilder);
                    sqlx::query_scalar(&format!("EXPLAIN ANALYZE {sql}"))
                        .fetch_all(p)
                        .await
                        .unwrap()
                }
                Pool::Sqlite(p) => {
                    let sql = stmt.to_string(sea_query::SqliteQueryBuilder);
                    let rows: Vec<(i64, i64, i64, String)> =
                        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                            .fetch_all(p)
                            .await
                            .unwrap();
                    rows.into_iter().map(|r| r.3).collect()
                }
            };
            let plan = lines.join("\n");
            println!("{what}:\n{plan}\n");
            for scanned in [
                "Seq Scan on audit_log",
                "Seq Scan on sessions",
                "SCAN a",
                "SCAN s",
            ] {
                assert!(
                    !plan.lines().any(|l| l
                        .trim_start_matches(|c: char| !c.is_alphabetic())
                        .starts_with(scanned)),
                    "{what}: {scanned}\n{plan}"
                );
            }
            if what == "newest users" {
                // the table's own order from its index: no sort of every user
                assert!(
                    !plan.contains("TEMP B-TREE") && !plan.contains("Sort Key"),
                    "{what}\n{plan}"
                );
            }
        }
    }
});
