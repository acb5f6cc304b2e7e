-- Closed years (store/period_lock.go): a Caf administrator closes a year
-- of a CTG once its figures are final; records, progress updates, fiche
-- deletions and targets of that year are then refused until a reopening,
-- which the audit log keeps with its reason.
CREATE TABLE period_lock (
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    year INTEGER NOT NULL,
    closed_at {{ts}} NOT NULL,
    closed_by BIGINT REFERENCES app_user(id),
    PRIMARY KEY (ctg_id, year)
);
