-- Failed sign-ins, counted per account (the email as typed, lower-case)
-- and per client address, in the database: instances share nothing else,
-- and each must refuse the guesses the others counted (store/login.go).
-- failures is the current run of failures; a run ends once the row has
-- stayed quiet for the counting window after its last failure and lock.
CREATE TABLE login_attempt (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_at {{ts}} NOT NULL,
    locked_until {{ts}},
    PRIMARY KEY (kind, subject)
);
CREATE INDEX login_attempt_last ON login_attempt (last_at);
