//! `User` (seed: `app/models/user.py`).

use crate::define_model;
use crate::error::{Error, Result};
use crate::model::Validate;

define_model! {
    /// An account of the WhoDis web app, with its role.
    pub struct User in "users" sortable ["email", "role"] {
        pub email: String,
        pub role: String,
    }
}

pub const ROLES: [&str; 3] = ["admin", "editor", "viewer"];

impl User {
    pub fn new(email: impl Into<String>, role: impl Into<String>) -> Self {
        User {
            email: email.into(),
            role: role.into(),
            ..Default::default()
        }
    }

    /// The seed's `validate_role`.
    pub fn validate_role(role: &str) -> bool {
        ROLES.contains(&role)
    }
}

impl Validate for User {
    fn defaults(&mut self) {
        if self.role.is_empty() {
            self.role = "viewer".to_owned();
        }
    }

    fn check(&self) -> Result<()> {
        let email = self.email.trim();
        if email.is_empty() || !email.contains('@') || email.len() > 255 {
            return Err(Error::invalid(
                "email",
                "must be an email address of at most 255 characters",
            ));
        }
        if !User::validate_role(&self.role) {
            return Err(Error::invalid(
                "role",
                format!(
                    "'{}' is not a role; use one of admin, editor, viewer",
                    self.role
                ),
            ));
        }
        Ok(())
    }
}
