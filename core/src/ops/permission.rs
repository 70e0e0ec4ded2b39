//! Roles and the one permission check every operation passes through.

use serde::{Deserialize, Serialize};

/// A user's role, weakest first: each role may do everything the ones before it may.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// What an operation needs. Each maps to the weakest role allowed to do it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Browse every table (secret fields stay hidden).
    Read,
    /// Export rows to a file (recorded in the audit log).
    Export,
    /// Employee profiles and photos.
    EditProfiles,
    /// Job codes, system roles and their mappings.
    EditCompliance,
    /// Genesys groups, skills and locations from service data.
    ImportGenesys,
    /// Search cache entries.
    ManageCache,
    /// Users and their roles.
    ManageUsers,
    /// Configuration values.
    ManageConfig,
    /// Show a decrypted configuration value.
    RevealSecrets,
    /// The database's encryption keys.
    ManageKeys,
    /// Sessions, API tokens, and removing expired rows.
    ManageSessions,
    /// Schema changes: adopting a database another program made.
    ManageSchema,
    /// Database upkeep: refreshing the planner statistics (Analyze).
    MaintainDatabase,
    /// Rows of tables without a dedicated screen, through the explorer: insert, edit, delete,
    /// remove expired.
    EditTables,
}

impl Permission {
    pub const ALL: [Permission; 14] = [
        Permission::Read,
        Permission::Export,
        Permission::EditProfiles,
        Permission::EditCompliance,
        Permission::ImportGenesys,
        Permission::ManageCache,
        Permission::ManageUsers,
        Permission::ManageConfig,
        Permission::RevealSecrets,
        Permission::ManageKeys,
        Permission::ManageSessions,
        Permission::ManageSchema,
        Permission::MaintainDatabase,
        Permission::EditTables,
    ];

    pub fn required_role(self) -> Role {
        match self {
            Permission::Read | Permission::Export => Role::Viewer,
            Permission::EditProfiles
            | Permission::EditCompliance
            | Permission::ImportGenesys
            | Permission::ManageCache => Role::Editor,
            Permission::ManageUsers
            | Permission::ManageConfig
            | Permission::RevealSecrets
            | Permission::ManageKeys
            | Permission::ManageSessions
            | Permission::ManageSchema
            | Permission::MaintainDatabase
            | Permission::EditTables => Role::Admin,
        }
    }
}

/// What to do with an operator whose email is not in `users`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownOperator {
    /// Browse only, with a banner saying why.
    #[default]
    ReadOnly,
    /// Refuse everything, reads included.
    Refuse,
}

/// The person using the app, as the database knows them right now.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub email: String,
    /// `None` when the email is not in `users`.
    pub role: Option<Role>,
}

/// Whether the operator may use a permission, and if not, why (for a disabled button's tooltip).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub permission: Permission,
    pub allowed: bool,
    pub required_role: Role,
    pub reason: Option<String>,
}

impl Operator {
    /// The single rule deciding what an operator may do.
    pub fn grant(&self, permission: Permission, policy: UnknownOperator) -> Grant {
        let required = permission.required_role();
        let reason = match self.role {
            Some(role) if role >= required => None,
            Some(role) => Some(format!(
                "requires the {} role; {} is {}",
                required.as_str(),
                self.email,
                role.as_str()
            )),
            None if policy == UnknownOperator::ReadOnly && required == Role::Viewer => None,
            None if policy == UnknownOperator::ReadOnly => Some(format!(
                "{} is not a user of this database, so this connection is read-only",
                self.email
            )),
            None => Some(format!(
                "{} is not a user of this database, and this connection refuses unknown operators",
                self.email
            )),
        };
        Grant {
            permission,
            allowed: reason.is_none(),
            required_role: required,
            reason,
        }
    }

    /// Why this operator cannot write at all, if they cannot.
    pub fn read_only_reason(&self, policy: UnknownOperator) -> Option<String> {
        match self.role {
            Some(Role::Viewer) => Some(format!(
                "{} is a viewer: this connection is read-only",
                self.email
            )),
            Some(_) => None,
            None => self.grant(Permission::EditProfiles, policy).reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(role: Option<Role>) -> Operator {
        Operator {
            email: "a@b.c".into(),
            role,
        }
    }

    #[test]
    fn stronger_roles_include_weaker_ones() {
        for p in Permission::ALL {
            let allowed: Vec<bool> = Role::ALL
                .iter()
                .map(|r| op(Some(*r)).grant(p, UnknownOperator::ReadOnly).allowed)
                .collect();
            // viewer ≤ editor ≤ admin: once allowed, allowed for every stronger role
            assert!(allowed.windows(2).all(|w| !w[0] || w[1]), "{p:?}");
            assert!(allowed[2], "admin may do everything: {p:?}");
        }
    }

    #[test]
    fn unknown_operators_read_or_nothing() {
        let unknown = op(None);
        assert!(
            unknown
                .grant(Permission::Read, UnknownOperator::ReadOnly)
                .allowed
        );
        let g = unknown.grant(Permission::EditProfiles, UnknownOperator::ReadOnly);
        assert!(!g.allowed && g.reason.unwrap_or_default().contains("read-only"));
        assert!(
            !unknown
                .grant(Permission::Read, UnknownOperator::Refuse)
                .allowed
        );
    }

    #[test]
    fn refusals_say_which_role_is_needed() {
        let g = op(Some(Role::Viewer)).grant(Permission::ManageUsers, UnknownOperator::ReadOnly);
        assert_eq!(
            g.reason.as_deref(),
            Some("requires the admin role; a@b.c is viewer")
        );
    }
}
