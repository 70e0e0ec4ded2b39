//! Headless subcommands for scripting. Each prints JSON on stdout; an error is one line on
//! stderr and a non-zero exit code (2 for bad input, 1 otherwise).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use whodis_core::demo::{self, DemoOptions};
use whodis_core::list::{Filter, ListQuery, Sort};
use whodis_core::{ops, Db, Error, Result, Table};

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
    #[arg(long, global = true, env = "WHODIS_DATABASE_URL")]
    pub database: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Apply pending migrations.
    Migrate,
    /// Revert migrations down to a version (0 removes every table).
    Downgrade {
        #[arg(long, default_value_t = 0)]
        to: i64,
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
    /// Delete expired sessions, search cache entries and API tokens.
    CleanupExpired,
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
    /// List rows of a table (safe form: secret-looking fields are dropped).
    List {
        /// Table (users, audit_log, …) or model name (User, AuditLog, …).
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
        #[arg(long)]
        limit: Option<u32>,
        /// The next_cursor of the previous page.
        #[arg(long)]
        cursor: Option<String>,
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
        #[arg(long)]
        fernet: bool,
    },
    /// Store a key from a recovery string read from standard input.
    Import,
    /// Re-encrypt every value under a new key, in one transaction (progress on stderr).
    Rotate,
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

pub fn run(database: Option<String>, command: Command) -> ExitCode {
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
    match runtime.block_on(execute(database.as_deref(), command)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if matches!(e, Error::Invalid { .. }) {
                2
            } else {
                1
            })
        }
    }
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::invalid("output", e.to_string()))
}

async fn execute(database: Option<&str>, command: Command) -> Result<String> {
    let (url, _) = paths::resolve(database)?;
    let db = match command {
        // Downgrading must not first migrate up.
        Command::Downgrade { .. } => Db::connect(&url).await?,
        _ => Db::open(&url).await?,
    };
    let out = match command {
        Command::Migrate => to_json(&serde_json::json!({
            "database": url.to_string(),
            "applied_versions": db.applied_versions().await?,
        })),
        Command::Downgrade { to } => {
            db.downgrade(to).await?;
            to_json(&serde_json::json!({
                "database": url.to_string(),
                "applied_versions": db.applied_versions().await?,
            }))
        }
        Command::Demo { scale, seed } => {
            to_json(&demo::fill(&db, DemoOptions { seed, scale }).await?)
        }
        Command::Stats => to_json(&ops::summary(&db).await?),
        Command::CleanupExpired => {
            to_json(&serde_json::json!({ "removed": ops::cleanup_expired(&db).await? }))
        }
        Command::Key { action } => key(&db, &url, action).await,
        Command::Config { action } => config(&db, &url, action).await,
        Command::List {
            table,
            filters,
            sort,
            asc,
            limit,
            cursor,
        } => {
            let table = Table::parse(&table)?;
            let query = ListQuery {
                filters: filters
                    .iter()
                    .map(|f| Filter::parse(f))
                    .collect::<Result<_>>()?,
                sort: sort
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
                limit,
                cursor,
            };
            to_json(&ops::list(&db, table, &query).await?)
        }
    };
    db.close().await;
    out
}

fn keyring() -> Result<whodis_core::crypto::OsKeyStore> {
    whodis_core::crypto::OsKeyStore::platform_default()
}

fn read_stdin_line(what: &str) -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::invalid(what, format!("cannot read standard input: {e}")))?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        return Err(Error::invalid(what, "expected it on standard input"));
    }
    Ok(line)
}

async fn key(db: &Db, url: &whodis_core::DbUrl, action: KeyAction) -> Result<String> {
    use whodis_core::crypto::lifecycle::{self, KeyContext};
    let store = keyring()?;
    let ctx = KeyContext::for_database(&store, url)?;
    match action {
        KeyAction::Status => to_json(&lifecycle::status(db, &ctx).await?),
        KeyAction::Init => to_json(&lifecycle::init(db, &ctx).await?),
        KeyAction::Export { fernet } => {
            let recovery = lifecycle::export(&ctx, fernet)?;
            to_json(&serde_json::json!({
                "recovery_string": recovery.expose(),
                "warning": "this string is the key itself: keep it somewhere safe and never share it in chat",
            }))
        }
        KeyAction::Rotate => {
            let status = lifecycle::rotate(db, &ctx, |done, total| {
                eprint!("\rre-encrypting {done}/{total}");
                Ok(())
            })
            .await;
            eprintln!();
            to_json(&status?)
        }
        KeyAction::Import => {
            let text = whodis_core::crypto::SecretString::new(read_stdin_line("recovery_string")?);
            to_json(&lifecycle::import(db, &ctx, text.expose()).await?)
        }
    }
}

async fn config(db: &Db, url: &whodis_core::DbUrl, action: ConfigAction) -> Result<String> {
    use whodis_core::config::{self, Protection};
    use whodis_core::crypto::lifecycle::KeyContext;
    // The keyring is only needed for encrypted values, so plaintext works without one; when a key
    // is needed and the keyring failed, that failure (locked, no Secret Service) is the error.
    let loaded = keyring().and_then(|s| KeyContext::for_database(&s, url)?.load());
    let cipher = loaded
        .as_ref()
        .ok()
        .map(|k| k as &dyn whodis_core::models::configuration::ValueCipher);
    let keyring_cause = |e: Error| match (&e, &loaded) {
        (Error::KeyMissing(_), Err(Error::Keyring(why))) => Error::Keyring(why.clone()),
        _ => e,
    };
    let mut conn = db.conn().await?;
    match action {
        ConfigAction::Get { path } => {
            let value = config::config_get(&mut conn, cipher, &path)
                .await
                .map_err(keyring_cause)?;
            to_json(
                &serde_json::json!({ "path": path, "value": value.as_ref().map(|v| v.expose()) }),
            )
        }
        ConfigAction::Set {
            path,
            encrypt,
            plain,
        } => {
            let value = whodis_core::crypto::SecretString::new(read_stdin_line("value")?);
            let protection = match (encrypt, plain) {
                (true, _) => Protection::Encrypt,
                (_, true) => Protection::Plain,
                _ => Protection::Auto,
            };
            let row = config::config_set(&mut conn, cipher, &path, value.expose(), protection)
                .await
                .map_err(keyring_cause)?;
            to_json(&serde_json::json!({ "path": row.path(), "is_encrypted": row.is_encrypted }))
        }
    }
}
