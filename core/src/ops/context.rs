//! The context every operation runs in: the open database, who is operating, which program is
//! asking (recorded with every audit row), and where the encryption keys are kept.

use std::sync::Arc;

use sea_query::{Condition, Expr, Func};
use serde_json::{json, Map, Value as Json};

use crate::crypto::lifecycle::KeyContext;
use crate::crypto::{entry_name_for_database, KeyStore};
use crate::db::{Db, DbUrl};
use crate::error::{Error, Result};
use crate::journal::Journal;
use crate::model::{self, col, Model};
use crate::models::{AccessAttempt, AuditLog, ErrorLog, User};
use crate::ops::chain::{Sealer, WithoutKey};
use crate::ops::permission::{Grant, Operator, Permission, Role, UnknownOperator};
use crate::ops::trail::EventType;

/// The program on whose behalf the operator acts: the desktop app or the CLI.
#[derive(Debug, Clone)]
pub struct Client {
    /// Random per process run; ties together every row one run wrote.
    pub session_id: String,
    /// `whodis-admin/<version> (<kind>; <os>)`: how audit rows written by this tool are found.
    pub user_agent: String,
}

/// Prefix of the `user_agent` of every row this tool writes.
pub const USER_AGENT_PREFIX: &str = "whodis-admin/";

impl Client {
    pub fn new(kind: &str) -> Self {
        let mut id = [0u8; 16];
        // A session id is a label, not a secret: a failing OS RNG degrades it to the clock.
        if getrandom::fill(&mut id).is_err() {
            id[..16].copy_from_slice(
                &crate::time::now()
                    .timestamp_micros()
                    .to_le_bytes()
                    .repeat(2),
            );
        }
        Client {
            session_id: id.iter().map(|b| format!("{b:02x}")).collect(),
            user_agent: format!(
                "{USER_AGENT_PREFIX}{} ({kind}; {})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS
            ),
        }
    }
}

/// A test's way to make an operation fail after its change and audit row were written, just
/// before the commit (proves they roll back together).
pub type FaultHook = Arc<dyn Fn(&str) -> Result<()> + Send + Sync>;

/// Everything an operation needs; the Tauri commands and the CLI build one and pass it on.
pub struct Ctx {
    pub db: Db,
    url: DbUrl,
    operator_email: String,
    pub unknown_operator: UnknownOperator,
    pub client: Client,
    /// The OS keyring, or why it cannot be used (locked, no Secret Service…).
    keystore: std::result::Result<Arc<dyn KeyStore>, String>,
    fault: Option<FaultHook>,
    /// The connection's name when it is marked read-only: every write is refused.
    read_only: Option<String>,
    /// Where changes to a database without a WhoDis `audit_log` are recorded.
    journal: Option<Journal>,
}

impl Ctx {
    pub fn new(db: Db, url: DbUrl, operator_email: impl Into<String>, client: Client) -> Self {
        Ctx {
            db,
            url,
            operator_email: operator_email.into().trim().to_owned(),
            unknown_operator: UnknownOperator::default(),
            client,
            keystore: Err("no keyring was configured for this connection".into()),
            fault: None,
            read_only: None,
            journal: None,
        }
    }

    pub fn with_keystore(mut self, store: Result<Arc<dyn KeyStore>>) -> Self {
        self.keystore = store.map_err(|e| match e {
            Error::Keyring(why) => why,
            other => other.to_string(),
        });
        self
    }

    pub fn with_unknown_operator(mut self, policy: UnknownOperator) -> Self {
        self.unknown_operator = policy;
        self
    }

    /// Marks the connection read-only for every operator on it: [`crate::ops::run`] and every
    /// check of a permission beyond `Read` refuse with [`Error::ReadOnly`] naming `connection`,
    /// before anything is opened or written (no `access_attempts` row: it is not a permission
    /// failure; no `error_log` row: nothing is written at all).
    pub fn with_read_only(mut self, connection: impl Into<String>) -> Self {
        self.read_only = Some(connection.into());
        self
    }

    /// Records changes to a database that is not a WhoDis database (no `audit_log` of ours to
    /// write to) in this database's journal inside `dir` ([`Journal`]). Without one, such a
    /// database can be browsed but not changed.
    pub fn with_journal_in(mut self, dir: &std::path::Path) -> Self {
        let key = self.key_entry().unwrap_or_else(|_| self.url.to_string());
        self.journal = Some(Journal::for_database(dir, &key));
        self
    }

    /// The journal changes are recorded in when this is not a WhoDis database.
    pub fn journal(&self) -> Option<&Journal> {
        self.journal.as_ref()
    }

    /// Whether this database has WhoDis's roles and audit log. Any other database has neither:
    /// its login is the boundary (whoever may log in may do what the login may), and changes
    /// are recorded in the [`Journal`] instead.
    pub fn has_roles(&self) -> bool {
        self.db.shape().is_whodis()
    }

    /// The connection's name, when it is read-only.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// `Err(ReadOnly)` when the connection is read-only; every write path asks this first.
    pub fn writable(&self) -> Result<()> {
        match &self.read_only {
            Some(name) => Err(Error::ReadOnly(name.clone())),
            None => Ok(()),
        }
    }

    pub fn with_fault(mut self, hook: FaultHook) -> Self {
        self.fault = Some(hook);
        self
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// The operator's email as given (the database decides what it may do: [`Ctx::operator`]).
    pub fn operator_email(&self) -> &str {
        &self.operator_email
    }

    /// The keyring in use, or why there is none.
    pub fn keyring_backend(&self) -> std::result::Result<String, String> {
        self.keystore
            .as_ref()
            .map(|store| store.backend())
            .map_err(Clone::clone)
    }

    /// Where this database's keys live; a `Keyring` error when the keyring is unusable.
    pub fn keys(&self) -> Result<KeyContext<'_>> {
        match &self.keystore {
            Ok(store) => KeyContext::for_database(store.as_ref(), &self.url),
            Err(why) => Err(Error::Keyring(why.clone())),
        }
    }

    /// Why the keyring cannot be used, if it cannot: no store at all, or one that is locked or
    /// refuses access (found by reading this database's keys, which a locked store refuses).
    pub fn keyring_problem(&self) -> Option<String> {
        match self.keys().and_then(|k| k.load()) {
            Err(Error::Keyring(why)) => Some(why),
            _ => None,
        }
    }

    pub(crate) fn fault(&self, operation: &str) -> Result<()> {
        match &self.fault {
            Some(hook) => hook(operation),
            None => Ok(()),
        }
    }

    /// The operator as the database knows them now. Read on every check, so a role changed by
    /// another admin takes effect at once, not at the next start.
    pub async fn operator(&self) -> Result<Operator> {
        if !self.has_roles() {
            // not a WhoDis database: nobody has a role here (a `users.role` of another system
            // means something else)
            return Ok(Operator {
                email: self.operator_email.clone(),
                role: None,
            });
        }
        let email = self.operator_email.to_lowercase();
        let cond = Condition::all().add(Expr::expr(Func::lower(col("email"))).eq(email));
        let user: Option<User> = model::find_one(&mut self.db.conn().await?, cond).await?;
        Ok(Operator {
            email: self.operator_email.clone(),
            role: user.and_then(|u| Role::parse(&u.role)),
        })
    }

    /// What the operator may do here; on a read-only connection only `Read`, the rest refused
    /// with the connection's reason (the UI's disabled buttons say it).
    pub async fn grants(&self) -> Result<Vec<Grant>> {
        let operator = self.operator().await?;
        Ok(Permission::ALL
            .iter()
            .map(|p| {
                let mut grant = self.grant_of(&operator, *p);
                if let (Err(e), true) = (self.writable(), *p != Permission::Read) {
                    grant.allowed = false;
                    grant.reason = Some(e.to_string());
                }
                grant
            })
            .collect())
    }

    /// A read checked while it runs rather than before: the operator's role and the rows are
    /// two round trips the database answers at once (a page waited for one, then the other).
    /// A refusal is still the answer, the rows read are dropped unseen, and the role is still
    /// read for every call, so a role taken away on the server holds from the next page on.
    pub async fn read<T>(
        &self,
        resource: &str,
        rows: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        let (allowed, rows) = futures_util::join!(self.authorize(Permission::Read, resource), rows);
        allowed?;
        rows
    }

    /// The one permission check. A refusal is a `Forbidden` error, changes nothing, and is
    /// recorded in `access_attempts`.
    pub async fn authorize(&self, permission: Permission, resource: &str) -> Result<Operator> {
        // everything beyond reading writes (at least its audit row): refused up front
        if permission != Permission::Read {
            self.writable()?;
        }
        let operator = self.operator().await?;
        match self.grant_of(&operator, permission).reason {
            None => Ok(operator),
            Some(reason) => {
                self.record_denial(&operator, permission, resource, &reason)
                    .await;
                Err(Error::Forbidden(reason))
            }
        }
    }

    /// The grant rule, or on a database without roles, everything the login may do.
    fn grant_of(&self, operator: &Operator, permission: Permission) -> Grant {
        if self.has_roles() {
            return operator.grant(permission, self.unknown_operator);
        }
        Grant {
            permission,
            allowed: true,
            required_role: permission.required_role(),
            reason: None,
        }
    }

    async fn record_denial(
        &self,
        operator: &Operator,
        permission: Permission,
        resource: &str,
        reason: &str,
    ) {
        let mut row = AccessAttempt {
            user_email: Some(operator.email.clone()),
            user_agent: Some(self.client.user_agent.clone()),
            session_id: Some(self.client.session_id.clone()),
            success: Some(false),
            message: Some(format!("Denied {resource}: {reason}")),
            additional_data: Some(json!({ "app": "whodis-admin", "permission": permission })),
            resource: Some(resource.to_owned()),
            required_role: Some(permission.required_role().as_str().to_owned()),
            user_role: Some(operator.role.map_or("unknown", Role::as_str).to_owned()),
            ..Default::default()
        };
        if let Err(e) = self.save_log(&mut row).await {
            tracing::warn!(error = %e, resource, "could not record a denied access attempt");
        }
    }

    /// Records a failed operation in `error_log`. The message is the error's own text, which by
    /// construction never holds a secret, a bound value or SQL.
    pub(crate) async fn record_error(&self, operator: &Operator, operation: &str, e: &Error) {
        let mut row = ErrorLog {
            user_email: Some(operator.email.clone()),
            user_agent: Some(self.client.user_agent.clone()),
            session_id: Some(self.client.session_id.clone()),
            success: Some(false),
            message: Some(format!("{operation} failed: {e}")),
            additional_data: Some(json!({ "app": "whodis-admin", "operation": operation })),
            error_type: Some(e.kind().to_owned()),
            ..Default::default()
        };
        if let Err(err) = self.save_log(&mut row).await {
            tracing::warn!(error = %err, operation, "could not record a failed operation");
        }
    }

    /// Records maintenance done with the database's own credentials rather than through a role
    /// (schema migrations, demo data) as an `admin` row in `audit_log`, like an operation's.
    /// Nothing is recorded where the schema has no audit log (below version 2).
    pub async fn record_maintenance(&self, operation: &str, message: String, details: Json) {
        if self.writable().is_err() {
            return;
        }
        let recorded = async {
            let mut tx = self.db.begin().await?;
            if !crate::dialect::table_exists(&mut tx, AuditLog::TABLE).await? {
                return Ok(());
            }
            let Json::Object(data) = details else {
                return Err(Error::invalid("details", "must be a JSON object"));
            };
            let (email, event) = (&self.operator_email, EventType::Admin);
            let mut row = self.audit_row(email, event, operation, message, data);
            let sealer = Sealer::prepare(&mut tx, self, WithoutKey::WriteUnsealed, false).await?;
            model::save(&mut tx, &mut row).await?;
            if let Some(sealer) = sealer {
                sealer.seal(&mut tx, &mut row).await?;
            }
            tx.commit().await
        };
        if let Err(err) = recorded.await {
            tracing::warn!(error = %err, operation, "could not record maintenance");
        }
    }

    /// The `audit_log` row of a successful change by `email` through this app: its session id
    /// and user agent, and `additional_data` naming the app and the operation.
    pub(crate) fn audit_row(
        &self,
        email: &str,
        event: EventType,
        operation: &str,
        message: String,
        mut data: Map<String, Json>,
    ) -> AuditLog {
        data.insert("app".into(), json!("whodis-admin"));
        data.insert("operation".into(), json!(operation));
        AuditLog {
            event_type: Some(event.as_str().to_owned()),
            user_email: Some(email.to_owned()),
            user_agent: Some(self.client.user_agent.clone()),
            session_id: Some(self.client.session_id.clone()),
            success: Some(true),
            message: Some(message),
            additional_data: Some(Json::Object(data)),
            ..Default::default()
        }
    }

    /// Writes one of our log rows; on a database that is not WhoDis's a table of the same name
    /// belongs to another program and is left alone.
    async fn save_log<M: model::Model>(&self, row: &mut M) -> Result<()> {
        if !self.has_roles() {
            return Ok(());
        }
        model::save(&mut self.db.conn().await?, row).await
    }

    /// The keyring entry this database's data key lives under (safe to show).
    pub fn key_entry(&self) -> Result<String> {
        entry_name_for_database(&self.url.to_string())
    }
}
