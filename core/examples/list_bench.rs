//! The list engine against the same query written by hand in raw sqlx (its rows decoded into a
//! `#[derive(FromRow)]` struct, as hand-written code would; the rows fetched but not decoded are
//! shown too), and through the command
//! function the window calls (permission check and JSON included), on a demo database made by
//! `whodis-admin demo`. Prints one line per page shape (median and p95 of each, the ratios, and
//! the cost of the selection's total, which the window asks for apart) and writes them as JSON. Run by `bench/run.sh`.
//!
//! `cargo run --release -p whodis-core --example list_bench -- DATABASE_URL RUNS OUT.json`

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value as Json};
use whodis_core::db::Pool;
use whodis_core::list::{count_table, cursor_at, list_table, Filter, ListQuery, Sort};
use whodis_core::ops::{self, Client};
use whodis_core::{Db, DbUrl, Table};

/// One page shape: the engine's request and the hand-written SQL (`$1…` for PostgreSQL, `?`
/// for SQLite) with its text arguments.
struct Shape {
    name: &'static str,
    query: ListQuery,
    sql: String,
    args: Vec<String>,
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[(samples.len() * 95 / 100).min(samples.len() - 1)]);
    (median, p95)
}

async fn time<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await; // warm caches and statements
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    stats(samples)
}

async fn raw(db: &Db, sql: &str, args: &[String]) -> usize {
    match db.pool() {
        Pool::Postgres(p) => {
            let mut q = sqlx::query(sql);
            for a in args {
                q = q.bind(a);
            }
            q.fetch_all(p).await.expect("raw query").len()
        }
        Pool::Sqlite(p) => {
            let mut q = sqlx::query(sql);
            for a in args {
                q = q.bind(a);
            }
            q.fetch_all(p).await.expect("raw query").len()
        }
    }
}

/// The audit row as hand-written sqlx code decodes it (the fields are read only by the decoder).
#[derive(sqlx::FromRow)]
#[allow(dead_code)]
struct AuditRow {
    id: i64,
    event_type: String,
    search_query: Option<String>,
    user_email: Option<String>,
    user_agent: Option<String>,
    ip_address: Option<String>,
    session_id: Option<String>,
    success: bool,
    message: Option<String>,
    additional_data: Option<sqlx::types::Json<Json>>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

async fn raw_decoded(db: &Db, sql: &str, args: &[String]) -> usize {
    match db.pool() {
        Pool::Postgres(p) => {
            let mut q = sqlx::query_as::<_, AuditRow>(sql);
            for a in args {
                q = q.bind(a);
            }
            q.fetch_all(p).await.expect("raw decoded query").len()
        }
        Pool::Sqlite(p) => {
            let mut q = sqlx::query_as::<_, AuditRow>(sql);
            for a in args {
                q = q.bind(a);
            }
            q.fetch_all(p).await.expect("raw decoded query").len()
        }
    }
}

const COLUMNS: &str = "id, event_type, search_query, user_email, user_agent, ip_address, \
                       session_id, success, message, additional_data, created_at, updated_at";

fn shapes(pg: bool, middle: &Map<String, Json>, user: &str, day: &str) -> Vec<Shape> {
    let p = |n: usize| if pg { format!("${n}") } else { "?".into() };
    let ts = |n: usize| {
        if pg {
            format!("${n}::timestamptz")
        } else {
            "?".into()
        }
    };
    let newest = Sort {
        column: "created_at".into(),
        descending: true,
    };
    let text = |v: &Json| v.as_str().unwrap_or_default().to_owned();
    let page = |filters: Vec<&str>, sort: Option<Sort>, cursor: Option<String>| ListQuery {
        filters: filters
            .into_iter()
            .map(|f| Filter::parse(f).expect("filter"))
            .collect(),
        sort,
        limit: Some(100),
        cursor,
        // as the window asks: the total comes apart (count_table, timed on its own below)
        skip_total: true,
        search: None,
        within_days: None,
    };
    let middle_cursor = cursor_at(Table::AuditLog, &newest, middle).expect("cursor");
    let oldest = Sort {
        column: "created_at".into(),
        descending: false,
    };
    vec![
        Shape {
            name: "first page",
            query: page(vec![], None, None),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log ORDER BY created_at DESC, id DESC LIMIT 101"
            ),
            args: vec![],
        },
        Shape {
            name: "middle page (keyset)",
            query: page(vec![], Some(newest.clone()), Some(middle_cursor)),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log WHERE (created_at, id) < ({}, {}) \
                 ORDER BY created_at DESC, id DESC LIMIT 101",
                ts(1),
                if pg {
                    "$2::bigint".into()
                } else {
                    "?".to_string()
                }
            ),
            args: vec![text(&middle["created_at"]), middle["id"].to_string()],
        },
        Shape {
            name: "last page",
            query: page(vec![], Some(oldest), None),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log ORDER BY created_at ASC, id ASC LIMIT 101"
            ),
            args: vec![],
        },
        Shape {
            name: "by user email",
            query: page(vec![&format!("user_email=eq:{user}")], None, None),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log WHERE user_email = {} \
                 ORDER BY created_at DESC, id DESC LIMIT 101",
                p(1)
            ),
            args: vec![user.to_owned()],
        },
        Shape {
            name: "date range + event type",
            query: page(
                vec![&format!("created_at=gte:{day}"), "event_type=eq:search"],
                None,
                None,
            ),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log WHERE created_at >= {} AND event_type = {} \
                 ORDER BY created_at DESC, id DESC LIMIT 101",
                ts(1),
                p(2)
            ),
            args: vec![format!("{day}T00:00:00Z"), "search".into()],
        },
        Shape {
            name: "contains in message",
            query: page(vec!["message=contains:profile"], None, None),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log WHERE {} {} \
                 ORDER BY created_at DESC, id DESC LIMIT 101",
                if pg {
                    "message ILIKE"
                } else {
                    "LOWER(message) LIKE"
                },
                p(1)
            ),
            args: vec!["%profile%".into()],
        },
        Shape {
            name: "sorted by search_query",
            query: page(
                vec![],
                Some(Sort {
                    column: "search_query".into(),
                    descending: false,
                }),
                None,
            ),
            sql: format!(
                "SELECT {COLUMNS} FROM audit_log ORDER BY search_query ASC NULLS LAST, \
                 created_at ASC, id ASC LIMIT 101"
            ),
            args: vec![],
        },
    ]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, runs, out) = match args.as_slice() {
        [_, url, runs, out] => (
            url.clone(),
            runs.parse::<usize>().expect("RUNS"),
            out.clone(),
        ),
        _ => {
            eprintln!("usage: list_bench DATABASE_URL RUNS OUT.json");
            std::process::exit(2);
        }
    };
    let url = DbUrl::parse(&url).expect("database URL");
    let db = Db::connect_existing(&url).await.expect("open");
    let pg = matches!(db.pool(), Pool::Postgres(_));
    let backend = if pg { "postgres" } else { "sqlite" };
    let ctx = ops::Ctx::new(
        db.clone(),
        url.clone(),
        whodis_core::demo::DEMO_ADMIN,
        Client::new("bench"),
    );
    let total = ops::summary(&ctx).await.expect("summary");
    let rows = total.tables["AuditLog"].total;
    // a row in the middle of the newest-first order, and a user and a day that occur
    let mut conn = db.conn().await.expect("conn");
    let middle_query = ListQuery {
        limit: Some(1),
        ..ListQuery::default()
    };
    let sample = list_table(&mut conn, Table::AuditLog, &middle_query)
        .await
        .expect("sample");
    drop(conn);
    let offset = rows / 2;
    let middle: Map<String, Json> = match db.pool() {
        Pool::Postgres(p) => {
            let (id, at): (i64, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
                "SELECT id::bigint, created_at FROM audit_log ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1",
            )
            .bind(offset as i64)
            .fetch_one(p)
            .await
            .expect("middle");
            serde_json::from_value(json!({"id": id, "created_at": at.to_rfc3339()})).expect("row")
        }
        Pool::Sqlite(p) => {
            let (id, at): (i64, String) = sqlx::query_as(
                "SELECT id, created_at FROM audit_log ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
            )
            .bind(offset as i64)
            .fetch_one(p)
            .await
            .expect("middle");
            serde_json::from_value(json!({"id": id, "created_at": at})).expect("row")
        }
    };
    let user = sample.rows[0]["user_email"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let day = (chrono::Utc::now() - chrono::TimeDelta::days(3))
        .format("%Y-%m-%d")
        .to_string();

    println!(
        "{backend}: {rows} audit rows, {} cores, {runs} runs each (ms, median / p95)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!(
        "{:<26} {:>15} {:>15} {:>7} {:>15} {:>7} {:>15} {:>15}",
        "page of 100",
        "raw decoded",
        "engine",
        "ratio",
        "command+JSON",
        "ratio",
        "total (apart)",
        "raw, undecoded"
    );
    let mut results = Vec::new();
    for shape in shapes(pg, &middle, &user, &day) {
        let raw_t = time(runs, || async {
            raw(&db, &shape.sql, &shape.args).await;
        })
        .await;
        let decoded_t = time(runs, || async {
            raw_decoded(&db, &shape.sql, &shape.args).await;
        })
        .await;
        let engine_t = time(runs, || async {
            let mut c = db.conn().await.expect("conn");
            list_table(&mut c, Table::AuditLog, &shape.query)
                .await
                .expect("engine page");
        })
        .await;
        let command_t = time(runs, || async {
            let page = ops::list(&ctx, Table::AuditLog, &shape.query)
                .await
                .expect("command page");
            std::hint::black_box(serde_json::to_string(&page).expect("json"));
        })
        .await;
        // the total, which the window asks for beside the first page
        let count_t = time(runs, || async {
            let mut c = db.conn().await.expect("conn");
            count_table(&mut c, Table::AuditLog, &shape.query)
                .await
                .expect("count");
        })
        .await;
        println!(
            "{:<26} {:>7.2} / {:>5.2} {:>7.2} / {:>5.2} {:>6.2}× {:>7.2} / {:>5.2} {:>6.2}× {:>7.2} / {:>5.2} {:>7.2} / {:>5.2}",
            shape.name,
            decoded_t.0,
            decoded_t.1,
            engine_t.0,
            engine_t.1,
            engine_t.0 / decoded_t.0,
            command_t.0,
            command_t.1,
            command_t.0 / decoded_t.0,
            count_t.0,
            count_t.1,
            raw_t.0,
            raw_t.1
        );
        results.push(json!({
            "shape": shape.name,
            "raw_ms": {"median": raw_t.0, "p95": raw_t.1},
            "raw_decoded_ms": {"median": decoded_t.0, "p95": decoded_t.1},
            "engine_to_raw_decoded": engine_t.0 / decoded_t.0,
            "command_to_raw_decoded": command_t.0 / decoded_t.0,
            "engine_ms": {"median": engine_t.0, "p95": engine_t.1},
            "command_ms": {"median": command_t.0, "p95": command_t.1},
            "total_ms": {"median": count_t.0, "p95": count_t.1},
            "engine_to_raw": engine_t.0 / raw_t.0,
            "command_to_raw": command_t.0 / raw_t.0,
        }));
    }
    let report = json!({
        "backend": backend,
        "audit_rows": rows,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "runs": runs,
        "pages": results,
    });
    std::fs::write(&out, serde_json::to_string_pretty(&report).expect("json")).expect("write");
}
