//! The database's schema as an operator sees it: how it compares with the models, and the
//! explicit "adopt" step that adds our optional parts to a database another program made.

use serde::Deserialize;

use crate::compat::{self, AdoptPlan, CompatReport};
use crate::error::{Error, Result};

use crate::ops::context::Ctx;
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};

/// Table-by-table comparison of the open database with the models.
pub async fn report(ctx: &Ctx) -> Result<CompatReport> {
    ctx.authorize(Permission::Read, "schema.report").await?;
    Ok(compat::report(&ctx.db.shape(), ctx.db.backend()))
}

/// The exact statements adopting would run (nothing runs).
pub async fn plan(ctx: &Ctx) -> Result<AdoptPlan> {
    ctx.authorize(Permission::Read, "schema.adopt").await?;
    Ok(compat::adopt_plan(&ctx.db.shape(), ctx.db.backend()))
}

/// Runs the adopt plan in one transaction with its audit row. `expected` is the list of
/// statements the operator was shown: if the plan is no longer exactly that (the server's
/// schema changed meanwhile), nothing runs.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct Adopt {
    pub expected: Vec<String>,
}

impl Operation for Adopt {
    type Output = AdoptPlan;
    const NAME: &'static str = "schema.adopt";

    fn permission(&self) -> Permission {
        Permission::ManageSchema
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<AdoptPlan> {
        let ctx = w.ctx();
        let plan = compat::adopt_plan(&ctx.db.shape(), ctx.db.backend());
        let statements: Vec<String> = plan.statements.iter().map(|s| s.sql.clone()).collect();
        if statements.is_empty() {
            return Err(Error::invalid(
                "schema",
                "there is nothing to adopt: this database already has every part the app adds",
            ));
        }
        if statements != self.expected {
            return Err(Error::Conflict {
                field: None,
                message: "the database's schema changed since the plan was shown; review the \
                          new plan and confirm again"
                    .into(),
            });
        }
        for sql in &statements {
            crate::exec::execute_planned(w, sql).await?;
        }
        w.message(format!(
            "Adopted the database: ran {} schema statements",
            statements.len()
        ));
        w.detail("statements", statements);
        Ok(plan)
    }
}

/// Adopts and then reads the catalog again, so the new parts are used at once.
pub async fn adopt(ctx: &Ctx, expected: Vec<String>) -> Result<AdoptPlan> {
    let plan = crate::ops::run(ctx, Adopt { expected }).await?;
    ctx.db.refresh_shape().await?;
    Ok(plan)
}

/// The migration version that creates `audit_log`: going below it removes the audit trail.
pub const AUDIT_LOG_VERSION: i64 = 2;

/// What the operator said about a schema change (migrate up, or down to `target`).
#[derive(Debug, Clone, Default)]
pub struct SchemaChange {
    /// `None`: migrate up to the newest version.
    pub target: Option<i64>,
    /// The explicit "yes" a database without any admin needs.
    pub yes: bool,
    /// The database's name, typed, to go below the audit log's version.
    pub confirm_database: Option<String>,
}

/// Who may change the schema: on a database with an admin, only an admin (checked, and a
/// refusal recorded, like any permission); on one without, only with an explicit `yes` (a
/// migration up of a database without users needs neither). Going
/// below [`AUDIT_LOG_VERSION`] also needs the database's name typed, since it removes the
/// audit trail itself (and no row can record it).
pub async fn authorize_schema_change(ctx: &Ctx, change: &SchemaChange) -> Result<()> {
    ctx.writable()?;
    let resource = if change.target.is_some() {
        "schema.downgrade"
    } else {
        "schema.migrate"
    };
    let has_users = ctx.db.shape().has_table("users");
    let has_admin = has_users && crate::ops::users::admin_count(&ctx.db).await? > 0;
    // migrating up a database nobody uses yet (no users) loses nothing and needs no one
    let fresh = change.target.is_none()
        && (!has_users || crate::ops::users::user_count(&ctx.db).await? == 0);
    if has_admin {
        ctx.authorize(Permission::ManageSchema, resource).await?;
    } else if !fresh && !change.yes {
        return Err(Error::invalid(
            "yes",
            format!(
                "this database has no admin who could approve {resource}; pass --yes to do it \
                 anyway with the database's own credentials"
            ),
        ));
    }
    let current = ctx
        .db
        .applied_versions()
        .await?
        .last()
        .copied()
        .unwrap_or(0);
    if let Some(target) = change.target {
        if target < AUDIT_LOG_VERSION && current >= AUDIT_LOG_VERSION {
            let name = ctx.url().database_name();
            if change.confirm_database.as_deref() != Some(name.as_str()) {
                return Err(Error::invalid(
                    "confirm_database",
                    format!(
                        "going below version {AUDIT_LOG_VERSION} deletes the audit log and every \
                         table it protects; type the database's name to confirm: \
                         --confirm-database {name}"
                    ),
                ));
            }
        }
    }
    Ok(())
}
