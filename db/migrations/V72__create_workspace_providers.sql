-- A workspace's own OpenAI-compatible endpoints (its vLLM, Ollama, TGI... server), used as
-- "<name>/<model>" by that workspace only. base_url is user-supplied and passes the outbound URL
-- policy (SSRF guard) when saved and when used. The key is sealed with SecretBox, bound to
-- "workspace-provider-key:<workspace_id>:<name>".
CREATE TABLE workspace_providers (
    workspace_id uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    base_url     text        NOT NULL CHECK (length(base_url) BETWEEN 1 AND 2000),
    api_key      text,
    key_hint     text,
    models       text[]      NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, name)
);
