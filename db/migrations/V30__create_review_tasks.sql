-- Human review: one task per node that suspended a run (a `review` node, or a policy with
-- action "review"). A task is decided once: open -> approved | edited | rejected | timed_out
-- (ReviewStatus). Deciding is a conditional UPDATE ... WHERE status = 'open', in the same
-- transaction as moving the run out of waiting_review, so concurrent deciders cannot both win.
CREATE TABLE review_tasks (
    id              uuid        PRIMARY KEY,
    workspace_id    uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    app_id          uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    run_id          uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    node_id         text        NOT NULL,
    -- the node type that asked: review, policy.pii, policy.judge, ...
    source          text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('open', 'approved', 'edited', 'rejected', 'timed_out')),
    reason          text        NOT NULL,
    -- what is under review, and what approving it unchanged lets through
    content         text        NOT NULL,
    proposed        text        NOT NULL,
    flags           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    instructions    text,
    on_timeout      text        NOT NULL CHECK (on_timeout IN ('approve', 'reject')),
    -- outputs the node exposes besides text/decision once approved (policy flags, ...)
    extra_outputs   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    decided_at      timestamptz,
    -- the API key that decided; null when the timeout did
    decided_by      uuid,
    decided_text    text,
    decided_reason  text
);
-- at most one open task per waiting node; a node that suspends again after its task was decided
-- (e.g. its approval could not resume the run) gets a new one
CREATE UNIQUE INDEX review_tasks_open_per_node ON review_tasks (run_id, node_id) WHERE status = 'open';
CREATE INDEX review_tasks_by_workspace ON review_tasks (workspace_id, created_at DESC, id DESC);
CREATE INDEX review_tasks_by_app ON review_tasks (app_id, created_at DESC, id DESC);
-- the timeout sweeper's queue: small, only open tasks
CREATE INDEX review_tasks_due ON review_tasks (due_at) WHERE status = 'open';
