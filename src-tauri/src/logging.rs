//! Where the app's log goes. The CLI writes warnings to stderr. The window also keeps a log file
//! in the OS log folder, rotated daily (the last seven days kept), since a desktop app has no terminal.
//! `WHODIS_LOG` (a tracing filter, e.g. `debug`) sets the detail of both. Nothing logged may carry
//! a secret: values, keys and passwords are redacted types, and the e2e leak check reads this file.

use std::io::IsTerminal;

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Days of log files kept beside today's.
const KEPT_FILES: usize = 7;

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("WHODIS_LOG").unwrap_or_else(|_| EnvFilter::new(default))
}

/// Starts logging; `to_file` for the window. A log folder that cannot be made is reported on
/// stderr and the app runs without the file.
pub fn init(to_file: bool) {
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        // not sqlx's slow-statement warnings: a bulk load's index builds are slow by nature and
        // its progress bar says what is happening (the window's log file keeps them)
        .with_filter(filter("warn,sqlx::query=error"));
    let file = to_file.then(open_file).flatten().map(|appender| {
        tracing_subscriber::fmt::layer()
            .with_writer(appender)
            .with_ansi(false)
            .with_filter(filter("info"))
    });
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .init();
}

fn open_file() -> Option<RollingFileAppender> {
    let dir = crate::paths::log_dir()?;
    let opened = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("whodis-admin")
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(&dir);
    match opened {
        Ok(appender) => Some(appender),
        Err(e) => {
            eprintln!("warning: no log file in {}: {e}", dir.display());
            None
        }
    }
}
