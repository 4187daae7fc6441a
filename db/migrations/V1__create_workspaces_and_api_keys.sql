-- Workspaces own everything (apps, runs, keys). One of them is the default workspace that the
-- bootstrap key (env SWITCHBOARD_API_KEY) and the demo app belong to.
CREATE TABLE workspaces (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    is_default     boolean     NOT NULL DEFAULT false,
    demo_seeded_at timestamptz,
    created_at     timestamptz NOT NULL
);
-- at most one default workspace
CREATE UNIQUE INDEX workspaces_single_default ON workspaces (is_default) WHERE is_default;

-- API keys are stored as the SHA-256 of the key; the key itself is shown once, at creation.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         text        NOT NULL CHECK (role IN ('admin', 'build', 'run')),
    key_hash     bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    key_hint     text        NOT NULL,
    bootstrap    boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at, id);
