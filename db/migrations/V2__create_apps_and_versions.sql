-- An app is a mutable draft graph plus immutable published versions 1, 2, 3, ...
CREATE TABLE apps (
    id             uuid        PRIMARY KEY,
    workspace_id   uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description    text        CHECK (length(description) <= 4000),
    draft_graph    jsonb       NOT NULL,
    -- bumped by every draft update; a run of the draft records which revision it ran
    draft_revision integer     NOT NULL DEFAULT 1 CHECK (draft_revision >= 1),
    latest_version integer     CHECK (latest_version >= 1),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX apps_by_workspace ON apps (workspace_id, created_at DESC, id DESC);

CREATE TABLE app_versions (
    app_id         uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version        integer     NOT NULL CHECK (version >= 1),
    name           text        NOT NULL,
    description    text,
    graph          jsonb       NOT NULL,
    draft_revision integer     NOT NULL,
    published_at   timestamptz NOT NULL,
    published_by   uuid,
    PRIMARY KEY (app_id, version)
);

-- Published versions are immutable: the database refuses to change one (deleting the app,
-- which cascades, is still allowed).
CREATE FUNCTION app_versions_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'app version % of app % is immutable', OLD.version, OLD.app_id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER app_versions_immutable BEFORE UPDATE ON app_versions
    FOR EACH ROW EXECUTE FUNCTION app_versions_refuse_update();
