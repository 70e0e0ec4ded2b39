//! `User` (seed: `app/models/user.py`).

use crate::define_model;
use crate::error::{Error, Result};
use crate::model::Validate;

define_model! {
    /// An account of the WhoDis web app, with its role (and, in lists, its last activity).
    pub struct User in "users" sortable ["email", "role"]
        computed crate::models::user_activity::USER_ACTIVITY {
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

/// An address `local@domain.tld`: one `@`, both parts present, a dotted domain without empty
/// labels, no whitespace, at most 255 characters. Case does not matter to identity (see
/// [`crate::ops::users`]), so it is not judged here.
pub fn check_email(email: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::invalid(
            "email",
            format!("'{email}' is not an email address: {why}"),
        ))
    };
    if email.len() > 255 {
        return Err(Error::invalid(
            "email",
            "an email address is at most 255 characters",
        ));
    }
    if email.chars().any(char::is_whitespace) {
        return bad("it contains whitespace");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return bad("it has no @");
    };
    if domain.contains('@') {
        return bad("it has more than one @");
    }
    if local.is_empty() {
        return bad("nothing before the @");
    }
    if domain.is_empty() {
        return bad("nothing after the @");
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return bad("the part after the @ is not a domain such as corp.example");
    }
    Ok(())
}

impl Validate for User {
    fn defaults(&mut self) {
        if self.role.is_empty() {
            self.role = "viewer".to_owned();
        }
    }

    fn check(&self) -> Result<()> {
        check_email(&self.email)?;
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
