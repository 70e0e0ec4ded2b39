//! The audit trail's hash chain as operations see it: sealing each audit row this app writes
//! ([`Sealer`]), walking the whole trail ([`verify`]) and handing the chain key to another admin
//! ([`ChainKeyExport`]). The chain itself is `crate::audit_chain`.

use sea_query::{Alias, Order, Query};

use crate::audit_chain::{self, ChainReport, Link, Verifier};
use crate::crypto::{DataKey, SecretString};
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::model::{self, col, Model};
use crate::models::AuditLog;
use crate::ops::context::Ctx;
use crate::ops::permission::Permission;
use crate::ops::trail::{EventType, Operation, Write};

/// What to do when the chain has begun but this keyring lacks its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WithoutKey {
    /// Refuse the write: an operation's row outside the chain would look like a forgery.
    Refuse,
    /// Write the row outside the chain (maintenance, which must not fail for this).
    WriteUnsealed,
}

/// The chain's state for one audit row, read under the chain's lock before the row is inserted.
pub(crate) struct Sealer {
    key: DataKey,
    prev: Option<Link>,
}

impl Sealer {
    /// Locks the chain for the transaction and finds the link to follow. `None`: this row goes
    /// unsealed (the chain has not begun and this row does not start it, or `WriteUnsealed`
    /// without the key).
    pub(crate) async fn prepare(
        ex: &mut impl Executor,
        ctx: &Ctx,
        without_key: WithoutKey,
        starts_chain: bool,
    ) -> Result<Option<Sealer>> {
        audit_chain::lock(ex).await?;
        if !starts_chain && audit_chain::started_mark(ex).await? == Some(false) {
            return Ok(None);
        }
        let prev = audit_chain::newest_link(ex, i64::MAX)
            .await?
            .map(|(_, link)| link);
        if prev.is_none() && !starts_chain {
            // no chain here: the keyring is not asked (it may prompt, or be absent)
            return Ok(None);
        }
        let key = match ctx.keys().and_then(|k| k.chain_key()) {
            Ok(key) => key,
            Err(e) if prev.is_some() && without_key == WithoutKey::Refuse => {
                return Err(Error::KeyMissing(format!(
                    "this database's audit trail is chained and its key is kept in the keyring, \
                     which cannot be used: {e}"
                )))
            }
            Err(_) => None,
        };
        match (key, prev) {
            (Some(key), prev) => Ok(Some(Sealer { key, prev })),
            // StartChain made the key first: only a keyring that lost it meanwhile gets here
            (None, None) => Err(audit_chain::key_missing()),
            (None, Some(_)) if without_key == WithoutKey::Refuse => Err(audit_chain::key_missing()),
            (None, Some(_)) => Ok(None),
        }
    }

    /// Seals a row just inserted (its id and stored time known) and writes its link.
    pub(crate) async fn seal(self, ex: &mut impl Executor, row: &mut AuditLog) -> Result<()> {
        let link = audit_chain::seal(&self.key, self.prev, row);
        audit_chain::attach(row, link);
        model::save(ex, row).await
    }
}

/// Rows read per statement while verifying.
const PAGE: u64 = 2_000;

/// Walks every `audit_log` row in id order and checks the chain. `progress(rows read, rows
/// estimated)` after each page; an `Err` from it stops the walk. Needs `Read` and the chain
/// key in this keyring (a database whose chain has not begun verifies without one).
pub async fn verify(
    ctx: &Ctx,
    mut progress: impl FnMut(i64, i64) -> Result<()>,
) -> Result<ChainReport> {
    ctx.authorize(Permission::Read, "audit.verify").await?;
    let mut conn = ctx.db.conn().await?;
    model::require_table::<AuditLog>(&conn)?;
    let key = match ctx.keys().and_then(|k| k.chain_key()) {
        Ok(Some(key)) => key,
        Ok(None) | Err(Error::Keyring(_)) if chain_absent(&mut conn).await? => {
            // nothing to check against: an unkeyed walk still counts the rows
            DataKey::from_bytes(&[0; 32])?
        }
        Ok(None) => return Err(audit_chain::key_missing()),
        Err(e) => return Err(e),
    };
    let estimate = crate::dialect::estimated_rows(&mut conn, AuditLog::TABLE).await?;
    let mut verifier = Verifier::new(&key);
    let mut after = i64::MIN;
    loop {
        let stmt = Query::select()
            .columns(crate::model::stored_columns::<AuditLog>(conn.shape()))
            .from(Alias::new(AuditLog::TABLE))
            .and_where(col("id").gt(after))
            .order_by(Alias::new("id"), Order::Asc)
            .limit(PAGE)
            .to_owned();
        let rows = crate::exec::fetch_all_each::<AuditLog>(&mut conn, &stmt).await?;
        let read = rows.len();
        for row in rows {
            match &row {
                Ok(r) => after = r.id,
                Err(bad) => after = bad.id.unwrap_or(after),
            }
            verifier.push(row);
        }
        let report_so_far = verifier.rows();
        progress(report_so_far, estimate.max(report_so_far))?;
        if (read as u64) < PAGE {
            break;
        }
    }
    let mut report = verifier.finish();
    if report.chained == 0 {
        report.key_fingerprint = String::new();
    }
    Ok(report)
}

async fn chain_absent(ex: &mut impl Executor) -> Result<bool> {
    Ok(audit_chain::newest_link(ex, i64::MAX).await?.is_none())
}

/// Starts the chain: makes the chain key (unless one was imported) and seals this operation's
/// own audit row as the chain's first. From then on every change this app records is sealed,
/// and an admin whose keyring lacks the key is refused until they import it.
pub struct StartChain;

impl Operation for StartChain {
    type Output = ChainStatus;
    const NAME: &'static str = "audit.start_chain";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<ChainStatus> {
        audit_chain::lock(w).await?;
        if let Some((row, link)) = audit_chain::newest_link(w, i64::MAX).await? {
            return Err(Error::Conflict {
                field: None,
                message: format!(
                    "the audit trail is chained already (its newest chained row is #{}, \
                     sequence {}); to chain from this keyring, import the chain key",
                    row.id, link.seq
                ),
            });
        }
        let keys = w.ctx().keys()?;
        let before = keys.snapshot()?;
        let key = match keys.chain_key()? {
            Some(key) => key,
            None => keys.create_chain_key()?,
        };
        w.undo_on_failure(Box::new(move || keys.restore(before)));
        w.starts_chain();
        audit_chain::mark_started(w, &chrono::Utc::now().to_rfc3339()).await?;
        let fingerprint = key.fingerprint();
        w.message("Started the audit trail's hash chain with this row");
        w.detail("chain_key_fingerprint", fingerprint.clone());
        Ok(ChainStatus {
            started: true,
            key_fingerprint: Some(fingerprint),
        })
    }
}

/// Whether the chain has begun on this database, and the key this keyring holds for it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainStatus {
    pub started: bool,
    pub key_fingerprint: Option<String>,
}

pub async fn status(ctx: &Ctx) -> Result<ChainStatus> {
    ctx.authorize(Permission::Read, "audit.chain_status")
        .await?;
    let mut conn = ctx.db.conn().await?;
    model::require_table::<AuditLog>(&conn)?;
    let started = match audit_chain::started_mark(&mut conn).await? {
        Some(marked) => marked,
        None => !chain_absent(&mut conn).await?,
    };
    let key_fingerprint = match ctx.keys().and_then(|k| k.chain_key()) {
        Ok(key) => key.as_ref().map(DataKey::fingerprint),
        Err(_) => None,
    };
    Ok(ChainStatus {
        started,
        key_fingerprint,
    })
}

/// The chain key as a recovery string, for another admin's `keys import`. An audited export,
/// like the data key's.
pub struct ChainKeyExport;

impl Operation for ChainKeyExport {
    type Output = SecretString;
    const NAME: &'static str = "keys.export_chain";
    const EVENT: EventType = EventType::Config;

    fn permission(&self) -> Permission {
        Permission::ManageKeys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<SecretString> {
        let recovery = crate::crypto::lifecycle::export_chain(&w.ctx().keys()?)?;
        w.message("Exported the audit trail's chain key as a recovery string");
        w.detail("key", "chain");
        Ok(recovery)
    }
}
