//! Realistic, deterministic demo data for a fresh database.
//!
//! The same seed and scale give the same rows (times are relative to the moment of the run).
//! Everything is written in one transaction: a failure leaves the database empty.

use chrono::TimeDelta;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::json;

use crate::db::Db;
use crate::dialect::{bulk_insert, drop_secondary_indexes, restore_indexes, Cell};
use crate::error::{Error, Result};
use crate::models::configuration::StoredValue;
use crate::models::*;
use crate::time::{now, Timestamp};
use crate::utilities::count_rows;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub seed: u64,
    /// Multiplies the log rows (20,000 per unit).
    pub scale: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { seed: 42, scale: 1 }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoSummary {
    pub users: u64,
    pub employee_profiles: u64,
    pub job_codes: u64,
    pub system_roles: u64,
    pub job_role_mappings: u64,
    pub employee_role_assignments: u64,
    pub genesys: u64,
    pub sessions: u64,
    pub search_cache: u64,
    pub api_tokens: u64,
    pub configuration: u64,
    pub audit_log: u64,
    pub access_attempts: u64,
    pub error_log: u64,
}

const FIRST: [&str; 24] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Linus",
    "Hedy",
    "Tim",
    "Katherine",
    "Guido",
    "Sophie",
    "John",
    "Annie",
    "Niklaus",
    "Mary",
    "Bjarne",
    "Karen",
    "Leslie",
];
const LAST: [&str; 24] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Torvalds",
    "Lamarr",
    "Berners-Lee",
    "Johnson",
    "van Rossum",
    "Wilson",
    "McCarthy",
    "Easley",
    "Wirth",
    "Keller",
    "Stroustrup",
    "Jones",
    "Lamport",
];
const DEPARTMENTS: [&str; 8] = [
    "Support",
    "Sales",
    "Billing",
    "Field Ops",
    "IT",
    "HR",
    "Finance",
    "Quality",
];
const JOB_CODES: [(&str, &str); 12] = [
    ("CSR1", "Customer Service Representative I"),
    ("CSR2", "Customer Service Representative II"),
    ("CSSUP", "Customer Service Supervisor"),
    ("SLS1", "Sales Associate"),
    ("SLSMG", "Sales Manager"),
    ("BIL1", "Billing Specialist"),
    ("TECH1", "Field Technician"),
    ("TECH2", "Senior Field Technician"),
    ("ITADM", "IT Administrator"),
    ("HRGEN", "HR Generalist"),
    ("FINAN", "Financial Analyst"),
    ("QAANL", "Quality Analyst"),
];
const ROLES: [&str; 20] = [
    "Agent",
    "Supervisor",
    "Quality Evaluator",
    "Quality Administrator",
    "Outbound Agent",
    "Billing Queue",
    "Sales Queue",
    "Support Queue",
    "Tech Dispatch",
    "Reporting Viewer",
    "Admin",
    "Architect",
    "Communicate User",
    "Collaborate User",
    "Employee",
    "Trainer",
    "Workforce Planner",
    "Recording Viewer",
    "Campaign Manager",
    "Analytics Viewer",
];
const EVENT_WEIGHTS: [(&str, u32); 5] = [
    ("search", 70),
    ("access", 10),
    ("admin", 8),
    ("config", 4),
    ("error", 8),
];
const ERROR_TYPES: [&str; 6] = [
    "LDAPTimeout",
    "GenesysAPIError",
    "GraphAPIError",
    "DatabaseError",
    "ValidationError",
    "PermissionDenied",
];
const RESOURCES: [&str; 6] = [
    "/admin",
    "/admin/users",
    "/admin/config",
    "/search",
    "/admin/audit",
    "/api/employees",
];
const AGENTS: [&str; 3] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0",
];

/// The demo's well-known operators: one per role (the desktop app opens the demo as the admin).
pub const DEMO_ADMIN: &str = "demo.admin@whodis.example";
pub const DEMO_EDITOR: &str = "demo.editor@whodis.example";
pub const DEMO_VIEWER: &str = "demo.viewer@whodis.example";

/// Settings the demo stores encrypted, so masking, reveal and rotation can be tried on it.
/// Their values are made-up demo strings, not secrets of anything.
pub const DEMO_SECRETS: [(&str, &str); 2] = [
    ("ldap.bind_password", "demo-bind-password"),
    ("genesys.client_secret", "demo-genesys-client-secret"),
];

/// Encrypts [`DEMO_SECRETS`] under this database's key in the OS keyring (created if the
/// database has none), as `ctx`'s operator, audited like any change. Needs a usable keyring.
pub async fn fill_secrets(ctx: &crate::ops::Ctx) -> Result<usize> {
    use crate::ops::settings::{KeyInit, SetConfig};
    if ctx.keys()?.load()?.data.is_none() {
        crate::ops::run(ctx, KeyInit {}).await?;
    }
    for (path, value) in DEMO_SECRETS {
        let set = SetConfig {
            path: path.into(),
            value: crate::crypto::SecretString::new(value.into()),
            protection: crate::config::Protection::Encrypt,
            expected_updated_at: None,
        };
        crate::ops::run(ctx, set).await?;
    }
    Ok(DEMO_SECRETS.len())
}

/// Told how many log rows were just written, for a progress display: log rows are nearly all
/// of a large load (`20,000 × scale` in all).
pub type OnRows<'a> = &'a (dyn Fn(u64) + Send + Sync);

/// [`fill`], recorded in the audit log as `demo.fill` by `ctx`'s operator.
pub async fn fill_recorded(ctx: &crate::ops::Ctx, options: DemoOptions) -> Result<DemoSummary> {
    fill_recorded_reporting(ctx, options, &|_| {}).await
}

/// [`fill_recorded`], telling `report` of the log rows as they are written.
pub async fn fill_recorded_reporting(
    ctx: &crate::ops::Ctx,
    options: DemoOptions,
    report: OnRows<'_>,
) -> Result<DemoSummary> {
    ctx.writable()?;
    let summary = fill_reporting(&ctx.db, options, report).await?;
    let message = format!(
        "Filled the database with demo data: {} users, {} employee profiles (seed {}, scale {})",
        summary.users, summary.employee_profiles, options.seed, options.scale
    );
    let details = json!({ "seed": options.seed, "scale": options.scale, "rows": &summary });
    ctx.record_maintenance("demo.fill", message, details).await;
    Ok(summary)
}

/// Fills an empty database. Refuses (and changes nothing) when it already has users.
pub async fn fill(db: &Db, options: DemoOptions) -> Result<DemoSummary> {
    fill_reporting(db, options, &|_| {}).await
}

/// [`fill`], telling `report` of the log rows as they are written.
pub async fn fill_reporting(
    db: &Db,
    options: DemoOptions,
    report: OnRows<'_>,
) -> Result<DemoSummary> {
    if options.scale == 0 || options.scale > 1000 {
        return Err(Error::invalid("scale", "must be between 1 and 1000"));
    }
    let refused = || Error::Conflict {
        field: None,
        message: "the database already has data; demo data goes into an empty database only".into(),
    };
    // asked first on an ordinary connection, so the usual refusal never switches the file to
    // the load's journal; asked again inside the load's transaction, which decides
    if count_rows::<User>(&mut db.conn().await?).await? > 0 {
        return Err(refused());
    }
    let mut tx = db.begin_bulk().await?;
    if count_rows::<User>(&mut tx).await? > 0 {
        tx.rollback().await?;
        return Err(refused());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let anchor = now();
    let mut s = DemoSummary::default();

    let mut people = people(&mut rng, 1000);
    // Well-known operators, so the demo can be opened as each role.
    for (i, email) in [(0, DEMO_ADMIN), (5, DEMO_EDITOR), (20, DEMO_VIEWER)] {
        people[i].1 = email.to_owned();
    }
    let users = &people[..50];
    for (i, (_, email)) in users.iter().enumerate() {
        let role = match i {
            0..=4 => "admin",
            5..=19 => "editor",
            _ => "viewer",
        };
        User::new(email.clone(), role).save(&mut tx).await?;
        s.users += 1;
    }

    let mut job_codes = Vec::new();
    for (code, description) in JOB_CODES {
        let mut jc = JobCode {
            code: code.into(),
            description: Some(description.into()),
            ..Default::default()
        };
        jc.save(&mut tx).await?;
        job_codes.push(jc);
    }
    let mut roles = Vec::new();
    for name in ROLES {
        let mut r = SystemRole {
            role_name: name.into(),
            description: Some(format!("Genesys Cloud role {name}")),
            ..Default::default()
        };
        r.save(&mut tx).await?;
        roles.push(r);
    }
    let mut required: Vec<Vec<i64>> = Vec::new();
    for jc in &job_codes {
        let n = rng.random_range(2..=5);
        let picked: Vec<&SystemRole> = roles.choose_multiple(&mut rng, n).collect();
        let mut ids = Vec::new();
        for r in picked {
            JobRoleMapping {
                job_code_id: jc.id,
                system_role_id: r.id,
                ..Default::default()
            }
            .save(&mut tx)
            .await?;
            ids.push(r.id);
        }
        s.job_role_mappings += ids.len() as u64;
        required.push(ids);
    }
    s.job_codes = job_codes.len() as u64;
    s.system_roles = roles.len() as u64;

    for (i, (name, email)) in people.iter().enumerate() {
        let j = rng.random_range(0..job_codes.len());
        let mut profile = EmployeeProfile {
            email: email.clone(),
            keystone_data: Some(json!({
                "employee_id": format!("E{:05}", 10000 + i),
                "display_name": name,
                "job_code": job_codes[j].code,
                "job_title": JOB_CODES[j].1,
                "department": DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())],
                "hire_date": (anchor - TimeDelta::days(rng.random_range(30..4000))).date_naive().to_string(),
                "location": format!("Site {}", rng.random_range(1..=15)),
            })),
            ..Default::default()
        };
        if rng.random_bool(0.92) {
            profile.set_photo(avatar_png(name, 96)?)?;
        }
        profile.save(&mut tx).await?;
        s.employee_profiles += 1;

        // Most employees hold what their job requires; some miss a role or hold an extra one.
        let mut held: Vec<i64> = required[j].clone();
        if rng.random_bool(0.15) && held.len() > 1 {
            held.remove(rng.random_range(0..held.len()));
        }
        if rng.random_bool(0.10) {
            let extra = roles[rng.random_range(0..roles.len())].id;
            if !held.contains(&extra) {
                held.push(extra);
            }
        }
        for role_id in held {
            EmployeeRoleAssignment {
                employee_email: email.clone(),
                system_role_id: role_id,
                source: Some(
                    if rng.random_bool(0.9) {
                        "genesys"
                    } else {
                        "manual"
                    }
                    .into(),
                ),
                assigned_at: anchor - TimeDelta::days(rng.random_range(1..900)),
                ..Default::default()
            }
            .save(&mut tx)
            .await?;
            s.employee_role_assignments += 1;
        }
    }

    s.genesys += genesys::<GenesysGroup>(&mut tx, &mut rng, "group", 40).await?;
    s.genesys += genesys::<GenesysSkill>(&mut tx, &mut rng, "skill", 60).await?;
    s.genesys += genesys::<GenesysLocation>(&mut tx, &mut rng, "location", 15).await?;

    for i in 0..200 {
        let (_, email) = &users[rng.random_range(0..users.len())];
        let started = anchor - TimeDelta::minutes(rng.random_range(1..60 * 24 * 7));
        // about 40% already expired
        let expires = if rng.random_bool(0.4) {
            anchor - TimeDelta::minutes(rng.random_range(1..60 * 24))
        } else {
            anchor + TimeDelta::minutes(rng.random_range(5..60 * 8))
        };
        Session {
            session_id: format!("sess-{:016x}-{i}", rng.random::<u64>()),
            user_email: email.clone(),
            ip_address: Some(ip(&mut rng)),
            user_agent: Some(AGENTS[rng.random_range(0..AGENTS.len())].into()),
            last_activity: started,
            expires_at: expires,
            ..Default::default()
        }
        .save(&mut tx)
        .await?;
        s.sessions += 1;
    }
    for _ in 0..300 {
        let (name, email) = &people[rng.random_range(0..people.len())];
        let expired = rng.random_bool(0.3);
        SearchCache {
            search_query: email.split('@').next().unwrap_or_default().to_owned(),
            result_data: Some(json!({"email": email, "display_name": name, "sources": ["ldap", "genesys", "graph"]})),
            expires_at: if expired { anchor - TimeDelta::minutes(rng.random_range(1..600)) } else { anchor + TimeDelta::minutes(rng.random_range(1..30)) },
            ..Default::default()
        }
        .save(&mut tx)
        .await?;
        s.search_cache += 1;
    }
    for (service, ttl) in [
        ("genesys", 3600),
        ("microsoft_graph", 3000),
        ("keystone", -600),
    ] {
        ApiToken {
            service_name: service.into(),
            access_token: format!("demo-{service}-{:032x}", rng.random::<u128>()),
            token_type: Some("Bearer".into()),
            expires_at: anchor + TimeDelta::seconds(ttl),
            ..Default::default()
        }
        .save(&mut tx)
        .await?;
        s.api_tokens += 1;
    }
    for (category, key, value) in [
        ("auth", "session_timeout_minutes", "15"),
        ("auth", "required_role", "viewer"),
        ("ldap", "host", "ldap.corp.example"),
        ("ldap", "port", "636"),
        ("ldap", "base_dn", "dc=corp,dc=example"),
        ("genesys", "region", "usw2.pure.cloud"),
        ("search", "cache_ttl_minutes", "30"),
        ("search", "max_results", "50"),
    ] {
        Configuration::put(
            &mut tx,
            category,
            key,
            StoredValue::Plain(Some(value.into())),
        )
        .await?;
        s.configuration += 1;
    }

    let log_rows = 20_000 * u64::from(options.scale);
    s.audit_log = logs_audit(
        &mut tx,
        &mut rng,
        anchor,
        &people,
        report,
        log_rows * 7 / 10,
    )
    .await?;
    s.access_attempts = logs_access(
        &mut tx,
        &mut rng,
        anchor,
        &people,
        report,
        log_rows * 2 / 10,
    )
    .await?;
    s.error_log = logs_error(&mut tx, &mut rng, anchor, &people, report, log_rows / 10).await?;

    tx.commit().await?;
    crate::dialect::vacuum_after_load(db, &["audit_log", "access_attempts", "error_log"]).await?;
    Ok(s)
}

fn people(rng: &mut ChaCha8Rng, n: usize) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let first = FIRST[rng.random_range(0..FIRST.len())];
        let last = LAST[rng.random_range(0..LAST.len())];
        let local = format!("{}.{}{}", first, last.replace([' ', '-'], ""), i).to_lowercase();
        out.push((format!("{first} {last}"), format!("{local}@whodis.example")));
    }
    out
}

fn ip(rng: &mut ChaCha8Rng) -> String {
    format!(
        "10.{}.{}.{}",
        rng.random_range(0..32),
        rng.random_range(0..256),
        rng.random_range(1..255)
    )
}

async fn genesys<M: crate::models::genesys::ServiceData>(
    tx: &mut crate::db::Tx,
    rng: &mut ChaCha8Rng,
    kind: &str,
    n: usize,
) -> Result<u64> {
    let items: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("{kind}-{:08x}-{i:03}", rng.random::<u32>()),
                "name": format!("{} {}", DEPARTMENTS[i % DEPARTMENTS.len()], kind_label(kind, i)),
                "state": if rng.random_bool(0.85) { "active" } else { "inactive" },
                "version": rng.random_range(1..20),
            })
        })
        .collect();
    let stats = crate::models::genesys::sync_from_service_data::<M>(tx, "genesys", &items).await?;
    Ok(stats.created)
}

fn kind_label(kind: &str, i: usize) -> String {
    match kind {
        "group" => format!("Team {}", i + 1),
        "skill" => format!("Skill {}", i + 1),
        _ => format!("Office {}", i + 1),
    }
}

/// A time within the last 90 days, denser in recent weeks.
fn recent(rng: &mut ChaCha8Rng, anchor: Timestamp) -> Timestamp {
    let days: f64 = rng.random::<f64>().powf(1.4) * 90.0;
    crate::time::truncate(anchor - TimeDelta::milliseconds((days * 86_400_000.0) as i64))
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

const TRACKING: [&str; 9] = [
    "user_email",
    "user_agent",
    "ip_address",
    "session_id",
    "success",
    "message",
    "additional_data",
    "created_at",
    "updated_at",
];

fn tracking(
    rng: &mut ChaCha8Rng,
    people: &[(String, String)],
    at: Timestamp,
    success: bool,
    message: String,
    data: serde_json::Value,
) -> Vec<Cell> {
    let (_, email) = &people[rng.random_range(0..50)];
    vec![
        text(email.clone()),
        text(AGENTS[rng.random_range(0..AGENTS.len())]),
        text(ip(rng)),
        text(format!("sess-{:08x}", rng.random::<u32>())),
        Cell::Bool(success),
        text(message),
        Cell::Json(data),
        Cell::Time(at),
        Cell::Time(at),
    ]
}

async fn logs_audit(
    tx: &mut crate::db::Tx,
    rng: &mut ChaCha8Rng,
    anchor: Timestamp,
    people: &[(String, String)],
    report: OnRows<'_>,
    n: u64,
) -> Result<u64> {
    let mut columns = vec!["event_type", "search_query"];
    columns.extend(TRACKING);
    let total: u32 = EVENT_WEIGHTS.iter().map(|(_, w)| w).sum();
    load_rows(tx, "audit_log", &columns, n, rng, report, |rng| {
            let mut pick = rng.random_range(0..total);
            let event = EVENT_WEIGHTS.iter().find(|(_, w)| { if pick < *w { true } else { pick -= w; false } }).map(|(e, _)| *e).unwrap_or("search");
            let at = recent(rng, anchor);
            let (name, target) = &people[rng.random_range(0..people.len())];
            let query = target.split('@').next().unwrap_or_default().to_owned();
            let success = event != "error" && rng.random_bool(0.97);
            let (message, data, q) = match event {
                "search" => (format!("Searched for {name}"), json!({"results_count": rng.random_range(0..4), "services_used": ["ldap", "genesys", "graph"], "execution_time_ms": rng.random_range(40..1800)}), Some(query)),
                "access" => ("Viewed employee profile".to_owned(), json!({"target": target}), None),
                "admin" => ("Updated user role".to_owned(), json!({"entity": "users", "field": "role"}), None),
                "config" => ("Changed configuration".to_owned(), json!({"entity": "configuration", "key": "search.cache_ttl_minutes"}), None),
                _ => ("Search failed".to_owned(), json!({"error": "upstream timeout"}), Some(query)),
            };
            let mut row = vec![text(event), q.map(text).unwrap_or(Cell::Null)];
            row.extend(tracking(rng, people, at, success, message, data));
            row
    })
    .await
}

async fn logs_access(
    tx: &mut crate::db::Tx,
    rng: &mut ChaCha8Rng,
    anchor: Timestamp,
    people: &[(String, String)],
    report: OnRows<'_>,
    n: u64,
) -> Result<u64> {
    let mut columns = vec!["resource", "required_role", "user_role"];
    columns.extend(TRACKING);
    load_rows(tx, "access_attempts", &columns, n, rng, report, |rng| {
        let resource = RESOURCES[rng.random_range(0..RESOURCES.len())];
        let required = if resource.starts_with("/admin") {
            "admin"
        } else {
            "viewer"
        };
        let held = ["viewer", "editor", "admin"][rng.random_range(0..3)];
        let granted = required == "viewer" || held == "admin";
        let at = recent(rng, anchor);
        let message = if granted {
            format!("Access granted to {resource}")
        } else {
            format!("Access denied to {resource}")
        };
        let mut row = vec![text(resource), text(required), text(held)];
        row.extend(tracking(
            rng,
            people,
            at,
            granted,
            message,
            json!({"method": "GET"}),
        ));
        row
    })
    .await
}

async fn logs_error(
    tx: &mut crate::db::Tx,
    rng: &mut ChaCha8Rng,
    anchor: Timestamp,
    people: &[(String, String)],
    report: OnRows<'_>,
    n: u64,
) -> Result<u64> {
    let mut columns = vec!["error_type", "stack_trace"];
    columns.extend(TRACKING);
    load_rows(tx, "error_log", &columns, n, rng, report, |rng| {
            let kind = ERROR_TYPES[rng.random_range(0..ERROR_TYPES.len())];
            let at = recent(rng, anchor);
            let trace = format!(
                "Traceback (most recent call last):\n  File \"app/services/{0}.py\", line {1}, in fetch\n    raise {2}(\"request failed\")\n{2}: request failed",
                kind.to_lowercase(), rng.random_range(20..400), kind
            );
            let mut row = vec![text(kind), text(trace)];
            let path = RESOURCES[rng.random_range(0..RESOURCES.len())];
            row.extend(tracking(rng, people, at, false, format!("{kind} while handling request"), json!({"path": path})));
            row
    })
    .await
}

/// Generates `n` rows with `row` and bulk-loads them in batches, keeping memory flat at
/// large scales.
async fn load_rows(
    tx: &mut crate::db::Tx,
    table: &'static str,
    columns: &[&'static str],
    n: u64,
    rng: &mut ChaCha8Rng,
    report: OnRows<'_>,
    mut row: impl FnMut(&mut ChaCha8Rng) -> Vec<Cell>,
) -> Result<u64> {
    let mut written = 0;
    let indexes = drop_secondary_indexes(tx, table).await?;
    for chunk in chunks(n) {
        let rows: Vec<Vec<Cell>> = (0..chunk).map(|_| row(rng)).collect();
        let done = bulk_insert(tx, table, columns, &rows).await?;
        written += done;
        report(done);
    }
    // statistics: `vacuum_after_load` analyzes the log tables once the load has committed
    restore_indexes(tx, &indexes).await?;
    Ok(written)
}

/// Splits `n` rows into batches small enough to keep memory flat at large scales.
fn chunks(n: u64) -> impl Iterator<Item = u64> {
    const BATCH: u64 = 10_000;
    (0..n.div_ceil(BATCH)).map(move |i| BATCH.min(n - i * BATCH))
}

/// A deterministic identicon for `name`: a mirrored 5×5 pattern in a colour derived from the
/// name, as PNG bytes.
pub fn avatar_png(name: &str, size: u32) -> Result<Vec<u8>> {
    let hash = fnv1a(name.as_bytes());
    let hue = (hash % 360) as f32;
    let (r, g, b) = hsl_to_rgb(hue, 0.55, 0.5);
    let background = image::Rgb([240u8, 240, 236]);
    let ink = image::Rgb([r, g, b]);
    let cell = (size / 6).max(1);
    let margin = (size - cell * 5) / 2;
    let img = image::RgbImage::from_fn(size, size, |x, y| {
        let (cx, cy) = (
            x.saturating_sub(margin) / cell,
            y.saturating_sub(margin) / cell,
        );
        if x < margin || y < margin || cx >= 5 || cy >= 5 {
            return background;
        }
        let col = if cx > 2 { 4 - cx } else { cx };
        let bit = (hash >> (8 + col * 5 + cy)) & 1;
        if bit == 1 {
            ink
        } else {
            background
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| Error::invalid("photo_data", format!("cannot encode avatar: {e}")))?;
    Ok(out.into_inner())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn hsl_to_rgb(h: f32, s: f32, l: f32) -> (u8, u8, u8) {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match h as u32 {
        0..=59 => (c, x, 0.0),
        60..=119 => (x, c, 0.0),
        120..=179 => (0.0, c, x),
        180..=239 => (0.0, x, c),
        240..=299 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f32| ((v + m) * 255.0).round() as u8;
    (to(r), to(g), to(b))
}
