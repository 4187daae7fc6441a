-- One execution of an app's test suite against a draft revision or a published version, and the
-- result of each case. Results keep a copy of the case (name, inputs, assertions) as it ran, so
-- later edits or deletes of the case never change a past result.
CREATE TABLE test_runs (
    id             uuid        PRIMARY KEY,
    workspace_id   uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    app_id         uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    app_version    integer,    -- null: the draft ran (see draft_revision)
    draft_revision integer,
    -- what asked for it: the API, or a publish of an app that requires passing tests
    reason         text        NOT NULL CHECK (reason IN ('api', 'publish')),
    status         text        NOT NULL CHECK (status IN ('running', 'passed', 'failed', 'interrupted')),
    total          integer     NOT NULL,
    passed         integer     NOT NULL DEFAULT 0,
    failed         integer     NOT NULL DEFAULT 0,
    errored        integer     NOT NULL DEFAULT 0,
    usage          jsonb,
    runner         text,
    api_key_id     uuid,
    created_at     timestamptz NOT NULL,
    finished_at    timestamptz
);
CREATE INDEX test_runs_by_app ON test_runs (app_id, created_at DESC, id DESC);
CREATE INDEX test_runs_running ON test_runs (runner) WHERE status = 'running';

CREATE TABLE test_results (
    test_run_id  uuid        NOT NULL REFERENCES test_runs (id) ON DELETE CASCADE,
    case_id      uuid        NOT NULL,
    seq          integer     NOT NULL,
    case_name    text        NOT NULL,
    inputs       jsonb       NOT NULL,
    -- passed: every assertion held; failed: one did not; error: the case could not be judged
    -- (the run did not succeed, or its inputs no longer fit the app)
    verdict      text        NOT NULL CHECK (verdict IN ('passed', 'failed', 'error')),
    run_id       uuid,
    run_status   text,
    outputs      jsonb,
    error        jsonb,
    assertions   jsonb       NOT NULL,
    latency_ms   double precision,
    usage        jsonb,
    PRIMARY KEY (test_run_id, case_id)
);
