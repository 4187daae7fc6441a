-- Per-workspace spending limits for model calls, and what each workspace spent per UTC day.
-- The gateway rejects a workspace's calls once its spend in the current period (day, calendar
-- month, or all time) reaches the limit. Spend rows are written in small batches by each app
-- replica (additive upserts), so replicas never overwrite each other's charges.
CREATE TABLE workspace_budgets (
    workspace_id uuid           PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    limit_usd    numeric(20, 6) NOT NULL CHECK (limit_usd >= 0),
    period       text           NOT NULL CHECK (period IN ('daily', 'monthly', 'total')),
    updated_at   timestamptz    NOT NULL
);

-- No foreign key: a charge that arrives for a workspace being deleted must not fail the batch
-- of other workspaces' charges it is written with.
CREATE TABLE workspace_spend (
    workspace_id uuid           NOT NULL,
    day          date           NOT NULL,
    cost_usd     numeric(24, 10) NOT NULL CHECK (cost_usd >= 0),
    PRIMARY KEY (workspace_id, day)
);
