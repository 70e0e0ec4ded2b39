//! ServiceDataModel (Genesys) behaviours and the utility functions, on both backends.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::json;
use whodis_core::models::genesys::extract_service_fields;
use whodis_core::models::*;
use whodis_core::utilities::{bulk_update_timestamps, get_model_stats};
use whodis_core::Table;

both_backends!(sync_creates_then_updates_idempotently, |db| {
    let items = vec![
        json!({"id": "g1", "name": "Support Team", "state": "active"}),
        json!({"id": "g2", "name": "Billing", "state": "inactive"}),
        json!({"id": "g3", "name": "Sales", "enabled": false}),
    ];
    let mut tx = db.begin().await.unwrap();
    let s = GenesysGroup::sync_from_service_data(&mut tx, "genesys", &items)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((s.created, s.updated), (3, 0));

    let mut c = db.conn().await.unwrap();
    let again = GenesysGroup::sync_from_service_data(&mut c, "genesys", &items)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated), (0, 3));
    let stats = get_model_stats(&mut c, &[Table::GenesysGroups, Table::Users])
        .await
        .unwrap();
    assert_eq!(stats["GenesysGroup"].total, 3);
    assert_eq!(stats["GenesysGroup"].active, Some(1));
    assert_eq!(stats["User"].active, None, "users have no is_active");

    // the same ids under another service are other rows
    let other = GenesysGroup::sync_from_service_data(&mut c, "other", &items[..1])
        .await
        .unwrap();
    assert_eq!(other.created, 1);
});

both_backends!(a_bad_item_fails_the_whole_sync, |db| {
    let mut c = db.conn().await.unwrap();
    let items = vec![json!({"id": "s1", "name": "ok"}), json!({"name": "no id"})];
    let err = GenesysSkill::sync_from_service_data(&mut c, "genesys", &items)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("items[1].id"));
    let stats = get_model_stats(&mut c, &[Table::GenesysSkills])
        .await
        .unwrap();
    assert_eq!(stats["GenesysSkill"].total, 0);
});

both_backends!(update_from_service_refreshes_fields, |db| {
    let mut c = db.conn().await.unwrap();
    GenesysLocation::sync_from_service_data(
        &mut c,
        "genesys",
        &[json!({"id": "l1", "name": "HQ"})],
    )
    .await
    .unwrap();
    let cond = sea_query::Condition::all()
        .add(sea_query::Expr::col(sea_query::Alias::new("service_id")).eq("l1"));
    let mut loc: GenesysLocation = whodis_core::model::find_one(&mut c, cond)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loc.name.as_deref(), Some("HQ"));
    assert!(loc.is_active);
    loc.update_from_service(
        &mut c,
        &json!({"id": "l1", "name": "Head Office", "active": false}),
    )
    .await
    .unwrap();
    let back = GenesysLocation::get_by_id(&mut c, loc.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.name.as_deref(), Some("Head Office"));
    assert!(!back.is_active);
    assert_eq!(back.raw_data.unwrap()["name"], "Head Office");
    assert!(loc
        .update_from_service(&mut c, &json!({"id": "other"}))
        .await
        .is_err());
});

both_backends!(bulk_update_timestamps_counts_rows, |db| {
    let mut c = db.conn().await.unwrap();
    let mut u = User::new("a@example.com", "admin");
    u.save(&mut c).await.unwrap();
    User::new("b@example.com", "viewer")
        .save(&mut c)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let counts = bulk_update_timestamps(&mut c, &[Table::Users, Table::JobCodes])
        .await
        .unwrap();
    assert_eq!(counts["User"], 2);
    assert_eq!(counts["JobCode"], 0);
    let back = User::get_by_id(&mut c, u.id).await.unwrap().unwrap();
    assert!(back.updated_at > u.updated_at);
    assert_eq!(back.created_at, u.created_at);
});

#[test]
fn service_fields_are_extracted() {
    let (id, name, active) =
        extract_service_fields(&json!({"id": 7, "name": "x", "state": "deleted"})).unwrap();
    assert_eq!(
        (id.as_str(), name.as_deref(), active),
        ("7", Some("x"), false)
    );
    assert!(extract_service_fields(&json!({"id": ""})).is_err());
    assert!(extract_service_fields(&json!({"name": "no id"})).is_err());
}
