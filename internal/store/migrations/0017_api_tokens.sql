-- Personal access tokens of the REST API (issue 13, item 1).
--
-- A user creates, names and revokes their own tokens; each is read-only
-- ('read') or may write ('write') within what the user may do anyway. Only
-- the SHA-256 of the token is stored, as for sessions and one-time links:
-- a copy of the database opens nothing. last_used_at is moved on at most
-- once a minute, so that reads do not all turn into writes. A revoked
-- token stays listed (revoked_at) so that its owner sees what it was.
CREATE TABLE api_token (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at {{ts}} NOT NULL,
    last_used_at {{ts}},
    revoked_at {{ts}}
);
CREATE INDEX api_token_user ON api_token (user_id);
