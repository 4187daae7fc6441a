-- Durable async runs: the runs table is the queue. A worker claims queued runs with
-- FOR UPDATE SKIP LOCKED and holds a lease (lease_owner = one process incarnation,
-- lease_expires_at in database time) that its heartbeat extends; a run whose lease expired is
-- re-queued by any replica's reaper (or failed after too many recoveries) and resumes from its
-- checkpoints (run_nodes). runs.status stays the one source of truth of a run's state.
ALTER TABLE runs
    ADD COLUMN lease_owner      text,
    ADD COLUMN lease_expires_at timestamptz,
    -- how often a worker claimed the run (> 1: it resumes from checkpoints)
    ADD COLUMN claims           integer     NOT NULL DEFAULT 0,
    -- how often the run was re-queued because the process executing it died (poison-run limit)
    ADD COLUMN recoveries       integer     NOT NULL DEFAULT 0,
    -- the run ends timed_out at this instant, also when no process is left to notice
    ADD COLUMN deadline_at      timestamptz,
    -- POST /runs/{id}/cancel of a run executing in another process: that process polls this flag
    ADD COLUMN cancel_requested boolean     NOT NULL DEFAULT false;

-- the queue, in FIFO order (small: only queued runs are in it)
CREATE INDEX runs_queue ON runs (created_at) WHERE status = 'queued';
-- runs being executed, by lease expiry: for the reaper
CREATE INDEX runs_leased ON runs (lease_expires_at) WHERE status = 'running';
-- cancel requests for running runs (tiny, usually empty): polled by each worker
CREATE INDEX runs_cancel_requested ON runs (lease_owner) WHERE cancel_requested AND status = 'running';
