-- One row per run. A fast synchronous run is written once, already final, with its trace (one
-- INSERT); slower, streamed and async runs are written when they start, checkpoint each finished
-- node into run_nodes, and get their trace when they end. Status changes follow RunLifecycle
-- (final states are never left again).
CREATE TABLE runs (
    id             uuid        PRIMARY KEY,
    workspace_id   uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    app_id         uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    app_version    integer,    -- null: the draft ran (see draft_revision)
    draft_revision integer,
    source         text        NOT NULL CHECK (source IN ('api', 'share', 'twilio', 'test')),
    mode           text        NOT NULL CHECK (mode IN ('sync', 'async', 'stream')),
    status         text        NOT NULL CHECK (status IN ('queued', 'running', 'waiting_review', 'succeeded',
                                                          'failed', 'blocked', 'rejected', 'timed_out', 'cancelled')),
    inputs         jsonb       NOT NULL,
    trigger_data   jsonb,
    outputs        jsonb,
    error          jsonb,
    usage          jsonb,
    -- the per-node trace, written when the run ends (null while it runs: see run_nodes)
    trace          jsonb,
    -- the process executing the run (switchboard.instance-id); used to recover after a crash
    runner         text,
    api_key_id     uuid,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX runs_by_workspace ON runs (workspace_id, created_at DESC, id DESC);
CREATE INDEX runs_by_app ON runs (app_id, created_at DESC, id DESC);
-- small: only unfinished runs are in it
CREATE INDEX runs_unfinished ON runs (runner) WHERE status IN ('queued', 'running', 'waiting_review');

-- Checkpoints of durable runs (async, streamed, slow sync): one row per node as it finishes, with
-- its trace entry and the engine's result (checkpoint), so a resumed run skips finished nodes and
-- an unfinished run shows its progress.
CREATE TABLE run_nodes (
    run_id     uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node_id    text        NOT NULL,
    seq        integer     NOT NULL,
    type       text        NOT NULL,
    status     text        NOT NULL,
    attempts   integer     NOT NULL DEFAULT 1,
    inputs     jsonb,
    outputs    jsonb,
    usage      jsonb,
    error      jsonb,
    checkpoint jsonb,
    started_at timestamptz,
    latency_ms double precision,
    PRIMARY KEY (run_id, node_id)
);
