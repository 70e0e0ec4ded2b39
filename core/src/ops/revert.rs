//! Reverting a recorded change. An audit row this app wrote names the row it changed
//! (`additional_data.entity`, `id`) and each field's value before and after (`changes`); a
//! revert puts the before values back, as an operation of its own whose audit row names the one
//! it reverts (`additional_data.reverts`). It is generic over the table (`with_model!`): the
//! log says what to do, whichever operation wrote it.
//!
//! - a created row is deleted, an updated one gets its before values back, a deleted one is
//!   inserted again under its old id;
//! - the row must still be as the change left it: any recorded field that differs now is a
//!   `Conflict` naming the difference, and nothing is written;
//! - what the log does not hold cannot be put back: a secret (recorded as `[redacted]`), bytes
//!   (recorded by their size), a bearer id (by its first characters). Rows another program
//!   wrote (the WhoDis server's) record no change at all.
//!
//! The permission is the one every operation on that table needs (editing compliance data for a
//! mapping, managing users for a user…).

use sea_query::Condition;
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::model::{self, col, Column, ColumnKind, Masking, Model};
use crate::models::AuditLog;
use crate::ops::context::Ctx;
use crate::ops::permission::Permission;
use crate::ops::trail::{run, Operation, Write, REDACTED};
use crate::tables::Table;

/// The operation's name (its audit rows, a refusal's resource).
pub const NAME: &str = "audit.revert";

/// What the recorded change did to its row.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedChange {
    /// Made the row: a revert deletes it.
    Create,
    /// Changed fields: a revert puts their before values back.
    Update,
    /// Deleted the row: a revert inserts it again under its id.
    Delete,
}

/// One field a revert sets: from the value the change left (`after`) back to `before`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRevert {
    pub field: String,
    pub after: Json,
    pub before: Json,
}

/// What reverting an audit row would do, or why it cannot be done: what the window asks about
/// before it reverts.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct RevertPreview {
    pub audit_id: i64,
    pub table: Option<Table>,
    pub row_id: Option<i64>,
    pub change: Option<RecordedChange>,
    /// What reverting needs: what every change to that table needs.
    pub permission: Option<Permission>,
    /// Why it cannot be reverted (from the log, or the row as it is now); `None` when it can.
    pub blocked: Option<String>,
    pub fields: Vec<FieldRevert>,
}

/// A revert that was made.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Reverted {
    /// The audit row reverted.
    pub reverts: i64,
    pub table: Table,
    pub row_id: i64,
    /// What the reverted change had done.
    pub change: RecordedChange,
}

/// The permission a change to `table` needs; `None` for the logs, which are never changed.
pub fn permission_for(table: Table) -> Option<Permission> {
    Some(match table {
        Table::Users => Permission::ManageUsers,
        Table::Configuration => Permission::ManageConfig,
        Table::Sessions | Table::ApiTokens => Permission::ManageSessions,
        Table::SearchCache => Permission::ManageCache,
        Table::EmployeeProfiles => Permission::EditProfiles,
        Table::GenesysGroups | Table::GenesysSkills | Table::GenesysLocations => {
            Permission::ImportGenesys
        }
        Table::JobCodes
        | Table::SystemRoles
        | Table::JobRoleMappings
        | Table::EmployeeRoleAssignments => Permission::EditCompliance,
        Table::AuditLog | Table::AccessAttempts | Table::ErrorLog => return None,
    })
}

/// An audit row read as a change that can be reverted.
#[derive(Debug, Clone)]
struct Plan {
    audit_id: i64,
    table: Table,
    permission: Permission,
    row_id: i64,
    change: RecordedChange,
    fields: Vec<FieldRevert>,
    /// The reverted row's message ("Changed the role of a@b.c from viewer to editor").
    message: String,
}

/// Reads `audit` as a revertible change, or says why it is not one.
fn plan(audit: &AuditLog) -> std::result::Result<Plan, String> {
    let id = audit.id;
    let refuse = |why: String| format!("audit row {id} cannot be reverted: {why}");
    let data = audit
        .additional_data
        .as_ref()
        .and_then(Json::as_object)
        .filter(|d| d.get("app").and_then(Json::as_str) == Some("whodis-admin"));
    let Some(data) = data.filter(|_| audit.success != Some(false)) else {
        let who = audit.user_agent.as_deref().unwrap_or("another program");
        return Err(refuse(format!(
            "it was written by {who}, not by a change made with whodis-admin, and records no \
             before and after values to go back to"
        )));
    };
    let operation = data
        .get("operation")
        .and_then(Json::as_str)
        .unwrap_or("its operation");
    let entity = data.get("entity").and_then(Json::as_str);
    let row_id = data.get("id").and_then(Json::as_i64);
    let changes = data.get("changes").and_then(Json::as_object);
    let (Some(entity), Some(row_id), Some(changes)) = (entity, row_id, changes) else {
        return Err(refuse(format!(
            "{operation} records no field changes of one row; only a change to one row can be \
             reverted"
        )));
    };
    let table = Table::parse(entity).map_err(|_| refuse(format!("unknown table '{entity}'")))?;
    let Some(permission) = permission_for(table) else {
        return Err(refuse(format!(
            "{entity} is a log, whose rows are never changed"
        )));
    };
    if changes.is_empty() {
        return Err(refuse(format!("{operation} changed no field")));
    }
    let columns = table.columns();
    let mut fields = Vec::with_capacity(changes.len());
    for (name, c) in changes {
        let Some(column) = columns.iter().find(|c| c.name == name) else {
            return Err(refuse(format!("{entity} has no field '{name}'")));
        };
        let value = |which: &str| c.get(which).cloned().unwrap_or(Json::Null);
        let (before, after) = (value("before"), value("after"));
        if let Some(why) = [&before, &after].into_iter().find_map(|v| lost(column, v)) {
            return Err(refuse(format!("{entity}.{name} {why}")));
        }
        fields.push(FieldRevert {
            field: name.clone(),
            after,
            before,
        });
    }
    let writable = crate::with_model!(table, M => <M as Model>::COLUMNS);
    let whole_row = writable.iter().all(|c| changes.contains_key(*c));
    let change = if whole_row && fields.iter().all(|f| f.before.is_null()) {
        RecordedChange::Create
    } else if whole_row && fields.iter().all(|f| f.after.is_null()) {
        RecordedChange::Delete
    } else {
        RecordedChange::Update
    };
    Ok(Plan {
        audit_id: id,
        table,
        permission,
        row_id,
        change,
        fields,
        message: audit
            .message
            .clone()
            .unwrap_or_else(|| operation.to_owned()),
    })
}

/// Why a recorded value is not the value itself, if it is not.
fn lost(column: &Column, value: &Json) -> Option<&'static str> {
    if value.is_null() {
        None
    } else if column.sensitive || value.as_str() == Some(REDACTED) {
        Some(
            "is a secret: the log keeps it only as [redacted], so this change cannot be reverted \
             from the log (set the value again instead)",
        )
    } else if column.kind == ColumnKind::Bytes {
        Some("holds bytes, which the log keeps only as their size")
    } else if column.masking == Masking::Prefix {
        Some("is kept in the log by its first characters only")
    } else {
        None
    }
}

fn conflict(message: String) -> Error {
    Error::Conflict {
        field: None,
        message,
    }
}

/// A value as a conflict message shows it: short, and nothing of a column that may hold a
/// secret by content.
fn shown(column: Option<&Column>, value: &Json) -> String {
    if column.is_some_and(|c| c.masking != Masking::Clear) {
        return "a different value".into();
    }
    let text = match value {
        Json::Null => "empty".to_owned(),
        Json::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// The row as it is now, if the revert can go ahead on it: a `Conflict` when the row is gone
/// (a create or an update reverted), back (a delete reverted), or differs from what the change
/// left in any recorded field.
async fn current<M: Model>(ex: &mut impl Executor, plan: &Plan, lock: bool) -> Result<Option<M>> {
    let id = plan.row_id;
    let row: Option<M> = if lock {
        model::find_one_locked(ex, Condition::all().add(col("id").eq(id))).await?
    } else {
        model::get_by_id(ex, id).await?
    };
    let name = M::NAME;
    match (plan.change, row) {
        (RecordedChange::Delete, None) => Ok(None),
        (RecordedChange::Delete, Some(_)) => Err(conflict(format!(
            "{name} {id} exists again (it was put back since it was deleted); nothing was changed"
        ))),
        (_, None) => Err(conflict(format!(
            "{name} {id} was deleted since this change, so there is nothing to revert"
        ))),
        (_, Some(row)) => {
            let now = model::to_dict(&row, &model::STORE_COLUMNS);
            let columns = M::columns();
            let differences: Vec<String> = plan
                .fields
                .iter()
                .filter_map(|f| {
                    let is = now.get(&f.field).cloned().unwrap_or(Json::Null);
                    let column = columns.iter().find(|c| c.name == f.field);
                    (is != f.after).then(|| {
                        format!(
                            "{} is now {} (this change left {})",
                            f.field,
                            shown(column, &is),
                            shown(column, &f.after)
                        )
                    })
                })
                .collect();
            if differences.is_empty() {
                Ok(Some(row))
            } else {
                Err(conflict(format!(
                    "{name} {id} changed since this change: {}. Nothing was reverted; revert the \
                     later change first, or edit the row",
                    differences.join("; ")
                )))
            }
        }
    }
}

/// Makes the inverse change on the row and records it like any change.
async fn revert_row<M: Model>(w: &mut Write<'_>, plan: &Plan) -> Result<()> {
    let row: Option<M> = current(w, plan, true).await?;
    match (plan.change, row) {
        (RecordedChange::Delete, _) => {
            let values: Map<String, Json> = plan
                .fields
                .iter()
                .map(|f| (f.field.clone(), f.before.clone()))
                .collect();
            let mut back: M = model::build(&values)?;
            model::insert_with_id(w, &mut back, plan.row_id).await?;
            w.changed(None, Some(&back), &[]);
        }
        (RecordedChange::Create, Some(row)) => {
            model::delete_if_unchanged::<M>(w, row.id(), row.updated_at()).await?;
            w.changed(Some(&row), None, &[]);
        }
        (RecordedChange::Update, Some(row)) => {
            let mut back = row.clone();
            for f in &plan.fields {
                back.set_field(&f.field, f.before.clone())?;
            }
            model::save_if_unchanged(w, &mut back, row.updated_at()).await?;
            w.changed(Some(&row), Some(&back), &[]);
        }
        (_, None) => return Err(Error::not_found(M::NAME, format!("id {}", plan.row_id))),
    }
    Ok(())
}

/// The revert of one audit row, built by [`revert`] once the row was read (its permission
/// depends on the table the row names).
struct Revert(Plan);

impl Operation for Revert {
    type Output = Reverted;
    const NAME: &'static str = NAME;

    fn permission(&self) -> Permission {
        self.0.permission
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Reverted> {
        let plan = self.0;
        crate::with_model!(plan.table, M => revert_row::<M>(w, &plan).await)?;
        if plan.table == Table::Users {
            crate::ops::users::ensure_an_admin_remains(w).await?;
        }
        w.message(format!(
            "Reverted audit row {}: {}",
            plan.audit_id, plan.message
        ));
        w.detail("reverts", plan.audit_id);
        Ok(Reverted {
            reverts: plan.audit_id,
            table: plan.table,
            row_id: plan.row_id,
            change: plan.change,
        })
    }
}

async fn read_audit(ctx: &Ctx, audit_id: i64) -> Result<AuditLog> {
    ctx.authorize(Permission::Read, NAME).await?;
    model::require(&mut ctx.db.conn().await?, audit_id).await
}

/// What reverting `audit_id` would change, or why it cannot (any reader may ask).
pub async fn preview(ctx: &Ctx, audit_id: i64) -> Result<RevertPreview> {
    let audit = read_audit(ctx, audit_id).await?;
    let mut out = RevertPreview {
        audit_id,
        table: None,
        row_id: None,
        change: None,
        permission: None,
        blocked: None,
        fields: Vec::new(),
    };
    match plan(&audit) {
        Err(why) => out.blocked = Some(why),
        Ok(plan) => {
            let mut c = ctx.db.conn().await?;
            let now = crate::with_model!(plan.table, M => {
                current::<M>(&mut c, &plan, false).await.map(drop)
            });
            out.blocked = now.err().map(|e| e.to_string());
            out.table = Some(plan.table);
            out.row_id = Some(plan.row_id);
            out.change = Some(plan.change);
            out.permission = Some(plan.permission);
            out.fields = plan.fields;
        }
    }
    Ok(out)
}

/// Reverts the change `audit_id` recorded: the before values back, checked against the row as
/// it is now, in one transaction with its own audit row (`additional_data.reverts`).
pub async fn revert(ctx: &Ctx, audit_id: i64) -> Result<Reverted> {
    let audit = read_audit(ctx, audit_id).await?;
    let plan = plan(&audit).map_err(|why| Error::invalid("audit_id", why))?;
    run(ctx, Revert(plan)).await
}
