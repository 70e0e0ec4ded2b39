-- Core WhoDis tables (seed 000). SQLite forms: timestamps are RFC 3339 UTC text written by the
-- application, JSON is text checked by json_valid, bytes are BLOB, booleans are 0/1.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       VARCHAR(255) NOT NULL,
    role        VARCHAR(50)  NOT NULL DEFAULT 'viewer',
    created_at  TEXT         NOT NULL,
    updated_at  TEXT         NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_role_check CHECK (role IN ('admin', 'editor', 'viewer'))
);
CREATE INDEX ix_users_role ON users (role, created_at, id);
CREATE INDEX ix_users_created_at_id ON users (created_at, id);

-- Extension: created_at/updated_at, as in the PostgreSQL migration.
CREATE TABLE configuration (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    category         VARCHAR(50)  NOT NULL,
    key              VARCHAR(100) NOT NULL,
    value            BLOB,
    value_plaintext  TEXT,
    is_encrypted     INTEGER      NOT NULL DEFAULT 0 CHECK (is_encrypted IN (0, 1)),
    created_at       TEXT         NOT NULL,
    updated_at       TEXT         NOT NULL,
    CONSTRAINT configuration_category_key_key UNIQUE (category, key),
    CONSTRAINT configuration_one_form CHECK (
        (is_encrypted = 1 AND value IS NOT NULL AND value_plaintext IS NULL)
        OR (is_encrypted = 0 AND value IS NULL)
    )
);
CREATE INDEX ix_configuration_category ON configuration (category);
CREATE INDEX ix_configuration_key ON configuration (key);
CREATE INDEX ix_configuration_created_at_id ON configuration (created_at, id);

CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     VARCHAR(255) NOT NULL,
    user_email     VARCHAR(255) NOT NULL,
    ip_address     VARCHAR(45),
    user_agent     TEXT,
    last_activity  TEXT         NOT NULL,
    expires_at     TEXT         NOT NULL,
    created_at     TEXT         NOT NULL,
    updated_at     TEXT         NOT NULL,
    CONSTRAINT sessions_session_id_key UNIQUE (session_id)
);
CREATE INDEX ix_sessions_user_email ON sessions (user_email, created_at, id);
CREATE INDEX ix_sessions_expires_at ON sessions (expires_at, id);
CREATE INDEX ix_sessions_created_at_id ON sessions (created_at, id);

CREATE TABLE search_cache (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    search_query  VARCHAR(500) NOT NULL,
    result_data   TEXT CHECK (result_data IS NULL OR json_valid(result_data)),
    created_at    TEXT         NOT NULL,
    updated_at    TEXT         NOT NULL,
    expires_at    TEXT         NOT NULL
);
CREATE INDEX ix_search_cache_search_query ON search_cache (search_query, created_at, id);
CREATE INDEX ix_search_cache_expires_at ON search_cache (expires_at, id);
CREATE INDEX ix_search_cache_created_at_id ON search_cache (created_at, id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    service_name  VARCHAR(100) NOT NULL,
    access_token  TEXT         NOT NULL,
    token_type    VARCHAR(50)  DEFAULT 'Bearer',
    created_at    TEXT         NOT NULL,
    updated_at    TEXT         NOT NULL,
    expires_at    TEXT         NOT NULL,
    CONSTRAINT api_tokens_service_name_key UNIQUE (service_name)
);
CREATE INDEX ix_api_tokens_expires_at ON api_tokens (expires_at, id);
CREATE INDEX ix_api_tokens_created_at_id ON api_tokens (created_at, id);

CREATE TABLE employee_profiles (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    email               VARCHAR(255) NOT NULL,
    photo_data          BLOB,
    photo_content_type  VARCHAR(50),
    keystone_data       TEXT CHECK (keystone_data IS NULL OR json_valid(keystone_data)),
    created_at          TEXT         NOT NULL,
    updated_at          TEXT         NOT NULL,
    CONSTRAINT employee_profiles_email_key UNIQUE (email)
);
CREATE INDEX ix_employee_profiles_created_at_id ON employee_profiles (created_at, id);
CREATE INDEX ix_employee_profiles_job_code ON employee_profiles (json_extract(keystone_data, '$.job_code'));
