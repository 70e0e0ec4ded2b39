//! The audited write path. Every change the app makes is an [`Operation`] run by [`run`]:
//! permission check → one transaction holding the change **and** its `audit_log` row → commit.
//! A refusal lands in `access_attempts`, a failure in `error_log`; neither leaves a change.

use std::future::Future;

use base64::Engine;
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use crate::db::Tx;
use crate::error::Result;
use crate::exec::{Conn, Executor};
use crate::journal::Outcome;
use crate::model::{self, is_sensitive, ColumnKind, Model};
use crate::ops::chain::{Sealer, WithoutKey};
use crate::ops::context::Ctx;
use crate::ops::permission::{Operator, Permission};
use crate::time::Timestamp;

/// The text that stands in for a secret value in every record.
pub const REDACTED: &str = "[redacted]";

/// The seed's audit event types this tool writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    Admin,
    Config,
}

impl EventType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EventType::Admin => "admin",
            EventType::Config => "config",
        }
    }
}

/// One kind of change. The request struct is the operation: the Tauri command and the CLI both
/// build it and hand it to [`run`].
pub trait Operation: Send + Sized {
    type Output: Send;
    /// Stable name (`users.update`): the audit row's `operation`, a refusal's `resource`.
    const NAME: &'static str;
    const EVENT: EventType = EventType::Admin;

    fn permission(&self) -> Permission;

    /// Makes the change on `w` (a transaction) and describes it for the audit row.
    fn apply(self, w: &mut Write<'_>) -> impl Future<Output = Result<Self::Output>> + Send;
}

/// Runs an operation: the only way this tool writes to the database. On a read-only connection
/// it is refused first ([`Ctx::writable`]): no permission check, no transaction, no row.
pub async fn run<O: Operation>(ctx: &Ctx, op: O) -> Result<O::Output> {
    ctx.writable()?;
    let operator = ctx.authorize(op.permission(), O::NAME).await?;
    run_as(ctx, operator, op).await
}

/// [`run`] after the permission check (or for the one operation that has its own rule).
pub(crate) async fn run_as<O: Operation>(
    ctx: &Ctx,
    operator: Operator,
    op: O,
) -> Result<O::Output> {
    ctx.writable()?;
    let outcome = apply(ctx, operator.clone(), op).await;
    if let Err(e) = &outcome {
        ctx.record_error(&operator, O::NAME, e).await;
    }
    outcome
}

async fn apply<O: Operation>(ctx: &Ctx, operator: Operator, op: O) -> Result<O::Output> {
    let mut w = Write {
        ctx,
        tx: ctx.db.begin().await?,
        operator,
        message: None,
        data: Map::new(),
        after_commit: Vec::new(),
        undo: Vec::new(),
        starts_chain: false,
    };
    match op.apply(&mut w).await {
        Ok(out) => w.commit(O::NAME, O::EVENT).await.map(|()| out),
        Err(e) => {
            undo_all(std::mem::take(&mut w.undo));
            Err(e)
        }
    }
}

/// Runs the undo steps, newest first. Their own failures are logged: the operation's error is
/// what the caller needs to see.
fn undo_all(undo: Vec<AfterCommit<'_>>) {
    for work in undo.into_iter().rev() {
        if let Err(e) = work() {
            tracing::warn!(error = %e, "could not undo a step of a failed operation");
        }
    }
}

/// Work to do once the transaction has committed (e.g. promoting a rotated key in the keyring).
pub type AfterCommit<'c> = Box<dyn FnOnce() -> Result<()> + Send + 'c>;

/// An operation's transaction and the audit record it is building.
pub struct Write<'c> {
    ctx: &'c Ctx,
    tx: Tx,
    operator: Operator,
    message: Option<String>,
    data: Map<String, Json>,
    after_commit: Vec<AfterCommit<'c>>,
    undo: Vec<AfterCommit<'c>>,
    /// This operation's audit row is the first link of the chain.
    starts_chain: bool,
}

impl Executor for Write<'_> {
    fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    fn shape(&self) -> &crate::schema::Shape {
        self.tx.shape()
    }
}

impl<'c> Write<'c> {
    pub fn ctx(&self) -> &'c Ctx {
        self.ctx
    }

    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// The human sentence of the audit row ("Changed the role of a@b.c").
    pub fn message(&mut self, text: impl Into<String>) {
        self.message = Some(text.into());
    }

    /// Extra facts for `additional_data` (counts, names). Never pass a secret here.
    pub fn detail(&mut self, key: &str, value: impl Into<Json>) {
        self.data.insert(key.to_owned(), value.into());
    }

    /// Records which row changed and a field-level before/after diff (secrets redacted).
    pub fn changed<M: Model>(&mut self, before: Option<&M>, after: Option<&M>, secret: &[&str]) {
        let id = after.or(before).map(Model::id);
        self.detail("entity", M::TABLE);
        self.detail("id", id);
        self.detail("changes", diff(before, after, secret));
    }

    /// The row as the caller read it, or a `Conflict` if someone changed it since. The row is
    /// locked until this transaction ends, so the write that follows cannot undo a change made
    /// meanwhile.
    pub async fn fresh<M: Model>(&mut self, id: i64, expected: Option<Timestamp>) -> Result<M> {
        let row: M = model::require_locked(self, id).await?;
        if row.updated_at() != expected {
            return Err(model::stale(&row));
        }
        Ok(row)
    }

    /// Makes this operation's audit row the first of the hash chain (`ops::chain::StartChain`).
    pub(crate) fn starts_chain(&mut self) {
        self.starts_chain = true;
    }

    pub fn after_commit(&mut self, work: AfterCommit<'c>) {
        self.after_commit.push(work);
    }

    /// Undoes a change made outside the database (a keyring write) if the operation fails after
    /// it: the transaction rolls back by itself, the keyring does not.
    pub fn undo_on_failure(&mut self, work: AfterCommit<'c>) {
        self.undo.push(work);
    }

    async fn commit(mut self, operation: &str, event: EventType) -> Result<()> {
        let undo = std::mem::take(&mut self.undo);
        let after_commit = std::mem::take(&mut self.after_commit);
        if let Err(e) = self.record_and_commit(operation, event).await {
            undo_all(undo);
            return Err(e);
        }
        for work in after_commit {
            work()?;
        }
        Ok(())
    }

    async fn record_and_commit(mut self, operation: &str, event: EventType) -> Result<()> {
        let message = self.message.take().unwrap_or_else(|| operation.to_owned());
        let data = std::mem::take(&mut self.data);
        if !self.ctx.has_roles() {
            return self.journal_and_commit(operation, &message, data).await;
        }
        let mut row = self
            .ctx
            .audit_row(&self.operator.email, event, operation, message, data);
        let sealer = Sealer::prepare(
            &mut self.tx,
            self.ctx,
            WithoutKey::Refuse,
            self.starts_chain,
        )
        .await?;
        model::save(&mut self.tx, &mut row).await?;
        if let Some(sealer) = sealer {
            sealer.seal(&mut self.tx, &mut row).await?;
        }
        self.ctx.fault(operation)?;
        self.tx.commit().await?;
        Ok(())
    }

    /// A database without our audit log: the change is recorded in its journal, flushed to
    /// disk before the commit (no journal, no change), and its outcome after.
    async fn journal_and_commit(
        self,
        operation: &str,
        message: &str,
        data: Map<String, Json>,
    ) -> Result<()> {
        let journal = self.ctx.journal().ok_or_else(|| {
            crate::Error::invalid(
                "database",
                "this is not a WhoDis database and no change journal is set up for it, so \
                 changes cannot be recorded; it can be browsed only",
            )
        })?;
        let id = journal.begin(&self.operator.email, operation, message, &data)?;
        let committed = match self.ctx.fault(operation) {
            Ok(()) => self.tx.commit().await,
            Err(e) => Err(e),
        };
        let outcome = match committed {
            Ok(()) => Outcome::Committed,
            Err(_) => Outcome::Failed,
        };
        if let Err(e) = journal.settle(&id, outcome) {
            // the change itself is decided; its entry stays "pending", which says so
            tracing::warn!(error = %e, operation, "could not record a change's outcome");
        }
        committed
    }
}

/// Field-level differences between two versions of a row: `{field: {before, after}}`.
/// Secret-looking fields and the named `secret` fields show as `[redacted]`, byte columns as
/// their size; store-owned columns are left out.
pub fn diff<M: Model>(before: Option<&M>, after: Option<&M>, secret: &[&str]) -> Map<String, Json> {
    let b = before.map(|m| model::to_dict(m, &model::STORE_COLUMNS));
    let a = after.map(|m| model::to_dict(m, &model::STORE_COLUMNS));
    let mut out = Map::new();
    for column in M::columns() {
        let name = column.name;
        if model::STORE_COLUMNS.contains(&name) {
            continue;
        }
        let old = b.as_ref().and_then(|m| m.get(name)).cloned();
        let new = a.as_ref().and_then(|m| m.get(name)).cloned();
        if old == new {
            continue;
        }
        let secret = is_sensitive(name) || secret.contains(&name);
        let shown = |v: Option<Json>| match v {
            Some(Json::String(text)) if column.masking == model::Masking::Prefix => {
                json!(model::prefix_of(&text))
            }
            v => redact(v.unwrap_or(Json::Null), secret, column.kind),
        };
        out.insert(
            name.to_owned(),
            json!({ "before": shown(old), "after": shown(new) }),
        );
    }
    out
}

fn redact(value: Json, secret: bool, kind: ColumnKind) -> Json {
    match value {
        Json::Null => Json::Null,
        _ if secret => json!(REDACTED),
        Json::String(b64) if kind == ColumnKind::Bytes => {
            let len = base64::engine::general_purpose::STANDARD
                .decode(b64.as_bytes())
                .map_or(0, |b| b.len());
            json!(format!("<{len} bytes>"))
        }
        other => other,
    }
}
