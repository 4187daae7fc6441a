-- Experiments: one prompt (typed in, or rendered from an app's ai node) run over several models
-- and parameter sets; the request and every variant's result are kept for comparison.
CREATE TABLE experiments (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    app_id       uuid        REFERENCES apps (id) ON DELETE SET NULL,
    node_id      text,
    name         text        CHECK (length(name) <= 200),
    prompt       jsonb       NOT NULL,
    variants     jsonb       NOT NULL,
    api_key_id   uuid,
    created_at   timestamptz NOT NULL
);
CREATE INDEX experiments_by_workspace ON experiments (workspace_id, created_at DESC, id DESC);
