//! The seed's base-model behaviours, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use common::fields;
use serde_json::json;
use whodis_core::model::{self, Model};
use whodis_core::models::*;
use whodis_core::{Db, Error, Table};

async fn count(db: &Db, t: Table) -> i64 {
    let mut c = db.conn().await.unwrap();
    let stats = whodis_core::utilities::get_model_stats(&mut c, &[t])
        .await
        .unwrap();
    stats[t.model_name()].total
}

both_backends!(crud_round_trip, |db| {
    let mut c = db.conn().await.unwrap();
    let mut user = User::new("ada@example.com", "editor");
    user.save(&mut c).await.unwrap();
    assert!(user.id > 0);
    assert_eq!(
        user.created_at, user.updated_at,
        "both stamped by the store on insert"
    );

    let loaded = User::get_by_id(&mut c, user.id).await.unwrap().unwrap();
    assert_eq!(
        loaded, user,
        "reads back exactly what was written, timestamps included"
    );

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut edited = loaded.clone();
    edited
        .update(&mut c, &fields(json!({"role": "admin"})))
        .await
        .unwrap();
    assert_eq!(edited.role, "admin");
    assert_eq!(edited.created_at, user.created_at, "created_at is set once");
    assert!(
        edited.updated_at > user.updated_at,
        "updated_at moves on every write"
    );
    // what is stored, not only what the write returned
    let stored = User::get_by_id(&mut c, user.id).await.unwrap().unwrap();
    assert_eq!(stored, edited, "the stored row is the one returned");
    assert_eq!(
        (stored.created_at, stored.role.as_str()),
        (user.created_at, "admin")
    );

    edited.delete(&mut c).await.unwrap();
    assert!(User::get_by_id(&mut c, user.id).await.unwrap().is_none());
    assert!(matches!(
        edited.delete(&mut c).await,
        Err(Error::NotFound { .. })
    ));
});

both_backends!(get_or_create_finds_then_creates, |db| {
    let mut c = db.conn().await.unwrap();
    let (u, created) = User::get_or_create(&mut c, &fields(json!({"email": "g@example.com"})))
        .await
        .unwrap();
    assert!(created);
    assert_eq!(u.role, "viewer", "the seed's default role");
    let (again, created) = User::get_or_create(&mut c, &fields(json!({"email": "g@example.com"})))
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again.id, u.id);
    // a null field matches NULL, not nothing
    let (t1, c1) =
        JobCode::get_or_create(&mut c, &fields(json!({"code": "J1", "description": null})))
            .await
            .unwrap();
    let (t2, c2) =
        JobCode::get_or_create(&mut c, &fields(json!({"code": "J1", "description": null})))
            .await
            .unwrap();
    assert!(c1 && !c2);
    assert_eq!(t1.id, t2.id);
});

both_backends!(bad_role_is_refused_and_nothing_written, |db| {
    let mut c = db.conn().await.unwrap();
    let err = User::new("x@example.com", "superuser")
        .save(&mut c)
        .await
        .unwrap_err();
    match err {
        Error::Invalid { field, reason } => {
            assert_eq!(field, "role");
            assert!(reason.contains("superuser"), "{reason}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(count(&db, Table::Users).await, 0);

    let mut ok = User::new("y@example.com", "viewer");
    ok.save(&mut c).await.unwrap();
    let err = ok
        .clone()
        .update(&mut c, &fields(json!({"role": "root"})))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("role"));
    let stored = User::get_by_id(&mut c, ok.id).await.unwrap().unwrap();
    assert_eq!(stored.role, "viewer", "the failed update changed nothing");
    assert!(
        User::validate_role("admin")
            && User::validate_role("editor")
            && !User::validate_role("Admin")
    );
});

both_backends!(
    update_refuses_unknown_store_owned_and_mistyped_fields,
    |db| {
        let mut c = db.conn().await.unwrap();
        let mut u = User::new("z@example.com", "viewer");
        u.save(&mut c).await.unwrap();
        for (bad, field) in [
            (json!({"nickname": "z"}), "nickname"),
            (json!({"created_at": "2020-01-01T00:00:00Z"}), "created_at"),
            (json!({"id": 99}), "id"),
            (json!({"email": 42}), "email"),
        ] {
            let err = u.clone().update(&mut c, &fields(bad)).await.unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
        assert_eq!(User::get_by_id(&mut c, u.id).await.unwrap().unwrap(), u);
    }
);

both_backends!(unique_violations_are_conflicts_naming_the_field, |db| {
    let mut c = db.conn().await.unwrap();
    User::new("dup@example.com", "viewer")
        .save(&mut c)
        .await
        .unwrap();
    let err = User::new("dup@example.com", "admin")
        .save(&mut c)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert_eq!(err.field(), Some("email"));
    assert!(
        !err.to_string().contains("dup@example.com"),
        "values stay out of messages: {err}"
    );

    let mut a = Configuration {
        category: "ldap".into(),
        key: "host".into(),
        ..Default::default()
    };
    a.save(&mut c).await.unwrap();
    let err = Configuration {
        category: "ldap".into(),
        key: "host".into(),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("category, key"));

    let jc = JobCode {
        code: "A1".into(),
        ..Default::default()
    };
    let role = SystemRole {
        role_name: "Agent".into(),
        ..Default::default()
    };
    let (mut jc, mut role) = (jc, role);
    jc.save(&mut c).await.unwrap();
    role.save(&mut c).await.unwrap();
    let mut m = JobRoleMapping {
        job_code_id: jc.id,
        system_role_id: role.id,
        ..Default::default()
    };
    m.save(&mut c).await.unwrap();
    let err = JobRoleMapping {
        job_code_id: jc.id,
        system_role_id: role.id,
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("job_code_id, system_role_id"));
    for (t, n) in [
        (Table::SystemRoles, 1),
        (Table::JobRoleMappings, 1),
        (Table::Configuration, 1),
    ] {
        assert_eq!(count(&db, t).await, n);
    }
});

both_backends!(foreign_keys_are_enforced, |db| {
    let mut c = db.conn().await.unwrap();
    let err = JobRoleMapping {
        job_code_id: 4242,
        system_role_id: 4343,
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Database {
                kind: whodis_core::error::DbErrorKind::Constraint,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count(&db, Table::JobRoleMappings).await, 0);
});

both_backends!(a_failed_batch_rolls_back_entirely, |db| {
    let mut tx = db.begin().await.unwrap();
    User::new("one@example.com", "admin")
        .save(&mut tx)
        .await
        .unwrap();
    User::new("two@example.com", "editor")
        .save(&mut tx)
        .await
        .unwrap();
    let err = User::new("one@example.com", "viewer").save(&mut tx).await;
    assert!(err.is_err());
    drop(tx); // never committed
    assert_eq!(count(&db, Table::Users).await, 0);

    let mut tx = db.begin().await.unwrap();
    User::new("three@example.com", "admin")
        .save(&mut tx)
        .await
        .unwrap();
    User::new("four@example.com", "editor")
        .save(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(count(&db, Table::Users).await, 2);
});

both_backends!(timestamps_ignore_caller_values, |db| {
    let mut c = db.conn().await.unwrap();
    let forged = chrono::DateTime::parse_from_rfc3339("2001-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let mut u = User {
        email: "t@example.com".into(),
        role: "viewer".into(),
        created_at: Some(forged),
        updated_at: Some(forged),
        ..Default::default()
    };
    let before_insert = whodis_core::time::now();
    u.save(&mut c).await.unwrap();
    let created = u.created_at.unwrap();
    assert!(created >= before_insert, "the store stamps the insert");
    assert_eq!(u.updated_at, Some(created));

    // an update, with a forged created_at and updated_at, keeps the first created_at exactly
    // and moves updated_at on (an update that re-stamped created_at would fail here)
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    u.created_at = Some(forged);
    u.updated_at = Some(forged);
    u.role = "editor".into();
    u.save(&mut c).await.unwrap();
    assert_eq!(
        u.created_at,
        Some(created),
        "an update cannot move created_at"
    );
    assert!(
        u.updated_at.unwrap() > created,
        "updated_at advanced: {:?}",
        u.updated_at
    );
    let stored = User::get_by_id(&mut c, u.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.created_at, stored.updated_at, stored.role.as_str()),
        (Some(created), u.updated_at, "editor"),
        "as stored"
    );
});

both_backends!(safe_serialization_drops_secrets, |db| {
    let mut c = db.conn().await.unwrap();
    let t = ApiToken::upsert_token(&mut c, "genesys", "tok-SECRET-123", 3600, "Bearer")
        .await
        .unwrap();
    let full = t.to_dict(&[]);
    assert_eq!(full["access_token"], "tok-SECRET-123");
    let trimmed = t.to_dict(&["token_type", "expires_at"]);
    assert!(!trimmed.contains_key("token_type") && !trimmed.contains_key("expires_at"));
    let safe = t.to_json_safe();
    assert!(!safe.contains_key("access_token"));
    // `token_type` ("Bearer") describes the token without holding it: shown
    assert_eq!(safe["token_type"], "Bearer");
    assert_eq!(safe["service_name"], "genesys");
    assert!(
        !format!("{t:?}").contains("SECRET"),
        "Debug redacts the token"
    );
    for key in [
        "password_hash",
        "client_secret",
        "api_key",
        "refresh_token",
        "x",
    ] {
        assert_eq!(model::is_sensitive(key), key != "x");
    }
});

both_backends!(json_data_mixin_persists, |db| {
    use whodis_core::model::JsonData;
    let mut c = db.conn().await.unwrap();
    let mut log = AuditLog {
        event_type: Some("search".into()),
        success: Some(true),
        ..Default::default()
    };
    log.set_data("results_count", 5);
    log.update_data(fields(
        json!({"execution_time_ms": 250, "cache_hit": false}),
    ));
    log.save(&mut c).await.unwrap();
    let back = AuditLog::get_by_id(&mut c, log.id).await.unwrap().unwrap();
    assert_eq!(back.get_data("results_count"), Some(&json!(5)));
    assert_eq!(back.get_data("cache_hit"), Some(&json!(false)));
    assert_eq!(back.get_data("missing"), None);
    let err = AuditLog {
        event_type: Some("gossip".into()),
        ..Default::default()
    }
    .save(&mut c)
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("event_type"));
});

both_backends!(photos_are_checked_by_content, |db| {
    let mut c = db.conn().await.unwrap();
    let png = whodis_core::demo::avatar_png("Ada Lovelace", 64).unwrap();
    let mut p = EmployeeProfile {
        email: "ada@example.com".into(),
        ..Default::default()
    };
    p.set_photo(png.clone()).unwrap();
    p.save(&mut c).await.unwrap();
    let back = EmployeeProfile::get_by_id(&mut c, p.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.photo_data.as_deref(), Some(png.as_slice()));
    assert_eq!(back.photo_content_type.as_deref(), Some("image/png"));

    // a caller cannot claim another type for the bytes
    let mut lying = back.clone();
    lying.photo_content_type = Some("image/jpeg".into());
    assert_eq!(
        lying.save(&mut c).await.unwrap_err().field(),
        Some("photo_content_type")
    );
    // the server's own label for a JPEG ('image/jpg') is the same type: such a row stays
    // editable; a label naming another type is not
    let mut server_row = EmployeeProfile {
        email: "bob@example.com".into(),
        photo_data: Some(b"\xff\xd8\xff\xe0 a JPEG the server stored".to_vec()),
        photo_content_type: Some("image/jpg".into()),
        ..Default::default()
    };
    server_row.save(&mut c).await.unwrap();
    server_row.photo_content_type = Some("image/png".into());
    assert_eq!(
        server_row.save(&mut c).await.unwrap_err().field(),
        Some("photo_content_type")
    );
    // not an image, and too big: refused before anything changes
    let mut q = back.clone();
    assert_eq!(
        q.set_photo(b"<svg/>".to_vec()).unwrap_err().field(),
        Some("photo_data")
    );
    let mut big = png.clone();
    big.resize(5 * 1024 * 1024 + 1, 0);
    assert!(q.set_photo(big).unwrap_err().to_string().contains("5 MiB"));
    assert_eq!(q, back);
    assert_eq!(
        EmployeeProfile::get_by_id(&mut c, p.id)
            .await
            .unwrap()
            .unwrap(),
        back
    );
});

both_backends!(configuration_keeps_one_form, |db| {
    use whodis_core::models::configuration::StoredValue;
    let mut c = db.conn().await.unwrap();
    let plain = Configuration::put(
        &mut c,
        "ldap",
        "host",
        StoredValue::Plain(Some("ldap.example.com".into())),
    )
    .await
    .unwrap();
    assert!(!plain.is_encrypted && plain.value.is_none());
    let enc = Configuration::put(
        &mut c,
        "ldap",
        "bind_password",
        StoredValue::Encrypted(vec![1, 2, 3]),
    )
    .await
    .unwrap();
    assert!(enc.is_encrypted && enc.value_plaintext.is_none());
    assert_eq!(enc.stored(), StoredValue::Encrypted(vec![1, 2, 3]));
    // switching form rewrites the same row
    let back = Configuration::put(
        &mut c,
        "ldap",
        "bind_password",
        StoredValue::Plain(Some("x".into())),
    )
    .await
    .unwrap();
    assert_eq!(back.id, enc.id);
    assert!(!back.is_encrypted && back.value.is_none());
    let mut both = back.clone();
    both.value = Some(vec![9]);
    assert_eq!(both.save(&mut c).await.unwrap_err().field(), Some("value"));
    assert_eq!(Configuration::all_encrypted(&mut c).await.unwrap().len(), 0);
    assert!(whodis_core::models::configuration::split_path("nodot").is_err());
});

// The models always declare `id`, `created_at` and `updated_at` (the model macro adds them), so
// checking the models would prove nothing: this checks the migrated database's own catalog,
// which the store and the list engine rely on.
both_backends!(every_table_in_the_database_has_the_store_columns, |db| {
    let shape = db.shape();
    for t in Table::ALL {
        let name = t.name();
        let id = shape
            .column(name, "id")
            .unwrap_or_else(|| panic!("{name} lacks id"));
        // SQLite's catalog reports an INTEGER PRIMARY KEY (the rowid) as nullable; it never is
        assert!(
            !id.nullable || db.backend() == whodis_core::Backend::Sqlite,
            "{name}.id is NOT NULL"
        );
        assert!(
            ["INTEGER", "int8"].contains(&id.sql_type.as_str()),
            "{name}.id is {}",
            id.sql_type
        );
        for stamp in ["created_at", "updated_at"] {
            let col = shape
                .column(name, stamp)
                .unwrap_or_else(|| panic!("{name} lacks {stamp}"));
            assert!(!col.nullable, "{name}.{stamp} is NOT NULL");
            assert!(
                ["TEXT", "timestamptz"].contains(&col.sql_type.as_str()),
                "{name}.{stamp} is {}",
                col.sql_type
            );
        }
        // the default list order (created_at, id) is served by an index
        let index = format!("ix_{name}_created_at_id");
        assert!(
            shape.index_covers(&index, &["created_at".into(), "id".into()]),
            "{index} covers (created_at, id)"
        );
        assert_eq!(Table::parse(name).unwrap(), *t);
        assert_eq!(Table::parse(t.model_name()).unwrap(), *t);
    }
    assert!(Table::parse("nope").is_err());
    assert_eq!(User::TABLE, "users");
});
