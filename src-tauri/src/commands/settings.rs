//! Configuration values and the database's keys. Values travel into the app in requests; a
//! secret comes back out only from the explicit, audited reveals (`config_reveal`, `key_export`,
//! `chain_key_export`).

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use whodis_core::crypto::lifecycle::{KeyStatus, Rotation};
use whodis_core::crypto::WriteFormat;
use whodis_core::ops::run;
use whodis_core::ops::settings::{
    self, ConfigWritten, DeleteConfig, KeyExport, KeyImport, KeyInit, KeyRotate, ProtectConfig,
    RevealConfig, SetConfig, SetWriteFormat,
};

use super::{reply, Reply};
use crate::app::AppState;

/// A secret the operator asked to see. Serialized only as the reply of an explicit reveal.
#[derive(Serialize, specta::Type)]
pub struct Revealed {
    pub value: Option<String>,
}

#[derive(Clone, Serialize, specta::Type)]
pub struct RotateProgress {
    pub done: u32,
    pub total: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn key_status(state: State<'_, AppState>) -> Reply<KeyStatus> {
    reply(settings::key_status(&state.ctx()).await)
}

#[tauri::command]
#[specta::specta]
pub async fn config_set(state: State<'_, AppState>, req: SetConfig) -> Reply<ConfigWritten> {
    reply(run(&state.ctx(), req).await)
}

/// Encrypts or decrypts a stored value in place (the value stays in the backend).
#[tauri::command]
#[specta::specta]
pub async fn config_protect(
    state: State<'_, AppState>,
    req: ProtectConfig,
) -> Reply<ConfigWritten> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn config_delete(state: State<'_, AppState>, req: DeleteConfig) -> Reply<()> {
    reply(run(&state.ctx(), req).await)
}

#[tauri::command]
#[specta::specta]
pub async fn config_reveal(state: State<'_, AppState>, path: String) -> Reply<Revealed> {
    reply(
        run(&state.ctx(), RevealConfig { path })
            .await
            .map(|v| Revealed {
                value: v.map(|s| s.expose().to_owned()),
            }),
    )
}

#[tauri::command]
#[specta::specta]
pub async fn key_init(state: State<'_, AppState>) -> Reply<KeyStatus> {
    reply(run(&state.ctx(), KeyInit {}).await)
}

#[tauri::command]
#[specta::specta]
pub async fn key_import(state: State<'_, AppState>, req: KeyImport) -> Reply<KeyStatus> {
    reply(run(&state.ctx(), req).await)
}

/// The recovery string, shown once by the UI.
#[tauri::command]
#[specta::specta]
pub async fn key_export(state: State<'_, AppState>, req: KeyExport) -> Reply<Revealed> {
    reply(run(&state.ctx(), req).await.map(|s| Revealed {
        value: Some(s.expose().to_owned()),
    }))
}

/// The audit trail's chain key as a recovery string, for another admin (an audited reveal).
#[tauri::command]
#[specta::specta]
pub async fn chain_key_export(state: State<'_, AppState>) -> Reply<Revealed> {
    let exported = run(&state.ctx(), whodis_core::ops::chain::ChainKeyExport).await;
    reply(exported.map(|s| Revealed {
        value: Some(s.expose().to_owned()),
    }))
}

#[tauri::command]
#[specta::specta]
pub async fn set_write_format(
    state: State<'_, AppState>,
    req: SetWriteFormat,
) -> Reply<WriteFormat> {
    reply(run(&state.ctx(), req).await)
}

/// Re-encrypts every value under a new key, reporting progress; `key_rotate_cancel` stops it
/// and rolls everything back.
#[tauri::command]
#[specta::specta]
pub async fn key_rotate(
    state: State<'_, AppState>,
    on_progress: Channel<RotateProgress>,
) -> Reply<Rotation> {
    // a closed window only loses the progress display, not the rotation
    reply(rotate(&state, move |p| drop(on_progress.send(p))).await)
}

/// The body of `key_rotate`, with progress going to `report`.
pub(crate) async fn rotate(
    state: &AppState,
    report: impl Fn(RotateProgress) + Send + 'static,
) -> whodis_core::Result<Rotation> {
    let cancel = state.cancel_rotation.start();
    let progress = Box::new(move |done: usize, total: usize| {
        cancel.check("rotation", "nothing was changed")?;
        report(RotateProgress {
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        });
        Ok(())
    });
    run(&state.ctx(), KeyRotate { progress }).await
}

#[tauri::command]
#[specta::specta]
pub async fn key_rotate_cancel(state: State<'_, AppState>) -> Reply<()> {
    state.cancel_rotation.cancel();
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::{Arc, Mutex};

    use whodis_core::config::Protection;
    use whodis_core::crypto::SecretString;
    use whodis_core::ops::UnknownOperator;

    use super::*;

    // The window's cancel, through the command's own body: pressed during a rotation it rolls
    // everything back; left set, it does not stop the next rotation.
    crate::both_backends!(a_cancel_stops_the_running_rotation_only, |db| {
        let admin = "rotation.admin@corp.example";
        let ctx = crate::common::ctx(&db, admin);
        whodis_core::ops::users::bootstrap_admin(&ctx, admin)
            .await
            .unwrap();
        run(&ctx, KeyInit {}).await.unwrap();
        for i in 0..3 {
            let set = SetConfig {
                path: format!("svc{i}.client_secret"),
                value: SecretString::new(format!("value-{i}")),
                protection: Protection::Auto,
                expected_updated_at: None,
            };
            run(&ctx, set).await.unwrap();
        }
        let state = Arc::new(AppState::new(ctx, None, UnknownOperator::Refuse));
        let before = settings::key_status(&state.ctx()).await.unwrap();

        let pressing = Arc::clone(&state);
        let err = rotate(&state, move |p| {
            if p.done == 1 {
                pressing.cancel_rotation.cancel();
            }
        })
        .await
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid rotation: cancelled; nothing was changed"
        );
        let after = settings::key_status(&state.ctx()).await.unwrap();
        assert_eq!(after.fingerprint, before.fingerprint);
        assert_eq!((after.encrypted_values, after.decryptable), (3, 3));

        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let done = rotate(&state, move |p| log.lock().unwrap().push((p.done, p.total)))
            .await
            .unwrap();
        assert_eq!(seen.lock().unwrap().as_slice(), &[(1, 3), (2, 3), (3, 3)]);
        assert_eq!(done.reencrypted, 3);
        let rotated = settings::key_status(&state.ctx()).await.unwrap();
        assert_ne!(rotated.fingerprint, before.fingerprint);
        assert_eq!(rotated.decryptable, 3);
    });
}
