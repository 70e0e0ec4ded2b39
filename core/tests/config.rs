//! config_get / config_set with real encryption, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::config::{config_get, config_set, Protection};
use whodis_core::crypto::{is_fernet_token, DataKey, FernetKey, Keys, WriteFormat};
use whodis_core::models::configuration::{StoredValue, ValueCipher};
use whodis_core::models::Configuration;
use whodis_core::Error;

const SECRET: &str = "s3cr3t-Bind-Pa55";

fn keys() -> Keys {
    Keys::envelope(DataKey::generate().unwrap())
}

both_backends!(sensitive_values_round_trip_encrypted, |db| {
    let mut c = db.conn().await.unwrap();
    let k = keys();
    let row = config_set(
        &mut c,
        Some(&k),
        "ldap.bind_password",
        SECRET,
        Protection::Auto,
    )
    .await
    .unwrap();
    assert!(row.is_encrypted && row.value_plaintext.is_none());
    let bytes = row.value.clone().unwrap();
    assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
    assert!(!format!("{row:?}").contains(SECRET));
    let got = config_get(&mut c, Some(&k), "ldap.bind_password")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.expose(), SECRET);
    // a fresh nonce per write: same value, different bytes
    let again = config_set(
        &mut c,
        Some(&k),
        "ldap.bind_password",
        SECRET,
        Protection::Auto,
    )
    .await
    .unwrap();
    assert_ne!(again.value, Some(bytes));

    let plain = config_set(&mut c, Some(&k), "ldap.host", "ldap.corp", Protection::Auto)
        .await
        .unwrap();
    assert!(!plain.is_encrypted);
    let forced = config_set(
        &mut c,
        Some(&k),
        "ldap.host",
        "ldap.corp",
        Protection::Encrypt,
    )
    .await
    .unwrap();
    assert!(forced.is_encrypted && forced.id == plain.id);
    assert_eq!(
        config_get(&mut c, None, "ldap.missing")
            .await
            .unwrap()
            .map(|s| s.expose().to_owned()),
        None
    );
});

both_backends!(missing_wrong_or_moved_keys_are_clear_errors, |db| {
    let mut c = db.conn().await.unwrap();
    let k = keys();
    let err = config_set(
        &mut c,
        None,
        "genesys.client_secret",
        SECRET,
        Protection::Auto,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::KeyMissing(_)), "{err:?}");
    assert!(
        Configuration::find(&mut c, "genesys", "client_secret")
            .await
            .unwrap()
            .is_none(),
        "nothing written"
    );

    let row = config_set(
        &mut c,
        Some(&k),
        "genesys.client_secret",
        SECRET,
        Protection::Auto,
    )
    .await
    .unwrap();
    assert!(matches!(
        config_get(&mut c, None, "genesys.client_secret")
            .await
            .unwrap_err(),
        Error::KeyMissing(_)
    ));
    let err = config_get(&mut c, Some(&keys()), "genesys.client_secret")
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, Error::Crypto(_)) && msg.contains("genesys.client_secret"),
        "{msg}"
    );
    assert!(!msg.contains(SECRET));

    // the same bytes moved to another row do not decrypt there
    Configuration::put(
        &mut c,
        "graph",
        "client_secret",
        StoredValue::Encrypted(row.value.clone().unwrap()),
    )
    .await
    .unwrap();
    assert!(matches!(
        config_get(&mut c, Some(&k), "graph.client_secret")
            .await
            .unwrap_err(),
        Error::Crypto(_)
    ));

    // a flipped byte in nonce, ciphertext or tag is detected
    let original = row.value.clone().unwrap();
    for pos in [1, 13, original.len() - 1] {
        let mut tampered = original.clone();
        tampered[pos] ^= 0x01;
        Configuration::put(
            &mut c,
            "genesys",
            "client_secret",
            StoredValue::Encrypted(tampered),
        )
        .await
        .unwrap();
        assert!(
            matches!(
                config_get(&mut c, Some(&k), "genesys.client_secret")
                    .await
                    .unwrap_err(),
                Error::Crypto(_)
            ),
            "byte {pos}"
        );
    }
});

both_backends!(fernet_values_from_the_server_are_read_and_written, |db| {
    let mut c = db.conn().await.unwrap();
    let fernet = FernetKey::generate().unwrap();
    let server_token = fernet.encrypt(SECRET.as_bytes()).unwrap();
    Configuration::put(
        &mut c,
        "ldap",
        "bind_password",
        StoredValue::Encrypted(server_token),
    )
    .await
    .unwrap();

    let envelope_only = keys();
    assert!(matches!(
        config_get(&mut c, Some(&envelope_only), "ldap.bind_password")
            .await
            .unwrap_err(),
        Error::KeyMissing(_)
    ));
    let both = Keys {
        data: envelope_only.data,
        fernet: Some(fernet),
        write_format: WriteFormat::Fernet,
    };
    assert_eq!(
        config_get(&mut c, Some(&both), "ldap.bind_password")
            .await
            .unwrap()
            .unwrap()
            .expose(),
        SECRET
    );
    let row = config_set(
        &mut c,
        Some(&both),
        "graph.client_secret",
        "g-secret",
        Protection::Auto,
    )
    .await
    .unwrap();
    assert!(
        is_fernet_token(row.value.as_deref().unwrap()),
        "Fernet mode writes tokens the server can read"
    );
    assert_eq!(
        both.decrypt("graph.client_secret", row.value.as_deref().unwrap())
            .unwrap()
            .expose(),
        "g-secret"
    );
});

both_backends!(lists_show_setting_names_and_mask_secret_values, |db| {
    let mut c = db.conn().await.unwrap();
    config_set(
        &mut c,
        None,
        "ldap.bind_password",
        "Plain-Canary-91",
        Protection::Plain,
    )
    .await
    .unwrap();
    config_set(&mut c, None, "ldap.host", "ldap.corp", Protection::Auto)
        .await
        .unwrap();
    let page = whodis_core::list::list_table(
        &mut c,
        whodis_core::Table::Configuration,
        &whodis_core::list::ListQuery::default(),
    )
    .await
    .unwrap();
    let text = serde_json::to_string(&page.rows).unwrap();
    assert!(!text.contains("Plain-Canary-91"), "{text}");
    let row = |key: &str| {
        page.rows
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("{key} is listed with its name: {text}"))
            .clone()
    };
    let secret = row("bind_password");
    assert_eq!(secret["value_plaintext"], serde_json::Value::Null);
    assert_eq!(secret["value_masked"], true);
    let host = row("host");
    assert_eq!(host["value_plaintext"], "ldap.corp");
    assert_eq!(host["value_masked"], false);
});

// The format new values are written in follows what the database already holds: one Fernet
// value among envelope ones makes it Fernet, found without reading every value. A token stored
// as text (as another program may store it in SQLite) counts too.
both_backends!(write_format_follows_the_stored_values, |db| {
    use whodis_core::ops::settings::write_format;
    let mut c = db.conn().await.unwrap();
    let envelope = keys();
    for i in 0..30 {
        let path = format!("svc{i}.client_secret");
        config_set(&mut c, Some(&envelope), &path, "x", Protection::Encrypt)
            .await
            .unwrap();
    }
    assert_eq!(write_format(&mut c).await.unwrap(), WriteFormat::Envelope);

    let token = FernetKey::generate().unwrap().encrypt(b"v").unwrap();
    Configuration::put(&mut c, "zz", "token", StoredValue::Encrypted(token.clone()))
        .await
        .unwrap();
    assert_eq!(write_format(&mut c).await.unwrap(), WriteFormat::Fernet);

    if let whodis_core::db::Pool::Sqlite(pool) = db.pool() {
        sqlx::query("UPDATE configuration SET value = CAST(value AS TEXT) WHERE key = 'token'")
            .execute(pool)
            .await
            .unwrap();
        let stored: String =
            sqlx::query_scalar("SELECT typeof(value) FROM configuration WHERE key = 'token'")
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(stored, "text");
        assert_eq!(write_format(&mut c).await.unwrap(), WriteFormat::Fernet);
    }
});

both_backends!(a_value_a_known_setting_cannot_take_is_refused, |db| {
    let mut c = db.conn().await.unwrap();
    config_set(&mut c, None, "search.max_results", "50", Protection::Auto)
        .await
        .unwrap();
    for (path, bad) in [
        ("search.max_results", "fifty"),
        ("ldap.port", "0"),
        ("auth.required_role", "root"),
        ("graph.authority_url", "login.example"),
    ] {
        match config_set(&mut c, None, path, bad, Protection::Auto).await {
            Err(Error::Invalid { field, reason }) => {
                assert_eq!(field, "value");
                assert!(
                    reason.starts_with(path) && !reason.contains(bad),
                    "{reason}"
                );
            }
            other => panic!("{path} = {bad}: {other:?}"),
        }
    }
    // nothing changed: the good value stays, the refused settings were not created
    let kept = config_get(&mut c, None, "search.max_results")
        .await
        .unwrap();
    assert_eq!(kept.as_ref().map(|v| v.expose()), Some("50"));
    assert!(config_get(&mut c, None, "ldap.port")
        .await
        .unwrap()
        .is_none());
    // what the server does not constrain stays free text
    config_set(
        &mut c,
        None,
        "ldap.base_dn",
        "dc=corp, dc=example",
        Protection::Auto,
    )
    .await
    .unwrap();
});
