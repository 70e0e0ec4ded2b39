DROP TABLE IF EXISTS employee_role_assignments;
DROP TABLE IF EXISTS job_role_mappings;
DROP TABLE IF EXISTS system_roles;
DROP TABLE IF EXISTS job_codes;
