-- Single sign-on (store/sso.go): a sign-in started with the identity
-- provider waits here, under its state's hash, for the provider's answer
-- (ten minutes at most), so that any instance may receive it.
CREATE TABLE sso_login (
    state_hash TEXT PRIMARY KEY,
    verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    next TEXT NOT NULL,
    created_at {{ts}} NOT NULL
);
