//! Native open and save dialogs, opened by the backend. A file path the app reads or writes
//! always comes from the user through one of these, never from the webview, so a compromised
//! page can name no file (and the webview needs no dialog permission at all).
//!
//! Each dialog runs in a helper process (this binary's hidden `file-dialog` subcommand), never in
//! the process that holds the database: GTK's dialog opens and closes the files it lists to
//! sniff their types, and closing any descriptor of a file drops every POSIX lock the process
//! holds on it — SQLite's locks included. Another program (our own CLI) would then believe it
//! is alone, checkpoint and delete the WAL the app is still writing into, and committed writes
//! would be lost.

use std::path::PathBuf;

use tokio::process::Command;

/// A file type the dialog offers: a name and its extensions.
pub type Filter = (&'static str, &'static [&'static str]);

pub const CSV: Filter = ("CSV", &["csv"]);
pub const JSON: Filter = ("JSON", &["json"]);
pub const PHOTOS: Filter = ("Photos", &["png", "jpg", "jpeg", "gif", "webp"]);
pub const SQLITE: Filter = ("SQLite database", &["db", "sqlite", "sqlite3"]);

/// The hidden subcommand the helper process runs.
pub const HELPER_COMMAND: &str = "file-dialog";

/// Runs the dialog in a helper process; `None` when cancelled (or when the helper failed,
/// which is logged: the user sees nothing happen, as after a cancel).
async fn in_helper(title: &str, save_as: Option<&str>, filters: &[Filter]) -> Option<PathBuf> {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            tracing::error!("cannot start the file dialog: {e}");
            return None;
        }
    };
    let mut cmd = Command::new(exe);
    cmd.arg(HELPER_COMMAND).arg("--title").arg(title);
    if let Some(name) = save_as {
        cmd.arg("--save").arg(name);
    }
    for (name, extensions) in filters {
        cmd.arg("--filter")
            .arg(format!("{name}={}", extensions.join(",")));
    }
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true);
    match cmd.output().await {
        Ok(out) if out.status.success() => path_from_bytes(out.stdout),
        Ok(out) => {
            tracing::error!("the file dialog helper failed ({})", out.status);
            None
        }
        Err(e) => {
            tracing::error!("cannot start the file dialog: {e}");
            None
        }
    }
}

/// The helper prints the chosen path's bytes, or nothing for a cancel.
fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    if bytes.is_empty() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

/// An existing file to read.
pub async fn choose_file(title: &str, filters: &[Filter]) -> Option<PathBuf> {
    in_helper(title, None, filters).await
}

/// A file to write, suggesting `file_name`.
pub async fn choose_save_path(title: &str, file_name: &str, filters: &[Filter]) -> Option<PathBuf> {
    in_helper(title, Some(file_name), filters).await
}

/// The helper's entry point: `file-dialog --title T [--save NAME] [--filter NAME=ext,ext]…`.
pub fn helper_main(args: &[String]) -> std::process::ExitCode {
    let mut title = String::new();
    let mut save_as = None;
    let mut filters = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().cloned().unwrap_or_default();
        match flag.as_str() {
            "--title" => title = value,
            "--save" => save_as = Some(value),
            "--filter" => filters.push(value),
            _ => {
                eprintln!("{HELPER_COMMAND}: unknown argument {flag}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    run_helper(&title, save_as.as_deref(), &filters)
}

/// The helper's side: shows one dialog and prints the chosen path (nothing if cancelled).
fn run_helper(title: &str, save_as: Option<&str>, filters: &[String]) -> std::process::ExitCode {
    let filters: Vec<(&str, Vec<&str>)> = filters
        .iter()
        .filter_map(|f| f.split_once('='))
        .map(|(name, extensions)| (name, extensions.split(',').collect()))
        .collect();
    let Some(chosen) = show(title, save_as, &filters) else {
        std::process::exit(0);
    };
    use std::io::Write;
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(chosen.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = chosen.to_string_lossy().into_owned().into_bytes();
    let mut out = std::io::stdout();
    if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    // leave at once, without tearing the toolkit down
    std::process::exit(0)
}

/// GTK's own file chooser, run on this process's main thread (GTK is not thread-safe).
#[cfg(target_os = "linux")]
fn show(title: &str, save_as: Option<&str>, filters: &[(&str, Vec<&str>)]) -> Option<PathBuf> {
    use gtk::prelude::*;
    if let Err(e) = gtk::init() {
        eprintln!("{HELPER_COMMAND}: cannot start GTK: {e}");
        return None;
    }
    let (action, accept) = match save_as {
        Some(_) => (gtk::FileChooserAction::Save, "_Save"),
        None => (gtk::FileChooserAction::Open, "_Open"),
    };
    let dialog = gtk::FileChooserDialog::with_buttons(
        Some(title),
        None::<&gtk::Window>,
        action,
        &[
            ("_Cancel", gtk::ResponseType::Cancel),
            (accept, gtk::ResponseType::Accept),
        ],
    );
    if let Some(name) = save_as {
        dialog.set_current_name(name);
        dialog.set_do_overwrite_confirmation(true);
    }
    for (name, extensions) in filters {
        let filter = gtk::FileFilter::new();
        filter.set_name(Some(name));
        for ext in extensions {
            filter.add_pattern(&format!("*.{}", ext.to_lowercase()));
            filter.add_pattern(&format!("*.{}", ext.to_uppercase()));
        }
        dialog.add_filter(filter);
    }
    let chosen = if dialog.run() == gtk::ResponseType::Accept {
        dialog.filename()
    } else {
        None
    };
    dialog.close();
    chosen
}

#[cfg(not(target_os = "linux"))]
fn show(title: &str, save_as: Option<&str>, filters: &[(&str, Vec<&str>)]) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title(title);
    for (name, extensions) in filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    match save_as {
        Some(name) => dialog.set_file_name(name).save_file(),
        None => dialog.pick_file(),
    }
}

/// `<stem>-<today>.<extension>`, the name an export suggests.
pub fn dated_name(stem: &str, extension: &str) -> String {
    format!(
        "{stem}-{}.{extension}",
        chrono::Local::now().format("%Y-%m-%d")
    )
}
