//! A Keystone record is edited from the stored record, never replaced by an editor that did
//! not load it; a secret column is never set field by field.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::json;
use whodis_core::model::{self, Model};
use whodis_core::models::{ApiToken, EmployeeProfile};
use whodis_core::ops::{self, directory::UpdateProfile};

both_backends!(a_keystone_edit_must_start_from_the_stored_record, |db| {
    let ctx = common::ctx(&db, "admin@corp.test");
    ops::users::bootstrap_admin(&ctx, "admin@corp.test")
        .await
        .unwrap();
    let stored = json!({"job_code": "CSR1", "name": "Ada", "title": "Agent"});
    let mut profile = EmployeeProfile {
        email: "ada@corp.test".into(),
        keystone_data: Some(stored.clone()),
        ..Default::default()
    };
    profile.save(&mut db.conn().await.unwrap()).await.unwrap();

    // an editor that never saw the record (it started from nothing, or from `{}`)
    for based_on in [None, Some(json!({}))] {
        let err = ops::run(
            &ctx,
            UpdateProfile {
                id: profile.id,
                expected_updated_at: profile.updated_at,
                based_on,
                keystone_data: Some(json!({"job_code": "SUP1"})),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            ("conflict", Some("keystone_data"))
        );
    }
    let unchanged: EmployeeProfile = model::require(&mut db.conn().await.unwrap(), profile.id)
        .await
        .unwrap();
    assert_eq!(unchanged.keystone_data.as_ref(), Some(&stored));

    // from the stored record, the edit applies
    let mut edited = stored.clone();
    edited["job_code"] = json!("SUP1");
    let saved = ops::run(
        &ctx,
        UpdateProfile {
            id: profile.id,
            expected_updated_at: unchanged.updated_at(),
            based_on: Some(stored),
            keystone_data: Some(edited.clone()),
        },
    )
    .await
    .unwrap();
    assert_eq!(saved.keystone_data, Some(edited));
});

both_backends!(a_secret_column_is_not_set_field_by_field, |db| {
    let mut c = db.conn().await.unwrap();
    let mut token = ApiToken::upsert_token(&mut c, "genesys", "tok-1", 3600, "Bearer")
        .await
        .unwrap();
    let err = token
        .update(&mut c, &common::fields(json!({"access_token": "tok-2"})))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("access_token"));
    let back = ApiToken::get_by_id(&mut c, token.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.access_token, "tok-1");
});
