DROP TABLE IF EXISTS error_log;
DROP TABLE IF EXISTS access_attempts;
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS genesys_locations;
DROP TABLE IF EXISTS genesys_skills;
DROP TABLE IF EXISTS genesys_groups;
