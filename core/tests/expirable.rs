//! ExpirableMixin, CacheableModel and ApiToken behaviours, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::TimeDelta;
use whodis_core::models::*;
use whodis_core::time::now;
use whodis_core::utilities::{bulk_cleanup_expired, expired_counts};
use whodis_core::Table;

fn session(i: usize, expires_in_minutes: i64) -> Session {
    Session {
        session_id: format!("s{i}"),
        user_email: "u@example.com".into(),
        last_activity: now(),
        expires_at: now() + TimeDelta::minutes(expires_in_minutes),
        ..Default::default()
    }
}

both_backends!(expired_rows_are_counted_and_removed_exactly, |db| {
    let mut c = db.conn().await.unwrap();
    for i in 0..7 {
        session(i, if i < 3 { -5 } else { 30 })
            .save(&mut c)
            .await
            .unwrap();
    }
    assert_eq!(expired_counts(&mut c).await.unwrap()["Session"], 3);
    assert_eq!(Session::cleanup_expired(&mut c).await.unwrap(), 3);
    assert_eq!(Session::cleanup_expired(&mut c).await.unwrap(), 0);
    let left: Vec<Session> = whodis_core::model::find(&mut c, sea_query::Condition::all())
        .await
        .unwrap();
    assert_eq!(left.len(), 4);
    assert!(left.iter().all(|s| !s.is_expired()));
});

both_backends!(extend_expiration_moves_expiry_and_revives, |db| {
    let mut c = db.conn().await.unwrap();
    let mut s = session(1, -1);
    s.save(&mut c).await.unwrap();
    assert!(s.is_expired());
    let before = s.expires_at;
    s.extend_expiration(&mut c, 900).await.unwrap();
    assert_eq!(s.expires_at, before + TimeDelta::seconds(900));
    assert!(!s.is_expired());
    let stored = Session::get_by_id(&mut c, s.id).await.unwrap().unwrap();
    assert_eq!(stored.expires_at, s.expires_at);
    assert_eq!(
        s.clone()
            .extend_expiration(&mut c, 0)
            .await
            .unwrap_err()
            .field(),
        Some("seconds")
    );
});

both_backends!(bulk_cleanup_reports_per_model, |db| {
    let mut c = db.conn().await.unwrap();
    session(1, -1).save(&mut c).await.unwrap();
    session(2, 10).save(&mut c).await.unwrap();
    for (q, m) in [("a", -3), ("a", 10), ("b", -1), ("c", -1)] {
        SearchCache {
            search_query: q.into(),
            expires_at: now() + TimeDelta::minutes(m),
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
    }
    let removed = bulk_cleanup_expired(
        &mut c,
        &[Table::SearchCache, Table::Sessions, Table::ApiTokens],
    )
    .await
    .unwrap();
    assert_eq!(removed["SearchCache"], 3);
    assert_eq!(removed["Session"], 1);
    assert_eq!(removed["ApiToken"], 0);
    assert!(bulk_cleanup_expired(&mut c, &[Table::Users]).await.is_err());
});

both_backends!(search_cache_valid_entries_and_stats, |db| {
    let mut c = db.conn().await.unwrap();
    for (q, m) in [
        ("john", -3),
        ("john", 10),
        ("john", 20),
        ("jane", 10),
        ("jane", -1),
    ] {
        SearchCache {
            search_query: q.into(),
            result_data: Some(serde_json::json!({"q": q, "m": m})),
            expires_at: now() + TimeDelta::minutes(m),
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
    }
    let valid = SearchCache::get_valid_cache(&mut c, "john").await.unwrap();
    assert_eq!(valid.len(), 2);
    assert!(valid
        .iter()
        .all(|v| !v.is_expired() && v.search_query == "john"));
    assert_eq!(
        valid[0].result_data.as_ref().unwrap()["m"],
        20,
        "newest first"
    );
    let stats = SearchCache::cleanup_and_get_stats(&mut c).await.unwrap();
    assert_eq!(
        (stats.total, stats.expired_removed, stats.valid_remaining),
        (5, 2, 3)
    );
});

both_backends!(api_tokens_upsert_and_expire, |db| {
    let mut c = db.conn().await.unwrap();
    let first = ApiToken::upsert_token(&mut c, "genesys", "t1", 3600, "Bearer")
        .await
        .unwrap();
    let second = ApiToken::upsert_token(&mut c, "genesys", "t2", 60, "Bearer")
        .await
        .unwrap();
    assert_eq!(first.id, second.id, "one row per service");
    assert_eq!(
        ApiToken::get_token(&mut c, "genesys")
            .await
            .unwrap()
            .unwrap()
            .access_token,
        "t2"
    );
    assert!(ApiToken::get_token(&mut c, "graph")
        .await
        .unwrap()
        .is_none());
    let mut stale = second.clone();
    stale.expires_at = now() - TimeDelta::seconds(1);
    stale.save(&mut c).await.unwrap();
    assert!(
        ApiToken::get_token(&mut c, "genesys")
            .await
            .unwrap()
            .is_none(),
        "expired tokens are not returned"
    );
    assert!(ApiToken::upsert_token(&mut c, "genesys", "t3", 0, "Bearer")
        .await
        .is_err());
});

both_backends!(
    cleanup_of_one_table_removes_only_its_rows_with_its_permission,
    |db| {
        use whodis_core::ops::expiring::{CleanupExpired, ExpiringTable};
        let mut c = db.conn().await.unwrap();
        for (email, role) in [("ed@corp.test", "editor"), ("ada@corp.test", "admin")] {
            User::new(email, role).save(&mut c).await.unwrap();
        }
        session(1, -5).save(&mut c).await.unwrap();
        SearchCache {
            search_query: "old".into(),
            expires_at: now() - TimeDelta::minutes(5),
            ..Default::default()
        }
        .save(&mut c)
        .await
        .unwrap();
        let editor = common::ctx(&db, "ed@corp.test");
        let only = |t| CleanupExpired { table: Some(t) };

        // an editor may clear the search cache (its own screen's rows), and only those go
        let removed = whodis_core::ops::run(&editor, only(ExpiringTable::SearchCache))
            .await
            .unwrap();
        assert_eq!(
            removed.into_iter().collect::<Vec<_>>(),
            [("SearchCache", 1)]
        );
        let counts = expired_counts(&mut c).await.unwrap();
        assert_eq!((counts["Session"], counts["SearchCache"]), (1, 0));

        // sessions are an admin's: refused for the editor, and nothing changes
        let err = whodis_core::ops::run(&editor, only(ExpiringTable::Sessions))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "forbidden");
        assert_eq!(expired_counts(&mut c).await.unwrap()["Session"], 1);
        let admin = common::ctx(&db, "ada@corp.test");
        let removed = whodis_core::ops::run(&admin, only(ExpiringTable::Sessions))
            .await
            .unwrap();
        assert_eq!(removed.get("Session"), Some(&1));
        assert_eq!(expired_counts(&mut c).await.unwrap()["Session"], 0);
    }
);
