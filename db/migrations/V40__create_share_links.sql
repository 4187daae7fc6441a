-- One share link per app: a public page at /s/<token> that runs the app's latest published
-- version (never the draft). A row may exist before the first publish (settings chosen early);
-- its token is minted by the first publish.
CREATE TABLE share_links (
    app_id           uuid        PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    workspace_id     uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- SHA-256 of the token (192 random bits, so a fast hash suffices); the token itself is never
    -- stored in clear. Null: no working token (not published yet, or revoked).
    token_hash       bytea       UNIQUE CHECK (octet_length(token_hash) = 32),
    -- the token sealed with the master key (SecretBox), only so its owner can see the URL again
    token_sealed     text,
    -- PBKDF2 of the optional passcode: pbkdf2-sha256$<iterations>$<salt>$<hash> (base64)
    passcode_hash    text,
    expires_at       timestamptz,
    show_graph       boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    token_issued_at  timestamptz,
    revoked_at       timestamptz,
    CHECK ((token_hash IS NULL) = (token_sealed IS NULL)),
    CHECK (revoked_at IS NULL OR token_hash IS NULL)
);
CREATE INDEX share_links_by_workspace ON share_links (workspace_id);
