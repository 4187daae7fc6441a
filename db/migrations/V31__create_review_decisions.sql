-- Audit trail of review decisions: who (API key, or the timeout), when, and the content before
-- and after. Append-only.
CREATE TABLE review_decisions (
    id            uuid        PRIMARY KEY,
    task_id       uuid        NOT NULL REFERENCES review_tasks (id) ON DELETE CASCADE,
    workspace_id  uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    actor         text        NOT NULL CHECK (actor IN ('api_key', 'timeout')),
    actor_key_id  uuid,
    from_status   text        NOT NULL,
    to_status     text        NOT NULL,
    before_text   text        NOT NULL,
    after_text    text,
    reason        text,
    decided_at    timestamptz NOT NULL
);
CREATE INDEX review_decisions_by_task ON review_decisions (task_id, decided_at);
