-- Counts kept beside the records so that a figure reads a few rows instead
-- of scanning the records (store/tally.go). They are refreshed in the same
-- transaction as every write that changes them, so they are exact right
-- after the write and shared by every app instance.
--
-- tally: distinct records (or progress updates) per indicator, breakdown
-- and key, for one post ('p'), CTG ('c') or Caf ('f'), per month (bucket
-- yyyymm) and per year (bucket yyyy). dim '' holds the figure itself, key ''.
CREATE TABLE tally (
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    bucket INTEGER NOT NULL,
    code TEXT NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (scope, scope_id, bucket, code, dim, key)
);

-- tally_partner: the partners behind S21a and S32a per scope and bucket, so
-- that distinct partners can be counted over any set of buckets.
CREATE TABLE tally_partner (
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    partner_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (scope, scope_id, code, bucket, partner_id)
);

-- partner_first: each partner's first live record in each CTG (E31), with
-- its day and author post.
CREATE TABLE partner_first (
    ctg_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    record_id BIGINT NOT NULL,
    post_id BIGINT NOT NULL,
    day DATE NOT NULL,
    PRIMARY KEY (ctg_id, partner_id)
);
CREATE INDEX partner_first_day ON partner_first (day);
CREATE INDEX partner_first_post ON partner_first (post_id, day);
