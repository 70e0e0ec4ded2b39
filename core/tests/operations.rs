//! Operators, permissions and the audit trail (every write goes through `ops::run`), on both
//! backends: the role × operation matrix, the audit row's transaction, redaction, the last
//! admin, and concurrent edits.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use serde_json::{json, Value as Json};
use whodis_core::config::Protection;
use whodis_core::crypto::{RecoveryKey, SecretString, WriteFormat};
use whodis_core::model::{self, Model};
use whodis_core::models::*;
use whodis_core::ops::compliance::{AddMapping, AssignRole, RemoveMapping, UnassignRole};
use whodis_core::ops::directory::{GenesysKind, ImportGenesys, SetPhoto, UpdateProfile};
use whodis_core::ops::expiring::{CleanupExpired, DeleteExpiring, ExpiringTable, ExtendExpiration};
use whodis_core::ops::export::{export_rows, ExportFormat, ExportRows};
use whodis_core::ops::settings::*;
use whodis_core::ops::users::{CreateUser, DeleteRow, DeleteUser, UpdateUser};
use whodis_core::ops::{self, run, Ctx, Role, UnknownOperator};
use whodis_core::time::now;
use whodis_core::{Db, Error, Table};

use chrono::TimeDelta;
use sea_query::{Alias, Condition, Expr};

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
    /// Already expired: what `expiring.cleanup` must remove.
    expired: SearchCache,
    token: ApiToken,
    code: JobCode,
    roles: [SystemRole; 2],
    mapping: JobRoleMapping,
    /// The profile's employee holds `roles[0]`.
    held: EmployeeRoleAssignment,
    /// A mapping an admin of the fixture added through the app, and the audit row of that
    /// change (what `audit.revert` reverts).
    added: (JobRoleMapping, i64),
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
    let mut expired = SearchCache {
        search_query: format!("q-{tag}-expired"),
        expires_at: now() - chrono::TimeDelta::hours(1),
        ..Default::default()
    };
    expired.save(&mut c).await.unwrap();
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
    let mut held = EmployeeRoleAssignment {
        employee_email: profile.email.clone(),
        system_role_id: roles[0].id,
        ..Default::default()
    };
    held.save(&mut c).await.unwrap();
    let mut third = SystemRole {
        role_name: format!("Role-{tag}-added"),
        ..Default::default()
    };
    third.save(&mut c).await.unwrap();
    let root = format!("root-{tag}@corp.test");
    user(db, &root, "admin").await;
    let added = run(
        &common::ctx(db, &root),
        AddMapping {
            job_code_id: code.id,
            system_role_id: third.id,
        },
    )
    .await
    .unwrap();
    let added = (added, last_audit(db).await.id);
    Fixture {
        users: [
            user(db, &format!("u1-{tag}@corp.test"), "viewer").await,
            user(db, &format!("u2-{tag}@corp.test"), "editor").await,
        ],
        profile,
        session,
        cache,
        expired,
        token,
        code,
        roles,
        mapping,
        held,
        added,
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
        9 => done(
            "expiring.cleanup",
            run(ctx, CleanupExpired::default()).await,
        ),
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
        15 => {
            let shown = run(
                ctx,
                RevealConfig {
                    path: format!("ldap{t}.bind_password"),
                },
            )
            .await;
            if let Ok(value) = &shown {
                assert_eq!(
                    value.as_ref().map(SecretString::expose),
                    Some(BIND_PASSWORD),
                    "config.reveal shows the stored value"
                );
            }
            done("config.reveal", shown)
        }
        16 => {
            let exported = run(ctx, KeyExport { fernet: false }).await;
            if let Ok(recovery) = &exported {
                match RecoveryKey::parse(recovery.expose()).unwrap() {
                    RecoveryKey::Data(key) => assert_eq!(
                        key.expose().to_vec(),
                        stored_data_key(ctx),
                        "keys.export gives the stored data key"
                    ),
                    other => panic!("keys.export gave another kind of key: {other:?}"),
                }
            }
            done("keys.export", exported)
        }
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
                table: Table::Users.name().into(),
                query: Default::default(),
                format: ExportFormat::Csv,
                path: dir.path().join("users.csv").display().to_string(),
                time_zone: None,
            };
            let exported = export_rows(ctx, req, |_| Ok(())).await;
            if exported.is_ok() {
                let text = std::fs::read_to_string(dir.path().join("users.csv")).unwrap();
                let written: std::collections::BTreeSet<String> = text
                    .lines()
                    .skip(1)
                    .map(|l| l.split(',').nth(1).unwrap().to_owned())
                    .collect();
                let users: Vec<User> =
                    model::find(&mut ctx.db.conn().await.unwrap(), Condition::all())
                        .await
                        .unwrap();
                let stored: std::collections::BTreeSet<String> =
                    users.into_iter().map(|u| u.email).collect();
                assert_eq!(written, stored, "rows.export wrote every user");
                assert_eq!(text.lines().count(), stored.len() + 1);
            }
            done("rows.export", exported)
        }
        // the email in another case: one identity
        22 => done(
            "compliance.assign_role",
            run(
                ctx,
                AssignRole {
                    employee_email: f.profile.email.to_uppercase(),
                    system_role_id: f.roles[1].id,
                },
            )
            .await,
        ),
        23 => done(
            "compliance.unassign_role",
            run(
                ctx,
                UnassignRole {
                    employee_email: f.held.employee_email.clone(),
                    system_role_id: f.held.system_role_id,
                },
            )
            .await,
        ),
        24 => done(
            "audit.revert",
            whodis_core::ops::revert::revert(ctx, f.added.1).await,
        ),
        25 => done(
            "database.analyze",
            run(ctx, whodis_core::ops::health::Analyze {}).await,
        ),
        _ => None,
    }
}

/// What the effect checks compare with: the state just before a case ran.
struct Prior {
    data_key: Option<Vec<u8>>,
    setting: Option<Configuration>,
}

async fn prior(ctx: &Ctx, f: &Fixture) -> Prior {
    let keys = ctx.keys().unwrap();
    Prior {
        data_key: keys
            .store
            .get(&keys.entry)
            .unwrap()
            .map(|k| k.expose().to_vec()),
        setting: setting(ctx, f).await,
    }
}

/// The setting the configuration cases act on.
async fn setting(ctx: &Ctx, f: &Fixture) -> Option<Configuration> {
    Configuration::find(
        &mut ctx.db.conn().await.unwrap(),
        &format!("ldap{}", f.tag),
        "bind_password",
    )
    .await
    .unwrap()
}

/// Asserts that allowed case `i` did what it says, read back from the database (or keyring):
/// an operation that wrote only its audit row fails here.
async fn check_effect(ctx: &Ctx, f: &Fixture, i: usize, before: &Prior) {
    let mut c = ctx.db.conn().await.unwrap();
    let t = &f.tag;
    let by =
        |column: &str, value: String| Condition::all().add(Expr::col(Alias::new(column)).eq(value));
    match i {
        0 => {
            let made: Option<User> =
                model::find_one(&mut c, by("email", format!("new-{t}@corp.test")))
                    .await
                    .unwrap();
            assert_eq!(made.map(|u| u.role), Some("viewer".into()), "users.create");
        }
        1 => {
            let u: User = model::require(&mut c, f.users[0].id).await.unwrap();
            assert_eq!(
                (u.email.as_str(), u.role.as_str()),
                (f.users[0].email.as_str(), "editor")
            );
            assert!(u.updated_at > f.users[0].updated_at);
        }
        2 => assert!(User::get_by_id(&mut c, f.users[1].id)
            .await
            .unwrap()
            .is_none()),
        3 => {
            let p: EmployeeProfile = model::require(&mut c, f.profile.id).await.unwrap();
            assert_eq!(p.keystone_data, Some(json!({"job_code": f.code.code})));
        }
        4 => {
            let p: EmployeeProfile = model::require(&mut c, f.profile.id).await.unwrap();
            let png = whodis_core::demo::avatar_png("Test Person", 32).unwrap();
            assert_eq!(p.photo_data.as_deref(), Some(png.as_slice()));
            assert_eq!(p.photo_content_type.as_deref(), Some("image/png"));
        }
        5 => {
            let s: Session = model::require(&mut c, f.session.id).await.unwrap();
            assert_eq!(s.expires_at, f.session.expires_at + TimeDelta::seconds(60));
        }
        6 => {
            let e: SearchCache = model::require(&mut c, f.cache[0].id).await.unwrap();
            assert_eq!(e.expires_at, f.cache[0].expires_at + TimeDelta::seconds(60));
        }
        7 => assert!(ApiToken::get_by_id(&mut c, f.token.id)
            .await
            .unwrap()
            .is_none()),
        8 => assert!(SearchCache::get_by_id(&mut c, f.cache[1].id)
            .await
            .unwrap()
            .is_none()),
        9 => {
            use whodis_core::expirable::count_expired;
            assert!(SearchCache::get_by_id(&mut c, f.expired.id)
                .await
                .unwrap()
                .is_none());
            assert_eq!(count_expired::<SearchCache>(&mut c).await.unwrap(), 0);
            assert_eq!(count_expired::<Session>(&mut c).await.unwrap(), 0);
            assert_eq!(count_expired::<ApiToken>(&mut c).await.unwrap(), 0);
            // what has not expired stays
            assert!(SearchCache::get_by_id(&mut c, f.cache[0].id)
                .await
                .unwrap()
                .is_some());
        }
        10 => {
            let g: Option<GenesysGroup> =
                model::find_one(&mut c, by("service_id", format!("g-{t}")))
                    .await
                    .unwrap();
            let g = g.expect("genesys.import made the group");
            assert_eq!((g.name.as_deref(), g.is_active), (Some("Team"), true));
        }
        11 => {
            let m: Option<JobRoleMapping> = model::find_one(
                &mut c,
                Condition::all()
                    .add(Expr::col(Alias::new("job_code_id")).eq(f.code.id))
                    .add(Expr::col(Alias::new("system_role_id")).eq(f.roles[1].id)),
            )
            .await
            .unwrap();
            assert!(m.is_some(), "compliance.add_mapping");
        }
        12 => assert!(JobRoleMapping::get_by_id(&mut c, f.mapping.id)
            .await
            .unwrap()
            .is_none()),
        13 => {
            assert!(before.data_key.is_none());
            assert_eq!(stored_data_key(ctx).len(), 32, "keys.init stored a key");
        }
        14 => {
            let s = setting(ctx, f)
                .await
                .expect("config.set stored the setting");
            assert!(s.is_encrypted && s.value_plaintext.is_none(), "{s:?}");
            let bytes = s.value.unwrap();
            assert!(!bytes
                .windows(BIND_PASSWORD.len())
                .any(|w| w == BIND_PASSWORD.as_bytes()));
        }
        15 | 16 => {
            // a reveal and an export change neither the setting nor the key
            assert_eq!(setting(ctx, f).await, before.setting);
            assert_eq!(Some(stored_data_key(ctx)), before.data_key);
        }
        17 => {
            let new_key = stored_data_key(ctx);
            assert_ne!(Some(&new_key), before.data_key.as_ref(), "keys.rotate");
            let (old, new) = (
                before.setting.clone().unwrap(),
                setting(ctx, f).await.unwrap(),
            );
            assert!(new.is_encrypted);
            assert_ne!(new.value, old.value, "the value was re-encrypted");
        }
        18 => {
            let row = Configuration::find(&mut c, "whodis_admin", "encryption_format")
                .await
                .unwrap();
            assert_eq!(
                row.and_then(|r| r.value_plaintext).as_deref(),
                Some("envelope")
            );
            assert_eq!(
                whodis_core::ops::settings::write_format(&mut c)
                    .await
                    .unwrap(),
                WriteFormat::Envelope
            );
        }
        19 => {
            let s = setting(ctx, f).await.unwrap();
            assert!(!s.is_encrypted && s.value.is_none(), "{s:?}");
            assert_eq!(s.value_plaintext.as_deref(), Some(BIND_PASSWORD));
        }
        20 => assert!(setting(ctx, f).await.is_none(), "config.delete"),
        // checked on its output in case()
        21 => {}
        22 => {
            let held: Option<EmployeeRoleAssignment> = model::find_one(
                &mut c,
                by("employee_email", f.profile.email.clone())
                    .add(Expr::col(Alias::new("system_role_id")).eq(f.roles[1].id)),
            )
            .await
            .unwrap();
            assert!(
                held.is_some(),
                "compliance.assign_role, under the profile's own email"
            );
        }
        23 => assert!(EmployeeRoleAssignment::get_by_id(&mut c, f.held.id)
            .await
            .unwrap()
            .is_none()),
        24 => assert!(
            JobRoleMapping::get_by_id(&mut c, f.added.0.id)
                .await
                .unwrap()
                .is_none(),
            "audit.revert removed the mapping the reverted change added"
        ),
        25 => {
            // the statistics exist now: SQLite's table of them, PostgreSQL's last analyze
            let analyzed = match ctx.db.backend() {
                whodis_core::Backend::Sqlite => {
                    whodis_core::dialect::table_exists(&mut c, "sqlite_stat1")
                        .await
                        .unwrap()
                }
                whodis_core::Backend::Postgres => {
                    let h = whodis_core::health::report(&mut c).await.unwrap();
                    let users = h.tables.iter().find(|t| t.name == "users").unwrap();
                    users.last_analyze.is_some()
                }
            };
            assert!(analyzed, "database.analyze");
        }
        _ => unreachable!(),
    }
}

/// The weakest role allowed each case, written out here rather than read from the code under
/// test. `None` = read-only access suffices (none of the cases).
const REQUIRED: [Role; 26] = [
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
    Role::Editor, // assign a role
    Role::Editor, // unassign a role
    Role::Editor, // revert a mapping added (what adding it needs)
    Role::Admin,  // database.analyze
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
            let prior = prior(&ctx, &f).await;
            let Some((name, outcome)) = case(&ctx, &f, i).await else {
                panic!("REQUIRED lists more operations than case() runs");
            };
            // an unknown operator's connection is read-only: viewer-level operations pass
            let allowed = role.map_or(*required == Role::Viewer, |r| r >= *required);
            if allowed {
                assert!(outcome.is_ok(), "{email} {name}: {outcome:?}");
                check_effect(&ctx, &f, i, &prior).await;
                assert_eq!(
                    count(&db, Table::AuditLog).await,
                    audits + 1,
                    "{name}: one audit row"
                );
                let audit = last_audit(&db).await;
                assert_eq!(audit.user_email.as_deref(), Some(*email));
                assert_eq!(audit.get_data_str("operation"), Some(name));
                assert_eq!(
                    audit.user_agent.as_deref(),
                    Some(
                        format!(
                            "whodis-admin/{} (test; {})",
                            env!("CARGO_PKG_VERSION"),
                            std::env::consts::OS
                        )
                        .as_str()
                    )
                );
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
        assert!(
            matches!(&err, Error::Conflict { field: Some(f), .. } if f == "updated_at"),
            "{err:?}"
        );
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
    // the role is read while the page is: a refusal is still the answer, even to a page that
    // would itself have failed
    let bad_page = whodis_core::list::ListQuery {
        filters: vec![whodis_core::list::Filter::parse("no_such_column=eq:1").unwrap()],
        ..Default::default()
    };
    assert_eq!(
        ops::list(&strict, Table::Users, &bad_page)
            .await
            .unwrap_err()
            .kind(),
        "forbidden"
    );
    assert_eq!(
        ops::list(&common::ctx(&db, "root@corp.test"), Table::Users, &bad_page)
            .await
            .unwrap_err()
            .kind(),
        "invalid"
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
    match run(&admin, set("no-dot", BIND_PASSWORD, Protection::Auto)).await {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "path"),
        other => panic!("expected an invalid path, got {other:?}"),
    }
    let recovery = run(&admin, KeyExport { fernet: false }).await.unwrap();
    match run(
        &admin,
        KeyImport {
            recovery: SecretString::new(format!("{}x", recovery.expose())),
        },
    )
    .await
    {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "recovery_string"),
        other => panic!("expected an invalid recovery string, got {other:?}"),
    }
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
        table: Table::Users.name().into(),
        query: query.clone(),
        format,
        path: dir.path().join(name).display().to_string(),
        time_zone: None,
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

    // named by its model (as the CLI may): recorded under the table's name all the same
    let by_model = ExportRows {
        table: "User".into(),
        ..req(ExportFormat::Json, "u.json")
    };
    let js = export_rows(&ctx, by_model, |_| Ok(())).await.unwrap();
    let parsed: Vec<Json> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("u.json")).unwrap()).unwrap();
    assert_eq!((js.rows, parsed.len()), (620, 620));
    assert_eq!(count(&db, Table::AuditLog).await, audits + 2);
    assert_eq!(
        last_audit(&db).await.additional_data.unwrap()["entity"],
        json!("users")
    );

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
            .get(&whodis_core::crypto::sibling_entry(
                &keys.entry,
                whodis_core::crypto::Sibling::Fernet
            ))
            .unwrap()
            .is_none());

        // a refused init (this database already has a key) leaves that key in place
        let kept = stored_data_key(&other);
        assert!(matches!(
            run(&other, KeyInit {}).await,
            Err(Error::Conflict { .. })
        ));
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

/// Bumps a row the way a concurrent writer would: a plain save, so its `updated_at` moves.
async fn bump<M: Model>(db: &Db, row: &mut M) {
    let was = row.updated_at();
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    model::save(&mut db.conn().await.unwrap(), row)
        .await
        .unwrap();
    assert_ne!(row.updated_at(), was, "the bump moved updated_at");
}

/// A stale `expected_updated_at` is a `Conflict` on `updated_at`, and nothing is written: no
/// audit row and the row as the other writer left it.
fn assert_stale<T: std::fmt::Debug>(what: &str, outcome: Result<T, Error>) {
    match outcome {
        Err(Error::Conflict {
            field: Some(field),
            message,
        }) => {
            assert_eq!(field, "updated_at", "{what}");
            assert!(
                message.contains("changed by someone else"),
                "{what}: {message}"
            );
        }
        other => panic!("{what}: expected a conflict, got {other:?}"),
    }
}

both_backends!(every_guarded_operation_refuses_a_stale_version, |db| {
    user(&db, "root@corp.test", "admin").await;
    let ctx = common::ctx(&db, "root@corp.test");
    let mut c = db.conn().await.unwrap();
    let mut profile = EmployeeProfile {
        email: "emp@corp.test".into(),
        keystone_data: Some(json!({"job_code": "A"})),
        ..Default::default()
    };
    profile.save(&mut c).await.unwrap();
    let mut session = Session {
        session_id: "s-stale".into(),
        user_email: "emp@corp.test".into(),
        expires_at: now() + TimeDelta::hours(1),
        ..Default::default()
    };
    session.fill_defaults();
    session.save(&mut c).await.unwrap();
    drop(c);
    run(
        &ctx,
        SetConfig {
            path: "ldap.host".into(),
            value: SecretString::new("ldap-a.corp".into()),
            protection: Protection::Plain,
            expected_updated_at: None,
        },
    )
    .await
    .unwrap();
    let find_setting = || async {
        Configuration::find(&mut db.conn().await.unwrap(), "ldap", "host")
            .await
            .unwrap()
            .unwrap()
    };
    let audits = count(&db, Table::AuditLog).await;

    // profiles: someone else saved the profile after we read it (same record, new time)
    let read = profile.clone();
    bump(&db, &mut profile).await;
    assert_stale(
        "profiles.update",
        run(
            &ctx,
            UpdateProfile {
                id: read.id,
                expected_updated_at: read.updated_at,
                based_on: profile.keystone_data.clone(),
                keystone_data: Some(json!({"job_code": "B"})),
            },
        )
        .await,
    );
    let png = whodis_core::demo::avatar_png("Stale", 32).unwrap();
    assert_stale(
        "profiles.photo",
        run(
            &ctx,
            SetPhoto {
                id: read.id,
                expected_updated_at: read.updated_at,
                photo: Some(png),
            },
        )
        .await,
    );
    let now_profile: EmployeeProfile = model::require(&mut db.conn().await.unwrap(), read.id)
        .await
        .unwrap();
    assert_eq!(
        now_profile, profile,
        "the profile is as the other writer left it"
    );

    // a session
    let read = session.clone();
    bump(&db, &mut session).await;
    assert_stale(
        "expiring.extend",
        run(
            &ctx,
            ExtendExpiration {
                table: ExpiringTable::Sessions,
                id: read.id,
                expected_updated_at: read.updated_at,
                seconds: 60,
            },
        )
        .await,
    );
    assert_stale(
        "expiring.delete",
        run(
            &ctx,
            DeleteExpiring {
                table: ExpiringTable::Sessions,
                id: read.id,
                expected_updated_at: read.updated_at,
            },
        )
        .await,
    );
    let now_session: Session = model::require(&mut db.conn().await.unwrap(), read.id)
        .await
        .unwrap();
    assert_eq!(
        now_session, session,
        "the session is as the other writer left it"
    );

    // a setting
    let read = find_setting().await;
    let mut changed = read.clone();
    changed.value_plaintext = Some("ldap-b.corp".into());
    bump(&db, &mut changed).await;
    let audits_before_config = count(&db, Table::AuditLog).await;
    assert_eq!(
        audits_before_config, audits,
        "nothing above was recorded as done"
    );
    assert_stale(
        "config.set",
        run(
            &ctx,
            SetConfig {
                path: "ldap.host".into(),
                value: SecretString::new("ldap-c.corp".into()),
                protection: Protection::Plain,
                expected_updated_at: read.updated_at,
            },
        )
        .await,
    );
    assert_stale(
        "config.protect",
        run(
            &ctx,
            ProtectConfig {
                path: "ldap.host".into(),
                encrypt: false,
                expected_updated_at: read.updated_at,
            },
        )
        .await,
    );
    assert_stale(
        "config.delete",
        run(
            &ctx,
            DeleteConfig {
                id: read.id,
                expected_updated_at: read.updated_at,
            },
        )
        .await,
    );
    assert_eq!(
        find_setting().await,
        changed,
        "the setting is as the other writer left it"
    );
    assert_eq!(
        count(&db, Table::AuditLog).await,
        audits,
        "no stale write was recorded"
    );

    // with the current version each goes through (the guard compares, it does not refuse all)
    let done = run(
        &ctx,
        SetConfig {
            path: "ldap.host".into(),
            value: SecretString::new("ldap-c.corp".into()),
            protection: Protection::Plain,
            expected_updated_at: changed.updated_at,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        find_setting().await.value_plaintext.as_deref(),
        Some("ldap-c.corp")
    );
    run(
        &ctx,
        DeleteConfig {
            id: done.id,
            expected_updated_at: done.updated_at,
        },
    )
    .await
    .unwrap();
    run(
        &ctx,
        ExtendExpiration {
            table: ExpiringTable::Sessions,
            id: session.id,
            expected_updated_at: session.updated_at,
            seconds: 60,
        },
    )
    .await
    .unwrap();
    let extended: Session = model::require(&mut db.conn().await.unwrap(), session.id)
        .await
        .unwrap();
    assert_eq!(
        extended.expires_at,
        session.expires_at + TimeDelta::seconds(60)
    );
    let updated = run(
        &ctx,
        UpdateProfile {
            id: profile.id,
            expected_updated_at: profile.updated_at,
            based_on: profile.keystone_data.clone(),
            keystone_data: Some(json!({"job_code": "B"})),
        },
    )
    .await
    .unwrap();
    assert_eq!(updated.keystone_data, Some(json!({"job_code": "B"})));
    assert_eq!(count(&db, Table::AuditLog).await, audits + 4);

    // a row that is gone is not found, not a conflict, and nothing is recorded as done
    match run(
        &ctx,
        DeleteConfig {
            id: done.id,
            expected_updated_at: done.updated_at,
        },
    )
    .await
    {
        Err(Error::NotFound { .. }) => {}
        other => panic!("config.delete of a deleted setting: {other:?}"),
    }
    match run(
        &ctx,
        ProtectConfig {
            path: "ldap.host".into(),
            encrypt: true,
            expected_updated_at: done.updated_at,
        },
    )
    .await
    {
        Err(Error::NotFound { .. }) => {}
        other => panic!("config.protect of a deleted setting: {other:?}"),
    }
    assert_eq!(count(&db, Table::AuditLog).await, audits + 4);
});

// A guarded edit cannot undo a change another writer is committing at that moment: the version
// check locks the row (PostgreSQL; SQLite's writes are serial), so the edit waits, sees the new
// version and is a conflict. Without the lock, PostgreSQL let the extend read the old version,
// wait on the row, then write over the other change.
both_backends!(
    a_guarded_edit_does_not_overwrite_a_concurrent_change,
    |db| {
        let ctx = common::ctx(&db, "race.admin@corp.test");
        ops::users::bootstrap_admin(&ctx, "race.admin@corp.test")
            .await
            .unwrap();
        let mut session = Session {
            session_id: "r".repeat(40),
            user_email: "ada@corp.test".into(),
            ip_address: Some("1.1.1.1".into()),
            last_activity: now(),
            expires_at: now(),
            ..Default::default()
        };
        session.save(&mut db.conn().await.unwrap()).await.unwrap();
        let seen = session.updated_at;

        // another writer changes the row and holds its transaction open
        let mut other = db.begin().await.unwrap();
        let mut theirs = session.clone();
        theirs.ip_address = Some("9.9.9.9".into());
        theirs.save(&mut other).await.unwrap();
        let extend = tokio::spawn({
            let ctx = common::ctx(&db, "race.admin@corp.test");
            async move {
                run(
                    &ctx,
                    ExtendExpiration {
                        table: ExpiringTable::Sessions,
                        id: session.id,
                        expected_updated_at: seen,
                        seconds: 3600,
                    },
                )
                .await
            }
        });
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        other.commit().await.unwrap();

        let err = extend.await.unwrap().unwrap_err();
        assert!(
            matches!(&err, Error::Conflict { field: Some(f), .. } if f == "updated_at"),
            "{err}"
        );
        let now_stored: Session = model::require(&mut db.conn().await.unwrap(), session.id)
            .await
            .unwrap();
        assert_eq!(
            now_stored.ip_address.as_deref(),
            Some("9.9.9.9"),
            "their change stands"
        );
        assert_eq!(
            now_stored.expires_at, session.expires_at,
            "the stale extend wrote nothing"
        );
    }
);

both_backends!(an_export_writes_times_in_the_zone_asked_for, |db| {
    user(&db, "admin@corp.test", "admin").await;
    user(&db, "winter@corp.test", "viewer").await;
    let ctx = common::ctx(&db, "admin@corp.test");
    let dir = tempfile::tempdir().unwrap();
    let export = |name: &str, zone: Option<&str>| ExportRows {
        table: Table::Users.name().into(),
        query: whodis_core::list::ListQuery {
            filters: vec![whodis_core::list::Filter::parse("email=eq:winter@corp.test").unwrap()],
            ..Default::default()
        },
        format: ExportFormat::of_path(std::path::Path::new(name)),
        path: dir.path().join(name).display().to_string(),
        time_zone: zone.map(str::to_owned),
    };
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    export_rows(&ctx, export("utc.csv", None), |_| Ok(()))
        .await
        .unwrap();
    export_rows(&ctx, export("ny.csv", Some("America/New_York")), |_| Ok(()))
        .await
        .unwrap();
    export_rows(
        &ctx,
        export("ny.json", Some("America/New_York")),
        |_| Ok(()),
    )
    .await
    .unwrap();
    let (utc, ny) = (read("utc.csv"), read("ny.csv"));
    let column = |text: &str, name: &str| -> (String, String) {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let row: Vec<&str> = lines.next().unwrap().split(',').collect();
        let at = header.iter().position(|h| h.starts_with(name)).unwrap();
        (header[at].to_owned(), row[at].to_owned())
    };
    let (plain, utc_at) = column(&utc, "created_at");
    let (named, ny_at) = column(&ny, "created_at");
    assert_eq!(plain, "created_at");
    assert_eq!(named, "created_at (America/New_York)");
    let instant = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    // the same instant, written with New York's offset (-05:00 in winter, -04:00 in summer)
    assert_eq!(instant(&utc_at), instant(&ny_at));
    assert!(utc_at.ends_with('Z'), "{utc_at}");
    assert!(
        ny_at.ends_with("-05:00") || ny_at.ends_with("-04:00"),
        "{ny_at}"
    );
    let json: serde_json::Value = serde_json::from_str(&read("ny.json")).unwrap();
    assert_eq!(json[0]["created_at"].as_str(), Some(ny_at.as_str()));

    // an unknown zone: refused, no file, no audit row
    let audits = count(&db, Table::AuditLog).await;
    let err = export_rows(&ctx, export("mars.csv", Some("Mars/Olympus")), |_| Ok(()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    assert!(!dir.path().join("mars.csv").exists());
    assert_eq!(count(&db, Table::AuditLog).await, audits);
});

// A connection marked read-only (a profile's setting, the CLI's --read-only) refuses every
// operation of the matrix above, for the strongest operator, before anything starts: the
// database (every table, access_attempts and error_log included) and the keyring stay as they
// were, and the refusal names the connection. Reading still works.
both_backends!(
    a_read_only_connection_refuses_every_write_and_changes_nothing,
    |db| {
        user(&db, "admin@corp.test", "admin").await;
        let keystore = common::mock_keystore();
        let label = whodis_core::DbUrl::parse("sqlite:///read-only.db").unwrap();
        let ctx = Ctx::new(
            db.clone(),
            label,
            "admin@corp.test",
            ops::Client::new("test"),
        )
        .with_keystore(Ok(Arc::clone(&keystore)))
        .with_read_only("Production HR");
        let f = fixture(&db, "ro").await;
        let mut refused = 0;
        for i in 0..REQUIRED.len() {
            let before = snapshot(&db, &[]).await;
            let prior = prior(&ctx, &f).await;
            let (name, outcome) = case(&ctx, &f, i).await.unwrap();
            let err = outcome.unwrap_err();
            assert_eq!(err.kind(), "read_only", "{name}: {err}");
            assert_eq!(
                err.to_string(),
                "this connection is read-only: Production HR",
                "{name}"
            );
            assert_eq!(snapshot(&db, &[]).await, before, "{name} changed data");
            let after = prior_state_of(&ctx, &f).await;
            assert_eq!(after.0, prior.data_key, "{name} changed the keyring");
            assert_eq!(after.1, prior.setting, "{name} changed the setting");
            refused += 1;
        }
        assert_eq!(refused, REQUIRED.len());

        // the paths beside the matrix: the first admin, demo data, schema changes, key settling
        let before = snapshot(&db, &[]).await;
        let bootstrap = ops::users::bootstrap_admin(&ctx, "first@corp.test").await;
        assert_eq!(bootstrap.unwrap_err().kind(), "read_only");
        let demo = whodis_core::demo::fill_recorded(&ctx, Default::default()).await;
        assert_eq!(demo.unwrap_err().kind(), "read_only");
        let change = ops::schema::SchemaChange {
            yes: true,
            ..Default::default()
        };
        let schema = ops::schema::authorize_schema_change(&ctx, &change).await;
        assert_eq!(schema.unwrap_err().kind(), "read_only");
        assert_eq!(
            ops::settings::settle_keys(&ctx).await.unwrap_err().kind(),
            "read_only"
        );
        ctx.record_maintenance("test.note", "a note".into(), json!({}))
            .await;
        assert_eq!(snapshot(&db, &[]).await, before, "a side path wrote");

        // reading still works, and what the UI is told says why nothing else does
        let page = ops::list(&ctx, Table::Users, &Default::default())
            .await
            .unwrap();
        assert!(!page.rows.is_empty());
        let info = ops::session_info(&ctx).await.unwrap();
        assert_eq!(
            info.read_only_reason.as_deref(),
            Some("this connection is read-only: Production HR")
        );
        for grant in &info.grants {
            let read = grant.permission == ops::Permission::Read;
            assert_eq!(grant.allowed, read, "{:?}", grant.permission);
            if !read {
                assert_eq!(
                    grant.reason.as_deref(),
                    Some("this connection is read-only: Production HR")
                );
            }
        }

        // the same operator on the same database, not read-only, may write again
        let writable = Ctx::new(
            db.clone(),
            whodis_core::DbUrl::parse("sqlite:///read-only.db").unwrap(),
            "admin@corp.test",
            ops::Client::new("test"),
        );
        assert!(case(&writable, &f, 0).await.unwrap().1.is_ok());
    }
);

/// The keyring's data key and the configuration cases' setting, as [`prior`] reads them.
async fn prior_state_of(ctx: &Ctx, f: &Fixture) -> (Option<Vec<u8>>, Option<Configuration>) {
    let p = prior(ctx, f).await;
    (p.data_key, p.setting)
}
