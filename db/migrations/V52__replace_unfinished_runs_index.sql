-- The leases replaced recovery by runner (runs_unfinished indexed every queued and running run by
-- runner, costing an index entry per status change on the hot path). Queued and running runs are
-- indexed by runs_queue and runs_leased (V50); runs waiting for a person get their own small index.
DROP INDEX runs_unfinished;
CREATE INDEX runs_waiting ON runs (created_at) WHERE status = 'waiting_review';
