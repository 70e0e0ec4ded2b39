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
