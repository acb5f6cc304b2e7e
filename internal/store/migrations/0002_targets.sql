-- Targets and baselines per indicator, CTG and year. year 0 holds the
-- baseline at signature; other rows hold the year's target.
CREATE TABLE indicator_target (
    ctg_id BIGINT NOT NULL REFERENCES ctg(id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    year INTEGER NOT NULL,
    value {{real}} NOT NULL,
    PRIMARY KEY (ctg_id, indicator, year)
);
