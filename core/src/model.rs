//! The seed's `BaseModel`, `TimestampMixin` and `SerializableMixin`, once, for every model.
//!
//! A model is a plain struct declared with [`define_model!`]; that macro records its table and
//! columns and gives it the seed's methods (`get_by_id`, `get_or_create`, `save`, `update`,
//! `delete`, `to_dict`, `to_json_safe`), each a thin call into the generic functions below.
//! Every method takes an executor: pass a pooled connection to commit on its own, or a `Tx` to
//! commit several operations together (the seed's `commit=False`).

use sea_query::{Alias, Condition, Expr, Query, SimpleExpr, Value};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};
use crate::exec::{self, Executor, Row};
use crate::time::{now, Timestamp};

/// The storage kind of a column, as the list engine and the explorer need it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Int,
    Text,
    Bool,
    Timestamp,
    Json,
    Bytes,
    /// A float or decimal (explored tables; no model has one).
    Number,
    /// Any other catalog type (date, UUID, enum, interval, …), shown as its text; only
    /// null / not null filter it (explored tables).
    Other,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    pub nullable: bool,
    /// Sorting is offered only on indexed columns, so a page never needs a full scan.
    pub sortable: bool,
    /// Dropped from the safe form (`to_json_safe`) because the name looks secret.
    pub sensitive: bool,
    /// How much of a shown value anyone may see and search by.
    pub masking: Masking,
}

/// How a shown column is protected. A masked value can be neither filtered nor sorted in a way
/// that would let a reader recover it a guess at a time (`gte` bisection, `contains`).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Masking {
    Clear,
    /// May hold a secret by content (a plaintext setting named like a password): masked per
    /// row by the model, never filtered or sorted.
    Content,
    /// A bearer identifier (a session id): shown by its first characters; only an exact match
    /// (or null / not null) filters by it, and it is never sorted by.
    Prefix,
}

/// Columns whose value is a credential-like identifier, shown by its start only.
pub fn masking_of(name: &str) -> Masking {
    if name == "session_id" {
        Masking::Prefix
    } else {
        Masking::Clear
    }
}

/// How many characters of a [`Masking::Prefix`] value are shown: enough to tell rows apart.
pub const PREFIX_SHOWN: usize = 8;

/// `4819fe12…` for a session id; a value too short to shorten safely shows as `••••`.
pub fn prefix_of(value: &str) -> String {
    match value.char_indices().nth(PREFIX_SHOWN) {
        Some((end, _)) if value.chars().count() > 2 * PREFIX_SHOWN => format!("{}…", &value[..end]),
        _ => "••••".to_owned(),
    }
}

/// Maps a Rust field type to its column kind.
pub trait ColumnType {
    const KIND: ColumnKind;
    const NULLABLE: bool = false;
}
impl ColumnType for i64 {
    const KIND: ColumnKind = ColumnKind::Int;
}
impl ColumnType for String {
    const KIND: ColumnKind = ColumnKind::Text;
}
impl ColumnType for bool {
    const KIND: ColumnKind = ColumnKind::Bool;
}
impl ColumnType for crate::time::Timestamp {
    const KIND: ColumnKind = ColumnKind::Timestamp;
}
impl ColumnType for Json {
    const KIND: ColumnKind = ColumnKind::Json;
}
impl ColumnType for Vec<u8> {
    const KIND: ColumnKind = ColumnKind::Bytes;
}
impl<T: ColumnType> ColumnType for Option<T> {
    const KIND: ColumnKind = T::KIND;
    const NULLABLE: bool = true;
}

/// The seed's `to_json_safe` rule, applied to the *words* of a column name (split at `_`, `-`
/// and lowerCase→UpperCase): a column is secret when one of its words is password, passwd,
/// secret, token, key, hash, hashed, credential(s), jti or nonce — `access_token`, `hashed_password`,
/// `api_key`, `password_hash`, `client_secret`, `bind_password`.
///
/// Where this differs from the seed's wording ("fields containing password, secret, token, key,
/// hash"): a word inside another word does not count (`keystone_data`, `input_tokens`, a
/// count); a name whose last word describes the secret rather than holding it is not secret
/// (`token_type` = "Bearer", `key_id`, `token_expires_at`, `time_to_first_token_ms`); and a
/// column named just `key` names a setting (`configuration.key` = `bind_password`) rather than
/// holding a key.
/// Values that are secret by content are masked per model in [`Validate::mask`].
pub fn is_sensitive(name: &str) -> bool {
    const SECRET: [&str; 11] = [
        "password",
        "passwd",
        "secret",
        "token",
        "key",
        "hash",
        "hashed",
        "credential",
        "credentials",
        // a JWT's id and a reset token's nonce: what a blacklist or a used-token table keys on
        "jti",
        "nonce",
    ];
    const DESCRIBES: [&str; 17] = [
        "type",
        "kind",
        "id",
        "name",
        "at",
        "expires",
        "expiry",
        "count",
        "length",
        "format",
        "version",
        "algorithm",
        // measures about a secret or a token (`time_to_first_token_ms`, `token_limit`)
        "ms",
        "seconds",
        "limit",
        "used",
        "total",
    ];
    let words = name_words(name);
    if words.len() == 1 && words[0] == "key" {
        return false;
    }
    let Some(last) = words.last() else {
        return false;
    };
    words.iter().any(|w| SECRET.contains(&w.as_str())) && !DESCRIBES.contains(&last.as_str())
}

/// `hashedPassword` / `hashed_password` / `Hashed-Password` → `["hashed", "password"]`.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            prev_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if ch.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Columns every model has, owned by the store: `id` and the two timestamps.
pub const STORE_COLUMNS: [&str; 3] = ["id", "created_at", "updated_at"];

/// What [`define_model!`] implements for each model.
pub trait Model: Row + Serialize + Default + Clone + Sync + 'static {
    /// Table name, as in the seed.
    const TABLE: &'static str;
    /// Model name, as in the seed (`User`, `AuditLog`, …).
    const NAME: &'static str;
    /// Writable columns: all but `id`, `created_at`, `updated_at`, in declaration order.
    const COLUMNS: &'static [&'static str];
    /// Indexed columns offered for sorting (besides `created_at` and `id`).
    const SORTABLE: &'static [&'static str];
    /// Columns the database computes for each listed row (`computed` in [`define_model!`]);
    /// never written, and not among [`Model::columns`], which are the table's own.
    const COMPUTED: &'static [crate::computed::Computed] = &[];

    fn id(&self) -> i64;
    fn updated_at(&self) -> Option<Timestamp>;
    /// Values of [`Model::COLUMNS`], in the same order, ready to bind.
    fn values(&self) -> Vec<Value>;
    /// Sets one writable field from JSON; a wrong type is an `Invalid` error naming the field.
    fn set_field(&mut self, name: &str, value: Json) -> Result<()>;
    /// All columns, with their kinds.
    fn columns() -> Vec<Column>;
    /// Business rules checked before every write.
    fn validate(&self) -> Result<()>;
    /// The seed's column defaults, for fields left empty.
    fn fill_defaults(&mut self);
    /// The model's own masking of its safe form ([`Validate::mask`]).
    fn mask_safe_form(safe: &mut Map<String, Json>);
    /// The seed's `to_dict()`, taking the model: its text and JSON move into the map rather
    /// than being copied (a listed page makes one per row).
    fn into_dict(self) -> Map<String, Json>;
}

pub(crate) fn table<M: Model>() -> Alias {
    Alias::new(M::TABLE)
}

pub(crate) fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// The model's columns this database has, by name. Statements name them rather than `SELECT *`
/// or `RETURNING *`: PostgreSQL refuses to run a prepared statement whose result columns changed
/// ("cached plan must not change result type"), and a pooled connection keeps its prepared
/// statements across an adopt that adds columns to the table.
pub fn stored_columns<M: Model>(shape: &crate::schema::Shape) -> Vec<Alias> {
    M::columns()
        .into_iter()
        .filter(|c| shape.has_column(M::TABLE, c.name))
        .map(|c| Alias::new(c.name))
        .collect()
}

fn returning<M: Model>(shape: &crate::schema::Shape) -> sea_query::ReturningClause {
    Query::returning().columns(stored_columns::<M>(shape))
}

pub async fn get_by_id<M: Model>(ex: &mut impl Executor, id: i64) -> Result<Option<M>> {
    require_table::<M>(ex)?;
    let stmt = Query::select()
        .columns(stored_columns::<M>(ex.shape()))
        .from(table::<M>())
        .and_where(col("id").eq(id))
        .to_owned();
    exec::fetch_optional(ex, &stmt).await
}

/// Like [`get_by_id`], but a missing row is a `NotFound` error.
pub async fn require<M: Model>(ex: &mut impl Executor, id: i64) -> Result<M> {
    get_by_id(ex, id)
        .await?
        .ok_or_else(|| Error::not_found(M::NAME, format!("id {id}")))
}

/// Like [`require`], and the row stays locked against other writers until the transaction ends
/// (PostgreSQL `FOR UPDATE`; SQLite's write transactions are serial already): a check of its
/// version and the write that follows cannot be overtaken by a concurrent change.
pub async fn require_locked<M: Model>(ex: &mut impl Executor, id: i64) -> Result<M> {
    find_one_locked(ex, Condition::all().add(col("id").eq(id)))
        .await?
        .ok_or_else(|| Error::not_found(M::NAME, format!("id {id}")))
}

/// Like [`find_one`], with the row locked as in [`require_locked`].
pub async fn find_one_locked<M: Model>(
    ex: &mut impl Executor,
    cond: Condition,
) -> Result<Option<M>> {
    require_table::<M>(ex)?;
    let stmt = select_where::<M>(ex.shape(), cond)
        .limit(1)
        .lock(sea_query::LockType::Update)
        .to_owned();
    exec::fetch_optional(ex, &stmt).await
}

/// Rows matching a condition, oldest first. For small result sets; big tables go through
/// [`crate::list`].
pub async fn find<M: Model>(ex: &mut impl Executor, cond: Condition) -> Result<Vec<M>> {
    require_table::<M>(ex)?;
    let stmt = select_where::<M>(ex.shape(), cond);
    exec::fetch_all(ex, &stmt).await
}

pub async fn find_one<M: Model>(ex: &mut impl Executor, cond: Condition) -> Result<Option<M>> {
    require_table::<M>(ex)?;
    let stmt = select_where::<M>(ex.shape(), cond).limit(1).to_owned();
    exec::fetch_optional(ex, &stmt).await
}

fn select_where<M: Model>(
    shape: &crate::schema::Shape,
    cond: Condition,
) -> sea_query::SelectStatement {
    Query::select()
        .columns(stored_columns::<M>(shape))
        .from(table::<M>())
        .cond_where(cond)
        .order_by(Alias::new("id"), sea_query::Order::Asc)
        .to_owned()
}

/// A model built from its defaults plus the given fields (each checked by name and type).
pub fn build<M: Model>(fields: &Map<String, Json>) -> Result<M> {
    let mut model = M::default();
    apply_fields(&mut model, fields)?;
    model.fill_defaults();
    Ok(model)
}

fn apply_fields<M: Model>(model: &mut M, fields: &Map<String, Json>) -> Result<()> {
    for (name, value) in fields {
        if STORE_COLUMNS.contains(&name.as_str()) {
            return Err(Error::invalid(
                name,
                "is set by the store and cannot be written",
            ));
        }
        // a secret column never reaches an editor, so an edit of it could only overwrite a
        // value nobody saw
        if is_sensitive(name) {
            return Err(Error::invalid(
                name,
                "is a secret column: it is never shown, so it cannot be edited field by field",
            ));
        }
        model.set_field(name, value.clone())?;
    }
    Ok(())
}

/// The seed's `get_or_create(**kwargs)`: the first row whose fields equal `fields`, or a new
/// row made of them. Returns `(model, created)`.
pub async fn get_or_create<M: Model>(
    ex: &mut impl Executor,
    fields: &Map<String, Json>,
) -> Result<(M, bool)> {
    let mut candidate: M = build(fields)?;
    let values = candidate.values();
    let mut cond = Condition::all();
    for name in fields.keys() {
        let i = M::COLUMNS
            .iter()
            .position(|c| c == name)
            .unwrap_or_default();
        cond = cond.add(equals(name, values[i].clone()));
    }
    if let Some(existing) = find_one::<M>(ex, cond).await? {
        return Ok((existing, false));
    }
    save(ex, &mut candidate).await?;
    Ok((candidate, true))
}

/// `column = value`, or `column IS NULL` for a null value (SQL's `= NULL` is never true).
pub(crate) fn equals(column: &str, value: Value) -> SimpleExpr {
    if value_is_null(&value) {
        col(column).is_null()
    } else {
        col(column).eq(value)
    }
}

fn value_is_null(v: &Value) -> bool {
    matches!(
        v,
        Value::String(None)
            | Value::BigInt(None)
            | Value::Bool(None)
            | Value::Bytes(None)
            | Value::Json(None)
            | Value::ChronoDateTimeUtc(None)
    )
}

/// Inserts a new model (`id == 0`) or updates an existing one, after `validate`. The store
/// sets `created_at` once and `updated_at` on every write; the row read back replaces `model`.
pub async fn save<M: Model>(ex: &mut impl Executor, model: &mut M) -> Result<()> {
    write(ex, model, None).await
}

/// Like [`save`] for an existing row, but only if nobody changed it since it was read:
/// `expected` is the `updated_at` the caller saw (`None`: the row had none). The check and the
/// write are one statement, so no concurrent writer can slip in between; a stale row is a
/// `Conflict`. A table without `updated_at` (the server's `configuration`) cannot tell, and is
/// written by id.
pub async fn save_if_unchanged<M: Model>(
    ex: &mut impl Executor,
    model: &mut M,
    expected: Option<Timestamp>,
) -> Result<()> {
    if model.id() == 0 {
        return Err(Error::invalid(
            "id",
            "only a stored row can be saved conditionally",
        ));
    }
    write(ex, model, Some(expected)).await
}

/// Inserts `model` under a given `id` (a deleted row put back where it was, so what names it
/// finds it again), after `validate`; an id in use is a `Conflict`. The row read back replaces
/// `model`.
pub async fn insert_with_id<M: Model>(
    ex: &mut impl Executor,
    model: &mut M,
    id: i64,
) -> Result<()> {
    model.validate()?;
    refuse_nul::<M>(&model.values())?;
    require_table::<M>(ex)?;
    let stamp = now();
    let shape = ex.shape();
    let present = |c: &str| shape.has_column(M::TABLE, c);
    let mut columns = vec![Alias::new("id")];
    let mut row: Vec<SimpleExpr> = vec![id.into()];
    for (c, v) in M::COLUMNS.iter().zip(model.values()) {
        if present(c) {
            columns.push(Alias::new(*c));
            row.push(SimpleExpr::Value(v));
        }
    }
    for stamped in ["created_at", "updated_at"] {
        if present(stamped) {
            columns.push(Alias::new(stamped));
            row.push(stamp.into());
        }
    }
    let stmt = Query::insert()
        .into_table(table::<M>())
        .columns(columns)
        .values(row)
        .map_err(|e| Error::invalid(M::NAME, e.to_string()))?
        .returning(returning::<M>(ex.shape()))
        .to_owned();
    *model = exec::fetch_one(ex, &stmt).await?;
    Ok(())
}

/// The table of `M`, or a clear error when this database does not have it.
pub fn require_table<M: Model>(ex: &impl Executor) -> Result<()> {
    if ex.shape().has_table(M::TABLE) {
        return Ok(());
    }
    Err(Error::not_found(
        "table",
        format!(
            "{} ({}): this database has no such table; adopting the database adds it \
             (Schema → Adopt… in the window, `whodis-admin adopt --plan` on the command line)",
            M::TABLE,
            M::NAME
        ),
    ))
}

async fn write<M: Model>(
    ex: &mut impl Executor,
    model: &mut M,
    guard: Option<Option<Timestamp>>,
) -> Result<()> {
    model.validate()?;
    refuse_nul::<M>(&model.values())?;
    require_table::<M>(ex)?;
    let stamp = now();
    let shape = ex.shape();
    let present = |c: &str| shape.has_column(M::TABLE, c);
    // only the columns this database has: another program's table may lack some of ours
    let mut assignments: Vec<(Alias, SimpleExpr)> = M::COLUMNS
        .iter()
        .zip(model.values())
        .filter(|(c, _)| present(c))
        .map(|(c, v)| (Alias::new(*c), SimpleExpr::Value(v)))
        .collect();
    let has_updated_at = present("updated_at");
    if has_updated_at {
        assignments.push((Alias::new("updated_at"), stamp.into()));
    }
    let saved: M = if model.id() == 0 {
        if present("created_at") {
            assignments.push((Alias::new("created_at"), stamp.into()));
        }
        let (columns, row): (Vec<Alias>, Vec<SimpleExpr>) = assignments.into_iter().unzip();
        let stmt = Query::insert()
            .into_table(table::<M>())
            .columns(columns)
            .values(row)
            .map_err(|e| Error::invalid(M::NAME, e.to_string()))?
            .returning(returning::<M>(ex.shape()))
            .to_owned();
        exec::fetch_one(ex, &stmt).await?
    } else {
        let guard = guard.filter(|_| has_updated_at);
        let stmt = Query::update()
            .table(table::<M>())
            .values(assignments)
            .cond_where(row_condition(model.id(), guard))
            .returning(returning::<M>(ex.shape()))
            .to_owned();
        match exec::fetch_optional(ex, &stmt).await? {
            Some(row) => row,
            None => return Err(missing_or_stale::<M>(ex, model.id(), guard).await),
        }
    };
    *model = saved;
    Ok(())
}

/// A NUL character cannot be stored by PostgreSQL (SQLite would keep it and cut it off in most
/// readers): refused on both backends, naming the field.
fn refuse_nul<M: Model>(values: &[Value]) -> Result<()> {
    for (column, value) in M::COLUMNS.iter().zip(values) {
        let holds_nul = match value {
            Value::String(Some(s)) => s.contains('\0'),
            Value::Json(Some(j)) => j.to_string().contains("\\u0000"),
            _ => false,
        };
        if holds_nul {
            return Err(Error::invalid(
                *column,
                "contains a NUL character, which the database cannot store",
            ));
        }
    }
    Ok(())
}

/// `id = ?`, plus `updated_at = ?` (or `IS NULL`) when the caller expects a particular version
/// of the row.
fn row_condition(id: i64, guard: Option<Option<Timestamp>>) -> Condition {
    let cond = Condition::all().add(col("id").eq(id));
    match guard {
        Some(Some(at)) => cond.add(col("updated_at").eq(at)),
        Some(None) => cond.add(col("updated_at").is_null()),
        None => cond,
    }
}

/// Why a write by id touched nothing: the row is gone, or it changed since it was read.
async fn missing_or_stale<M: Model>(
    ex: &mut impl Executor,
    id: i64,
    guard: Option<Option<Timestamp>>,
) -> Error {
    match (guard, get_by_id::<M>(ex, id).await) {
        (Some(_), Ok(Some(current))) => stale::<M>(&current),
        (_, Err(e)) => e,
        _ => Error::not_found(M::NAME, format!("id {id}")),
    }
}

/// The `Conflict` for a row changed by someone else since it was read.
pub fn stale<M: Model>(current: &M) -> Error {
    let when = current
        .updated_at()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| "an unrecorded time".into());
    Error::Conflict {
        field: Some("updated_at".into()),
        message: format!(
            "{} {} was changed by someone else at {when}; reload it and apply your change again",
            M::NAME,
            current.id(),
        ),
    }
}

/// The seed's `update(**kwargs)`: sets the named fields, validates, saves. Unknown fields,
/// store-owned fields and wrong types are refused before anything is written.
pub async fn update<M: Model>(
    ex: &mut impl Executor,
    model: &mut M,
    fields: &Map<String, Json>,
) -> Result<()> {
    let mut changed = model.clone();
    apply_fields(&mut changed, fields)?;
    save(ex, &mut changed).await?;
    *model = changed;
    Ok(())
}

pub async fn delete<M: Model>(ex: &mut impl Executor, model: &M) -> Result<()> {
    delete_by_id::<M>(ex, model.id()).await
}

pub async fn delete_by_id<M: Model>(ex: &mut impl Executor, id: i64) -> Result<()> {
    remove::<M>(ex, id, None).await
}

/// Deletes a row only if it is still the version the caller read (see [`save_if_unchanged`]).
pub async fn delete_if_unchanged<M: Model>(
    ex: &mut impl Executor,
    id: i64,
    expected: Option<Timestamp>,
) -> Result<()> {
    remove::<M>(ex, id, Some(expected)).await
}

async fn remove<M: Model>(
    ex: &mut impl Executor,
    id: i64,
    guard: Option<Option<Timestamp>>,
) -> Result<()> {
    require_table::<M>(ex)?;
    let guard = guard.filter(|_| ex.shape().has_column(M::TABLE, "updated_at"));
    let stmt = Query::delete()
        .from_table(table::<M>())
        .cond_where(row_condition(id, guard))
        .to_owned();
    match exec::execute(ex, &stmt).await? {
        0 => Err(missing_or_stale::<M>(ex, id, guard).await),
        _ => Ok(()),
    }
}

/// The seed's `to_dict(exclude)`.
pub fn to_dict<M: Model>(model: &M, exclude: &[&str]) -> Map<String, Json> {
    let mut map = model.clone().into_dict();
    map.retain(|k, _| !exclude.contains(&k.as_str()));
    map
}

/// A field's value as the JSON its `Serialize` writes (a unit test holds every model's
/// [`Model::into_dict`] to `serde_json::to_value`), taken by value.
pub trait IntoJson {
    fn into_json(self) -> Json;
}

/// Values whose JSON is serde_json's own conversion.
macro_rules! into_json_as_is {
    ($($ty:ty),*) => {$(
        impl IntoJson for $ty {
            fn into_json(self) -> Json {
                Json::from(self)
            }
        }
    )*};
}
into_json_as_is!(i64, u64, bool, String, Json);

impl IntoJson for Timestamp {
    fn into_json(self) -> Json {
        Json::String(crate::time::json_text(&self))
    }
}

/// As [`base64_bytes`] writes them: every byte field is declared with it.
impl IntoJson for Vec<u8> {
    fn into_json(self) -> Json {
        use base64::Engine;
        Json::String(base64::engine::general_purpose::STANDARD.encode(self))
    }
}

impl<T: IntoJson> IntoJson for Option<T> {
    fn into_json(self) -> Json {
        self.map_or(Json::Null, IntoJson::into_json)
    }
}

/// The seed's `to_json_safe()`: drops every field whose name looks secret, shows bearer
/// identifiers by their start, and lets the model mask what is secret by content.
pub fn to_json_safe<M: Model>(model: &M) -> Map<String, Json> {
    let mut map = to_dict(model, &[]);
    SafeForm::for_fields(map.keys()).apply::<M>(&mut map);
    map
}

/// The safe form's rules for one model's fields, worked out once: a page of rows applies them
/// to each row without judging every field name again (that was most of a page's cost).
pub struct SafeForm {
    hidden: Vec<String>,
    prefixed: Vec<String>,
}

impl SafeForm {
    pub fn for_fields<'a>(names: impl Iterator<Item = &'a String>) -> Self {
        let mut form = SafeForm {
            hidden: Vec::new(),
            prefixed: Vec::new(),
        };
        for name in names {
            if is_sensitive(name) {
                form.hidden.push(name.clone());
            } else if masking_of(name) == Masking::Prefix {
                form.prefixed.push(name.clone());
            }
        }
        form
    }

    /// Also leaves out `name` (a list leaves out byte columns).
    pub fn hide(&mut self, name: &str) {
        self.hidden.push(name.to_owned());
    }

    pub fn apply<M: Model>(&self, map: &mut Map<String, Json>) {
        self.apply_rules(map);
        M::mask_safe_form(map);
    }

    /// The name rules alone, for a table no model masks by content (the explorer's).
    pub fn apply_rules(&self, map: &mut Map<String, Json>) {
        for name in &self.hidden {
            map.remove(name);
        }
        for name in &self.prefixed {
            if let Some(Json::String(text)) = map.get_mut(name) {
                *text = prefix_of(text);
            }
        }
    }
}

/// Serde for optional byte columns as base64 text (the form `to_dict` shows them in).
pub mod base64_bytes {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(bytes) => s.serialize_str(&ENGINE.encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| ENGINE.decode(t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// Declares a model: the struct (with `id` and the store's timestamps added), its `Model`
/// implementation, a `Debug` that redacts sensitive fields, and the seed's methods.
#[macro_export]
macro_rules! define_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $table:literal sortable [$($sort:literal),*]
            $(computed $computed:path)? {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[derive(Clone, Default, PartialEq, serde::Serialize)]
        pub struct $name {
            pub id: i64,
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Set by the store; `None` only in a row another program wrote without it (or in a
            /// table that has no such column).
            pub created_at: Option<$crate::time::Timestamp>,
            pub updated_at: Option<$crate::time::Timestamp>,
        }

        impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for $name {
            fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> std::result::Result<Self, sqlx::Error> {
                use $crate::codec::Cell;
                Ok($name {
                    id: Cell::sqlite(row, "id")?,
                    $( $field: Cell::sqlite(row, stringify!($field))?, )*
                    created_at: Cell::sqlite(row, "created_at")?,
                    updated_at: Cell::sqlite(row, "updated_at")?,
                })
            }
        }

        impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for $name {
            fn from_row(row: &'r sqlx::postgres::PgRow) -> std::result::Result<Self, sqlx::Error> {
                use $crate::codec::Cell;
                Ok($name {
                    id: Cell::pg(row, "id")?,
                    $( $field: Cell::pg(row, stringify!($field))?, )*
                    created_at: Cell::pg(row, "created_at")?,
                    updated_at: Cell::pg(row, "updated_at")?,
                })
            }
        }

        impl $crate::model::Model for $name {
            const TABLE: &'static str = $table;
            const NAME: &'static str = stringify!($name);
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            const SORTABLE: &'static [&'static str] = &[$($sort),*];
            $( const COMPUTED: &'static [$crate::computed::Computed] = $computed; )?

            fn id(&self) -> i64 {
                self.id
            }

            fn updated_at(&self) -> Option<$crate::time::Timestamp> {
                self.updated_at
            }

            fn values(&self) -> Vec<sea_query::Value> {
                vec![$( self.$field.clone().into() ),*]
            }

            fn set_field(&mut self, name: &str, value: serde_json::Value) -> $crate::Result<()> {
                match name {
                    $( stringify!($field) => {
                        #[derive(serde::Deserialize)]
                        struct One($(#[$fmeta])* $ty);
                        let One(v) = serde_json::from_value(value)
                            .map_err(|e| $crate::Error::invalid(name, e.to_string()))?;
                        self.$field = v;
                        Ok(())
                    } )*
                    _ => Err($crate::Error::invalid(
                        name,
                        format!("{} has no writable field '{}'", stringify!($name), name),
                    )),
                }
            }

            fn columns() -> Vec<$crate::model::Column> {
                use $crate::model::{Column, ColumnKind, ColumnType};
                let sortable = |n: &str| {
                    n == "id" || n == "created_at" || [$($sort),*].contains(&n)
                };
                let masking = |n: &str| {
                    if <$name as $crate::model::Validate>::MASKED_BY_CONTENT.contains(&n) {
                        $crate::model::Masking::Content
                    } else {
                        $crate::model::masking_of(n)
                    }
                };
                let clear = $crate::model::Masking::Clear;
                let mut cols = vec![Column {
                    name: "id", kind: ColumnKind::Int, nullable: false,
                    sortable: true, sensitive: false, masking: clear,
                }];
                $( cols.push(Column {
                    name: stringify!($field),
                    kind: <$ty as ColumnType>::KIND,
                    nullable: <$ty as ColumnType>::NULLABLE,
                    sortable: sortable(stringify!($field))
                        && masking(stringify!($field)) == clear,
                    sensitive: $crate::model::is_sensitive(stringify!($field)),
                    masking: masking(stringify!($field)),
                }); )*
                for ts in ["created_at", "updated_at"] {
                    cols.push(Column {
                        name: ts, kind: ColumnKind::Timestamp, nullable: true,
                        sortable: sortable(ts), sensitive: false, masking: clear,
                    });
                }
                cols
            }

            fn validate(&self) -> $crate::Result<()> {
                $crate::model::Validate::check(self)
            }

            fn mask_safe_form(safe: &mut serde_json::Map<String, serde_json::Value>) {
                <$name as $crate::model::Validate>::mask(safe)
            }

            fn fill_defaults(&mut self) {
                $crate::model::Validate::defaults(self)
            }

            fn into_dict(self) -> serde_json::Map<String, serde_json::Value> {
                use $crate::model::IntoJson;
                let mut map = serde_json::Map::new();
                map.insert("id".to_owned(), self.id.into_json());
                $( map.insert(stringify!($field).to_owned(), self.$field.into_json()); )*
                map.insert("created_at".to_owned(), self.created_at.into_json());
                map.insert("updated_at".to_owned(), self.updated_at.into_json());
                map
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct(stringify!($name));
                d.field("id", &self.id);
                $( if $crate::model::is_sensitive(stringify!($field)) {
                    d.field(stringify!($field), &"[redacted]");
                } else {
                    d.field(stringify!($field), &self.$field);
                } )*
                d.field("created_at", &self.created_at).field("updated_at", &self.updated_at).finish()
            }
        }

        impl $name {
            pub async fn get_by_id(
                ex: &mut impl $crate::exec::Executor, id: i64,
            ) -> $crate::Result<Option<Self>> {
                $crate::model::get_by_id(ex, id).await
            }

            pub async fn get_or_create(
                ex: &mut impl $crate::exec::Executor,
                fields: &serde_json::Map<String, serde_json::Value>,
            ) -> $crate::Result<(Self, bool)> {
                $crate::model::get_or_create(ex, fields).await
            }

            pub async fn save(&mut self, ex: &mut impl $crate::exec::Executor) -> $crate::Result<()> {
                $crate::model::save(ex, self).await
            }

            pub async fn update(
                &mut self,
                ex: &mut impl $crate::exec::Executor,
                fields: &serde_json::Map<String, serde_json::Value>,
            ) -> $crate::Result<()> {
                $crate::model::update(ex, self, fields).await
            }

            pub async fn delete(&self, ex: &mut impl $crate::exec::Executor) -> $crate::Result<()> {
                $crate::model::delete(ex, self).await
            }

            pub fn to_dict(&self, exclude: &[&str]) -> serde_json::Map<String, serde_json::Value> {
                $crate::model::to_dict(self, exclude)
            }

            pub fn to_json_safe(&self) -> serde_json::Map<String, serde_json::Value> {
                $crate::model::to_json_safe(self)
            }
        }
    };
}

/// Per-model business rules: column defaults for new models, and checks run by `save` before
/// every write. Most models have none.
pub trait Validate {
    /// Columns whose values [`Validate::mask`] may hide: never filtered or sorted by.
    const MASKED_BY_CONTENT: &'static [&'static str] = &[];

    /// Fills the seed's column defaults into a model built from fields (`get_or_create`).
    fn defaults(&mut self) {}

    fn check(&self) -> Result<()> {
        Ok(())
    }

    /// Hides in the safe form (`to_json_safe`) what is secret by its content rather than by
    /// its column's name; sensitive-named columns are gone already.
    fn mask(_safe: &mut Map<String, Json>) {}
}

/// The seed's `JSONDataMixin` over `additional_data`.
pub trait JsonData {
    fn additional_data(&self) -> &Option<Json>;
    fn additional_data_mut(&mut self) -> &mut Option<Json>;

    fn get_data(&self, key: &str) -> Option<&Json> {
        self.additional_data().as_ref()?.get(key)
    }

    fn set_data(&mut self, key: &str, value: impl Into<Json>) {
        let data = self.additional_data_mut();
        if !matches!(data, Some(Json::Object(_))) {
            *data = Some(Json::Object(Map::new()));
        }
        if let Some(Json::Object(map)) = data {
            map.insert(key.to_owned(), value.into());
        }
    }

    fn update_data(&mut self, values: Map<String, Json>) {
        for (k, v) in values {
            self.set_data(&k, v);
        }
    }
}

/// Implements [`JsonData`] for models with an `additional_data` column.
#[macro_export]
macro_rules! impl_json_data {
    ($($name:ident),*) => {$(
        impl $crate::model::JsonData for $name {
            fn additional_data(&self) -> &Option<serde_json::Value> { &self.additional_data }
            fn additional_data_mut(&mut self) -> &mut Option<serde_json::Value> {
                &mut self.additional_data
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    use super::{is_sensitive, ColumnKind, Model};
    use crate::tables::Table;
    use serde_json::json;

    /// Every model, empty and with every field filled, gives the same map from
    /// `into_dict` as from its `Serialize` (which the window's other views use).
    #[test]
    fn into_dict_is_the_serialized_model() {
        fn check<M: Model>() {
            let empty = M::default();
            let mut full = M::default();
            for c in M::columns() {
                if !M::COLUMNS.contains(&c.name) {
                    continue;
                }
                let value = match c.kind {
                    ColumnKind::Int => json!(7),
                    ColumnKind::Bool => json!(true),
                    ColumnKind::Timestamp => json!("2026-12-05T06:52:25.123456Z"),
                    ColumnKind::Json => json!({"a": [1, "b", null], "n": 2.5}),
                    ColumnKind::Bytes => json!("AQID"),
                    _ => json!("text with ünïcode"),
                };
                full.set_field(c.name, value)
                    .unwrap_or_else(|e| panic!("{}.{}: {e}", M::NAME, c.name));
            }
            for (what, model) in [("empty", empty), ("filled", full)] {
                let serialized = match serde_json::to_value(&model) {
                    Ok(serde_json::Value::Object(map)) => map,
                    other => panic!("{} serialized as {other:?}", M::NAME),
                };
                assert_eq!(model.into_dict(), serialized, "{} {what}", M::NAME);
            }
        }
        for &t in Table::ALL {
            crate::with_model!(t, M => check::<M>());
        }
    }

    #[test]
    fn secret_names_are_words_of_the_name() {
        // column names from the four seeds, and the forms the rule must catch
        for secret in [
            "access_token",
            "hashed_password",
            "password_hash",
            "api_key",
            "client_secret",
            "bind_password",
            "token",
            "refresh_token",
            "hashedPassword",
            "API-Key",
            "db_credentials",
        ] {
            assert!(is_sensitive(secret), "{secret} must be secret");
        }
        for plain in [
            "keystone_data",
            "token_type",
            "key",
            "input_tokens",
            "output_tokens",
            "session_id",
            "search_query",
            "photo_data",
            "value_plaintext",
            "is_encrypted",
            "primary_keys_count",
            "token_expires_at",
            "monkey",
            "hashtag",
            "email",
            "user_agent",
            "model_name",
            "cost_usd",
            "time_to_first_token_ms",
            "token_limit",
        ] {
            assert!(!is_sensitive(plain), "{plain} must not be secret");
        }
    }
}
