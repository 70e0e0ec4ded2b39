//! Masked values stay masked: a secret-looking plaintext cannot be searched for a guess at a
//! time, and session ids (bearer credentials) are shown by their start everywhere — lists, the
//! audit diff of a terminated session, exports — and filter only by the whole value.
#![allow(clippy::unwrap_used)]

mod common;

use whodis_core::config::{config_set, Protection};
use whodis_core::list::{list_table, Filter, ListQuery, Sort};
use whodis_core::models::*;
use whodis_core::ops::{self, expiring};
use whodis_core::Table;

const SESSION_ID: &str = "4819fe12975b253869a4f289207e0acba1e73106c8b453ebdcda892e958f815e";

fn filtered(filters: &[&str]) -> ListQuery {
    ListQuery {
        filters: filters.iter().map(|f| Filter::parse(f).unwrap()).collect(),
        ..Default::default()
    }
}

both_backends!(a_masked_plaintext_cannot_be_searched, |db| {
    let mut c = db.conn().await.unwrap();
    config_set(
        &mut c,
        None,
        "ldap.bind_password",
        "Zebra7secret",
        Protection::Plain,
    )
    .await
    .unwrap();
    config_set(&mut c, None, "ldap.server", "ldap://x", Protection::Plain)
        .await
        .unwrap();
    let page = list_table(&mut c, Table::Configuration, &ListQuery::default())
        .await
        .unwrap();
    let secret = page
        .rows
        .iter()
        .find(|r| r["key"] == "bind_password")
        .unwrap();
    assert_eq!(secret["value_plaintext"], serde_json::Value::Null);
    assert_eq!(secret["value_masked"], true);
    // the bisection that recovered "Zebra7" letter by letter, and its relatives
    for guess in [
        "value_plaintext=gte:Z",
        "value_plaintext=lt:Zf",
        "value_plaintext=contains:ebra",
        "value_plaintext=eq:Zebra7secret",
        "value_plaintext=ne:x",
    ] {
        let query = filtered(&["key=eq:bind_password", guess]);
        let err = list_table(&mut c, Table::Configuration, &query)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("filter"), "{guess}: {err}");
    }
    let sorted = ListQuery {
        sort: Some(Sort {
            column: "value_plaintext".into(),
            descending: false,
        }),
        ..Default::default()
    };
    assert!(list_table(&mut c, Table::Configuration, &sorted)
        .await
        .is_err());
});

both_backends!(session_ids_show_their_start_only, |db| {
    let mut c = db.conn().await.unwrap();
    let mut session = Session {
        session_id: SESSION_ID.into(),
        user_email: "someone@corp.test".into(),
        last_activity: whodis_core::time::now(),
        expires_at: whodis_core::time::now() + chrono::TimeDelta::hours(1),
        ..Default::default()
    };
    session.save(&mut c).await.unwrap();
    let page = list_table(&mut c, Table::Sessions, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.rows[0]["session_id"], "4819fe12…");
    assert!(!serde_json::to_string(&page)
        .unwrap()
        .contains(&SESSION_ID[8..]));
    // exact match still finds it (a 64-character id cannot be guessed); nothing narrower
    let exact = list_table(
        &mut c,
        Table::Sessions,
        &filtered(&[&format!("session_id=eq:{SESSION_ID}")]),
    )
    .await
    .unwrap();
    assert_eq!(exact.rows.len(), 1);
    for narrower in [
        "session_id=contains:4819",
        "session_id=gte:4",
        "session_id=ne:x",
    ] {
        let err = list_table(&mut c, Table::Sessions, &filtered(&[narrower]))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("filter"), "{narrower}");
    }
    let sorted = ListQuery {
        sort: Some(Sort {
            column: "session_id".into(),
            descending: true,
        }),
        ..Default::default()
    };
    assert!(list_table(&mut c, Table::AuditLog, &sorted).await.is_err());
    drop(c);

    // terminating it: the audit diff names the session by its start only
    let ctx = common::ctx(&db, "admin@corp.test");
    ops::users::bootstrap_admin(&ctx, "admin@corp.test")
        .await
        .unwrap();
    ops::run(
        &ctx,
        expiring::DeleteExpiring {
            table: expiring::ExpiringTable::Sessions,
            id: session.id,
            expected_updated_at: session.updated_at,
        },
    )
    .await
    .unwrap();
    let audit = list_table(
        &mut db.conn().await.unwrap(),
        Table::AuditLog,
        &filtered(&["message=contains:session"]),
    )
    .await
    .unwrap();
    let text = serde_json::to_string(&audit.rows).unwrap();
    assert!(text.contains("4819fe12…"), "{text}");
    assert!(!text.contains(&SESSION_ID[8..]), "{text}");
    // the app's own session id in its audit rows is shortened the same way
    let own = &audit.rows[0]["session_id"];
    assert!(own.as_str().unwrap().ends_with('…'), "{own}");
});
