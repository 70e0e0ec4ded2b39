//! `whodis-admin`: the desktop window, and the same binary's CLI subcommands.

mod app;
mod cli;
mod commands;
/// The data-layer tests' harness (a fresh SQLite file and PostgreSQL database per test), for
/// the unit tests here that need a database.
#[cfg(test)]
#[path = "../../core/tests/common/mod.rs"]
mod common;
mod connections;
mod files;
mod instance;
mod logging;
mod paths;
mod photos;
#[cfg(target_os = "linux")]
mod rendering;
mod updates;
mod views;
mod window_place;

pub use app::specta_builder;

use std::process::ExitCode;

use clap::Parser;

/// Parses the command line: a subcommand runs headless, none opens the window.
pub fn main() -> ExitCode {
    // the file-dialog helper (src/files.rs) needs no database, operator or window
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some(files::HELPER_COMMAND) {
        logging::init(false);
        return files::helper_main(&argv[2..]);
    }
    let args = cli::Args::parse();
    logging::init(args.command.is_none());
    let unknown = args.unknown_operator();
    match args.command {
        Some(command) => cli::run(
            args.database,
            args.operator,
            unknown,
            args.read_only,
            command,
        ),
        None => app::run(args.database, args.operator, unknown, args.read_only),
    }
}
