//! The desktop window: opens the database, builds the operator's context, and wires the typed
//! commands (`commands/`) into Tauri. The open connection can be switched at run time
//! (`commands/connections.rs`), so commands take the context through `AppState::ctx`.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use whodis_core::demo::{self, DemoOptions};
use whodis_core::ops::{self, Ctx, UnknownOperator};
use whodis_core::{Db, DbUrl};

use crate::connections::Profile;
use crate::{commands, paths, photos};

/// The stop button of one kind of long work: the window sets it, the running work checks it
/// at each step and stops with everything rolled back.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A new run: a cancel meant for an earlier run does not stop this one.
    pub fn start(&self) -> Cancel {
        self.0.store(false, Ordering::SeqCst);
        self.clone()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// `Err` (an `invalid` on `what`, saying `outcome`) once cancelled.
    pub fn check(&self, what: &str, outcome: &str) -> whodis_core::Result<()> {
        if self.0.load(Ordering::SeqCst) {
            return Err(whodis_core::Error::invalid(
                what,
                format!("cancelled; {outcome}"),
            ));
        }
        Ok(())
    }
}

/// Everything commands need, in Tauri's managed state (no global).
pub struct AppState {
    ctx: RwLock<Arc<Ctx>>,
    /// Which connection profile is open (`None` when `--database` named one directly).
    active: RwLock<Option<String>>,
    pub unknown: UnknownOperator,
    /// Set by `key_rotate_cancel`; the running rotation stops at its next value.
    pub cancel_rotation: Cancel,
    /// Set by `export_cancel`; the running export stops after its current page.
    pub cancel_export: Cancel,
    pub thumbnails: photos::ThumbnailCache,
    /// SQLite files the user picked in the native dialog: the only paths a connection may
    /// name (the page cannot make the app create or open a file anywhere else).
    pub chosen_files: std::sync::Mutex<std::collections::HashSet<std::path::PathBuf>>,
}

impl AppState {
    pub fn new(ctx: Ctx, active: Option<String>, unknown: UnknownOperator) -> Self {
        AppState {
            ctx: RwLock::new(Arc::new(ctx)),
            active: RwLock::new(active),
            unknown,
            cancel_rotation: Cancel::default(),
            cancel_export: Cancel::default(),
            thumbnails: photos::ThumbnailCache::default(),
            chosen_files: Default::default(),
        }
    }

    /// The open connection's context (a command keeps it for its whole run, even if the user
    /// switches meanwhile).
    pub fn ctx(&self) -> Arc<Ctx> {
        match self.ctx.read() {
            Ok(ctx) => Arc::clone(&ctx),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn active_profile(&self) -> Option<String> {
        self.active.read().map(|a| a.clone()).unwrap_or_default()
    }

    /// Makes `ctx` the open connection.
    pub fn switch(&self, ctx: Ctx, profile: Option<String>) {
        match self.ctx.write() {
            Ok(mut slot) => *slot = Arc::new(ctx),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(ctx),
        }
        if let Ok(mut active) = self.active.write() {
            *active = profile;
        }
        // photo ids of one database mean other people in the next
        self.thumbnails.clear();
    }
}

/// Opens a database for the window: migrations, demo data on the embedded database's first run
/// (with its encrypted settings when a keyring is usable), the operator's context, and settling a
/// past rotation's backup key.
/// `read_only` names a connection whose every write is refused: it is opened without
/// migrating, demo data or settling keys, so opening writes nothing either.
pub async fn open(
    url: DbUrl,
    embedded: bool,
    operator: Option<String>,
    unknown: UnknownOperator,
    read_only: Option<String>,
) -> whodis_core::Result<Ctx> {
    let db = match read_only {
        Some(_) => Db::connect_existing(&url).await?,
        None => Db::open(&url).await?,
    };
    let first_run = embedded && read_only.is_none() && ops::users::user_count(&db).await? == 0;
    let operator = paths::operator(operator, embedded);
    let mut ctx = Ctx::new(db, url, operator, ops::Client::new("desktop"))
        .with_keystore(paths::keyring())
        .with_unknown_operator(unknown);
    if let Some(dir) = paths::journal_dir() {
        ctx = ctx.with_journal_in(&dir);
    }
    if let Some(name) = read_only {
        return Ok(ctx.with_read_only(name));
    }
    if first_run {
        demo::fill_recorded(&ctx, DemoOptions::default()).await?;
        // without a usable keyring the demo simply has no encrypted settings
        if let Err(e) = demo::fill_secrets(&ctx).await {
            tracing::warn!("demo secrets skipped: {e}");
        }
    }
    // a rotation's backup key goes once the current key has been seen to work
    match ops::settings::settle_keys(&ctx).await {
        Ok(recovered) => {
            for note in recovered {
                tracing::warn!("{note}");
            }
        }
        Err(e) => tracing::warn!("keys not settled: {e}"),
    }
    Ok(ctx)
}

/// "WhoDis Admin — <url>", with "[PRODUCTION] " and "[READ-ONLY] " in front when the
/// connection is so marked, so the taskbar says it too.
pub fn window_title(ctx: &Ctx, profile: Option<&Profile>) -> String {
    title_for(
        &ctx.url().to_string(),
        profile.is_some_and(|p| p.production),
        ctx.read_only().is_some(),
    )
}

fn title_for(database: &str, production: bool, read_only: bool) -> String {
    let production = if production { "[PRODUCTION] " } else { "" };
    let read_only = if read_only { "[READ-ONLY] " } else { "" };
    format!("{production}{read_only}WhoDis Admin — {database}")
}

/// Opens `url` and makes it the window's database (Connections → Open, and a second launch's
/// `--database`). `profile` is the connection profile it came from, if any; it or `read_only`
/// (a second launch's `--read-only`) makes the connection read-only.
pub async fn switch_to(
    app: &tauri::AppHandle,
    url: DbUrl,
    operator: Option<String>,
    profile: Option<Profile>,
    read_only: bool,
) -> whodis_core::Result<ops::SessionInfo> {
    use tauri::Manager;
    let state = app.state::<AppState>();
    let embedded = profile
        .as_ref()
        .is_some_and(|p| p.id == crate::connections::EMBEDDED_ID);
    // the profile's mark, or a second launch's --read-only (named by its URL)
    let read_only = match &profile {
        Some(p) if p.read_only => Some(p.name.clone()),
        _ if read_only => Some(format!("{url} (--read-only)")),
        _ => None,
    };
    let ctx = open(url, embedded, operator, state.unknown, read_only).await?;
    let info = ops::session_info(&ctx).await?;
    let title = window_title(&ctx, profile.as_ref());
    tracing::info!("opened {} as {}", ctx.url(), info.operator.email);
    state.switch(ctx, profile.map(|p| p.id));
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&title);
    }
    Ok(info)
}

/// The command set and its TypeScript bindings; `tests/bindings.rs` exports them.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new().commands(commands::all())
}

/// Opens the database (the embedded one gets demo data on first run) and shows the window.
pub fn run(
    database: Option<String>,
    operator: Option<String>,
    unknown: UnknownOperator,
    read_only: bool,
) -> ExitCode {
    use tauri::Manager;
    // first: it sets a variable WebKit reads, before the runtime starts threads
    #[cfg(target_os = "linux")]
    crate::rendering::paint_directly_without_gpu();
    let commands = specta_builder();
    // Built before the database is opened: the single-instance plugin (registered first, as it
    // must be) ends a second launch here, so that one never opens, creates or migrates anything.
    // The window itself appears once the app runs.
    let builder = tauri::Builder::default()
        .plugin(crate::instance::plugin())
        .plugin(crate::window_place::plugin())
        .manage(crate::window_place::Changes::default())
        .manage(crate::views::Lock::default())
        .on_window_event(crate::window_place::on_event);
    #[cfg(feature = "updater")]
    let builder = match crate::updates::plugin() {
        Some(updater) => builder.plugin(updater),
        None => builder,
    };
    let built = builder
        .register_asynchronous_uri_scheme_protocol(photos::SCHEME, |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            let path = request.uri().path().to_owned();
            tauri::async_runtime::spawn(async move {
                let state = app.state::<AppState>();
                responder.respond(photos::serve(&state, &path).await);
            });
        })
        .invoke_handler(commands.invoke_handler())
        .setup(|app| {
            let title = window_title(&app.state::<AppState>().ctx(), None);
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(&title)?;
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(e) => {
            eprintln!("error: the window could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opened = tauri::async_runtime::block_on(async {
        let (url, embedded) = paths::resolve(database.as_deref())?;
        // `--read-only` on the window: the connection is named by its URL
        let read_only = read_only.then(|| format!("{url} (--read-only)"));
        open(url, embedded, operator, unknown, read_only)
            .await
            .map(|ctx| (ctx, embedded))
    });
    let (ctx, embedded) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        "whodis-admin {} opened {} as {}",
        env!("CARGO_PKG_VERSION"),
        ctx.url(),
        ctx.operator_email()
    );
    let active = embedded.then(|| crate::connections::EMBEDDED_ID.to_owned());
    app.manage(AppState::new(ctx, active, unknown));
    app.run(|_, _| {});
    ExitCode::SUCCESS
}

#[cfg(test)]
mod title_tests {
    #[test]
    fn a_production_or_read_only_connection_says_so_in_the_window_title() {
        let db = "postgres://hr@db:5432/hr";
        assert_eq!(
            super::title_for(db, false, false),
            "WhoDis Admin — postgres://hr@db:5432/hr"
        );
        assert_eq!(
            super::title_for(db, true, false),
            "[PRODUCTION] WhoDis Admin — postgres://hr@db:5432/hr"
        );
        assert_eq!(
            super::title_for(db, true, true),
            "[PRODUCTION] [READ-ONLY] WhoDis Admin — postgres://hr@db:5432/hr"
        );
    }
}
