//! Headless subcommands for scripting. Each prints JSON on stdout; an error is one line on
//! stderr and a non-zero exit code (2 for bad input, 1 otherwise).

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use whodis_core::demo::{self, DemoOptions};
use whodis_core::list::{Filter, ListQuery, Sort};
use whodis_core::ops::{self, Ctx, UnknownOperator};
use whodis_core::{Db, Error, Result, Table};

use crate::paths;

#[derive(Parser)]
#[command(
    name = "whodis-admin",
    version,
    about = "Administer a WhoDis database. With no subcommand, opens the desktop app."
)]
pub struct Args {
    /// Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DB
    /// [default: the embedded SQLite file in the app-data folder]
    #[arg(
        long,
        global = true,
        env = "WHODIS_DATABASE_URL",
        hide_env_values = true
    )]
    pub database: Option<String>,

    /// Who is operating: an email in the database's `users` table; its role decides what is
    /// allowed, and every change is recorded under it
    /// [default: the demo admin on the embedded database, else read-only]
    #[arg(long, global = true, env = "WHODIS_OPERATOR")]
    pub operator: Option<String>,
    /// What an operator who is not in `users` may do: browse read-only, or nothing at all
    #[arg(
        long,
        global = true,
        env = "WHODIS_UNKNOWN_OPERATOR",
        value_parser = ["read-only", "refuse"],
        default_value = "read-only"
    )]
    pub unknown_operator: String,

    /// Refuse every write, whatever the operator's role: reads, lists and stats only (nothing
    /// is migrated or recorded either)
    #[arg(long, global = true, env = "WHODIS_READ_ONLY")]
    pub read_only: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Args {
    /// The `--unknown-operator` policy (clap has already checked the value).
    pub fn unknown_operator(&self) -> UnknownOperator {
        match self.unknown_operator.as_str() {
            "refuse" => UnknownOperator::Refuse,
            _ => UnknownOperator::ReadOnly,
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Apply pending migrations (an admin's command; on a database without any admin, --yes).
    Migrate {
        /// Go ahead on a database that has no admin to approve it.
        #[arg(long)]
        yes: bool,
    },
    /// Revert migrations down to a version (0 removes every table). An admin's command (on a
    /// database without any admin, --yes); below version 2, which removes the audit log, the
    /// database's name must be typed with --confirm-database.
    Downgrade {
        #[arg(long)]
        to: i64,
        #[arg(long)]
        yes: bool,
        /// The database's name (the SQLite file name, or the PostgreSQL database), typed.
        #[arg(long)]
        confirm_database: Option<String>,
    },
    /// Fill an empty database with deterministic demo data.
    Demo {
        /// Multiplies the 20,000 log rows.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Row counts per model, expired counts, schema version.
    Stats,
    /// Delete expired sessions, search cache entries and API tokens (or one table's: any table
    /// with an `expires_at` timestamp, on any database).
    CleanupExpired {
        /// Only this table: sessions, search_cache, api_tokens, or any table with expires_at
        #[arg(long)]
        table: Option<String>,
        /// Count the expired rows of --table instead of deleting them.
        #[arg(long, requires = "table")]
        dry_run: bool,
    },
    /// Users of the WhoDis database and their roles.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// The database's encryption keys in the OS keyring.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// Read or write a configuration value (decrypted on read, encrypted when sensitive).
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// How this database compares with the WhoDis models, table by table (changes nothing).
    Schema,
    /// The database's size, each table's and its indexes', live/dead rows and last
    /// vacuum/analyze (PostgreSQL), page and freelist counts (SQLite).
    Health {
        /// Refresh every table's planner statistics first (ANALYZE: an admin's, audited); the
        /// outcome is under "analyzed".
        #[arg(long)]
        analyze: bool,
    },
    /// Add what whodis-admin's schema has beyond the server's (indexes, the role-assignment
    /// table, configuration timestamps) to a database another program made.
    Adopt {
        /// Run the plan (in one transaction, recorded in the audit log). Without it, only
        /// print the exact statements.
        #[arg(long)]
        apply: bool,
        /// Only print the plan (the default).
        #[arg(long, conflicts_with = "apply")]
        plan: bool,
    },
    /// Move a session's, cache entry's or API token's expiry later.
    Extend {
        /// sessions, search_cache or api_tokens
        #[arg(value_parser = ["sessions", "search_cache", "api_tokens"])]
        table: String,
        id: i64,
        /// How many seconds later than now it expires.
        #[arg(long)]
        seconds: i64,
    },
    /// Every table of the database with its columns, keys, foreign keys both ways, the
    /// conventions recognised (badges) and a row estimate (JSON).
    Tables,
    /// List rows of any table (safe form: secret-looking fields are dropped).
    List {
        #[command(flatten)]
        rows: RowSelection,
        #[arg(long)]
        limit: Option<u32>,
        /// The next_cursor of the previous page.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Write every row a filter selects to a CSV or JSON file (by the file's extension), in its
    /// safe form, recorded in the audit log. The file appears only when complete.
    Export {
        #[command(flatten)]
        rows: RowSelection,
        /// The file to write (`.json` for JSON, anything else CSV); replaced if it exists.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Write times in this zone (an IANA name such as Europe/Berlin), named in the CSV
        /// header; UTC otherwise.
        #[arg(long)]
        time_zone: Option<String>,
    },
    /// Changes the audit log recorded.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
}

/// Which rows of which table, in which order: shared by `list` and `export`.
#[derive(clap::Args)]
pub struct RowSelection {
    /// Table (users, audit_log, … or any other table of the database) or model name (User, …).
    table: String,
    /// column=op:value, op one of eq ne contains gt gte lt lte null notnull.
    #[arg(long = "filter")]
    filters: Vec<String>,
    /// An indexed column [default: created_at].
    #[arg(long)]
    sort: Option<String>,
    /// Ascending instead of descending.
    #[arg(long)]
    asc: bool,
    /// Rows where any shown text column contains this (case-insensitive).
    #[arg(long)]
    search: Option<String>,
    /// The N of computed "active within N days" columns (users' `active`) [default: 30].
    #[arg(long, allow_negative_numbers = true)]
    within_days: Option<i64>,
}

impl RowSelection {
    /// The table as named (any table of the database, for the explorer) and the query.
    fn any_table(self) -> Result<(String, ListQuery)> {
        let table = self.table.clone();
        let asc = self.asc;
        let query = ListQuery {
            filters: self
                .filters
                .iter()
                .map(|f| Filter::parse(f))
                .collect::<Result<_>>()?,
            sort: self
                .sort
                .map(|column| Sort {
                    column,
                    descending: !asc,
                })
                .or_else(|| {
                    asc.then(|| Sort {
                        column: "created_at".into(),
                        descending: false,
                    })
                }),
            limit: None,
            cursor: None,
            // a script reads the total from the first page
            skip_total: false,
            search: self.search,
            within_days: self.within_days,
        };
        Ok((table, query))
    }
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a user. On a database without any admin, creates its first admin (no operator needed).
    Add {
        email: String,
        #[arg(long, value_parser = ["admin", "editor", "viewer"], default_value = "viewer")]
        role: String,
    },
}

#[derive(Subcommand)]
pub enum KeyAction {
    /// Key fingerprints and how many encrypted values decrypt.
    Status,
    /// Create the data key of a database that has none.
    Init,
    /// Print the recovery string of the key (it IS the key: store it safely).
    Export {
        /// Export the Fernet key instead of the data key.
        #[arg(long, conflicts_with = "chain")]
        fernet: bool,
        /// Export the audit trail's chain key instead (for `audit verify` and sealed changes
        /// on another admin's keyring; `keys import` takes it).
        #[arg(long)]
        chain: bool,
    },
    /// Store a key read from standard input (or --file): a whodis-admin recovery string, or
    /// the WhoDis server's 44-character WHODIS_ENCRYPTION_KEY. It is checked against the
    /// database's values first.
    Import {
        /// Read the key from this file instead of standard input.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
    /// Re-encrypt every value under a new key, in one transaction (progress on stderr).
    Rotate {
        /// Rotate the server's Fernet key: prints the new WHODIS_ENCRYPTION_KEY once, which
        /// the server's environment must then get.
        #[arg(long)]
        fernet: bool,
    },
}

#[derive(Subcommand)]
pub enum AuditAction {
    /// Put back the values a change made with whodis-admin replaced: a created row is deleted,
    /// a deleted one recreated, changed fields set back. Itself a change, recorded with
    /// additional_data.reverts = AUDIT_ID; refused (changing nothing) when the row changed
    /// since, when the change touched a secret, or when another program wrote the row. Needs
    /// the role the original change needed.
    Revert {
        audit_id: i64,
        /// Only print what would change, or why it cannot be reverted (changes nothing).
        #[arg(long)]
        dry_run: bool,
    },
    /// Walk the whole audit log and check its hash chain: prints the report (rows chained,
    /// rows outside the chain, the first and last chained rows, each row altered, deleted or
    /// inserted out of chain) and exits 1 when the chain is broken. Needs the chain key.
    Verify,
    /// Start the hash chain: make the chain key in the OS keyring and seal every change from
    /// now on. Other admins then need the key (`keys export --chain`, `keys import`).
    StartChain,
}

#[derive(Subcommand)]
pub enum ConfigAction {
    /// Print a value, decrypted (an explicit reveal).
    Get { path: String },
    /// Set a value read from standard input (never from the command line, where it would
    /// stay in shell history and process lists).
    Set {
        path: String,
        /// Encrypt even if the name does not look sensitive.
        #[arg(long, conflicts_with = "plain")]
        encrypt: bool,
        /// Store as plaintext even if the name looks sensitive.
        #[arg(long)]
        plain: bool,
    },
}

pub fn run(
    database: Option<String>,
    operator: Option<String>,
    unknown: UnknownOperator,
    read_only: bool,
    command: Command,
) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opened = execute(database.as_deref(), operator, unknown, read_only, command);
    match runtime.block_on(opened) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let hint = if matches!(e, Error::Forbidden(_)) {
                " (pass --operator EMAIL or set WHODIS_OPERATOR)"
            } else {
                ""
            };
            eprintln!("error: {e}{hint}");
            ExitCode::from(if matches!(e, Error::Invalid { .. }) {
                2
            } else {
                1
            })
        }
    }
}

/// A progress bar on stderr (rows, rate, time left), drawn only when stderr is a terminal.
fn rows_bar(total: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:30}} {{human_pos}}/{{human_len}} {what} · {{per_sec}} · {{eta}} left"
    )) {
        bar.set_style(style);
    }
    bar
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::invalid("output", e.to_string()))
}

async fn execute(
    database: Option<&str>,
    operator: Option<String>,
    unknown: UnknownOperator,
    read_only: bool,
    command: Command,
) -> Result<String> {
    let (url, embedded) = paths::resolve(database)?;
    // `--read-only`: refused before anything is opened for the commands that change the
    // database outside an operation; the others reach `ops::run`, which refuses them
    let read_only = read_only.then(|| format!("{url} (--read-only)"));
    if let Some(name) = &read_only {
        if matches!(
            command,
            Command::Migrate { .. } | Command::Downgrade { .. } | Command::Demo { .. }
        ) {
            return Err(Error::ReadOnly(name.clone()));
        }
    }
    // only the embedded database, `migrate` and `demo` create a SQLite file: a mistyped path
    // is an error, not a new empty database (and folders) made where nobody looks
    if let whodis_core::DbUrl::Sqlite(path) = &url {
        let creates = embedded || matches!(command, Command::Migrate { .. } | Command::Demo { .. });
        if !creates && !path.exists() {
            return Err(Error::invalid(
                "database",
                format!(
                    "there is no database at {}; check the path, or create one there with \
                     `whodis-admin --database {url} migrate`",
                    path.display()
                ),
            ));
        }
    }
    let db = match command {
        // Migrating says what it did; downgrading must not first migrate up.
        Command::Migrate { .. } | Command::Downgrade { .. } => Db::connect(&url).await?,
        // a read-only connection is not migrated
        _ if read_only.is_some() => Db::connect_existing(&url).await?,
        _ => Db::open(&url).await?,
    };
    let operator = paths::operator(operator, embedded);
    let mut ctx = Ctx::new(db.clone(), url.clone(), operator, ops::Client::new("cli"))
        .with_unknown_operator(unknown);
    if let Some(name) = read_only {
        ctx = ctx.with_read_only(name);
    }
    // Every command gets the keyring: a change is sealed into the audit chain with its key once
    // the chain has begun (before that, nothing but key and config commands reads from it).
    ctx = ctx.with_keystore(paths::keyring());
    if let Some(dir) = paths::journal_dir() {
        ctx = ctx.with_journal_in(&dir);
    }
    if matches!(command, Command::Key { .. } | Command::Config { .. }) {
        // a rotation's backup key goes once the current key has been seen to work
        match ops::settings::settle_keys(&ctx).await {
            Ok(recovered) => {
                for note in recovered {
                    eprintln!("note: {note}");
                }
            }
            Err(e) => tracing::debug!("keys not settled: {e}"),
        }
    }
    let out = match command {
        Command::Migrate { yes } => {
            let change = ops::schema::SchemaChange {
                yes,
                ..Default::default()
            };
            ops::schema::authorize_schema_change(&ctx, &change).await?;
            let before = schema_version(&db).await?;
            db.migrate().await?;
            record_schema_change(&ctx, "schema.migrate", "Migrated", before).await?;
            applied_versions(&db, &url).await
        }
        Command::Downgrade {
            to,
            yes,
            confirm_database,
        } => {
            let change = ops::schema::SchemaChange {
                target: Some(to),
                yes,
                confirm_database,
            };
            ops::schema::authorize_schema_change(&ctx, &change).await?;
            let before = schema_version(&db).await?;
            db.downgrade(to).await?;
            record_schema_change(&ctx, "schema.downgrade", "Downgraded", before).await?;
            applied_versions(&db, &url).await
        }
        Command::Demo { scale, seed } => {
            let bar = rows_bar(20_000 * u64::from(scale), "log rows");
            let report = |rows: u64| bar.inc(rows);
            let filled =
                demo::fill_recorded_reporting(&ctx, DemoOptions { seed, scale }, &report).await;
            bar.finish_and_clear();
            let summary = filled?;
            let secrets = demo_secrets(&db, &url).await;
            to_json(&serde_json::json!({ "data": summary, "secrets": secrets }))
        }
        Command::Stats => to_json(&ops::summary(&ctx).await?),
        Command::CleanupExpired { table, dry_run } => cleanup_expired(&ctx, table, dry_run).await,
        Command::User { action } => user(&ctx, action).await,
        Command::Key { action } => key(&ctx, action).await,
        Command::Config { action } => config(&ctx, action).await,
        Command::Schema => to_json(&ops::schema::report(&ctx).await?),
        Command::Health { analyze } => {
            let analyzed = match analyze {
                true => Some(ops::run(&ctx, ops::health::Analyze {}).await?),
                false => None,
            };
            let mut report = serde_json::to_value(ops::health::report(&ctx).await?)
                .map_err(|e| Error::invalid("output", e.to_string()))?;
            if let (Some(done), Some(fields)) = (analyzed, report.as_object_mut()) {
                fields.insert("analyzed".into(), serde_json::json!(done));
            }
            to_json(&report)
        }
        Command::Adopt { apply, .. } => {
            let plan = ops::schema::plan(&ctx).await?;
            if apply {
                let expected = plan.statements.iter().map(|s| s.sql.clone()).collect();
                to_json(&serde_json::json!({
                    "applied": ops::schema::adopt(&ctx, expected).await?,
                }))
            } else {
                to_json(&serde_json::json!({ "plan": plan }))
            }
        }
        Command::Extend { table, id, seconds } => extend(&ctx, &table, id, seconds).await,
        Command::Tables => to_json(&ops::explore::tables(&ctx).await?),
        Command::List {
            rows,
            limit,
            cursor,
        } => {
            let (table, query) = rows.any_table()?;
            let query = ListQuery {
                limit,
                cursor,
                ..query
            };
            to_json(&ops::explore::list_any(&ctx, &table, &query).await?)
        }
        Command::Export {
            rows,
            out,
            time_zone,
        } => {
            let (table, query) = rows.any_table()?;
            let req = ops::export::ExportRows {
                table,
                query,
                format: ops::export::ExportFormat::of_path(&out),
                path: out.to_string_lossy().into_owned(),
                time_zone,
            };
            let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let done = ops::export::export_rows(&ctx, req, |rows| {
                if interactive {
                    eprint!("\rexported {rows} rows");
                }
                Ok(())
            })
            .await;
            if interactive {
                eprintln!();
            }
            to_json(&done?)
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => verify_chain(&ctx).await,
        Command::Audit {
            action: AuditAction::StartChain,
        } => to_json(&ops::run(&ctx, ops::chain::StartChain).await?),
        Command::Audit {
            action: AuditAction::Revert { audit_id, dry_run },
        } => {
            if dry_run {
                to_json(&ops::revert::preview(&ctx, audit_id).await?)
            } else {
                to_json(&ops::revert::revert(&ctx, audit_id).await?)
            }
        }
    };
    db.close().await;
    out
}

/// `audit verify`: the report on stdout whatever it says; a broken chain is also an error, so
/// a script sees it in the exit code.
async fn verify_chain(ctx: &Ctx) -> Result<String> {
    let bar = rows_bar(0, "rows");
    let report = ops::chain::verify(ctx, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        Ok(())
    })
    .await;
    bar.finish_and_clear();
    let report = report?;
    let json = to_json(&report)?;
    match report.problems.first() {
        None => Ok(json),
        Some(first) => {
            println!("{json}");
            Err(Error::Conflict {
                field: None,
                message: format!(
                    "the audit trail's chain is broken at row #{}: {}",
                    first.id, first.message
                ),
            })
        }
    }
}

async fn user(ctx: &Ctx, action: UserAction) -> Result<String> {
    use whodis_core::ops::users::{bootstrap_admin, CreateUser};
    match action {
        UserAction::Add { email, role } => {
            let role = ops::Role::parse(&role)
                .ok_or_else(|| Error::invalid("role", "use admin, editor or viewer"))?;
            let first_admin = role == ops::Role::Admin
                && whodis_core::ops::users::admin_count(&ctx.db).await? == 0;
            let user = if first_admin {
                bootstrap_admin(ctx, &email).await?
            } else {
                ops::run(ctx, CreateUser { email, role }).await?
            };
            to_json(&user.to_json_safe())
        }
    }
}

fn read_stdin_line(what: &str) -> Result<whodis_core::crypto::SecretString> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::invalid(what, format!("cannot read standard input: {e}")))?;
    let value =
        whodis_core::crypto::SecretString::new(line.trim_end_matches(['\r', '\n']).to_owned());
    line.clear();
    if value.expose().is_empty() {
        return Err(Error::invalid(what, "expected it on standard input"));
    }
    Ok(value)
}

/// A key file holds one key (a recovery string or the server's key) and maybe a newline.
fn read_key_file(path: &std::path::Path) -> Result<whodis_core::crypto::SecretString> {
    let meta = std::fs::metadata(path).map_err(|e| Error::file("read", path, &e))?;
    if !meta.is_file() || meta.len() > 4096 {
        return Err(Error::invalid(
            "file",
            format!(
                "{} is not a key file (a key is under 100 characters)",
                path.display()
            ),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::file("read", path, &e))?;
    let text = whodis_core::crypto::SecretString::new(text);
    let key = whodis_core::crypto::SecretString::new(text.expose().trim().to_owned());
    if key.expose().is_empty() {
        return Err(Error::invalid(
            "file",
            format!("{} is empty", path.display()),
        ));
    }
    Ok(key)
}

/// An expiring table named on the command line (clap has checked it is one of the three).
fn expiring_table(name: &str) -> whodis_core::ops::expiring::ExpiringTable {
    use whodis_core::ops::expiring::ExpiringTable;
    match name {
        "sessions" => ExpiringTable::Sessions,
        "search_cache" => ExpiringTable::SearchCache,
        _ => ExpiringTable::ApiTokens,
    }
}

/// `cleanup-expired`: WhoDis's expiring tables through their own operation (the seed's
/// rules), any other table with `expires_at` through the explorer's; `--dry-run` counts.
async fn cleanup_expired(ctx: &Ctx, table: Option<String>, dry_run: bool) -> Result<String> {
    use whodis_core::ops::rows;
    const WHODIS: [&str; 3] = ["sessions", "search_cache", "api_tokens"];
    let whodis = |t: &str| ctx.has_roles() && WHODIS.contains(&t);
    let removed = match table {
        Some(t) if dry_run => {
            let n = rows::count_expired(ctx, &t).await?;
            return to_json(&serde_json::json!({ "expired": BTreeMap::from([(t, n)]) }));
        }
        Some(t) if !whodis(&t) => {
            let done = ops::run(ctx, rows::RemoveExpired { table: t }).await?;
            serde_json::json!(BTreeMap::from([(done.table, done.removed)]))
        }
        table => serde_json::json!(
            ops::run(
                ctx,
                ops::expiring::CleanupExpired {
                    table: table.as_deref().map(expiring_table),
                },
            )
            .await?
        ),
    };
    to_json(&serde_json::json!({ "removed": removed }))
}

async fn extend(ctx: &Ctx, table: &str, id: i64, seconds: i64) -> Result<String> {
    use whodis_core::ops::expiring::ExtendExpiration;
    // refused before the row is looked up, so a read-only connection says so first
    ctx.writable()?;
    let which = expiring_table(table);
    let t = Table::parse(table)?;
    let row = whodis_core::with_model!(t, M => {
        whodis_core::model::require::<M>(&mut ctx.db.conn().await?, id)
            .await
            .map(|m| whodis_core::model::Model::updated_at(&m))
    })?;
    ops::run(
        ctx,
        ExtendExpiration {
            table: which,
            id,
            expected_updated_at: row,
            seconds,
        },
    )
    .await?;
    let page = ops::list(
        ctx,
        t,
        &ListQuery {
            filters: vec![Filter::parse(&format!("id=eq:{id}"))?],
            ..Default::default()
        },
    )
    .await?;
    to_json(&page.rows.first())
}

/// All of standard input (a PEM key has many lines), less one trailing newline, which a shell
/// `echo` adds; says whether one was removed.
fn read_stdin_all(what: &str) -> Result<(whodis_core::crypto::SecretString, bool)> {
    use std::io::Read;
    let limit = whodis_core::ops::settings::MAX_CONFIG_VALUE_BYTES as u64 + 2;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::invalid(what, format!("cannot read standard input: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::invalid(what, "standard input is not UTF-8 text"))?;
    let text = whodis_core::crypto::SecretString::new(text);
    let raw = text.expose();
    let kept = raw
        .strip_suffix("\r\n")
        .or_else(|| raw.strip_suffix('\n'))
        .unwrap_or(raw);
    let trimmed = kept.len() != raw.len();
    let value = whodis_core::crypto::SecretString::new(kept.to_owned());
    if value.expose().is_empty() {
        return Err(Error::invalid(what, "expected it on standard input"));
    }
    Ok((value, trimmed))
}

async fn schema_version(db: &Db) -> Result<i64> {
    Ok(db.applied_versions().await?.last().copied().unwrap_or(0))
}

/// An audit row for a schema change that changed something (where an audit log remains).
async fn record_schema_change(ctx: &Ctx, operation: &str, verb: &str, from: i64) -> Result<()> {
    let to = schema_version(&ctx.db).await?;
    if to != from {
        let message = format!("{verb} the schema from version {from} to {to}");
        let details = serde_json::json!({ "from_version": from, "to_version": to });
        ctx.record_maintenance(operation, message, details).await;
    }
    Ok(())
}

async fn applied_versions(db: &Db, url: &whodis_core::DbUrl) -> Result<String> {
    to_json(&serde_json::json!({
        "database": url.to_string(),
        "applied_versions": db.applied_versions().await?,
    }))
}

/// The demo's encrypted settings, or why there are none (no usable keyring).
async fn demo_secrets(db: &Db, url: &whodis_core::DbUrl) -> serde_json::Value {
    let admin = Ctx::new(
        db.clone(),
        url.clone(),
        demo::DEMO_ADMIN,
        ops::Client::new("cli"),
    )
    .with_keystore(paths::keyring());
    match demo::fill_secrets(&admin).await {
        Ok(n) => serde_json::json!({ "encrypted": n }),
        Err(e) => serde_json::json!({ "skipped": e.to_string() }),
    }
}

async fn key(ctx: &Ctx, action: KeyAction) -> Result<String> {
    use whodis_core::ops::settings::{key_status, KeyExport, KeyImport, KeyInit, KeyRotate};
    match action {
        KeyAction::Status => to_json(&key_status(ctx).await?),
        KeyAction::Init => to_json(&ops::run(ctx, KeyInit {}).await?),
        KeyAction::Export { fernet, chain } => {
            let recovery = if chain {
                ops::run(ctx, ops::chain::ChainKeyExport).await?
            } else {
                ops::run(ctx, KeyExport { fernet }).await?
            };
            to_json(&serde_json::json!({
                "recovery_string": recovery.expose(),
                "warning": "this string is the key itself: keep it somewhere safe and never share it in chat",
            }))
        }
        KeyAction::Rotate { fernet: false } => {
            let progress = Box::new(|done, total| {
                eprint!("\rre-encrypting {done}/{total}");
                Ok(())
            });
            let rotated = ops::run(ctx, KeyRotate { progress }).await;
            eprintln!();
            rotated?;
            to_json(&key_status(ctx).await?)
        }
        KeyAction::Rotate { fernet: true } => {
            let progress = Box::new(|done, total| {
                eprint!("\rre-encrypting {done}/{total}");
                Ok(())
            });
            let rotated = ops::run(
                ctx,
                whodis_core::ops::settings::KeyRotateFernet { progress },
            );
            let rotated = rotated.await;
            eprintln!();
            let rotated = rotated?;
            to_json(&serde_json::json!({
                "reencrypted": rotated.reencrypted,
                "old_fingerprint": rotated.old_fingerprint,
                "new_fingerprint": rotated.new_fingerprint,
                "whodis_encryption_key": rotated.new_key.expose(),
                "next_step": "set WHODIS_ENCRYPTION_KEY to this value in the WhoDis server's \
                              environment and restart it: until then the server cannot read \
                              its secrets. This key is shown only now.",
            }))
        }
        KeyAction::Import { file } => {
            let recovery = match file {
                Some(path) => read_key_file(&path)?,
                None => read_stdin_line("recovery_string")?,
            };
            to_json(&ops::run(ctx, KeyImport { recovery }).await?)
        }
    }
}

async fn config(ctx: &Ctx, action: ConfigAction) -> Result<String> {
    use whodis_core::config::Protection;
    use whodis_core::ops::settings::{RevealConfig, SetConfig};
    match action {
        ConfigAction::Get { path } => {
            let value = ops::run(ctx, RevealConfig { path: path.clone() }).await?;
            to_json(
                &serde_json::json!({ "path": path, "value": value.as_ref().map(|v| v.expose()) }),
            )
        }
        ConfigAction::Set {
            path,
            encrypt,
            plain,
        } => {
            let (value, trimmed) = read_stdin_all("value")?;
            let protection = match (encrypt, plain) {
                (true, _) => Protection::Encrypt,
                (_, true) => Protection::Plain,
                _ => Protection::Auto,
            };
            let written = ops::run(
                ctx,
                SetConfig {
                    path,
                    value,
                    protection,
                    expected_updated_at: None,
                },
            )
            .await?;
            to_json(&serde_json::json!({
                "path": written.path,
                "is_encrypted": written.is_encrypted,
                "trailing_newline_removed": trimmed,
            }))
        }
    }
}
