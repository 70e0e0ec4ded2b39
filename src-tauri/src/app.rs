//! The desktop window. For now it opens the database and shows its table counts; the full UI
//! arrives with the app screens.

use std::process::ExitCode;

use serde::Serialize;
use whodis_core::demo::{self, DemoOptions};
use whodis_core::{ops, Db, ErrorPayload};

use crate::paths;

/// The open database, in Tauri's managed state (no global).
struct Open {
    db: Db,
    label: String,
}

#[derive(Serialize)]
struct DatabaseSummary {
    database: String,
    #[serde(flatten)]
    summary: ops::Summary,
}

#[tauri::command]
async fn database_summary(state: tauri::State<'_, Open>) -> Result<DatabaseSummary, ErrorPayload> {
    let summary = ops::summary(&state.db)
        .await
        .map_err(|e| ErrorPayload::from(&e))?;
    Ok(DatabaseSummary {
        database: state.label.clone(),
        summary,
    })
}

/// Opens the database (the embedded one gets demo data on first run) and shows the window.
pub fn run(database: Option<String>) -> ExitCode {
    let opened = tauri::async_runtime::block_on(async {
        let (url, embedded) = paths::resolve(database.as_deref())?;
        let db = Db::open(&url).await?;
        if embedded
            && ops::summary(&db)
                .await?
                .tables
                .get("User")
                .is_some_and(|s| s.total == 0)
        {
            demo::fill(&db, DemoOptions::default()).await?;
        }
        Ok::<_, whodis_core::Error>(Open {
            db,
            label: url.to_string(),
        })
    });
    let open = match opened {
        Ok(open) => open,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let title = format!("WhoDis Admin — {}", open.label);
    let result = tauri::Builder::default()
        .manage(open)
        .invoke_handler(tauri::generate_handler![database_summary])
        .setup(move |app| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(&title)?;
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the window could not start: {e}");
            ExitCode::FAILURE
        }
    }
}
