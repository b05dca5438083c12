-- AI-Higress Gateway control plane, version 1. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
-- Timestamps are UTC; money is NUMERIC(20, 8) US dollars; JSON documents are stored as TEXT (portable across both).

-- Bumped by every admin change; replicas poll it to apply changes live.
CREATE TABLE config_version (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     BIGINT  NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO config_version (id, version, updated_at) VALUES (1, 1, CURRENT_TIMESTAMP);

CREATE TABLE providers (
    id                VARCHAR(63)   PRIMARY KEY,
    type              VARCHAR(32)   NOT NULL,
    preset            VARCHAR(32)   NOT NULL,
    base_url          VARCHAR(2048) NOT NULL,
    auth_style        VARCHAR(32)   NOT NULL,
    path_style        VARCHAR(32)   NOT NULL,
    api_version       VARCHAR(64)   NOT NULL DEFAULT '',
    headers_json      TEXT          NOT NULL DEFAULT '{}',
    capabilities_json TEXT          NOT NULL DEFAULT '{}',
    max_concurrency   INTEGER       NOT NULL,
    stream_usage      BOOLEAN       NOT NULL,
    timeouts_json     TEXT          NOT NULL DEFAULT '{}',
    status            VARCHAR(16)   NOT NULL DEFAULT 'active',  -- active | disabled
    source            VARCHAR(16)   NOT NULL,                   -- config (read-only through the API) | database
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Upstream credentials, encrypted at rest with AES-GCM under the server secret.
CREATE TABLE provider_keys (
    id           VARCHAR(40)   PRIMARY KEY,
    provider_id  VARCHAR(63)   NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    ciphertext   VARCHAR(4096) NOT NULL,   -- base64(nonce || ciphertext || tag)
    hint         VARCHAR(32)   NOT NULL,   -- e.g. sk-a…wxyz, shown instead of the key
    weight       INTEGER       NOT NULL DEFAULT 1,
    status       VARCHAR(16)   NOT NULL DEFAULT 'active',
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX provider_keys_provider ON provider_keys (provider_id);

-- The model catalog: what each provider serves, what it can do and what it costs.
CREATE TABLE provider_models (
    provider_id              VARCHAR(63)    NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    model                    VARCHAR(255)   NOT NULL,
    tools                    BOOLEAN        NOT NULL DEFAULT TRUE,
    vision                   BOOLEAN        NOT NULL DEFAULT TRUE,
    json_mode                BOOLEAN        NOT NULL DEFAULT TRUE,
    streaming                BOOLEAN        NOT NULL DEFAULT TRUE,
    reasoning                BOOLEAN        NOT NULL DEFAULT FALSE,
    context_window           INTEGER,
    input_price_per_mtok     NUMERIC(20, 8) NOT NULL DEFAULT 0,
    output_price_per_mtok    NUMERIC(20, 8) NOT NULL DEFAULT 0,
    cached_price_per_mtok    NUMERIC(20, 8) NOT NULL DEFAULT 0,
    PRIMARY KEY (provider_id, model)
);

CREATE TABLE logical_models (
    name            VARCHAR(255) PRIMARY KEY,
    strategy        VARCHAR(16)  NOT NULL DEFAULT 'weighted',
    fallbacks_json  TEXT         NOT NULL DEFAULT '[]',
    hedge_json      TEXT         NOT NULL DEFAULT '{}',
    source          VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE model_targets (
    model_name      VARCHAR(255) NOT NULL REFERENCES logical_models (name) ON DELETE CASCADE,
    position        INTEGER      NOT NULL,
    provider_id     VARCHAR(63)  NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    upstream_model  VARCHAR(255) NOT NULL,
    weight          INTEGER      NOT NULL DEFAULT 1,
    priority        INTEGER      NOT NULL DEFAULT 0,
    PRIMARY KEY (model_name, position)
);

-- Client API keys: only an HMAC-SHA256 of the secret is stored.
CREATE TABLE api_keys (
    id                   VARCHAR(40)    PRIMARY KEY,
    name                 VARCHAR(255)   NOT NULL,
    owner                VARCHAR(255)   NOT NULL DEFAULT '',
    secret_hash          VARCHAR(64)    NOT NULL UNIQUE,   -- hex HMAC-SHA256(server secret, key)
    display_prefix       VARCHAR(24)    NOT NULL,          -- e.g. sk-hig-AbCd…, shown in lists
    allowed_models_json  TEXT           NOT NULL DEFAULT '[]',   -- empty: every model
    expires_at           TIMESTAMP WITH TIME ZONE,
    disabled             BOOLEAN        NOT NULL DEFAULT FALSE,
    disabled_reason      VARCHAR(1024)  NOT NULL DEFAULT '',
    rpm_limit            INTEGER,
    tpm_limit            INTEGER,
    budget_usd           NUMERIC(20, 8),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE admin_users (
    username       VARCHAR(64)  PRIMARY KEY,
    password_hash  VARCHAR(255) NOT NULL,   -- pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>
    role           VARCHAR(16)  NOT NULL,   -- admin | viewer
    disabled       BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE admin_sessions (
    token_hash  VARCHAR(64) PRIMARY KEY,    -- hex SHA-256 of the session token
    username    VARCHAR(64) NOT NULL REFERENCES admin_users (username) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);

-- One row per client request: who, what, where it went, what it cost. Never prompt or completion text.
CREATE TABLE request_log (
    request_id         VARCHAR(128)   PRIMARY KEY,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    api_key_id         VARCHAR(40)    NOT NULL,   -- api_keys.id, or 'config:<name>' for static keys
    route              VARCHAR(32)    NOT NULL,
    logical_model      VARCHAR(255)   NOT NULL,
    provider_id        VARCHAR(63)    NOT NULL,
    upstream_model     VARCHAR(255)   NOT NULL,
    stream             BOOLEAN        NOT NULL,
    status             INTEGER        NOT NULL,
    outcome            VARCHAR(32)    NOT NULL,
    error_code         VARCHAR(64)    NOT NULL DEFAULT '',
    duration_ms        INTEGER        NOT NULL,
    ttft_ms            INTEGER,
    prompt_tokens      BIGINT         NOT NULL DEFAULT 0,
    completion_tokens  BIGINT         NOT NULL DEFAULT 0,
    cached_tokens      BIGINT         NOT NULL DEFAULT 0,
    cost_usd           NUMERIC(20, 8) NOT NULL DEFAULT 0,
    attempts_json      TEXT           NOT NULL DEFAULT '[]'   -- [{provider, model, key, status, outcome, ms, ttft_ms}]
);
CREATE INDEX request_log_created ON request_log (created_at);
CREATE INDEX request_log_key ON request_log (api_key_id, created_at);
CREATE INDEX request_log_model ON request_log (logical_model, created_at);
CREATE INDEX request_log_provider ON request_log (provider_id, created_at);

CREATE TABLE audit_log (
    id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    actor          VARCHAR(128) NOT NULL,   -- admin username, or 'break-glass'
    action         VARCHAR(32)  NOT NULL,   -- create | update | delete | login | ...
    resource_type  VARCHAR(32)  NOT NULL,
    resource_id    VARCHAR(255) NOT NULL,
    details_json   TEXT         NOT NULL DEFAULT '{}'   -- never contains secrets
);
CREATE INDEX audit_log_created ON audit_log (created_at);
