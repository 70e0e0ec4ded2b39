//! The registry of WhoDis tables: from a table name (CLI argument, UI route) to its model type.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Column, Model};

/// Every table of the schema.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Users,
    Configuration,
    Sessions,
    SearchCache,
    ApiTokens,
    EmployeeProfiles,
    GenesysGroups,
    GenesysSkills,
    GenesysLocations,
    AuditLog,
    AccessAttempts,
    ErrorLog,
    JobCodes,
    SystemRoles,
    JobRoleMappings,
    EmployeeRoleAssignments,
}

/// Runs `$body` with the type alias `$m` bound to the model of `$table`. The match is
/// exhaustive, so a new table cannot be forgotten here.
#[macro_export]
macro_rules! with_model {
    ($table:expr, $m:ident => $body:expr) => {{
        use $crate::models as m;
        use $crate::tables::Table as T;
        match $table {
            T::Users => {
                type $m = m::User;
                $body
            }
            T::Configuration => {
                type $m = m::Configuration;
                $body
            }
            T::Sessions => {
                type $m = m::Session;
                $body
            }
            T::SearchCache => {
                type $m = m::SearchCache;
                $body
            }
            T::ApiTokens => {
                type $m = m::ApiToken;
                $body
            }
            T::EmployeeProfiles => {
                type $m = m::EmployeeProfile;
                $body
            }
            T::GenesysGroups => {
                type $m = m::GenesysGroup;
                $body
            }
            T::GenesysSkills => {
                type $m = m::GenesysSkill;
                $body
            }
            T::GenesysLocations => {
                type $m = m::GenesysLocation;
                $body
            }
            T::AuditLog => {
                type $m = m::AuditLog;
                $body
            }
            T::AccessAttempts => {
                type $m = m::AccessAttempt;
                $body
            }
            T::ErrorLog => {
                type $m = m::ErrorLog;
                $body
            }
            T::JobCodes => {
                type $m = m::JobCode;
                $body
            }
            T::SystemRoles => {
                type $m = m::SystemRole;
                $body
            }
            T::JobRoleMappings => {
                type $m = m::JobRoleMapping;
                $body
            }
            T::EmployeeRoleAssignments => {
                type $m = m::EmployeeRoleAssignment;
                $body
            }
        }
    }};
}

/// The tables whose rows expire (the seed's `ExpirableMixin`).
pub const EXPIRABLE: [Table; 3] = [Table::Sessions, Table::SearchCache, Table::ApiTokens];

impl Table {
    pub const ALL: &'static [Table] = &[
        Table::Users,
        Table::Configuration,
        Table::Sessions,
        Table::SearchCache,
        Table::ApiTokens,
        Table::EmployeeProfiles,
        Table::GenesysGroups,
        Table::GenesysSkills,
        Table::GenesysLocations,
        Table::AuditLog,
        Table::AccessAttempts,
        Table::ErrorLog,
        Table::JobCodes,
        Table::SystemRoles,
        Table::JobRoleMappings,
        Table::EmployeeRoleAssignments,
    ];

    pub fn name(self) -> &'static str {
        crate::with_model!(self, M => <M as Model>::TABLE)
    }

    /// The seed's model name (`User`, `AuditLog`, …).
    pub fn model_name(self) -> &'static str {
        crate::with_model!(self, M => <M as Model>::NAME)
    }

    pub fn columns(self) -> Vec<Column> {
        crate::with_model!(self, M => <M as Model>::columns())
    }

    /// Accepts a table name (`audit_log`) or a model name (`AuditLog`).
    pub fn parse(name: &str) -> Result<Table> {
        Table::ALL
            .iter()
            .copied()
            .find(|t| t.name() == name || t.model_name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                Error::invalid(
                    "table",
                    format!("unknown table '{name}'; known: {}", known.join(", ")),
                )
            })
    }

    pub fn has_column(self, name: &str) -> bool {
        self.columns().iter().any(|c| c.name == name)
    }
}
