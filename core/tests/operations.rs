//! Operators, permissions and the audit trail (every write goes through `ops::run`), on both
//! backends: the role × operation matrix, the audit row's transaction, redaction, the last
//! admin, and concurrent edits.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use serde_json::{json, Value as Json};
use whodis_core::config::Protection;
use whodis_core::crypto::{SecretString, WriteFormat};
use whodis_core::model::{self, Model};
use whodis_core::models::*;
use whodis_core::ops::compliance::{AddMapping, RemoveMapping};
use whodis_core::ops::directory::{GenesysKind, ImportGenesys, SetPhoto, UpdateProfile};
use whodis_core::ops::expiring::{CleanupExpired, DeleteExpiring, ExpiringTable, ExtendExpiration};
use whodis_core::ops::export::{export_rows, ExportFormat, ExportRows};
use whodis_core::ops::settings::*;
use whodis_core::ops::users::{CreateUser, DeleteRow, DeleteUser, UpdateUser};
use whodis_core::ops::{self, run, Ctx, Role, UnknownOperator};
use whodis_core::time::now;
use whodis_core::{Db, Error, Table};

const BIND_PASSWORD: &str = "Bind-Pa55-9f3e2a7c";
const PLAIN_SECRET: &str = "ClientSecret-71b0d4e6";
const API_TOKEN: &str = "eyJhbGciOi.token-4c1d9e";

/// Every table's rows as JSON: "nothing changed" means this is equal before and after.
async fn snapshot(db: &Db, skip: &[Table]) -> String {
    let mut c = db.conn().await.unwrap();
    let mut out = String::new();
    for &t in Table::ALL.iter().filter(|t| !skip.contains(t)) {
        let rows = whodis_core::with_model!(t, M => {
            let rows: Vec<M> = model::find(&mut c, sea_query::Condition::all()).await.unwrap();
            serde_json::to_string(&rows.iter().map(|r| model::to_dict(r, &[])).collect::<Vec<_>>()).unwrap()
        });
        out.push_str(&rows);
    }
    out
}

async fn count(db: &Db, t: Table) -> i64 {
    let mut c = db.conn().await.unwrap();
    whodis_core::with_model!(t, M => whodis_core::utilities::count_rows::<M>(&mut c).await.unwrap())
}

async fn last_audit(db: &Db) -> AuditLog {
    let rows: Vec<AuditLog> =
        model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
            .await
            .unwrap();
    rows.last().cloned().unwrap()
}

async fn user(db: &Db, email: &str, role: &str) -> User {
    let mut u = User::new(email, role);
    u.save(&mut db.conn().await.unwrap()).await.unwrap();
    u
}

/// Rows one role's cases act on, made fresh for each role.
struct Fixture {
    users: [User; 2],
    profile: EmployeeProfile,
    session: Session,
    cache: [SearchCache; 2],
    token: ApiToken,
    code: JobCode,
    roles: [SystemRole; 2],
    mapping: JobRoleMapping,
    tag: String,
}

async fn fixture(db: &Db, tag: &str) -> Fixture {
    let mut c = db.conn().await.unwrap();
    let later = now() + chrono::TimeDelta::hours(1);
    let mut profile = EmployeeProfile {
        email: format!("emp-{tag}@corp.test"),
        ..Default::default()
    };
    profile.save(&mut c).await.unwrap();
    let mut session = Session {
        session_id: format!("s-{tag}"),
        user_email: format!("emp-{tag}@corp.test"),
        expires_at: later,
        ..Default::default()
    };
    session.fill_defaults();
    session.save(&mut c).await.unwrap();
    let mut cache = [SearchCache::default(), SearchCache::default()];
    for (i, e) in cache.iter_mut().enumerate() {
        e.search_query = format!("q-{tag}-{i}");
        e.expires_at = later;
        e.save(&mut c).await.unwrap();
    }
    let token = ApiToken::upsert_token(&mut c, &format!("svc-{tag}"), API_TOKEN, 3600, "Bearer")
        .await
        .unwrap();
    let mut code = JobCode {
        code: format!("JC-{tag}"),
        ..Default::default()
    };
    code.save(&mut c).await.unwrap();
    let mut roles = [SystemRole::default(), SystemRole::default()];
    for (i, r) in roles.iter_mut().enumerate() {
        r.role_name = format!("Role-{tag}-{i}");
        r.save(&mut c).await.unwrap();
    }
    let mut mapping = JobRoleMapping {
        job_code_id: code.id,
        system_role_id: roles[0].id,
        ..Default::default()
    };
    mapping.save(&mut c).await.unwrap();
    Fixture {
        users: [
            user(db, &format!("u1-{tag}@corp.test"), "viewer").await,
            user(db, &format!("u2-{tag}@corp.test"), "editor").await,
        ],
        profile,
        session,
        cache,
        token,
        code,
        roles,
        mapping,
        tag: tag.to_owned(),
    }
}

/// Runs case `i` of the matrix; returns its operation name and the outcome.
async fn case(ctx: &Ctx, f: &Fixture, i: usize) -> Option<(&'static str, Result<(), Error>)> {
    fn done<T>(
        name: &'static str,
        r: Result<T, Error>,
    ) -> Option<(&'static str, Result<(), Error>)> {
        Some((name, r.map(|_| ())))
    }
    let t = &f.tag;
    let png = whodis_core::demo::avatar_png("Test Person", 32).unwrap();
    match i {
        0 => done(
            "users.create",
            run(
                ctx,
                CreateUser {
                    email: format!("new-{t}@corp.test"),
                    role: Role::Viewer,
                },
            )
            .await,
        ),
        1 => done(
            "users.update",
            run(
                ctx,
                UpdateUser {
                    id: f.users[0].id,
                    expected_updated_at: f.users[0].updated_at,
                    email: None,
                    role: Some(Role::Editor),
                },
            )
            .await,
        ),
        2 => done(
            "users.delete",
            run(
                ctx,
                DeleteUser(DeleteRow {
                    id: f.users[1].id,
                    expected_updated_at: f.users[1].updated_at,
                }),
            )
            .await,
        ),
        3 => done(
            "profiles.update",
            run(
                ctx,
                UpdateProfile {
                    id: f.profile.id,
                    expected_updated_at: f.profile.updated_at,
                    based_on: f.profile.keystone_data.clone(),
                    keystone_data: Some(json!({"job_code": f.code.code})),
                },
            )
            .await,
        ),
        4 => {
            // the profile may have been updated by case 3: read its current version
            let p: EmployeeProfile =
                model::require(&mut ctx.db.conn().await.unwrap(), f.profile.id)
                    .await
                    .unwrap();
            done(
                "profiles.photo",
                run(
                    ctx,
                    SetPhoto {
                        id: p.id,
                        expected_updated_at: p.updated_at,
                        photo: Some(png),
                    },
                )
                .await,
            )
        }
        5 => done(
            "expiring.extend",
            run(
                ctx,
                ExtendExpiration {
                    table: ExpiringTable::Sessions,
                    id: f.session.id,
                    expected_updated_at: f.session.updated_at,
                    seconds: 60,
                },
            )
            .await,
        ),
        6 => done(
            "expiring.extend",
            run(
                ctx,
                ExtendExpiration {
                    table: ExpiringTable::SearchCache,
                    id: f.cache[0].id,
                    expected_updated_at: f.cache[0].updated_at,
                    seconds: 60,
                },
            )
            .await,
        ),
        7 => done(
            "expiring.delete",
            run(
                ctx,
                DeleteExpiring {
                    table: ExpiringTable::ApiTokens,
                    id: f.token.id,
                    expected_updated_at: f.token.updated_at,
                },
            )
            .await,
        ),
        8 => done(
            "expiring.delete",
            run(
                ctx,
                DeleteExpiring {
                    table: ExpiringTable::SearchCache,
                    id: f.cache[1].id,
                    expected_updated_at: f.cache[1].updated_at,
                },
            )
            .await,
        ),
        9 => done("expiring.cleanup", run(ctx, CleanupExpired {}).await),
        10 => done(
            "genesys.import",
            run(
                ctx,
                ImportGenesys {
                    kind: GenesysKind::Groups,
                    service_name: "genesys".into(),
                    items: vec![json!({"id": format!("g-{t}"), "name": "Team", "state": "active"})],
                },
            )
            .await,
        ),
        11 => done(
            "compliance.add_mapping",
            run(
                ctx,
                AddMapping {
                    job_code_id: f.code.id,
                    system_role_id: f.roles[1].id,
                },
            )
            .await,
        ),
        12 => done(
            "compliance.remove_mapping",
            run(ctx, RemoveMapping { id: f.mapping.id }).await,
        ),
        13 => done("keys.init", run(ctx, KeyInit {}).await),
        14 => done(
            "config.set",
            run(
                ctx,
                SetConfig {
                    path: format!("ldap{t}.bind_password"),
                    value: SecretString::new(BIND_PASSWORD.into()),
                    protection: Protection::Auto,
                    expected_updated_at: None,
                },
            )
            .await,
        ),
        15 => done(
            "config.reveal",
            run(
                ctx,
                RevealConfig {
                    path: format!("ldap{t}.bind_password"),
                },
            )
            .await,
        ),
        16 => done("keys.export", run(ctx, KeyExport { fernet: false }).await),
        17 => done(
            "keys.rotate",
            run(
                ctx,
                KeyRotate {
                    progress: Box::new(|_, _| Ok(())),
                },
            )
            .await,
        ),
        18 => done(
            "keys.write_format",
            run(
                ctx,
                SetWriteFormat {
                    format: WriteFormat::Envelope,
                },
            )
            .await,
        ),
        19 => {
            let c: Option<Configuration> = Configuration::find(
                &mut ctx.db.conn().await.unwrap(),
                &format!("ldap{t}"),
                "bind_password",
            )
            .await
            .unwrap();
            done(
                "config.protect",
                run(
                    ctx,
                    ProtectConfig {
                        path: format!("ldap{t}.bind_password"),
                        encrypt: false,
                        expected_updated_at: c.map_or_else(|| Some(now()), |c| c.updated_at),
                    },
                )
                .await,
            )
        }
        20 => {
            let c: Option<Configuration> = Configuration::find(
                &mut ctx.db.conn().await.unwrap(),
                &format!("ldap{t}"),
                "bind_password",
            )
            .await
            .unwrap();
            let (id, at) = c
                .map(|c| (c.id, c.updated_at))
                .unwrap_or((i64::MAX, Some(now())));
            done(
                "config.delete",
                run(
                    ctx,
                    DeleteConfig {
                        id,
                        expected_updated_at: at,
                    },
                )
                .await,
            )
        }
        21 => {
            let dir = tempfile::tempdir().unwrap();
            let req = ExportRows {
                table: Table::Users,
                query: Default::default(),
                format: ExportFormat::Csv,
                path: dir.path().join("users.csv").display().to_string(),
            };
            done("rows.export", export_rows(ctx, req, |_| Ok(())).await)
        }
        _ => None,
    }
}

/// The weakest role allowed each case, written out here rather than read from the code under
/// test. `None` = read-only access suffices (none of the cases).
const REQUIRED: [Role; 22] = [
    Role::Admin,  // users.create
    Role::Admin,  // users.update
    Role::Admin,  // users.delete
    Role::Editor, // profiles.update
    Role::Editor, // profiles.photo
    Role::Admin,  // extend a session
    Role::Editor, // extend a cache entry
    Role::Admin,  // revoke a token
    Role::Editor, // delete a cache entry
    Role::Admin,  // cleanup expired
    Role::Editor, // genesys import
    Role::Editor, // add mapping
    Role::Editor, // remove mapping
    Role::Admin,  // keys.init
    Role::Admin,  // config.set
    Role::Admin,  // config.reveal
    Role::Admin,  // keys.export
    Role::Admin,  // keys.rotate
    Role::Admin,  // keys.write_format
    Role::Admin,  // config.protect
    Role::Admin,  // config.delete
    Role::Viewer, // rows.export
];

both_backends!(every_operation_is_allowed_or_refused_by_role, |db| {
    // the admin under test is not the only admin, so demotions elsewhere never trip the guard
    user(&db, "root@corp.test", "admin").await;
    let keystore = common::mock_keystore();
    let label = whodis_core::DbUrl::parse("sqlite:///matrix.db").unwrap();
    // weakest first: refusals run before the admin's key init changes the keyring
    let operators: [(&str, Option<Role>); 4] = [
        ("stranger@corp.test", None),
        ("viewer@corp.test", Some(Role::Viewer)),
        ("editor@corp.test", Some(Role::Editor)),
        ("admin@corp.test", Some(Role::Admin)),
    ];
    let mut checked = 0;
    for (n, (email, role)) in operators.iter().enumerate() {
        if let Some(r) = role {
            user(&db, email, r.as_str()).await;
        }
        let ctx = Ctx::new(db.clone(), label.clone(), *email, ops::Client::new("test"))
            .with_keystore(Ok(Arc::clone(&keystore)));
        let f = fixture(&db, &format!("r{n}")).await;
        for (i, required) in REQUIRED.iter().enumerate() {
            let before = snapshot(&db, &[Table::AccessAttempts]).await;
            let (audits, denials) = (
                count(&db, Table::AuditLog).await,
                count(&db, Table::AccessAttempts).await,
            );
            let Some((name, outcome)) = case(&ctx, &f, i).await else {
                panic!("REQUIRED lists more operations than case() runs");
            };
            // an unknown operator's connection is read-only: viewer-level operations pass
            let allowed = role.map_or(*required == Role::Viewer, |r| r >= *required);
            if allowed {
                assert!(outcome.is_ok(), "{email} {name}: {outcome:?}");
                assert_eq!(
                    count(&db, Table::AuditLog).await,
                    audits + 1,
                    "{name}: one audit row"
                );
                let audit = last_audit(&db).await;
                assert_eq!(audit.user_email.as_deref(), Some(*email));
                assert_eq!(audit.get_data_str("operation"), Some(name));
                assert!(audit
                    .user_agent
                    .unwrap()
                    .starts_with(ops::USER_AGENT_PREFIX));
                assert_eq!(
                    audit.session_id.as_deref(),
                    Some(ctx.client.session_id.as_str())
                );
                let event = if name.starts_with("config") || name.starts_with("keys") {
                    "config"
                } else {
                    "admin"
                };
                assert_eq!(audit.event_type.as_deref(), Some(event), "{name}");
                assert_eq!(count(&db, Table::AccessAttempts).await, denials);
            } else {
                let err = outcome.unwrap_err();
                assert_eq!(err.kind(), "forbidden", "{email} {name}: {err}");
                assert_eq!(
                    snapshot(&db, &[Table::AccessAttempts]).await,
                    before,
                    "{email} {name} changed data"
                );
                assert_eq!(count(&db, Table::AccessAttempts).await, denials + 1);
                let denial: Vec<AccessAttempt> =
                    model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
                        .await
                        .unwrap();
                let denial = denial.last().unwrap();
                assert_eq!(denial.resource.as_deref(), Some(name));
                assert_eq!(denial.required_role.as_deref(), Some(required.as_str()));
                assert_eq!(
                    denial.user_role.as_deref(),
                    Some(role.map_or("unknown", Role::as_str))
                );
                assert_eq!(denial.user_email.as_deref(), Some(*email));
                assert_eq!(denial.success, Some(false));
            }
            checked += 1;
        }
        assert!(
            case(&ctx, &f, REQUIRED.len()).await.is_none(),
            "case() runs an operation REQUIRED does not list"
        );
    }
    assert_eq!(checked, 4 * REQUIRED.len());
});

trait DataStr {
    fn get_data_str(&self, key: &str) -> Option<&str>;
}
impl DataStr for AuditLog {
    fn get_data_str(&self, key: &str) -> Option<&str> {
        whodis_core::model::JsonData::get_data(self, key).and_then(Json::as_str)
    }
}

both_backends!(a_change_and_its_audit_row_commit_together, |db| {
    user(&db, "root@corp.test", "admin").await;
    let target = user(&db, "target@corp.test", "viewer").await;
    let ctx = common::ctx(&db, "root@corp.test").with_fault(fail_before_commit("users.update"));
    let audits = count(&db, Table::AuditLog).await;
    let err = run(
        &ctx,
        UpdateUser {
            id: target.id,
            expected_updated_at: target.updated_at,
            email: None,
            role: Some(Role::Admin),
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    let now_row: User = model::require(&mut db.conn().await.unwrap(), target.id)
        .await
        .unwrap();
    assert_eq!(now_row, target, "the change rolled back");
    assert_eq!(
        count(&db, Table::AuditLog).await,
        audits,
        "the audit row rolled back with it"
    );
    // the failure itself is on record
    let errors: Vec<ErrorLog> =
        model::find(&mut db.conn().await.unwrap(), sea_query::Condition::all())
            .await
            .unwrap();
    let e = errors.last().unwrap();
    assert_eq!(e.error_type.as_deref(), Some("database"));
    assert_eq!(e.user_email.as_deref(), Some("root@corp.test"));
    assert!(e
        .message
        .as_deref()
        .unwrap()
        .starts_with("users.update failed"));
    assert!(e.stack_trace.is_none());

    // without the fault the same operation commits both
    let ok_ctx = common::ctx(&db, "root@corp.test");
    let changed = run(
        &ok_ctx,
        UpdateUser {
            id: target.id,
            expected_updated_at: target.updated_at,
            email: None,
            role: Some(Role::Editor),
        },
    )
    .await
    .unwrap();
    assert_eq!(changed.role, "editor");
    let audit = last_audit(&db).await;
    assert_eq!(
        audit.additional_data.unwrap()["changes"],
        json!({"role": {"before": "viewer", "after": "editor"}})
    );
    assert_eq!(
        audit.message.as_deref(),
        Some("Changed the role of target@corp.test from viewer to editor")
    );
});

both_backends!(the_last_admin_can_be_neither_demoted_nor_deleted, |db| {
    let only = user(&db, "only@corp.test", "admin").await;
    let ctx = common::ctx(&db, "only@corp.test");
    let err = run(
        &ctx,
        UpdateUser {
            id: only.id,
            expected_updated_at: only.updated_at,
            email: None,
            role: Some(Role::Viewer),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        ("conflict", Some("role")),
        "{err}"
    );
    assert!(err.to_string().contains("last admin"));
    let err = run(
        &ctx,
        DeleteUser(DeleteRow {
            id: only.id,
            expected_updated_at: only.updated_at,
        }),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("last admin"), "{err}");
    let still: User = model::require(&mut db.conn().await.unwrap(), only.id)
        .await
        .unwrap();
    assert_eq!(still.role, "admin");
    // with a second admin, demoting oneself works, and takes effect at once
    user(&db, "second@corp.test", "admin").await;
    run(
        &ctx,
        UpdateUser {
            id: only.id,
            expected_updated_at: only.updated_at,
            email: None,
            role: Some(Role::Viewer),
        },
    )
    .await
    .unwrap();
    let err = run(
        &ctx,
        CreateUser {
            email: "x@corp.test".into(),
            role: Role::Viewer,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "forbidden");
});

both_backends!(
    a_concurrent_edit_is_a_conflict_and_overwrites_nothing,
    |db| {
        user(&db, "a@corp.test", "admin").await;
        user(&db, "b@corp.test", "admin").await;
        let target = user(&db, "t@corp.test", "viewer").await;
        let (alice, bob) = (
            common::ctx(&db, "a@corp.test"),
            common::ctx(&db, "b@corp.test"),
        );
        // both read `target`; Bob saves first
        run(
            &bob,
            UpdateUser {
                id: target.id,
                expected_updated_at: target.updated_at,
                email: None,
                role: Some(Role::Editor),
            },
        )
        .await
        .unwrap();
        let err = run(
            &alice,
            UpdateUser {
                id: target.id,
                expected_updated_at: target.updated_at,
                email: None,
                role: Some(Role::Admin),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), "conflict");
        assert!(err.to_string().contains("changed by someone else"), "{err}");
        let now_row: User = model::require(&mut db.conn().await.unwrap(), target.id)
            .await
            .unwrap();
        assert_eq!(now_row.role, "editor", "Bob's change stands");
        let err = run(
            &alice,
            DeleteUser(DeleteRow {
                id: target.id,
                expected_updated_at: target.updated_at,
            }),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), "conflict");
        assert_eq!(count(&db, Table::Users).await, 3);
        // the guard is in the statement too: a stale version never matches
        let mut stale = now_row.clone();
        stale.role = "admin".into();
        let err =
            model::save_if_unchanged(&mut db.conn().await.unwrap(), &mut stale, target.updated_at)
                .await
                .unwrap_err();
        assert_eq!(err.kind(), "conflict");
    }
);

both_backends!(unknown_operators_are_read_only_or_refused, |db| {
    user(&db, "root@corp.test", "admin").await;
    let ro = common::ctx(&db, "nobody@corp.test");
    let info = ops::session_info(&ro).await.unwrap();
    assert_eq!(info.operator.role, None);
    assert!(info.read_only_reason.unwrap().contains("not a user"));
    assert!(ops::list(&ro, Table::Users, &Default::default())
        .await
        .is_ok());
    assert_eq!(
        run(
            &ro,
            CreateUser {
                email: "x@corp.test".into(),
                role: Role::Viewer
            }
        )
        .await
        .unwrap_err()
        .kind(),
        "forbidden"
    );
    let strict =
        common::ctx(&db, "nobody@corp.test").with_unknown_operator(UnknownOperator::Refuse);
    assert_eq!(
        ops::list(&strict, Table::Users, &Default::default())
            .await
            .unwrap_err()
            .kind(),
        "forbidden"
    );
    // emails match regardless of case
    let admin = common::ctx(&db, "ROOT@corp.test");
    assert_eq!(
        ops::session_info(&admin).await.unwrap().operator.role,
        Some(Role::Admin)
    );
});

both_backends!(no_secret_reaches_any_audit_access_or_error_row, |db| {
    user(&db, "root@corp.test", "admin").await;
    user(&db, "peek@corp.test", "viewer").await;
    let admin = common::ctx(&db, "root@corp.test");
    let viewer = common::ctx(&db, "peek@corp.test");
    let mut c = db.conn().await.unwrap();
    let token = ApiToken::upsert_token(&mut c, "graph", API_TOKEN, 60, "Bearer")
        .await
        .unwrap();
    drop(c);

    run(&admin, KeyInit {}).await.unwrap();
    let set = |path: &str, value: &str, protection| SetConfig {
        path: path.into(),
        value: SecretString::new(value.into()),
        protection,
        expected_updated_at: None,
    };
    run(
        &admin,
        set("ldap.bind_password", BIND_PASSWORD, Protection::Auto),
    )
    .await
    .unwrap();
    run(
        &admin,
        set("graph.client_secret", PLAIN_SECRET, Protection::Plain),
    )
    .await
    .unwrap();
    run(
        &admin,
        set("graph.client_secret", BIND_PASSWORD, Protection::Plain),
    )
    .await
    .unwrap();
    run(&admin, set("ldap.host", "ldap.corp.test", Protection::Auto))
        .await
        .unwrap();
    // in place: the plaintext secret gets encrypted, and back again, without leaving the backend
    for encrypt in [true, false, true] {
        let row = Configuration::find(&mut db.conn().await.unwrap(), "graph", "client_secret")
            .await
            .unwrap()
            .unwrap();
        let done = run(
            &admin,
            ProtectConfig {
                path: "graph.client_secret".into(),
                encrypt,
                expected_updated_at: row.updated_at,
            },
        )
        .await
        .unwrap();
        assert_eq!(done.is_encrypted, encrypt);
    }
    let shown = run(
        &admin,
        RevealConfig {
            path: "ldap.bind_password".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        shown.unwrap().expose(),
        BIND_PASSWORD,
        "an explicit reveal shows the value"
    );
    assert_eq!(
        run(
            &viewer,
            RevealConfig {
                path: "ldap.bind_password".into()
            }
        )
        .await
        .unwrap_err()
        .kind(),
        "forbidden"
    );
    assert!(run(&admin, set("no-dot", BIND_PASSWORD, Protection::Auto))
        .await
        .is_err());
    let recovery = run(&admin, KeyExport { fernet: false }).await.unwrap();
    assert!(run(
        &admin,
        KeyImport {
            recovery: SecretString::new(format!("{}x", recovery.expose()))
        }
    )
    .await
    .is_err());
    run(
        &admin,
        KeyRotate {
            progress: Box::new(|_, _| Ok(())),
        },
    )
    .await
    .unwrap();
    let token = ApiToken::get_by_id(&mut db.conn().await.unwrap(), token.id)
        .await
        .unwrap()
        .unwrap();
    run(
        &admin,
        ExtendExpiration {
            table: ExpiringTable::ApiTokens,
            id: token.id,
            expected_updated_at: token.updated_at,
            seconds: 60,
        },
    )
    .await
    .unwrap();
    let token = ApiToken::get_by_id(&mut db.conn().await.unwrap(), token.id)
        .await
        .unwrap()
        .unwrap();
    run(
        &admin,
        DeleteExpiring {
            table: ExpiringTable::ApiTokens,
            id: token.id,
            expected_updated_at: token.updated_at,
        },
    )
    .await
    .unwrap();
    let cfg = Configuration::find(&mut db.conn().await.unwrap(), "graph", "client_secret")
        .await
        .unwrap()
        .unwrap();
    run(
        &admin,
        DeleteConfig {
            id: cfg.id,
            expected_updated_at: cfg.updated_at,
        },
    )
    .await
    .unwrap();

    // everything in the three log tables, nothing else
    let data: Vec<Table> = Table::ALL
        .iter()
        .copied()
        .filter(|t| !matches!(t, Table::AuditLog | Table::AccessAttempts | Table::ErrorLog))
        .collect();
    let logs = snapshot(&db, &data).await;
    assert!(
        count(&db, Table::AuditLog).await >= 10
            && count(&db, Table::AccessAttempts).await == 1
            && count(&db, Table::ErrorLog).await == 2
    );
    for secret in [
        BIND_PASSWORD,
        PLAIN_SECRET,
        API_TOKEN,
        recovery.expose(),
        &recovery.expose()[12..32],
    ] {
        assert!(!logs.contains(secret), "a secret reached the logs");
    }
    // the diffs name what changed, with the values redacted
    assert!(
        logs.contains(r#""value_plaintext":{"after":"[redacted]","before":"[redacted]"}"#)
            || logs.contains(r#""value_plaintext":{"before":"[redacted]","after":"[redacted]"}"#),
        "{logs}"
    );
    assert!(logs.contains("Revealed ldap.bind_password"));
});

/// A keyring that is there but locked: every read refuses, as a locked Secret Service does.
struct LockedKeyring;

impl whodis_core::crypto::KeyStore for LockedKeyring {
    fn get(&self, _: &str) -> whodis_core::Result<Option<whodis_core::crypto::SecretBytes>> {
        Err(Error::Keyring("the OS keyring is locked".into()))
    }
    fn set(&self, _: &str, _: &whodis_core::crypto::SecretBytes) -> whodis_core::Result<()> {
        Err(Error::Keyring("the OS keyring is locked".into()))
    }
    fn delete(&self, _: &str) -> whodis_core::Result<()> {
        Err(Error::Keyring("the OS keyring is locked".into()))
    }
}

both_backends!(a_locked_keyring_is_reported_and_only_secrets_wait, |db| {
    user(&db, "admin@corp.test", "admin").await;
    let label = whodis_core::DbUrl::parse("sqlite:///locked.db").unwrap();
    let ctx = Ctx::new(
        db.clone(),
        label,
        "admin@corp.test",
        ops::Client::new("test"),
    )
    .with_keystore(Ok(Arc::new(LockedKeyring)));
    let info = ops::session_info(&ctx).await.unwrap();
    assert!(
        info.keyring_problem
            .as_deref()
            .unwrap_or_default()
            .contains("locked"),
        "{info:?}"
    );
    // everything else goes on: reading, and plaintext settings
    ops::list(&ctx, Table::Users, &Default::default())
        .await
        .unwrap();
    run(
        &ctx,
        SetConfig {
            path: "ldap.host".into(),
            value: SecretString::new("ldap.corp".into()),
            protection: Protection::Auto,
            expected_updated_at: None,
        },
    )
    .await
    .unwrap();
    // a secret cannot be written without the key: a keyring error, and nothing stored
    let before = count(&db, Table::Configuration).await;
    let err = run(
        &ctx,
        SetConfig {
            path: "ldap.bind_password".into(),
            value: SecretString::new(BIND_PASSWORD.into()),
            protection: Protection::Auto,
            expected_updated_at: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), "keyring", "{err}");
    assert!(err.to_string().contains("locked"), "{err}");
    assert_eq!(count(&db, Table::Configuration).await, before);
});

both_backends!(an_export_writes_every_matching_row_or_nothing, |db| {
    user(&db, "admin@corp.test", "admin").await;
    let mut tx = db.begin().await.unwrap();
    for i in 0..620 {
        User {
            email: format!("bulk{i:04}@corp.test"),
            role: "viewer".into(),
            ..Default::default()
        }
        .save(&mut tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let ctx = common::ctx(&db, "admin@corp.test");
    let dir = tempfile::tempdir().unwrap();
    let query: whodis_core::list::ListQuery = serde_json::from_value(
        json!({"filters": [{"column": "role", "op": "eq", "value": "viewer"}]}),
    )
    .unwrap();
    let req = |format, name: &str| ExportRows {
        table: Table::Users,
        query: query.clone(),
        format,
        path: dir.path().join(name).display().to_string(),
    };
    let audits = count(&db, Table::AuditLog).await;

    // more than one page (500), every row once
    let mut seen = Vec::new();
    let csv = export_rows(&ctx, req(ExportFormat::Csv, "u.csv"), |n| {
        seen.push(n);
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!((csv.rows, seen), (620, vec![500, 620]));
    let text = std::fs::read_to_string(dir.path().join("u.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 621);
    assert!(lines[0].starts_with("id,email,role"), "{}", lines[0]);
    let emails: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(emails.len(), 620);

    let js = export_rows(&ctx, req(ExportFormat::Json, "u.json"), |_| Ok(()))
        .await
        .unwrap();
    let parsed: Vec<Json> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("u.json")).unwrap()).unwrap();
    assert_eq!((js.rows, parsed.len()), (620, 620));
    assert_eq!(count(&db, Table::AuditLog).await, audits + 2);

    // cancelled after the first page: no file, no partial file, no audit row
    let err = export_rows(&ctx, req(ExportFormat::Csv, "cancelled.csv"), |n| {
        if n >= 500 {
            Err(Error::invalid("export", "cancelled"))
        } else {
            Ok(())
        }
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("cancelled"));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("cancelled"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(count(&db, Table::AuditLog).await, audits + 2);

    // an export whose audit row cannot be written leaves no file behind
    let failing = common::ctx(&db, "admin@corp.test").with_fault(fail_before_commit("rows.export"));
    let err = export_rows(&failing, req(ExportFormat::Csv, "unrecorded.csv"), |_| {
        Ok(())
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    assert!(
        !dir.path().join("unrecorded.csv").exists(),
        "no export without its record"
    );
    assert!(!dir.path().join("unrecorded.csv.partial").exists());
    assert_eq!(count(&db, Table::AuditLog).await, audits + 2);
});

/// A fault hook that fails `operation` after its audit row is written, before the commit.
fn fail_before_commit(operation: &'static str) -> whodis_core::ops::FaultHook {
    Arc::new(move |op: &str| {
        if op == operation {
            Err(Error::Database {
                kind: whodis_core::error::DbErrorKind::Connection,
                message: "injected failure before commit".into(),
            })
        } else {
            Ok(())
        }
    })
}

both_backends!(
    a_key_change_that_cannot_be_recorded_leaves_the_keyring_as_it_was,
    |db| {
        user(&db, "root@corp.test", "admin").await;

        // keys.init: the new key is taken out again
        let ctx = common::ctx(&db, "root@corp.test").with_fault(fail_before_commit("keys.init"));
        let err = run(&ctx, KeyInit {}).await.unwrap_err();
        assert!(err.to_string().contains("injected"), "{err}");
        let keys = ctx.keys().unwrap();
        assert!(keys.store.get(&keys.entry).unwrap().is_none());

        // keys.import: the key it stored is taken out again
        let ctx = common::ctx(&db, "root@corp.test").with_fault(fail_before_commit("keys.import"));
        let keys = ctx.keys().unwrap();
        let other = common::ctx(&db, "root@corp.test");
        run(&other, KeyInit {}).await.unwrap();
        let recovery = run(&other, KeyExport { fernet: false }).await.unwrap();
        let err = run(&ctx, KeyImport { recovery }).await.unwrap_err();
        assert!(err.to_string().contains("injected"), "{err}");
        assert!(keys.store.get(&keys.entry).unwrap().is_none());
        assert!(keys
            .store
            .get(&format!("{}.fernet", keys.entry))
            .unwrap()
            .is_none());

        // a refused init (this database already has a key) leaves that key in place
        let kept = stored_data_key(&other);
        assert!(run(&other, KeyInit {}).await.is_err());
        assert_eq!(stored_data_key(&other), kept);

        // without the fault the import is kept
        let recovery = run(&other, KeyExport { fernet: false }).await.unwrap();
        let plain = common::ctx(&db, "root@corp.test");
        run(&plain, KeyImport { recovery }).await.unwrap();
        let imported = plain.keys().unwrap();
        let other_keys = other.keys().unwrap();
        assert_eq!(
            imported
                .store
                .get(&imported.entry)
                .unwrap()
                .unwrap()
                .expose(),
            other_keys
                .store
                .get(&other_keys.entry)
                .unwrap()
                .unwrap()
                .expose()
        );
    }
);

/// The data key `ctx`'s keyring holds for its database, as bytes.
fn stored_data_key(ctx: &Ctx) -> Vec<u8> {
    let keys = ctx.keys().unwrap();
    keys.store
        .get(&keys.entry)
        .unwrap()
        .unwrap()
        .expose()
        .to_vec()
}
