//! Database health: the size and upkeep report anyone who may read gets, and Analyze, an
//! admin's audited write.

use serde::Deserialize;

use crate::error::Result;
use crate::health::{self, Analyzed, DatabaseHealth};
use crate::ops::context::Ctx;
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};

/// The database's size, each table's and its indexes', rows and last upkeep. Needs only the
/// right to read, and reads only the catalog, so a read-only database login gets it too.
pub async fn report(ctx: &Ctx) -> Result<DatabaseHealth> {
    ctx.authorize(Permission::Read, "database.health").await?;
    health::report(&mut ctx.db.conn().await?).await
}

/// Refreshes the planner statistics of every table (PostgreSQL and SQLite `ANALYZE`), in the
/// operation's transaction with its audit row. A login the database does not let analyze is
/// refused by the database, and says so.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Analyze {}

impl Operation for Analyze {
    type Output = Analyzed;
    const NAME: &'static str = "database.analyze";

    fn permission(&self) -> Permission {
        Permission::MaintainDatabase
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<Analyzed> {
        let done = health::analyze(w).await?;
        let mut message = format!(
            "Analyzed the database: refreshed the statistics of {} tables",
            done.tables
        );
        if !done.skipped.is_empty() {
            message.push_str(&format!(
                "; {} skipped (this login may not analyze them)",
                done.skipped.len()
            ));
        }
        w.message(message);
        w.detail("tables", done.tables);
        w.detail("skipped", done.skipped.clone());
        Ok(done)
    }
}
