-- Indexes for reading figures at Caf and national scope.
--
-- The days of a period outside whole months are counted from the records
-- (store/tally_read.go); at Caf and national scope no CTG narrows them, so
-- they need an index by kind and day, and, for subjects (E12, E21), by
-- kind and the day they were taken into account.
CREATE INDEX record_kind_day ON record (kind, day);
CREATE INDEX record_kind_taken_on ON record (kind, taken_on) WHERE taken_on IS NOT NULL;

-- Caf and national reads select tally rows by indicator and bucket across
-- every Caf (or every CTG for S12a's axes), which the primary keys, led by
-- the scope's id, cannot do.
CREATE INDEX tally_code ON tally (scope, code, bucket);
CREATE INDEX tally_partner_code ON tally_partner (scope, code, bucket);

-- E31 over every CTG reads the partners by day from the index alone.
DROP INDEX partner_first_day;
CREATE INDEX partner_first_day ON partner_first (day, partner_id);

-- wave_score: the answers of each survey wave counted by score (E32, E42),
-- recounted when a response arrives, so that national figures need not
-- read every answer. Migrate fills it (recountAfter in store/migrate.go).
CREATE TABLE wave_score (
    wave_id BIGINT NOT NULL,
    score INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (wave_id, score)
);
