-- Genesys caches (ServiceDataModel) and the auditable logs (AuditableModel).

CREATE TABLE genesys_groups (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id       VARCHAR(255) NOT NULL,
    service_name     VARCHAR(100) NOT NULL,
    name             VARCHAR(255),
    raw_data         TEXT CHECK (raw_data IS NULL OR json_valid(raw_data)),
    is_active        INTEGER      NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    additional_data  TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL,
    CONSTRAINT genesys_groups_service_key UNIQUE (service_name, service_id)
);
CREATE INDEX ix_genesys_groups_service_id ON genesys_groups (service_id);
CREATE INDEX ix_genesys_groups_is_active ON genesys_groups (is_active, created_at, id);
CREATE INDEX ix_genesys_groups_name ON genesys_groups (name, id);
CREATE INDEX ix_genesys_groups_created_at_id ON genesys_groups (created_at, id);

CREATE TABLE genesys_skills (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id       VARCHAR(255) NOT NULL,
    service_name     VARCHAR(100) NOT NULL,
    name             VARCHAR(255),
    raw_data         TEXT CHECK (raw_data IS NULL OR json_valid(raw_data)),
    is_active        INTEGER      NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    additional_data  TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL,
    CONSTRAINT genesys_skills_service_key UNIQUE (service_name, service_id)
);
CREATE INDEX ix_genesys_skills_service_id ON genesys_skills (service_id);
CREATE INDEX ix_genesys_skills_is_active ON genesys_skills (is_active, created_at, id);
CREATE INDEX ix_genesys_skills_name ON genesys_skills (name, id);
CREATE INDEX ix_genesys_skills_created_at_id ON genesys_skills (created_at, id);

CREATE TABLE genesys_locations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id       VARCHAR(255) NOT NULL,
    service_name     VARCHAR(100) NOT NULL,
    name             VARCHAR(255),
    raw_data         TEXT CHECK (raw_data IS NULL OR json_valid(raw_data)),
    is_active        INTEGER      NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    additional_data  TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL,
    CONSTRAINT genesys_locations_service_key UNIQUE (service_name, service_id)
);
CREATE INDEX ix_genesys_locations_service_id ON genesys_locations (service_id);
CREATE INDEX ix_genesys_locations_is_active ON genesys_locations (is_active, created_at, id);
CREATE INDEX ix_genesys_locations_name ON genesys_locations (name, id);
CREATE INDEX ix_genesys_locations_created_at_id ON genesys_locations (created_at, id);

CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    event_type       VARCHAR(50)  NOT NULL,
    search_query     VARCHAR(500),
    user_email       VARCHAR(255),
    user_agent       TEXT,
    ip_address       VARCHAR(45),
    session_id       VARCHAR(255),
    success          INTEGER      NOT NULL DEFAULT 1 CHECK (success IN (0, 1)),
    message          TEXT,
    additional_data  TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL
);
CREATE INDEX ix_audit_log_created_at_id ON audit_log (created_at, id);
CREATE INDEX ix_audit_log_event_type ON audit_log (event_type, created_at, id);
CREATE INDEX ix_audit_log_search_query ON audit_log (search_query, created_at, id);
CREATE INDEX ix_audit_log_user_email ON audit_log (user_email, created_at, id);
CREATE INDEX ix_audit_log_ip_address ON audit_log (ip_address, created_at, id);
CREATE INDEX ix_audit_log_session_id ON audit_log (session_id, created_at, id);
CREATE INDEX ix_audit_log_success ON audit_log (success, created_at, id);

CREATE TABLE access_attempts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_email       VARCHAR(255),
    user_agent       TEXT,
    ip_address       VARCHAR(45),
    session_id       VARCHAR(255),
    success          INTEGER      NOT NULL DEFAULT 1 CHECK (success IN (0, 1)),
    message          TEXT,
    additional_data  TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
    resource         VARCHAR(255),
    required_role    VARCHAR(50),
    user_role        VARCHAR(50),
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL
);
CREATE INDEX ix_access_attempts_created_at_id ON access_attempts (created_at, id);
CREATE INDEX ix_access_attempts_user_email ON access_attempts (user_email, created_at, id);
CREATE INDEX ix_access_attempts_ip_address ON access_attempts (ip_address, created_at, id);
CREATE INDEX ix_access_attempts_session_id ON access_attempts (session_id, created_at, id);
CREATE INDEX ix_access_attempts_success ON access_attempts (success, created_at, id);
CREATE INDEX ix_access_attempts_resource ON access_attempts (resource, created_at, id);

CREATE TABLE error_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_email       VARCHAR(255),
    user_agent       TEXT,
    ip_address       VARCHAR(45),
    session_id       VARCHAR(255),
    success          INTEGER      NOT NULL DEFAULT 0 CHECK (success IN (0, 1)),
    message          TEXT,
    additional_data  TEXT CHECK (additional_data IS NULL OR json_valid(additional_data)),
    error_type       VARCHAR(100),
    stack_trace      TEXT,
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL
);
CREATE INDEX ix_error_log_created_at_id ON error_log (created_at, id);
CREATE INDEX ix_error_log_user_email ON error_log (user_email, created_at, id);
CREATE INDEX ix_error_log_ip_address ON error_log (ip_address, created_at, id);
CREATE INDEX ix_error_log_session_id ON error_log (session_id, created_at, id);
CREATE INDEX ix_error_log_success ON error_log (success, created_at, id);
CREATE INDEX ix_error_log_error_type ON error_log (error_type, created_at, id);
