//! The store's clock. Timestamps are UTC and truncated to microseconds, the precision both
//! PostgreSQL and our SQLite text form keep, so a value reads back exactly as written.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

pub type Timestamp = DateTime<Utc>;

pub fn now() -> Timestamp {
    truncate(Utc::now())
}

pub fn truncate(t: Timestamp) -> Timestamp {
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}
