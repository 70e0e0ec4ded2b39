-- Job-role compliance (seed 000) plus the extension employee_role_assignments: the roles an
-- employee actually holds, compared by the compliance report with the mappings of their job code.

CREATE TABLE job_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         VARCHAR(50) NOT NULL,
    description  TEXT,
    created_at   TEXT        NOT NULL,
    updated_at   TEXT        NOT NULL,
    CONSTRAINT job_codes_code_key UNIQUE (code)
);
CREATE INDEX ix_job_codes_created_at_id ON job_codes (created_at, id);

CREATE TABLE system_roles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    role_name    VARCHAR(255) NOT NULL,
    description  TEXT,
    created_at   TEXT         NOT NULL,
    updated_at   TEXT         NOT NULL,
    CONSTRAINT system_roles_role_name_key UNIQUE (role_name)
);
CREATE INDEX ix_system_roles_created_at_id ON system_roles (created_at, id);

CREATE TABLE job_role_mappings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    job_code_id     INTEGER     NOT NULL REFERENCES job_codes (id) ON DELETE CASCADE,
    system_role_id  INTEGER     NOT NULL REFERENCES system_roles (id) ON DELETE CASCADE,
    created_at      TEXT        NOT NULL,
    updated_at      TEXT        NOT NULL,
    CONSTRAINT job_role_mappings_job_code_id_system_role_id_key UNIQUE (job_code_id, system_role_id)
);
CREATE INDEX ix_job_role_mappings_job_code_id ON job_role_mappings (job_code_id);
CREATE INDEX ix_job_role_mappings_system_role_id ON job_role_mappings (system_role_id);
CREATE INDEX ix_job_role_mappings_created_at_id ON job_role_mappings (created_at, id);

CREATE TABLE employee_role_assignments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_email  VARCHAR(255) NOT NULL,
    system_role_id  INTEGER      NOT NULL REFERENCES system_roles (id) ON DELETE CASCADE,
    source          VARCHAR(100),
    assigned_at     TEXT         NOT NULL,
    created_at      TEXT         NOT NULL,
    updated_at      TEXT         NOT NULL,
    CONSTRAINT employee_role_assignments_employee_email_system_role_id_key
        UNIQUE (employee_email, system_role_id)
);
CREATE INDEX ix_employee_role_assignments_system_role_id ON employee_role_assignments (system_role_id);
CREATE INDEX ix_employee_role_assignments_created_at_id ON employee_role_assignments (created_at, id);
