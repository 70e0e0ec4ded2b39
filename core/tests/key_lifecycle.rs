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
