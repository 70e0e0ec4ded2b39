//! Key init / status / export / import, on both backends, with keyring-core's mock store
//! (the real Secret Service is covered by crypto_secret_service.rs).
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::config::{config_set, Protection};
use whodis_core::crypto::lifecycle::{self, KeyContext};
use whodis_core::crypto::{KeyStore, OsKeyStore};
use whodis_core::Error;

fn mock_store() -> OsKeyStore {
    OsKeyStore::with_store(keyring_core::mock::Store::new().unwrap())
}

both_backends!(init_status_export_import, |db| {
    let store = mock_store();
    let ctx = KeyContext {
        store: &store,
        entry: "whodis-test-db".into(),
    };
    let fresh = lifecycle::status(&db, &ctx).await.unwrap();
    assert_eq!(
        (fresh.fingerprint.is_none(), fresh.encrypted_values),
        (true, 0)
    );

    let st = lifecycle::init(&db, &ctx).await.unwrap();
    let fingerprint = st.fingerprint.clone().unwrap();
    assert!(matches!(
        lifecycle::init(&db, &ctx).await.unwrap_err(),
        Error::Conflict { .. }
    ));

    let keys = ctx.load().unwrap();
    let mut c = db.conn().await.unwrap();
    config_set(
        &mut c,
        Some(&keys),
        "ldap.bind_password",
        "pw-1",
        Protection::Auto,
    )
    .await
    .unwrap();
    config_set(
        &mut c,
        Some(&keys),
        "genesys.client_secret",
        "pw-2",
        Protection::Auto,
    )
    .await
    .unwrap();
    let st = lifecycle::status(&db, &ctx).await.unwrap();
    assert_eq!((st.encrypted_values, st.decryptable), (2, 2));
    assert!(!serde_json::to_string(&st).unwrap().contains("pw-"));

    // a second admin's keyring: import the recovery string, then everything decrypts there too
    let recovery = lifecycle::export(&ctx, false).unwrap();
    let other = mock_store();
    let ctx2 = KeyContext {
        store: &other,
        entry: "whodis-test-db".into(),
    };
    assert!(
        matches!(
            lifecycle::init(&db, &ctx2).await.unwrap_err(),
            Error::Conflict { .. }
        ),
        "a new key is refused while values exist that it could not read"
    );
    let st2 = lifecycle::import(&db, &ctx2, recovery.expose())
        .await
        .unwrap();
    assert_eq!(st2.fingerprint.as_deref(), Some(fingerprint.as_str()));
    assert_eq!(st2.decryptable, 2);

    // a key from another database is refused and nothing is stored
    let stranger = mock_store();
    let ctx3 = KeyContext {
        store: &stranger,
        entry: "elsewhere".into(),
    };
    let _ = lifecycle::status(&db, &ctx3).await.unwrap();
    let other_db_key = {
        let s = mock_store();
        let k = KeyContext {
            store: &s,
            entry: "x".into(),
        };
        s.set(
            "x",
            &whodis_core::crypto::DataKey::generate()
                .unwrap()
                .to_secret_bytes(),
        )
        .unwrap();
        lifecycle::export(&k, false).unwrap()
    };
    let err = lifecycle::import(&db, &ctx3, other_db_key.expose())
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("recovery_string"));
    assert!(
        err.to_string().contains("does not decrypt 2 of the 2"),
        "{err}"
    );
    assert!(stranger.get("elsewhere").unwrap().is_none());
    assert!(lifecycle::import(&db, &ctx3, "whodis-key1-garbage")
        .await
        .is_err());
    assert!(matches!(
        lifecycle::export(&ctx3, false).unwrap_err(),
        Error::KeyMissing(_)
    ));
});

async fn stored_values(db: &whodis_core::Db) -> Vec<Option<Vec<u8>>> {
    let mut c = db.conn().await.unwrap();
    whodis_core::models::Configuration::all_encrypted(&mut c)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.value)
        .collect()
}

both_backends!(rotate_reencrypts_all_or_nothing, |db| {
    use whodis_core::config::config_get;
    let store = mock_store();
    let ctx = KeyContext {
        store: &store,
        entry: "rotating".into(),
    };
    lifecycle::init(&db, &ctx).await.unwrap();
    let keys = ctx.load().unwrap();
    let mut c = db.conn().await.unwrap();
    for i in 0..6 {
        config_set(
            &mut c,
            Some(&keys),
            &format!("svc{i}.client_secret"),
            &format!("value-{i}"),
            Protection::Auto,
        )
        .await
        .unwrap();
    }
    let before = stored_values(&db).await;
    let old_fp = lifecycle::status(&db, &ctx).await.unwrap().fingerprint;

    // interrupted after half the rows: nothing changes, the old key still works
    let err = lifecycle::rotate(&db, &ctx, |done, _| {
        if done == 3 {
            Err(Error::Crypto("injected failure".into()))
        } else {
            Ok(())
        }
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("injected"));
    assert_eq!(
        stored_values(&db).await,
        before,
        "the transaction rolled back"
    );
    // the keyring: the main entry kept the old key; the staged new key is a leftover that the
    // next open drops (the main key still reads every value), without any "recovered" message
    let staged = store.get("pending:rotating").unwrap();
    assert!(
        staged.is_some(),
        "the new key was staged before the database changed"
    );
    assert_eq!(
        store
            .get("backup:rotating")
            .unwrap()
            .map(|k| k.expose().to_vec()),
        store.get("rotating").unwrap().map(|k| k.expose().to_vec()),
        "the backup is the old key, which is still the main one"
    );
    assert!(lifecycle::recover_interrupted_rotation(&db, &ctx)
        .await
        .unwrap()
        .is_empty());
    assert!(store.get("pending:rotating").unwrap().is_none());
    assert_eq!(
        lifecycle::status(&db, &ctx).await.unwrap().fingerprint,
        old_fp
    );
    assert_eq!(
        config_get(&mut c, Some(&ctx.load().unwrap()), "svc4.client_secret")
            .await
            .unwrap()
            .unwrap()
            .expose(),
        "value-4"
    );

    // success: new key, every value re-encrypted and still readable
    let mut seen = Vec::new();
    let st = lifecycle::rotate(&db, &ctx, |done, total| {
        seen.push((done, total));
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(seen.last(), Some(&(6, 6)));
    assert_ne!(st.fingerprint, old_fp);
    assert_eq!((st.encrypted_values, st.decryptable), (6, 6));
    let after = stored_values(&db).await;
    assert!(before.iter().zip(&after).all(|(a, b)| a != b));
    let keys = ctx.load().unwrap();
    assert_eq!(
        config_get(&mut c, Some(&keys), "svc0.client_secret")
            .await
            .unwrap()
            .unwrap()
            .expose(),
        "value-0"
    );
    assert!(
        store.get("backup:rotating").unwrap().is_some(),
        "the old key is kept as a backup"
    );
    assert!(store.get("pending:rotating").unwrap().is_none());

    // the backup stays while a value cannot be read with the current key…
    let (ok, stale_key) = (
        store.get("rotating").unwrap(),
        store.get("backup:rotating").unwrap(),
    );
    store.set("rotating", &stale_key.unwrap()).unwrap();
    assert!(!lifecycle::forget_backup_once_current_works(&db, &ctx)
        .await
        .unwrap());
    assert!(store.get("backup:rotating").unwrap().is_some());
    // …and goes on the next open where every value decrypts
    store.set("rotating", &ok.unwrap()).unwrap();
    assert!(lifecycle::forget_backup_once_current_works(&db, &ctx)
        .await
        .unwrap());
    assert!(store.get("backup:rotating").unwrap().is_none());
    assert!(!lifecycle::forget_backup_once_current_works(&db, &ctx)
        .await
        .unwrap());
});

// A database whose file is named like another's sibling entry (`x.db.backup`, `x.db.fernet`,
// `x.db.pending`) keeps its own key when `x.db`'s key is rotated: with suffix names, rotating
// `x.db` wrote its old key over `x.db.backup`'s.
both_backends!(a_file_named_like_a_sibling_entry_keeps_its_own_key, |db| {
    use whodis_core::crypto::{legacy_sibling_entry, Sibling};
    let store = mock_store();
    let main = KeyContext {
        store: &store,
        entry: "sqlite:/data/x.db".into(),
    };
    lifecycle::init(&db, &main).await.unwrap();
    let keys = main.load().unwrap();
    let mut c = db.conn().await.unwrap();
    config_set(
        &mut c,
        Some(&keys),
        "a.client_secret",
        "a",
        Protection::Auto,
    )
    .await
    .unwrap();
    let neighbours: Vec<String> = [Sibling::Backup, Sibling::Pending, Sibling::Fernet]
        .into_iter()
        .map(|role| legacy_sibling_entry(&main.entry, role))
        .collect();
    let mut theirs = Vec::new();
    for (i, entry) in neighbours.iter().enumerate() {
        let key = vec![i as u8 + 1; 32];
        store
            .set(entry, &whodis_core::crypto::SecretBytes::new(key.clone()))
            .unwrap();
        theirs.push(key);
    }
    lifecycle::rotate(&db, &main, |_, _| Ok(())).await.unwrap();
    lifecycle::forget_backup_once_current_works(&db, &main)
        .await
        .unwrap();
    for (entry, key) in neighbours.iter().zip(&theirs) {
        assert_eq!(
            store
                .get(entry)
                .unwrap()
                .map(|k| k.expose().to_vec())
                .as_ref(),
            Some(key),
            "{entry} still holds its own database's key"
        );
    }
});

// Keys stored under the suffix names of earlier builds move to today's names on open, unless
// the old name could be another database's own entry (a file by that name exists).
both_backends!(legacy_entry_names_are_carried_over, |db| {
    use whodis_core::crypto::{legacy_sibling_entry, sibling_entry, SecretBytes, Sibling};
    let dir = tempfile::tempdir().unwrap();
    let store = mock_store();
    let ctx = KeyContext {
        store: &store,
        entry: format!("sqlite:{}", dir.path().join("x.db").display()),
    };
    let old_fernet = legacy_sibling_entry(&ctx.entry, Sibling::Fernet);
    let old_backup = legacy_sibling_entry(&ctx.entry, Sibling::Backup);
    store
        .set(&old_fernet, &SecretBytes::from_slice(&[7; 32]))
        .unwrap();
    store
        .set(&old_backup, &SecretBytes::from_slice(&[8; 32]))
        .unwrap();
    // x.db.backup is a database of its own: that entry is its key, and stays where it is
    std::fs::write(dir.path().join("x.db.backup"), b"").unwrap();

    let said = lifecycle::carry_over_legacy_entries(&db, &ctx)
        .await
        .unwrap();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains(".fernet"), "{said:?}");
    assert_eq!(
        store
            .get(&sibling_entry(&ctx.entry, Sibling::Fernet))
            .unwrap()
            .map(|k| k.expose().to_vec()),
        Some(vec![7; 32])
    );
    assert!(store.get(&old_fernet).unwrap().is_none());
    assert!(store.get(&old_backup).unwrap().is_some());
    assert!(store
        .get(&sibling_entry(&ctx.entry, Sibling::Backup))
        .unwrap()
        .is_none());
    assert!(lifecycle::carry_over_legacy_entries(&db, &ctx)
        .await
        .unwrap()
        .is_empty());
});
