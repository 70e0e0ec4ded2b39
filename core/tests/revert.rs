//! Reverting a recorded change (`ops::revert`), on both backends: every kind of change the app
//! records (update, create, delete, mapping add/remove, configuration values), a revert of a
//! revert, a row changed since, secrets, rows the server wrote, and who may revert.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Value as Json};
use whodis_core::config::Protection;
use whodis_core::crypto::SecretString;
use whodis_core::model::{self, Model};
use whodis_core::models::*;
use whodis_core::ops::compliance::{AddMapping, RemoveMapping};
use whodis_core::ops::revert::{preview, revert, RecordedChange};
use whodis_core::ops::settings::{DeleteConfig, KeyInit, SetConfig};
use whodis_core::ops::users::{CreateUser, DeleteRow, DeleteUser, UpdateUser};
use whodis_core::ops::{run, Ctx, Permission, Role};
use whodis_core::{Db, Error, Table};

async fn user(db: &Db, email: &str, role: &str) -> User {
    let mut u = User::new(email, role);
    u.save(&mut db.conn().await.unwrap()).await.unwrap();
    u
}

async fn audits(db: &Db) -> Vec<AuditLog> {
    model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
        .await
        .unwrap()
}

/// The newest audit row.
async fn last_audit(db: &Db) -> AuditLog {
    audits(db).await.pop().unwrap()
}

async fn count(db: &Db, t: Table) -> i64 {
    let mut c = db.conn().await.unwrap();
    whodis_core::with_model!(t, M => whodis_core::utilities::count_rows::<M>(&mut c).await.unwrap())
}

/// Every table but the two that record refusals and failures, as JSON.
async fn snapshot(db: &Db) -> String {
    let mut c = db.conn().await.unwrap();
    let mut out = String::new();
    for &t in Table::ALL
        .iter()
        .filter(|t| !matches!(t, Table::AccessAttempts | Table::ErrorLog))
    {
        let rows = whodis_core::with_model!(t, M => {
            let rows: Vec<M> = model::find(&mut c, sea_query::Condition::all()).await.unwrap();
            serde_json::to_string(&rows.iter().map(|r| model::to_dict(r, &[])).collect::<Vec<_>>()).unwrap()
        });
        out.push_str(&rows);
    }
    out
}

async fn get<M: Model>(db: &Db, id: i64) -> Option<M> {
    model::get_by_id(&mut db.conn().await.unwrap(), id)
        .await
        .unwrap()
}

/// Asserts that reverting `audit_id` is refused with an error of `kind` whose message holds
/// `says`, and that nothing changed.
async fn refused(ctx: &Ctx, audit_id: i64, kind: &str, says: &str) -> Error {
    let before = snapshot(&ctx.db).await;
    let err = revert(ctx, audit_id).await.unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    assert!(err.to_string().contains(says), "{err}");
    assert_eq!(
        snapshot(&ctx.db).await,
        before,
        "a refused revert changed nothing"
    );
    let shown = preview(ctx, audit_id).await.unwrap();
    assert!(
        shown.blocked.as_deref().is_some_and(|b| b.contains(says)),
        "the preview says why too: {shown:?}"
    );
    err
}

fn reverts(row: &AuditLog) -> Option<i64> {
    row.additional_data
        .as_ref()
        .and_then(|d| d.get("reverts"))
        .and_then(Json::as_i64)
}

both_backends!(an_update_is_reverted_and_so_is_the_revert, |db| {
    user(&db, "root@corp.test", "admin").await;
    let target = user(&db, "pat@corp.test", "viewer").await;
    let admin = common::ctx(&db, "root@corp.test");
    run(
        &admin,
        UpdateUser {
            id: target.id,
            expected_updated_at: target.updated_at,
            email: None,
            role: Some(Role::Editor),
        },
    )
    .await
    .unwrap();
    let change = last_audit(&db).await;

    let shown = preview(&admin, change.id).await.unwrap();
    assert_eq!(shown.blocked, None);
    assert_eq!(shown.change, Some(RecordedChange::Update));
    assert_eq!(shown.permission, Some(Permission::ManageUsers));
    assert_eq!(shown.table, Some(Table::Users));
    assert_eq!(shown.fields.len(), 1);
    assert_eq!(
        (
            &shown.fields[0].field[..],
            &shown.fields[0].after,
            &shown.fields[0].before
        ),
        ("role", &json!("editor"), &json!("viewer"))
    );

    let done = revert(&admin, change.id).await.unwrap();
    assert_eq!((done.reverts, done.row_id), (change.id, target.id));
    let now: User = get(&db, target.id).await.unwrap();
    assert_eq!(now.role, "viewer");
    let first = last_audit(&db).await;
    assert_eq!(reverts(&first), Some(change.id));
    assert_eq!(
        first.additional_data.as_ref().unwrap()["operation"],
        json!("audit.revert")
    );
    assert_eq!(
        first.additional_data.as_ref().unwrap()["changes"],
        json!({"role": {"before": "editor", "after": "viewer"}})
    );
    assert!(first.message.unwrap().contains(&change.id.to_string()));

    // the same change again: the row is no longer as it left it
    let err = refused(&admin, change.id, "conflict", "role is now 'viewer'").await;
    assert!(
        err.to_string().contains("this change left 'editor'"),
        "{err}"
    );

    // the revert is a change like any other: reverting it makes pat an editor again
    revert(&admin, first.id).await.unwrap();
    let now: User = get(&db, target.id).await.unwrap();
    assert_eq!(now.role, "editor");
    assert_eq!(reverts(&last_audit(&db).await), Some(first.id));
});

both_backends!(
    a_row_changed_since_is_a_conflict_naming_the_difference,
    |db| {
        user(&db, "root@corp.test", "admin").await;
        let target = user(&db, "pat@corp.test", "viewer").await;
        let admin = common::ctx(&db, "root@corp.test");
        let edited = run(
            &admin,
            UpdateUser {
                id: target.id,
                expected_updated_at: target.updated_at,
                email: Some("pat.new@corp.test".into()),
                role: None,
            },
        )
        .await
        .unwrap();
        let change = last_audit(&db).await;
        run(
            &admin,
            UpdateUser {
                id: target.id,
                expected_updated_at: edited.updated_at,
                email: Some("pat.other@corp.test".into()),
                role: None,
            },
        )
        .await
        .unwrap();
        let err = refused(
            &admin,
            change.id,
            "conflict",
            "email is now 'pat.other@corp.test' (this change left 'pat.new@corp.test')",
        )
        .await;
        assert!(err.to_string().contains("User"), "{err}");
        // a failed revert is recorded as one
        let errors: Vec<ErrorLog> =
            model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
                .await
                .unwrap();
        assert!(errors.iter().any(|e| e
            .message
            .as_deref()
            .unwrap_or_default()
            .starts_with("audit.revert failed")));
    }
);

both_backends!(
    a_created_row_is_deleted_and_a_deleted_one_comes_back,
    |db| {
        user(&db, "root@corp.test", "admin").await;
        let admin = common::ctx(&db, "root@corp.test");
        let made = run(
            &admin,
            CreateUser {
                email: "new@corp.test".into(),
                role: Role::Editor,
            },
        )
        .await
        .unwrap();
        let created = last_audit(&db).await;
        assert_eq!(
            preview(&admin, created.id).await.unwrap().change,
            Some(RecordedChange::Create)
        );
        revert(&admin, created.id).await.unwrap();
        assert!(
            get::<User>(&db, made.id).await.is_none(),
            "the created user is gone"
        );
        let undone = last_audit(&db).await;

        // reverting that revert (a delete) brings the user back under the same id
        revert(&admin, undone.id).await.unwrap();
        let back: User = get(&db, made.id).await.unwrap();
        assert_eq!(
            (back.email.as_str(), back.role.as_str()),
            ("new@corp.test", "editor")
        );

        // a delete made with the app
        run(
            &admin,
            DeleteUser(DeleteRow {
                id: back.id,
                expected_updated_at: back.updated_at,
            }),
        )
        .await
        .unwrap();
        let deleted = last_audit(&db).await;
        assert_eq!(
            preview(&admin, deleted.id).await.unwrap().change,
            Some(RecordedChange::Delete)
        );
        revert(&admin, deleted.id).await.unwrap();
        let again: User = get(&db, made.id).await.unwrap();
        assert_eq!(
            (again.email.as_str(), again.role.as_str()),
            ("new@corp.test", "editor")
        );
        // twice is refused: the row is there
        refused(&admin, deleted.id, "conflict", "exists again").await;
        // the row is back as the create left it, so the create may be reverted again
        assert_eq!(preview(&admin, created.id).await.unwrap().blocked, None);
    }
);

both_backends!(mappings_added_and_removed_are_reverted, |db| {
    user(&db, "ed@corp.test", "editor").await;
    let editor = common::ctx(&db, "ed@corp.test");
    let mut c = db.conn().await.unwrap();
    let mut code = JobCode {
        code: "JC-1".into(),
        ..Default::default()
    };
    code.save(&mut c).await.unwrap();
    let mut role = SystemRole {
        role_name: "Payroll".into(),
        ..Default::default()
    };
    role.save(&mut c).await.unwrap();
    drop(c);
    let mapping = run(
        &editor,
        AddMapping {
            job_code_id: code.id,
            system_role_id: role.id,
        },
    )
    .await
    .unwrap();
    let added = last_audit(&db).await;
    assert_eq!(
        preview(&editor, added.id).await.unwrap().permission,
        Some(Permission::EditCompliance)
    );
    revert(&editor, added.id).await.unwrap();
    assert!(get::<JobRoleMapping>(&db, mapping.id).await.is_none());
    assert_eq!(count(&db, Table::JobRoleMappings).await, 0);

    // put back (reverting the revert), then removed with the app, then that removal reverted
    revert(&editor, last_audit(&db).await.id).await.unwrap();
    assert!(get::<JobRoleMapping>(&db, mapping.id).await.is_some());
    run(&editor, RemoveMapping { id: mapping.id })
        .await
        .unwrap();
    let removed = last_audit(&db).await;
    revert(&editor, removed.id).await.unwrap();
    let back: JobRoleMapping = get(&db, mapping.id).await.unwrap();
    assert_eq!((back.job_code_id, back.system_role_id), (code.id, role.id));
    assert_eq!(count(&db, Table::JobRoleMappings).await, 1);
});

fn set(path: &str, value: &str, protection: Protection) -> SetConfig {
    SetConfig {
        path: path.into(),
        value: SecretString::new(value.to_owned()),
        protection,
        expected_updated_at: None,
    }
}

async fn setting(db: &Db, category: &str, key: &str) -> Option<Configuration> {
    Configuration::find(&mut db.conn().await.unwrap(), category, key)
        .await
        .unwrap()
}

both_backends!(plain_configuration_values_are_reverted, |db| {
    user(&db, "root@corp.test", "admin").await;
    let admin = common::ctx(&db, "root@corp.test");
    run(&admin, set("search.max_results", "50", Protection::Auto))
        .await
        .unwrap();
    let created = last_audit(&db).await;
    let written = run(&admin, set("search.max_results", "75", Protection::Auto))
        .await
        .unwrap();
    let changed = last_audit(&db).await;

    revert(&admin, changed.id).await.unwrap();
    let now = setting(&db, "search", "max_results").await.unwrap();
    assert_eq!(now.value_plaintext.as_deref(), Some("50"));
    assert_eq!(now.id, written.id);

    // the value is again what the create wrote, so the create is reverted: the setting goes
    revert(&admin, created.id).await.unwrap();
    assert!(setting(&db, "search", "max_results").await.is_none());

    // a deleted setting comes back
    run(
        &admin,
        set("search.timeout_seconds", "30", Protection::Auto),
    )
    .await
    .unwrap();
    let row = setting(&db, "search", "timeout_seconds").await.unwrap();
    run(
        &admin,
        DeleteConfig {
            id: row.id,
            expected_updated_at: row.updated_at,
        },
    )
    .await
    .unwrap();
    revert(&admin, last_audit(&db).await.id).await.unwrap();
    let back = setting(&db, "search", "timeout_seconds").await.unwrap();
    assert_eq!(
        (back.id, back.value_plaintext.as_deref()),
        (row.id, Some("30"))
    );
    assert!(!back.is_encrypted);
});

const BIND_PASSWORD: &str = "Bind-Pa55-revert-7e1c";

both_backends!(secrets_cannot_be_reverted_from_the_log, |db| {
    user(&db, "root@corp.test", "admin").await;
    let admin = common::ctx(&db, "root@corp.test");
    run(&admin, KeyInit {}).await.unwrap();
    // encrypted: its bytes are [redacted] in the log
    run(
        &admin,
        set("ldap.bind_password", BIND_PASSWORD, Protection::Auto),
    )
    .await
    .unwrap();
    let encrypted = last_audit(&db).await;
    refused(
        &admin,
        encrypted.id,
        "invalid",
        "configuration.value is a secret",
    )
    .await;
    // stored as plaintext under a secret-looking name: its text is [redacted] too
    run(
        &admin,
        set("ldap.bind_password", "other-value-1", Protection::Plain),
    )
    .await
    .unwrap();
    let plain = last_audit(&db).await;
    let err = refused(&admin, plain.id, "invalid", "[redacted]").await;
    assert!(
        err.to_string().contains("cannot be reverted from the log"),
        "{err}"
    );
    // no secret in any log row the refusals wrote
    for t in [Table::AuditLog, Table::ErrorLog, Table::AccessAttempts] {
        let mut c = db.conn().await.unwrap();
        let text = whodis_core::with_model!(t, M => {
            let rows: Vec<M> = model::find(&mut c, sea_query::Condition::all()).await.unwrap();
            serde_json::to_string(&rows.iter().map(|r| model::to_dict(r, &[])).collect::<Vec<_>>()).unwrap()
        });
        assert!(
            !text.contains(BIND_PASSWORD) && !text.contains("other-value-1"),
            "{t:?}"
        );
    }
});

both_backends!(rows_the_server_wrote_are_refused, |db| {
    user(&db, "root@corp.test", "admin").await;
    let admin = common::ctx(&db, "root@corp.test");
    let mut server = AuditLog {
        event_type: Some("admin".into()),
        user_email: Some("root@corp.test".into()),
        user_agent: Some("WhoDis/2.1".into()),
        message: Some("Updated user pat@corp.test".into()),
        success: Some(true),
        additional_data: Some(
            json!({"changes": {"role": {"before": "viewer", "after": "editor"}}}),
        ),
        ..Default::default()
    };
    server.save(&mut db.conn().await.unwrap()).await.unwrap();
    refused(
        &admin,
        server.id,
        "invalid",
        "written by WhoDis/2.1, not by a change made with whodis-admin",
    )
    .await;

    // an app row that changed no single row (a clean-up) says so
    run(
        &admin,
        whodis_core::ops::expiring::CleanupExpired::default(),
    )
    .await
    .unwrap();
    let cleanup = last_audit(&db).await;
    refused(
        &admin,
        cleanup.id,
        "invalid",
        "expiring.cleanup records no field changes of one row",
    )
    .await;

    // an id with no audit row
    assert_eq!(
        revert(&admin, 987_654).await.unwrap_err().kind(),
        "not_found"
    );
});

both_backends!(the_last_admin_cannot_be_reverted_away, |db| {
    let admin_user = whodis_core::ops::users::bootstrap_admin(
        &common::ctx(&db, "root@corp.test"),
        "root@corp.test",
    )
    .await
    .unwrap();
    let admin = common::ctx(&db, "root@corp.test");
    let created = last_audit(&db).await;
    let before = snapshot(&db).await;
    let err = revert(&admin, created.id).await.unwrap_err();
    assert_eq!(err.kind(), "conflict", "{err}");
    assert!(err.to_string().contains("without an admin"), "{err}");
    assert_eq!(snapshot(&db).await, before);
    assert!(get::<User>(&db, admin_user.id).await.is_some());
});

both_backends!(a_viewer_cannot_revert, |db| {
    user(&db, "root@corp.test", "admin").await;
    user(&db, "vi@corp.test", "viewer").await;
    let admin = common::ctx(&db, "root@corp.test");
    let viewer = common::ctx(&db, "vi@corp.test");
    let made = run(
        &admin,
        CreateUser {
            email: "new@corp.test".into(),
            role: Role::Viewer,
        },
    )
    .await
    .unwrap();
    let created = last_audit(&db).await;
    // the viewer may look at what a revert would do, and is told what it needs
    let shown = preview(&viewer, created.id).await.unwrap();
    assert_eq!(shown.permission, Some(Permission::ManageUsers));

    let before = snapshot(&db).await;
    let denials = count(&db, Table::AccessAttempts).await;
    let err = revert(&viewer, created.id).await.unwrap_err();
    assert_eq!(err.kind(), "forbidden", "{err}");
    assert!(err.to_string().contains("requires the admin role"), "{err}");
    assert_eq!(snapshot(&db).await, before);
    assert!(get::<User>(&db, made.id).await.is_some());
    assert_eq!(count(&db, Table::AccessAttempts).await, denials + 1);
    let denial: Vec<AccessAttempt> =
        model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
            .await
            .unwrap();
    let denial = denial.last().unwrap();
    assert_eq!(denial.resource.as_deref(), Some("audit.revert"));
    assert_eq!(denial.required_role.as_deref(), Some("admin"));
    assert_eq!(denial.user_email.as_deref(), Some("vi@corp.test"));
});
