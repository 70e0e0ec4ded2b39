//! The audit trail of a database that has no `audit_log` of its own (any database the explorer
//! opens that WhoDis did not make). Its schema belongs to another program, so this app records
//! its changes beside it instead: one append-only JSON-lines file per database, in the app's
//! data folder, holding the same facts an `audit_log` row would (operator, operation, table,
//! row, field diff with secrets redacted).
//!
//! A file cannot commit with the database, so each change is written twice: a `pending` line,
//! flushed to disk before the transaction commits, then its outcome (`committed` or `failed`).
//! A crash between commit and the outcome line leaves a `pending` entry: the change may or may
//! not be in the database, and the journal says exactly that rather than losing it.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Where the journals of every database live; one file per database in it.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

/// How an entry ended.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Written before the commit; no outcome line followed (the process ended in between).
    Pending,
    Committed,
    Failed,
}

/// One change as the journal tells it, its outcome folded in.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub at: String,
    pub operator: String,
    pub operation: String,
    pub message: String,
    pub details: Map<String, Json>,
    pub outcome: Outcome,
}

impl Journal {
    /// The journal of the database `database_key` (its keyring entry name, which names the
    /// database without its password) inside `dir`.
    pub fn for_database(dir: &Path, database_key: &str) -> Journal {
        let digest = Sha256::digest(database_key.as_bytes());
        let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Journal {
            path: dir.join(format!("{name}.jsonl")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and waits until it is on disk.
    fn append(&self, line: &Json) -> Result<()> {
        let fail = |e: &std::io::Error| Error::file("write the change journal", &self.path, e);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| fail(&e))?;
        let mut text = line.to_string();
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
        file.sync_data().map_err(|e| fail(&e))
    }

    /// Records a change about to be committed; returns its id for [`Journal::settle`].
    pub fn begin(
        &self,
        operator: &str,
        operation: &str,
        message: &str,
        details: &Map<String, Json>,
    ) -> Result<String> {
        let mut id = [0u8; 8];
        getrandom::fill(&mut id).map_err(|e| Error::Crypto(format!("no random id: {e}")))?;
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        self.append(&json!({
            "id": id,
            "at": crate::time::now().to_rfc3339(),
            "operator": operator,
            "operation": operation,
            "message": message,
            "details": details,
            "outcome": Outcome::Pending,
        }))?;
        Ok(id)
    }

    /// Records how the change `id` ended.
    pub fn settle(&self, id: &str, outcome: Outcome) -> Result<()> {
        self.append(&json!({ "id": id, "outcome": outcome }))
    }

    /// Every entry, oldest first, each with its latest outcome. A line that does not parse (a
    /// write cut short by a crash) is skipped.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::file("read the change journal", &self.path, &e)),
        };
        let mut entries: Vec<Entry> = Vec::new();
        for line in text.lines() {
            let Ok(Json::Object(mut v)) = serde_json::from_str::<Json>(line) else {
                continue;
            };
            let text = |v: &mut Map<String, Json>, k: &str| match v.remove(k) {
                Some(Json::String(s)) => s,
                _ => String::new(),
            };
            let id = text(&mut v, "id");
            let outcome = v
                .get("outcome")
                .and_then(|o| serde_json::from_value(o.clone()).ok())
                .unwrap_or(Outcome::Pending);
            if v.contains_key("operation") {
                entries.push(Entry {
                    id,
                    at: text(&mut v, "at"),
                    operator: text(&mut v, "operator"),
                    operation: text(&mut v, "operation"),
                    message: text(&mut v, "message"),
                    details: match v.remove("details") {
                        Some(Json::Object(d)) => d,
                        _ => Map::new(),
                    },
                    outcome,
                });
            } else if let Some(e) = entries.iter_mut().rev().find(|e| e.id == id) {
                e.outcome = outcome;
            }
        }
        Ok(entries)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_pending_until_settled_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::for_database(dir.path(), "sqlite:/tmp/a.db");
        let mut details = Map::new();
        details.insert("table".into(), json!("files"));
        let a = j
            .begin("ops@x", "rows.delete", "Deleted", &details)
            .unwrap();
        let b = j
            .begin("ops@x", "rows.delete", "Deleted", &details)
            .unwrap();
        j.settle(&a, Outcome::Committed).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(j.path())
            .unwrap()
            .write_all(b"{\"id\": \"cut")
            .unwrap();
        let entries = j.entries().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0].id.as_str(), entries[0].outcome),
            (a.as_str(), Outcome::Committed)
        );
        assert_eq!(
            (entries[1].id.as_str(), entries[1].outcome),
            (b.as_str(), Outcome::Pending)
        );
        assert_eq!(entries[1].details["table"], json!("files"));
    }

    #[test]
    fn each_database_has_its_own_file() {
        let dir = Path::new("/x");
        assert_ne!(
            Journal::for_database(dir, "a").path(),
            Journal::for_database(dir, "b").path()
        );
    }
}
