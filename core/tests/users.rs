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

both_backends!(two_admins_demoting_each_other_at_once_leave_one, |db| {
    use whodis_core::models::User;
    use whodis_core::ops::users::UpdateUser;
    let first = common::ctx(&db, "one@corp.example");
    bootstrap_admin(&first, "one@corp.example").await.unwrap();
    ops::run(
        &first,
        CreateUser {
            email: "two@corp.example".into(),
            role: Role::Admin,
        },
    )
    .await
    .unwrap();
    let second = common::ctx(&db, "two@corp.example");
    for round in 0..8 {
        let mut c = db.conn().await.unwrap();
        let all: Vec<User> = whodis_core::model::find(&mut c, sea_query::Condition::all())
            .await
            .unwrap();
        drop(c);
        let by = |email: &str| all.iter().find(|u| u.email == email).unwrap().clone();
        let (one, two) = (by("one@corp.example"), by("two@corp.example"));
        let demote = |u: &User| UpdateUser {
            id: u.id,
            expected_updated_at: u.updated_at,
            email: None,
            role: Some(Role::Viewer),
        };
        let (a, b) = tokio::join!(
            ops::run(&first, demote(&two)),
            ops::run(&second, demote(&one))
        );
        assert!(
            a.is_ok() != b.is_ok(),
            "round {round}: exactly one demotion goes through"
        );
        let admins = ops::users::admin_count(&db).await.unwrap();
        assert_eq!(admins, 1, "round {round}: one admin remains");
        // make both admins again for the next round
        let mut c = db.conn().await.unwrap();
        for mut u in whodis_core::model::find::<User>(&mut c, sea_query::Condition::all())
            .await
            .unwrap()
        {
            u.role = "admin".into();
            u.save(&mut c).await.unwrap();
        }
    }
});
