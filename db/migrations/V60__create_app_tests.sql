-- Test cases of an app: example inputs and assertions on the outputs of a run (issue 10).
-- Assertions are stored as the JSON list the API accepted (each compiled and checked when saved).
CREATE TABLE app_tests (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    app_id       uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description  text        CHECK (length(description) <= 4000),
    inputs       jsonb       NOT NULL,
    assertions   jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT app_tests_name_unique UNIQUE (app_id, name)
);
CREATE INDEX app_tests_by_app ON app_tests (app_id, created_at, id);

-- Per-app test settings: whether publishing must pass the suite first.
CREATE TABLE app_test_settings (
    app_id                     uuid        PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    require_tests_to_publish   boolean     NOT NULL DEFAULT false,
    updated_at                 timestamptz NOT NULL
);
