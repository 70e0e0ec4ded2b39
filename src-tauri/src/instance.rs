//! One instance per user: a second launch hands its command line to the running window and
//! exits. A `--database` on it opens that (existing) database here, as Connections → Open would (the
//! window tells the page with [`OPENED_EVENT`] or [`OPEN_FAILED_EVENT`]); without one, the
//! window only comes to the front.

use std::path::Path;

use clap::Parser;
use tauri::{AppHandle, Emitter, Manager, Wry};
use whodis_core::{DbUrl, ErrorPayload};

use crate::{app, cli};

/// Emitted with the new `SessionInfo` once a second launch's database is open.
pub const OPENED_EVENT: &str = "second-launch-opened";
/// Emitted with an `ErrorPayload` when a second launch's database could not be opened.
pub const OPEN_FAILED_EVENT: &str = "second-launch-failed";

/// What a second launch asks of the running window.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub database: DbUrl,
    pub operator: Option<String>,
    /// `--read-only` on the second launch's own command line: opened read-only here too.
    pub read_only: bool,
}

impl Request {
    /// The database a second launch names, with a relative SQLite path taken from the folder
    /// it was started in. Only what is on its command line counts: `clap` would fill an absent
    /// `--database` from this process's own `WHODIS_DATABASE_URL`, which the other launch never
    /// saw.
    pub fn from_argv(argv: &[String], cwd: &Path) -> whodis_core::Result<Option<Request>> {
        let given = |flag: &str| {
            argv.iter()
                .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
        };
        if !given("--database") {
            return Ok(None);
        }
        let args = cli::Args::try_parse_from(argv).map_err(|e| {
            // clap's message quotes the arguments, and a URL may hold a password
            whodis_core::Error::invalid(
                "arguments",
                format!(
                    "a second launch's command line was not understood ({:?})",
                    e.kind()
                ),
            )
        })?;
        let Some(url) = args.database else {
            return Ok(None);
        };
        let database = match DbUrl::parse(&url)? {
            DbUrl::Sqlite(ref path) if path.is_relative() => DbUrl::Sqlite(cwd.join(path)),
            url => url,
        };
        let operator = args.operator.filter(|_| given("--operator"));
        let read_only = args.read_only && given("--read-only");
        Ok(Some(Request {
            database,
            operator,
            read_only,
        }))
    }
}

/// The single-instance plugin; registered before every other plugin, as it must be.
pub fn plugin() -> tauri::plugin::TauriPlugin<Wry> {
    tauri_plugin_single_instance::init(|app, argv, cwd| {
        bring_to_front(app);
        match Request::from_argv(&argv, Path::new(&cwd)) {
            Ok(None) => {}
            Ok(Some(request)) => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move { open(&app, request).await });
            }
            Err(e) => failed(app, &e),
        }
    })
}

fn bring_to_front(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

async fn open(app: &AppHandle, request: Request) {
    tracing::info!("a second launch opens {}", request.database);
    // a mistyped path must not swap the open window for a new, empty database
    if let DbUrl::Sqlite(path) = &request.database {
        if !path.is_file() {
            let missing = format!("there is no database at {}", path.display());
            return failed(app, &whodis_core::Error::invalid("database", missing));
        }
    }
    let read_only = request.read_only;
    match app::switch_to(app, request.database, request.operator, None, read_only).await {
        Ok(info) => {
            let _ = app.emit(OPENED_EVENT, info);
        }
        Err(e) => failed(app, &e),
    }
}

fn failed(app: &AppHandle, e: &whodis_core::Error) {
    tracing::warn!("a second launch's database was not opened: {e}");
    let _ = app.emit(OPEN_FAILED_EVENT, ErrorPayload::from(e));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        std::iter::once("whodis-admin")
            .chain(args.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn a_launch_without_a_database_only_focuses() {
        let cwd = Path::new("/home/me");
        assert_eq!(Request::from_argv(&argv(&[]), cwd).ok(), Some(None));
        assert_eq!(
            Request::from_argv(&argv(&["--operator", "a@b.c"]), cwd).ok(),
            Some(None)
        );
    }

    #[test]
    fn a_relative_sqlite_path_is_taken_from_the_launch_folder() {
        let request = Request::from_argv(
            &argv(&["--database", "sqlite://data/w.db", "--operator=a@b.c"]),
            Path::new("/home/me"),
        );
        assert_eq!(
            request.ok().flatten(),
            Some(Request {
                database: DbUrl::Sqlite("/home/me/data/w.db".into()),
                operator: Some("a@b.c".into()),
                read_only: false,
            })
        );
        let absolute = Request::from_argv(
            &argv(&["--database=postgres://u@h:5432/d"]),
            Path::new("/x"),
        );
        assert_eq!(
            absolute.ok().flatten(),
            Some(Request {
                database: DbUrl::Postgres("postgres://u@h:5432/d".into()),
                operator: None,
                read_only: false,
            })
        );
        // a second launch's --read-only opens the database read-only in the running window
        let read_only = Request::from_argv(
            &argv(&["--read-only", "--database=postgres://u@h:5432/d"]),
            Path::new("/x"),
        );
        assert!(read_only.ok().flatten().is_some_and(|r| r.read_only));
    }

    #[test]
    fn a_bad_database_is_refused_without_quoting_the_command_line() {
        let bad = Request::from_argv(
            &argv(&["--database", "mysql://u:hunter2@h/d"]),
            Path::new("/"),
        );
        let message = bad.expect_err("refused").to_string();
        assert!(!message.contains("hunter2"), "{message}");
        let unknown = Request::from_argv(
            &argv(&["--database", "x", "--bogus=hunter2"]),
            Path::new("/"),
        );
        let message = unknown.expect_err("refused").to_string();
        assert!(
            message.contains("not understood") && !message.contains("hunter2"),
            "{message}"
        );
    }
}
