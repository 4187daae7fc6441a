-- Side effects of runs (webhook calls, SMS, ...) recorded per (run, node, key), so a resumed run
-- never repeats one that completed: SideEffects.once() returns the recorded result instead. A row
-- left 'started' means the process died during the call; the retry reuses the same idempotency
-- key ("<run>:<node>:<key>"), so a receiver that honours Idempotency-Key sees it once.
-- No foreign key to runs: a fast sync run's row is written only when it ends, after its effects.
CREATE TABLE run_side_effects (
    run_id      uuid        NOT NULL,
    node_id     text        NOT NULL,
    effect_key  text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('started', 'done')),
    attempts    integer     NOT NULL DEFAULT 1,
    result      jsonb,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (run_id, node_id, effect_key)
);
