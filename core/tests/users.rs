//! A user is one email whatever its case, and an address must be one.
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::ops::users::{bootstrap_admin, CreateUser};
use whodis_core::ops::{self, Role};
use whodis_core::utilities::count_rows;

both_backends!(emails_are_one_identity_whatever_their_case, |db| {
    let ctx = common::ctx(&db, "demo.admin@whodis.example");
    bootstrap_admin(&ctx, "demo.admin@whodis.example")
        .await
        .unwrap();
    for email in ["DEMO.ADMIN@whodis.example", "Demo.Admin@WhoDis.Example"] {
        let err = ops::run(
            &ctx,
            CreateUser {
                email: email.into(),
                role: Role::Viewer,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            ("conflict", Some("email")),
            "{email}"
        );
    }
    let users = count_rows::<whodis_core::models::User>(&mut db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(users, 1);
    // the operator in another case is the same admin
    let shouting = common::ctx(&db, "DEMO.ADMIN@WHODIS.EXAMPLE");
    assert_eq!(shouting.operator().await.unwrap().role, Some(Role::Admin));
    // and the database itself refuses a second spelling written around the app
    let mut direct = whodis_core::models::User::new("demo.ADMIN@whodis.example", "viewer");
    let err = direct
        .save(&mut db.conn().await.unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("email"), "{err}");
});

both_backends!(an_email_must_be_an_address, |db| {
    let ctx = common::ctx(&db, "first@corp.example");
    bootstrap_admin(&ctx, "first@corp.example").await.unwrap();
    for bad in [
        "two@@x.example",
        "a@",
        "@x.example",
        "a b@x.example",
        "a@x",
        "a@x..example",
        "plain",
    ] {
        let err = ops::run(
            &ctx,
            CreateUser {
                email: bad.into(),
                role: Role::Viewer,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            ("invalid", Some("email")),
            "{bad}: {err}"
        );
    }
    ops::run(
        &ctx,
        CreateUser {
            email: "ok.person@corp.example".into(),
            role: Role::Viewer,
        },
    )
    .await
    .unwrap();
});
