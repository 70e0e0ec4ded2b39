//! A user's activity at a glance (seed 004's `last_login` / `activity_status`), computed by the
//! database for each listed user: the newest of their sessions' `last_activity`, their newest
//! audit event, the later of the two, and whether that falls within the query's N days.
//!
//! Sessions and audit rows name their user by email, matched exactly: their indexes are on
//! `user_email` as written, and a case-insensitive match could use neither. Each lookup is an
//! index search per listed row: `sessions (user_email, …)`, and `audit_log (user_email,
//! created_at, id)` read backwards from its end for the newest event.

use sea_query::{Expr, Func, SimpleExpr};

use crate::computed::{Computed, Inputs};
use crate::model::{Column, ColumnKind, Masking};

/// The newest `last_activity` of the user's sessions.
const LAST_SESSION: &str = "(SELECT MAX(s.last_activity) FROM sessions AS s \
     WHERE s.user_email = users.email)";

/// The user's newest audit event: one step into the index from its end (a `MAX` would read
/// every event of the user on SQLite).
const LAST_AUDIT: &str = "(SELECT a.created_at FROM audit_log AS a \
     WHERE a.user_email = users.email AND a.created_at IS NOT NULL \
     ORDER BY a.created_at DESC LIMIT 1)";

fn last_session_at(_: &Inputs) -> SimpleExpr {
    Expr::cust(LAST_SESSION)
}

fn last_audit_at(_: &Inputs) -> SimpleExpr {
    Expr::cust(LAST_AUDIT)
}

/// The later of the two, NULL only when both are (the aggregate skips NULLs on both backends,
/// where SQLite's two-argument `max` and a `CASE` would need each lookup twice).
fn last_activity() -> String {
    format!(
        "(SELECT MAX(t) FROM (SELECT {LAST_SESSION} AS t UNION ALL SELECT {LAST_AUDIT} AS t) \
         AS latest)"
    )
}

fn last_activity_at(_: &Inputs) -> SimpleExpr {
    Expr::cust(last_activity())
}

/// Whether the last activity is at or after now minus N days; a user never seen is not
/// active. The same per-user index lookups as `last_activity_at`: written as `EXISTS`,
/// PostgreSQL may instead hash every session and audit row of the window once per page.
fn active(inputs: &Inputs) -> SimpleExpr {
    let recent = Expr::expr(Expr::cust(last_activity())).gte(inputs.active_since());
    Func::coalesce([recent, Expr::cust("FALSE")]).into()
}

const fn column(name: &'static str, kind: ColumnKind, sortable: bool) -> Column {
    Column {
        name,
        kind,
        nullable: !matches!(kind, ColumnKind::Bool),
        sortable,
        sensitive: false,
        masking: Masking::Clear,
    }
}

const SESSIONS: (&str, &str) = ("sessions", "user_email");
const SESSION_TIME: (&str, &str) = ("sessions", "last_activity");
const AUDIT: (&str, &str) = ("audit_log", "user_email");
const AUDIT_TIME: (&str, &str) = ("audit_log", "created_at");

/// The users table's computed columns. The times are sortable: no index holds them, so such a
/// page computes them for every user that matches, which the users table (people who sign in
/// to WhoDis) keeps small.
pub const USER_ACTIVITY: &[Computed] = &[
    Computed {
        column: column("last_session_at", ColumnKind::Timestamp, true),
        reads: &[SESSIONS, SESSION_TIME],
        expr: last_session_at,
    },
    Computed {
        column: column("last_audit_at", ColumnKind::Timestamp, true),
        reads: &[AUDIT, AUDIT_TIME],
        expr: last_audit_at,
    },
    Computed {
        column: column("last_activity_at", ColumnKind::Timestamp, true),
        reads: &[SESSIONS, SESSION_TIME, AUDIT, AUDIT_TIME],
        expr: last_activity_at,
    },
    Computed {
        column: column("active", ColumnKind::Bool, false),
        reads: &[SESSIONS, SESSION_TIME, AUDIT, AUDIT_TIME],
        expr: active,
    },
];
