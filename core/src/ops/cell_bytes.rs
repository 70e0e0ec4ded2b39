//! The bytes of one cell of an explored table (a file or an image a sibling system stored).
//! A list carries only each cell's size; here the drawer reads what the bytes are and how they
//! start, and the window's image view reads the bytes themselves. Bytes a table keeps as a
//! secret are never read, and WhoDis's own photos go through the directory's channel.

use sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};
use crate::exec;
use crate::explore::Discovered;
use crate::model::{Column, ColumnKind};
use crate::ops::{explore, Ctx};

/// How many leading bytes a preview shows.
pub const PREVIEW_BYTES: i32 = 256;
/// Larger cells are described but not loaded: an image of a 1 GB blob would hold it in memory.
pub const MAX_LOADED_BYTES: i64 = 16 * 1024 * 1024;

/// What one bytes cell holds.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BytesPreview {
    /// Bytes in the cell.
    pub size: i64,
    /// An image type recognised from the first bytes, if any.
    pub content_type: Option<String>,
    /// The first [`PREVIEW_BYTES`] bytes as lowercase hex.
    pub head_hex: String,
    /// Whether the window can load the whole cell ([`MAX_LOADED_BYTES`]).
    pub loadable: bool,
}

#[derive(sqlx::FromRow)]
struct Head {
    size: Option<i64>,
    head: Option<Vec<u8>>,
}

/// The table and column asked for, once the operator may read them: a bytes column of a
/// table the explorer found, not one of WhoDis's own, not a secret.
async fn bytes_column(ctx: &Ctx, table: &str, column: &str) -> Result<(Discovered, Column)> {
    if explore::model_of(ctx, table).is_some() {
        return Err(Error::invalid(
            "table",
            format!("'{table}' is a WhoDis table: its photos show on the profile screen"),
        ));
    }
    explore::authorize_read(ctx, table).await?;
    let d = Discovered::of(&ctx.db.shape(), table)?;
    let c = d.column(column)?.clone();
    if c.kind != ColumnKind::Bytes {
        return Err(Error::invalid(
            "column",
            format!("'{}' does not hold bytes", c.name),
        ));
    }
    if c.sensitive {
        return Err(Error::invalid(
            "column",
            format!("'{}' holds a secret: its bytes are never shown", c.name),
        ));
    }
    Ok((d, c))
}

/// Reads `select` of the row `key` names; `None` when the table has no such row.
async fn fetch_head(
    ctx: &Ctx,
    d: &Discovered,
    key: &Map<String, Json>,
    head: SimpleExpr,
    size: SimpleExpr,
) -> Result<Head> {
    let stmt = Query::select()
        .expr_as(size, Alias::new("size"))
        .expr_as(head, Alias::new("head"))
        .from(Alias::new(d.name))
        .cond_where(crate::list::key_condition(d, key)?)
        .limit(1)
        .to_owned();
    exec::fetch_optional::<Head>(&mut ctx.db.conn().await?, &stmt)
        .await?
        .ok_or_else(|| Error::not_found("row", format!("{} has no row with that key", d.name)))
}

/// The size, image type and first bytes of one cell; `None` when the cell is NULL.
pub async fn preview(
    ctx: &Ctx,
    table: &str,
    column: &str,
    key: &Map<String, Json>,
) -> Result<Option<BytesPreview>> {
    let (d, c) = bytes_column(ctx, table, column).await?;
    let head: SimpleExpr = Func::cust(Alias::new("substr"))
        .arg(Expr::col(Alias::new(c.name)))
        // INTEGER arguments: PostgreSQL has no substr(bytea, bigint, bigint)
        .arg(1i32)
        .arg(PREVIEW_BYTES)
        .into();
    let row = fetch_head(ctx, &d, key, head, crate::dialect::byte_size(c.name)).await?;
    let (Some(size), Some(head)) = (row.size, row.head) else {
        return Ok(None);
    };
    Ok(Some(BytesPreview {
        size,
        content_type: crate::photo::sniff_content_type(&head).map(str::to_owned),
        head_hex: head.iter().map(|b| format!("{b:02x}")).collect(),
        loadable: size <= MAX_LOADED_BYTES,
    }))
}

/// The whole cell, up to [`MAX_LOADED_BYTES`]; `None` when it is NULL.
pub async fn load(
    ctx: &Ctx,
    table: &str,
    column: &str,
    key: &Map<String, Json>,
) -> Result<Option<Vec<u8>>> {
    let (d, c) = bytes_column(ctx, table, column).await?;
    let size = crate::dialect::byte_size(c.name);
    // the bytes come back only when they fit, so a huge cell is refused without reading it
    let bytes = Expr::case(
        size.clone().lte(MAX_LOADED_BYTES),
        Expr::col(Alias::new(c.name)),
    )
    .into();
    let row = fetch_head(ctx, &d, key, bytes, size).await?;
    match (row.size, row.head) {
        (None, _) => Ok(None),
        (Some(_), Some(bytes)) => Ok(Some(bytes)),
        (Some(size), None) => Err(Error::invalid(
            "column",
            format!(
                "'{}' holds {size} bytes, more than the {} MiB the window loads",
                c.name,
                MAX_LOADED_BYTES >> 20
            ),
        )),
    }
}
