-- Twilio SMS in and out (issue 5).

-- Per-app Twilio settings. The auth token is sealed with SecretBox (AES-256-GCM, context
-- 'twilio-token:<app id>') and never leaves the server in clear.
CREATE TABLE twilio_settings (
    app_id            uuid        PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    workspace_id      uuid        NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_sid       text        NOT NULL,
    auth_token        text        NOT NULL,
    phone_number      text        NOT NULL,
    -- answer to HELP; null: switchboard.twilio.help-text
    help_text         text,
    -- how long a webhook waits to reply inline (TwiML); null: switchboard.twilio.inline-reply-budget
    inline_reply_ms   integer,
    -- scheme://host[:port] of the last webhook whose signature was valid: where Twilio reaches us,
    -- used for status callbacks when switchboard.public-base-url is not set
    webhook_base_url  text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- Every inbound message, once: the primary key makes a retried delivery (same MessageSid) find
-- the first one's row, so it gets the same answer and starts nothing. Written in the same
-- transaction as the run it starts.
CREATE TABLE twilio_inbound (
    app_id       uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    message_sid  text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('run', 'opt_out', 'opt_in', 'help')),
    run_id       uuid,
    from_number  text        NOT NULL,
    to_number    text        NOT NULL,
    -- the TwiML answered
    ack          text        NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (app_id, message_sid)
);
CREATE INDEX twilio_inbound_by_run ON twilio_inbound (run_id) WHERE run_id IS NOT NULL;

-- Recipients who texted STOP (or another opt-out keyword) to one of our numbers; START removes
-- the row. Scoped by Twilio account, like Twilio's own opt-out list.
CREATE TABLE twilio_opt_outs (
    account_sid   text        NOT NULL,
    phone_number  text        NOT NULL,
    recipient     text        NOT NULL,
    keyword       text        NOT NULL,
    opted_out_at  timestamptz NOT NULL,
    PRIMARY KEY (account_sid, phone_number, recipient)
);

-- One row per message an sms node sends (a long body may be several parts): the idempotency
-- record. (run, node, part) is unique, and a row is claimed (state 'sending') before Twilio is
-- called, so a retried or resumed run never sends the same part twice. States follow SendState.
-- No foreign key to runs: a fast sync run's row is written only when it ends.
CREATE TABLE twilio_sends (
    id               uuid        PRIMARY KEY,
    run_id           uuid        NOT NULL,
    node_id          text        NOT NULL,
    part             integer     NOT NULL,
    parts            integer     NOT NULL,
    app_id           uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    account_sid      text        NOT NULL,
    from_number      text        NOT NULL,
    to_number        text        NOT NULL,
    body             text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'failed', 'unknown',
                                                           'opted_out', 'inline')),
    attempts         integer     NOT NULL DEFAULT 0,
    message_sid      text,
    -- the latest status Twilio reported (queued, sent, delivered, undelivered, failed, ...)
    delivery_status  text,
    error_code       integer,
    error_message    text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (run_id, node_id, part)
);
CREATE UNIQUE INDEX twilio_sends_by_sid ON twilio_sends (app_id, message_sid) WHERE message_sid IS NOT NULL;

-- Status callbacks as they arrive (a repeated callback for the same status is kept once).
CREATE TABLE twilio_delivery_events (
    send_id      uuid        NOT NULL REFERENCES twilio_sends (id) ON DELETE CASCADE,
    status       text        NOT NULL,
    error_code   integer,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (send_id, status)
);
