//! The explorer's reads: every table of any database, and the rows of any table through the
//! one list engine. On a WhoDis database they pass the operator's role like every read; on any
//! other database there are no roles to ask, and the database login is the boundary.

use crate::error::Result;
use crate::explore::{self, Discovered, TableSummary};
use crate::list::{self, ListQuery, Page, Total};
use crate::ops::{Ctx, Permission};

pub(crate) async fn authorize_read(ctx: &Ctx, resource: &str) -> Result<()> {
    if ctx.db.shape().is_whodis() {
        ctx.authorize(Permission::Read, resource).await?;
    }
    Ok(())
}

/// [`authorize_read`]'s check made while the rows are read ([`Ctx::read`]).
async fn read<T>(
    ctx: &Ctx,
    resource: &str,
    rows: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    if ctx.db.shape().is_whodis() {
        ctx.read(resource, rows).await
    } else {
        rows.await
    }
}

/// Every table with its columns, keys, links both ways, conventions and a row estimate.
pub async fn tables(ctx: &Ctx) -> Result<Vec<TableSummary>> {
    authorize_read(ctx, "explore.tables").await?;
    let shape = ctx.db.shape();
    let estimates = crate::dialect::estimated_rows_all(&mut ctx.db.conn().await?, &shape).await?;
    shape
        .table_names()
        .map(|name| {
            let mut summary = explore::summarize(&shape, name)?;
            summary.row_estimate = estimates.get(name).copied().unwrap_or(0);
            Ok(summary)
        })
        .collect()
}

/// Reads the catalog again and lists every table ([`tables`]): a table or column the server
/// (or someone by hand) added while the app was open is explored like the rest.
pub async fn reread_tables(ctx: &Ctx) -> Result<Vec<TableSummary>> {
    authorize_read(ctx, "explore.tables").await?;
    ctx.db.refresh_shape().await?;
    tables(ctx).await
}

/// A page of any table, in its safe form.
pub async fn list(ctx: &Ctx, table: &str, query: &ListQuery) -> Result<Page> {
    read(ctx, table, async {
        let discovered = Discovered::of(&ctx.db.shape(), table)?;
        list::list_discovered(&mut ctx.db.conn().await?, &discovered, query).await
    })
    .await
}

/// How many rows of any table the filters select.
pub async fn count(ctx: &Ctx, table: &str, query: &ListQuery) -> Result<Total> {
    read(ctx, table, async {
        let discovered = Discovered::of(&ctx.db.shape(), table)?;
        list::total_discovered(&mut ctx.db.conn().await?, &discovered, query).await
    })
    .await
}

/// The compiled model behind `name` where the app has one for this database: a WhoDis table
/// on a WhoDis database keeps its model (computed columns, masking by content).
pub(crate) fn model_of(ctx: &Ctx, name: &str) -> Option<crate::tables::Table> {
    let table = crate::tables::Table::parse(name).ok()?;
    ctx.db.shape().is_whodis().then_some(table)
}

/// The name a table is listed under: a model name (`User`) becomes its table's.
pub fn table_name(name: &str) -> String {
    crate::tables::Table::parse(name).map_or_else(|_| name.to_owned(), |t| t.name().to_owned())
}

/// A page of any table by name: through its model where there is one, else the explorer's.
pub async fn list_any(ctx: &Ctx, name: &str, query: &ListQuery) -> Result<Page> {
    match model_of(ctx, name) {
        Some(table) => crate::ops::list(ctx, table, query).await,
        None => list(ctx, &table_name(name), query).await,
    }
}

/// The total of any table by name (see [`list_any`]).
pub async fn count_any(ctx: &Ctx, name: &str, query: &ListQuery) -> Result<Total> {
    match model_of(ctx, name) {
        Some(table) => crate::ops::count(ctx, table, query).await,
        None => count(ctx, &table_name(name), query).await,
    }
}

/// The columns of any table by name (see [`list_any`]).
pub async fn columns_any(ctx: &Ctx, name: &str) -> Result<Vec<crate::model::Column>> {
    match model_of(ctx, name) {
        Some(table) => crate::ops::columns(ctx, table).await,
        None => {
            let name = table_name(name);
            authorize_read(ctx, &name).await?;
            Ok(Discovered::of(&ctx.db.shape(), &name)?.listed_columns())
        }
    }
}
