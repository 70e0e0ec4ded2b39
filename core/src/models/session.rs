//! `Session` (seed: `app/models/session.py`).

use crate::define_model;
use crate::error::{Error, Result};
use crate::model::Validate;
use crate::time::Timestamp;

define_model! {
    /// A signed-in session of the WhoDis web app.
    pub struct Session in "sessions" sortable ["user_email", "expires_at", "session_id"] {
        pub session_id: String,
        pub user_email: String,
        pub ip_address: Option<String>,
        pub user_agent: Option<String>,
        pub last_activity: Timestamp,
        pub expires_at: Timestamp,
    }
}
crate::impl_expirable!(Session);

impl Validate for Session {
    fn defaults(&mut self) {
        if self.last_activity == Timestamp::default() {
            self.last_activity = crate::time::now();
        }
    }

    fn check(&self) -> Result<()> {
        if self.session_id.is_empty() {
            return Err(Error::invalid("session_id", "must not be empty"));
        }
        if self.user_email.is_empty() {
            return Err(Error::invalid("user_email", "must not be empty"));
        }
        Ok(())
    }
}
