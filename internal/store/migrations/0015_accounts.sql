-- Accounts in the browser (issue 11, item 6).

-- One-time links: an invitation to choose the first password of an
-- account an administrator created (its password_hash is '' until then),
-- or the reset of a forgotten password. Only the SHA-256 of the token is
-- stored, as for sessions: a copy of the database opens no account. A
-- link serves once (used_at) before expires_at; setting a password voids
-- the account's other links, and so does deactivating the account.
-- created_by is the administrator who made the link, NULL when the
-- account's holder asked for it.
CREATE TABLE account_token (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at {{ts}} NOT NULL,
    created_by BIGINT REFERENCES app_user(id),
    expires_at {{ts}} NOT NULL,
    used_at {{ts}}
);
CREATE INDEX account_token_user ON account_token (user_id);

-- "Mot de passe oublié" requests, counted per window for the address typed
-- and for the client's address, so that every instance refuses the same
-- flood of messages. Subjects are digests, never the address itself; rows
-- live two windows.
CREATE TABLE reset_throttle (
    subject TEXT NOT NULL,
    window_start {{ts}} NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (subject, window_start)
);
CREATE INDEX reset_throttle_window ON reset_throttle (window_start);
