-- partner_mask: for each Caf, indicator (S21a, S32a, E31) and partner, the
-- years it counts in (year 0: bit y - 2000) and, per year, the months it
-- counts in (bit month - 1). Distinct partners over the whole years and
-- months of a period then read one or two rows per partner instead of one
-- per partner and bucket: the national figures read 40 000 rows, not
-- 500 000. Filled from tally_partner and partner_first (store/tally.go).
CREATE TABLE partner_mask (
    caf_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    year INTEGER NOT NULL,
    partner_id BIGINT NOT NULL,
    mask BIGINT NOT NULL,
    PRIMARY KEY (caf_id, code, year, partner_id)
);
CREATE INDEX partner_mask_code ON partner_mask (code, year);
