-- Per-workspace provider API keys. A workspace's key replaces the operator-configured key of that
-- provider for the workspace's calls. The key is sealed with SecretBox (AES-256-GCM, bound to
-- "provider-key:<workspace_id>:<provider>", so a value copied to another row does not open);
-- key_hint holds at most its last four characters for display.
CREATE TABLE provider_credentials (
    workspace_id uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider     text        NOT NULL CHECK (length(provider) BETWEEN 1 AND 100),
    api_key      text        NOT NULL,
    key_hint     text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, provider)
);
