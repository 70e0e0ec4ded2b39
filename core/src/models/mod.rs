//! The seed's models, one module per family, named as in the seed.

pub mod api_token;
pub mod audit;
pub mod cache;
pub mod configuration;
pub mod employee_profiles;
pub mod genesys;
pub mod job_role_compliance;
pub mod session;
pub mod user;
pub mod user_activity;

pub use api_token::ApiToken;
pub use audit::{AccessAttempt, AuditLog, ErrorLog};
pub use cache::SearchCache;
pub use configuration::Configuration;
pub use employee_profiles::EmployeeProfile;
pub use genesys::{GenesysGroup, GenesysLocation, GenesysSkill};
pub use job_role_compliance::{EmployeeRoleAssignment, JobCode, JobRoleMapping, SystemRole};
pub use session::Session;
pub use user::User;
