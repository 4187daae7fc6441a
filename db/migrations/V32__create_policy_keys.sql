-- Keys the policy node kinds need across restarts and replicas (the AES key sealing the
-- placeholder map of policy.pii with restore: true), generated once by the first instance that
-- starts unless configured (switchboard.policy.vault-key).
CREATE TABLE policy_keys (
    name        text        PRIMARY KEY,
    key_bytes   bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);
