-- The audit trail proves itself (store/audit_chain.go): each entry takes
-- the next place in one chain (seq) and a hash of its content and of the
-- previous entry's hash, so that an entry edited or deleted afterwards
-- breaks the chain where it stood. audit_head holds the chain's last place
-- and hash, which every writer locks last, in commit order.
ALTER TABLE audit ADD COLUMN seq BIGINT;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_seq ON audit (seq);
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
