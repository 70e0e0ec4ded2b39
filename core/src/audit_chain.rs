//! The tamper-evident audit trail.
//!
//! Every `audit_log` row this app writes carries `additional_data.chain = {seq, mac}`:
//! `mac = HMAC-SHA256(chain key, previous mac || canonical content of this row)`, the first row's
//! previous mac being 32 zero bytes. The key is not in the database: it lives in the OS keyring
//! beside the database's data key (`chain:<entry>`), made on the first chained write and shared
//! between admins by recovery string (`keys export --chain`). Someone with write access to the
//! database but not the key can change, remove or add rows, but cannot make the chain agree
//! again; [`Verifier`] walks the rows in id order and names the first that does not fit.
//!
//! Rows the WhoDis server writes are outside the chain (they carry no `chain`), and so are this
//! app's rows written before the chain began. What the chain cannot show by itself is the loss
//! of its newest rows: the report names the last chained row so an admin can compare.

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};
use sha2::Sha256;

use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::exec::{Conn, Executor};
use crate::model::{col, Model};
use crate::models::AuditLog;
use sea_query::{Alias, Order, Query};

/// The key of `additional_data` that holds a row's link.
pub const FIELD: &str = "chain";

/// Rows the app writes carry `additional_data.app` = this.
const APP: &str = "whodis-admin";

/// A row's place in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub seq: i64,
    pub mac: [u8; 32],
}

impl Link {
    /// The link a row carries, if any: `Ok(None)` for a row outside the chain, `Err` for a
    /// `chain` field that is not a link (which only a hand edit makes).
    pub fn of(row: &AuditLog) -> std::result::Result<Option<Link>, String> {
        let Some(field) = row.additional_data.as_ref().and_then(|d| d.get(FIELD)) else {
            return Ok(None);
        };
        let seq = field.get("seq").and_then(Json::as_i64).filter(|n| *n > 0);
        let mac = field
            .get("mac")
            .and_then(Json::as_str)
            .and_then(decode_hex32);
        match (seq, mac) {
            (Some(seq), Some(mac)) => Ok(Some(Link { seq, mac })),
            _ => Err("its chain field is not a sequence number and a 64-digit MAC".into()),
        }
    }

    fn to_json(self) -> Json {
        json!({ "seq": self.seq, "mac": hex(&self.mac) })
    }
}

/// The link a row gets after `prev` (none: the first row of the chain).
pub fn seal(key: &DataKey, prev: Option<Link>, row: &AuditLog) -> Link {
    let seq = prev.map_or(1, |p| p.seq + 1);
    Link {
        seq,
        mac: mac(key, prev.map_or([0; 32], |p| p.mac), seq, row),
    }
}

/// Writes `link` into the row's `additional_data`.
pub fn attach(row: &mut AuditLog, link: Link) {
    let mut data = match row.additional_data.take() {
        Some(Json::Object(map)) => map,
        _ => Map::new(),
    };
    data.insert(FIELD.into(), link.to_json());
    row.additional_data = Some(Json::Object(data));
}

fn mac(key: &DataKey, prev: [u8; 32], seq: i64, row: &AuditLog) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key.expose()).expect("HMAC takes any key");
    m.update(b"whodis-admin audit chain v1\0");
    m.update(&prev);
    m.update(canonical(seq, row).as_bytes());
    m.finalize().into_bytes().into()
}

/// The content a MAC covers: every column but `updated_at`, and `additional_data` without
/// the link itself, as JSON with sorted keys (so PostgreSQL's `jsonb`, which reorders keys,
/// reads back the same text).
fn canonical(seq: i64, row: &AuditLog) -> String {
    let data = match &row.additional_data {
        Some(Json::Object(map)) => {
            let mut map = map.clone();
            map.remove(FIELD);
            sorted(Json::Object(map))
        }
        other => sorted(other.clone().unwrap_or(Json::Null)),
    };
    let created = row
        .created_at
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
    json!([
        seq,
        row.id,
        created,
        row.event_type,
        row.search_query,
        row.user_email,
        row.user_agent,
        row.ip_address,
        row.session_id,
        row.success,
        row.message,
        data
    ])
    .to_string()
}

/// A JSON value with every object's keys in sorted order, whatever order serde_json keeps.
fn sorted(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut entries: Vec<(String, Json)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Whether a row says it was written by this app (`additional_data.app`).
fn claims_app(row: &AuditLog) -> bool {
    row.additional_data
        .as_ref()
        .and_then(|d| d.get("app"))
        .and_then(Json::as_str)
        == Some(APP)
}

/// Takes the chain's lock for the rest of the transaction, so two writers cannot both append
/// after the same row. SQLite's write transactions (`BEGIN IMMEDIATE`) are serial already.
pub(crate) async fn lock(ex: &mut impl Executor) -> Result<()> {
    if let Conn::Postgres(c) = ex.conn() {
        // any fixed number: the lock names the chain, not a row
        sqlx::query("SELECT pg_advisory_xact_lock(7306298457190150400)")
            .execute(c)
            .await?;
    }
    Ok(())
}

/// The setting that says the chain has begun, written in the transaction that starts it. A
/// write reads this one row instead of searching the whole log for a link (no index can serve
/// that search, and a server's log holds millions of rows).
pub const STARTED_PATH: &str = "whodis_admin.audit_chain";

/// Whether the chain has begun, from [`STARTED_PATH`]; `None` where the database has no
/// `configuration` table to hold it (then only a search of the log can tell).
pub(crate) async fn started_mark(ex: &mut impl Executor) -> Result<Option<bool>> {
    use crate::models::Configuration;
    if !ex.shape().has_table(Configuration::TABLE) {
        return Ok(None);
    }
    let (category, key) = crate::models::configuration::split_path(STARTED_PATH)?;
    Ok(Some(
        Configuration::find(ex, category, key).await?.is_some(),
    ))
}

/// Marks the chain begun (in the starting transaction). Without a `configuration` table
/// nothing is written: writes then search the log.
pub(crate) async fn mark_started(ex: &mut impl Executor, at: &str) -> Result<()> {
    use crate::models::configuration::{Configuration, StoredValue};
    if !ex.shape().has_table(Configuration::TABLE) {
        return Ok(());
    }
    let (category, key) = crate::models::configuration::split_path(STARTED_PATH)?;
    Configuration::put(ex, category, key, StoredValue::Plain(Some(at.to_owned()))).await?;
    Ok(())
}

/// The newest chained row below id `before` (`i64::MAX`: of all) and its link, found by walking
/// back over the rows whose `additional_data` mentions the field (the server's rows in between
/// are skipped by the database, not fetched).
pub async fn newest_link(
    ex: &mut impl Executor,
    mut before: i64,
) -> Result<Option<(AuditLog, Link)>> {
    loop {
        let stmt = Query::select()
            .columns(crate::model::stored_columns::<AuditLog>(ex.shape()))
            .from(Alias::new(AuditLog::TABLE))
            .and_where(col("id").lt(before))
            .and_where(
                col("additional_data")
                    .cast_as(Alias::new("TEXT"))
                    .like("%\"chain\"%"),
            )
            .order_by(Alias::new("id"), Order::Desc)
            .limit(50)
            .to_owned();
        let rows: Vec<AuditLog> = crate::exec::fetch_all(ex, &stmt).await?;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        before = last.id;
        for row in rows {
            if let Ok(Some(link)) = Link::of(&row) {
                return Ok(Some((row, link)));
            }
        }
    }
}

/// Whether `key` is the one that sealed this database's newest chained row (any key fits a
/// database whose chain has not begun).
pub async fn key_fits(ex: &mut impl Executor, key: &DataKey) -> Result<bool> {
    let Some((row, link)) = newest_link(ex, i64::MAX).await? else {
        return Ok(true);
    };
    let prev = match newest_link(ex, row.id).await? {
        Some((_, prev)) if prev.seq + 1 == link.seq => Some(prev),
        _ if link.seq == 1 => None,
        // its predecessor is gone: nothing to check against
        _ => return Ok(false),
    };
    Ok(seal(key, prev, &row) == link)
}

/// What went wrong at one row.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Its content or link no longer matches its MAC.
    Altered,
    /// Chained rows before it are missing (its sequence number skips).
    Deleted,
    /// It repeats or goes back in the sequence: copied or inserted out of chain.
    Inserted,
    /// It says it is this app's but carries no link, though the chain had begun.
    Unchained,
    /// It cannot be read at all.
    Unreadable,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The `audit_log` id of the row where the chain breaks.
    pub id: i64,
    pub message: String,
}

/// The newest chained row, for comparing with what an admin last saw.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ChainEnd {
    pub id: i64,
    pub seq: i64,
    pub created_at: Option<crate::time::Timestamp>,
}

/// The outcome of walking the whole trail.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ChainReport {
    /// No problem found (also true when the chain has not begun).
    pub intact: bool,
    pub rows: i64,
    pub chained: i64,
    /// Rows without a link: the server's, and this app's from before the chain began.
    pub outside: i64,
    pub first: Option<ChainEnd>,
    pub last: Option<ChainEnd>,
    /// Up to [`MAX_PROBLEMS`], oldest first; the first is where the trail stops being provable.
    pub problems: Vec<Problem>,
    /// More problems were found than are listed.
    pub more_problems: bool,
    /// Fingerprint of the chain key used (safe to show).
    pub key_fingerprint: String,
}

pub const MAX_PROBLEMS: usize = 100;

/// Checks rows one by one in id order. After a problem it carries on from the row that broke
/// the chain, so each later break is reported on its own.
pub struct Verifier<'k> {
    key: &'k DataKey,
    prev: Option<Link>,
    report: ChainReport,
}

impl<'k> Verifier<'k> {
    pub fn new(key: &'k DataKey) -> Self {
        Verifier {
            key,
            prev: None,
            report: ChainReport {
                intact: true,
                rows: 0,
                chained: 0,
                outside: 0,
                first: None,
                last: None,
                problems: Vec::new(),
                more_problems: false,
                key_fingerprint: key.fingerprint(),
            },
        }
    }

    /// One row, or why it could not be decoded.
    pub fn push(&mut self, row: std::result::Result<AuditLog, crate::exec::BadRow>) {
        self.report.rows += 1;
        let row = match row {
            Ok(row) => row,
            Err(bad) => {
                let id = bad.id.unwrap_or_default();
                self.problem(ProblemKind::Unreadable, id, "the row cannot be read".into());
                return;
            }
        };
        let link = match Link::of(&row) {
            Ok(Some(link)) => link,
            Ok(None) => {
                self.report.outside += 1;
                if self.prev.is_some() && claims_app(&row) {
                    self.problem(
                        ProblemKind::Unchained,
                        row.id,
                        "says it was written by whodis-admin but is not in the chain: added \
                         by hand, or by an admin whose keyring lacks the chain key"
                            .into(),
                    );
                }
                return;
            }
            Err(why) => {
                self.problem(ProblemKind::Altered, row.id, why);
                return;
            }
        };
        self.report.chained += 1;
        let expected = self.prev.map_or(1, |p| p.seq + 1);
        let end = ChainEnd {
            id: row.id,
            seq: link.seq,
            created_at: row.created_at,
        };
        if self.report.first.is_none() {
            self.report.first = Some(end.clone());
        }
        self.report.last = Some(end);
        if link.seq > expected && self.prev.is_some() {
            let missing = link.seq - expected;
            self.problem(
                ProblemKind::Deleted,
                row.id,
                format!(
                    "{missing} chained row{} before it {} missing (sequence {expected}{})",
                    plural(missing),
                    if missing == 1 { "is" } else { "are" },
                    if missing == 1 {
                        String::new()
                    } else {
                        format!("–{}", link.seq - 1)
                    }
                ),
            );
        } else if link.seq < expected {
            self.problem(
                ProblemKind::Inserted,
                row.id,
                format!(
                    "its sequence number {} comes after {} already: a copied or inserted row",
                    link.seq,
                    expected - 1
                ),
            );
            // the rows after it still follow the original chain
            return;
        } else {
            let first = self.prev.is_none();
            let prev = if first && link.seq > 1 {
                // the chain's first rows are gone: nothing to check this MAC against
                self.problem(
                    ProblemKind::Deleted,
                    row.id,
                    format!(
                        "the chain's first {} row{} missing (it starts at sequence {})",
                        link.seq - 1,
                        if link.seq == 2 { " is" } else { "s are" },
                        link.seq
                    ),
                );
                None
            } else {
                Some(self.prev)
            };
            if let Some(prev) = prev {
                if seal(self.key, prev, &row) != link {
                    self.problem(
                        ProblemKind::Altered,
                        row.id,
                        "its content no longer matches its MAC: changed since it was written"
                            .into(),
                    );
                }
            }
        }
        self.prev = Some(link);
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> i64 {
        self.report.rows
    }

    fn problem(&mut self, kind: ProblemKind, id: i64, message: String) {
        self.report.intact = false;
        if self.report.problems.len() < MAX_PROBLEMS {
            self.report.problems.push(Problem { kind, id, message });
        } else {
            self.report.more_problems = true;
        }
    }

    pub fn finish(self) -> ChainReport {
        self.report
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A chain key problem worded for the operator.
pub(crate) fn key_missing() -> Error {
    Error::KeyMissing(
        "this database's audit trail is chained and this keyring has no chain key for it: \
         import it from an admin who has it (`keys export --chain` there, `keys import` here)"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, message: &str) -> AuditLog {
        AuditLog {
            id,
            created_at: Some(crate::time::now()),
            event_type: Some("admin".into()),
            message: Some(message.into()),
            additional_data: Some(json!({ "app": APP, "b": 1, "a": [ {"y": 2, "x": 1} ] })),
            ..Default::default()
        }
    }

    fn chained(key: &DataKey, n: i64) -> Vec<AuditLog> {
        let mut prev = None;
        (1..=n)
            .map(|id| {
                let mut r = row(id, &format!("change {id}"));
                let link = seal(key, prev, &r);
                attach(&mut r, link);
                prev = Some(link);
                r
            })
            .collect()
    }

    fn verify(key: &DataKey, rows: Vec<AuditLog>) -> ChainReport {
        let mut v = Verifier::new(key);
        rows.into_iter().for_each(|r| v.push(Ok(r)));
        v.finish()
    }

    fn key(byte: u8) -> DataKey {
        DataKey::from_bytes(&[byte; 32]).expect("32 bytes")
    }

    #[test]
    fn an_untouched_chain_verifies_and_key_order_does_not_matter() {
        let k = key(1);
        let mut rows = chained(&k, 5);
        // PostgreSQL's jsonb hands keys back in its own order
        let data = rows[2].additional_data.take().expect("data");
        let reordered: Map<String, Json> = data
            .as_object()
            .expect("object")
            .clone()
            .into_iter()
            .rev()
            .collect();
        rows[2].additional_data = Some(Json::Object(reordered));
        let report = verify(&k, rows);
        assert!(report.intact, "{:?}", report.problems);
        assert_eq!((report.chained, report.last.map(|e| e.seq)), (5, Some(5)));
    }

    #[test]
    fn each_kind_of_tampering_is_named_at_its_row() {
        let k = key(1);
        let mut altered = chained(&k, 4);
        altered[2].message = Some("changed".into());
        let r = verify(&k, altered);
        assert_eq!(
            (r.problems[0].kind, r.problems[0].id),
            (ProblemKind::Altered, 3)
        );
        assert_eq!(r.problems.len(), 1, "the rows after it still verify");

        let mut deleted = chained(&k, 4);
        deleted.remove(1);
        let r = verify(&k, deleted);
        assert_eq!(
            (r.problems[0].kind, r.problems[0].id),
            (ProblemKind::Deleted, 3)
        );

        let mut inserted = chained(&k, 4);
        let mut copy = inserted[1].clone();
        copy.id = 10;
        inserted.push(copy);
        let r = verify(&k, inserted);
        assert_eq!(
            (r.problems[0].kind, r.problems[0].id),
            (ProblemKind::Inserted, 10)
        );

        let mut unchained = chained(&k, 2);
        unchained.push(row(3, "no link"));
        let r = verify(&k, unchained);
        assert_eq!(
            (r.problems[0].kind, r.problems[0].id),
            (ProblemKind::Unchained, 3)
        );
    }

    #[test]
    fn another_key_cannot_make_a_chain_agree() {
        let rows = chained(&key(1), 3);
        let r = verify(&key(2), rows);
        assert!(!r.intact);
        assert_eq!(r.problems[0].id, 1);
    }

    #[test]
    fn rows_outside_the_chain_are_counted_not_flagged() {
        let k = key(1);
        let mut server = row(1, "search");
        server.additional_data = Some(json!({ "query": "x" }));
        let mut rows = vec![server.clone(), row(2, "before the chain began")];
        let mut tail = chained(&k, 2);
        for (i, r) in tail.iter_mut().enumerate() {
            r.id = 3 + i as i64;
        }
        // re-seal with the new ids
        let mut prev = None;
        for r in &mut tail {
            let link = seal(&k, prev, r);
            attach(r, link);
            prev = Some(link);
        }
        rows.extend(tail);
        server.id = 5;
        rows.push(server);
        let r = verify(&k, rows);
        assert!(r.intact, "{:?}", r.problems);
        assert_eq!((r.rows, r.chained, r.outside), (5, 2, 3));
    }
}
