//! The auditable logs (seed: `app/models/audit.py`, `access.py`, `error.py`), each an
//! `AuditableModel`: timestamps, user tracking, success, message and JSON data.

use crate::define_model;
use crate::error::{Error, Result};
use crate::model::Validate;

/// The seed's audit event types.
pub const EVENT_TYPES: [&str; 5] = ["search", "access", "admin", "config", "error"];

define_model! {
    /// One audited event.
    pub struct AuditLog in "audit_log"
        sortable ["event_type", "search_query", "user_email", "ip_address", "session_id", "success"] {
        pub event_type: Option<String>,
        pub search_query: Option<String>,
        pub user_email: Option<String>,
        pub user_agent: Option<String>,
        pub ip_address: Option<String>,
        pub session_id: Option<String>,
        pub success: Option<bool>,
        pub message: Option<String>,
        pub additional_data: Option<serde_json::Value>,
    }
}

define_model! {
    /// An access attempt, granted or denied.
    pub struct AccessAttempt in "access_attempts"
        sortable ["user_email", "ip_address", "session_id", "success", "resource"] {
        pub user_email: Option<String>,
        pub user_agent: Option<String>,
        pub ip_address: Option<String>,
        pub session_id: Option<String>,
        pub success: Option<bool>,
        pub message: Option<String>,
        pub additional_data: Option<serde_json::Value>,
        pub resource: Option<String>,
        pub required_role: Option<String>,
        pub user_role: Option<String>,
    }
}

define_model! {
    /// A recorded error.
    pub struct ErrorLog in "error_log"
        sortable ["user_email", "ip_address", "session_id", "success", "error_type"] {
        pub user_email: Option<String>,
        pub user_agent: Option<String>,
        pub ip_address: Option<String>,
        pub session_id: Option<String>,
        pub success: Option<bool>,
        pub message: Option<String>,
        pub additional_data: Option<serde_json::Value>,
        pub error_type: Option<String>,
        pub stack_trace: Option<String>,
    }
}

crate::impl_json_data!(AuditLog, AccessAttempt, ErrorLog);

impl Validate for AuditLog {
    /// Rows this app writes always name their event type; a row without one (the server's
    /// older rows) is read as it is.
    fn check(&self) -> Result<()> {
        let event_type = self.event_type.as_deref().unwrap_or_default();
        if !EVENT_TYPES.contains(&event_type) {
            return Err(Error::invalid(
                "event_type",
                format!("'{event_type}' is not one of {}", EVENT_TYPES.join(", ")),
            ));
        }
        Ok(())
    }
}
impl Validate for AccessAttempt {}
impl Validate for ErrorLog {}
