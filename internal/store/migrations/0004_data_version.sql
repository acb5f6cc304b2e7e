-- A number every data-changing transaction increments before it commits:
-- an instance may keep figures it computed while the number is unchanged,
-- and knows they are stale as soon as any instance commits a change.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);
