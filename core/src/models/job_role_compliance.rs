//! Job-role compliance (seed: `app/models/job_role_compliance.py`) and the extension table of
//! roles employees actually hold.

use crate::define_model;
use crate::error::{Error, Result};
use crate::model::Validate;
use crate::time::Timestamp;

define_model! {
    /// A job code from the HR system (Keystone).
    pub struct JobCode in "job_codes" sortable ["code"] {
        pub code: String,
        pub description: Option<String>,
    }
}

define_model! {
    /// A system role from Genesys Cloud.
    pub struct SystemRole in "system_roles" sortable ["role_name"] {
        pub role_name: String,
        pub description: Option<String>,
    }
}

define_model! {
    /// A system role that a job code requires.
    pub struct JobRoleMapping in "job_role_mappings" sortable ["job_code_id", "system_role_id"] {
        pub job_code_id: i64,
        pub system_role_id: i64,
    }
}

define_model! {
    /// Extension: a system role an employee actually holds.
    pub struct EmployeeRoleAssignment in "employee_role_assignments" sortable ["employee_email"] {
        pub employee_email: String,
        pub system_role_id: i64,
        pub source: Option<String>,
        pub assigned_at: Timestamp,
    }
}

fn require_text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() || value.len() > max {
        return Err(Error::invalid(
            field,
            format!("must be 1 to {max} characters"),
        ));
    }
    Ok(())
}

impl Validate for JobCode {
    fn check(&self) -> Result<()> {
        require_text("code", &self.code, 50)
    }
}

impl Validate for SystemRole {
    fn check(&self) -> Result<()> {
        require_text("role_name", &self.role_name, 255)
    }
}

impl Validate for JobRoleMapping {
    fn check(&self) -> Result<()> {
        if self.job_code_id <= 0 || self.system_role_id <= 0 {
            return Err(Error::invalid(
                "job_code_id",
                "both job_code_id and system_role_id are required",
            ));
        }
        Ok(())
    }
}

impl Validate for EmployeeRoleAssignment {
    fn defaults(&mut self) {
        if self.assigned_at == Timestamp::default() {
            self.assigned_at = crate::time::now();
        }
    }

    fn check(&self) -> Result<()> {
        require_text("employee_email", &self.employee_email, 255)?;
        if self.system_role_id <= 0 {
            return Err(Error::invalid("system_role_id", "is required"));
        }
        Ok(())
    }
}
