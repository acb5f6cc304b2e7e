-- Links between things (issue 11, item 5).
--
-- A fiche action's page lists the records linked to it, and the journal
-- filters by fiche: both select a CTG's records by action_id.
CREATE INDEX record_action ON record (action_id) WHERE action_id IS NOT NULL;

-- A merge of two partners of a Caf that someone who may record proposed
-- (an officer sees the likely duplicates too) and that someone who may
-- merge confirms or rejects. Open while decided_at is null; decision is
-- 'merged' (the pair was merged, through this proposal or not),
-- 'rejected', or 'obsolete' (one of the two was merged with a third).
-- keep_id is the partner the proposer would keep; pair names the two
-- ("12,40", lower id first), so that one pair has one open proposal
-- whichever partner each proposer keeps. Proposals name their
-- accounts: the exchange format does not carry them, as it carries no
-- account.
CREATE TABLE partner_merge_proposal (
    id {{id}},
    caf_id BIGINT NOT NULL REFERENCES caf(id),
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    keep_id BIGINT NOT NULL REFERENCES partner(id),
    dup_id BIGINT NOT NULL REFERENCES partner(id),
    pair TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    proposed_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    proposed_at {{ts}} NOT NULL,
    decided_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    decided_at {{ts}},
    decision TEXT NOT NULL DEFAULT ''
);
CREATE INDEX partner_merge_proposal_open ON partner_merge_proposal (caf_id) WHERE decided_at IS NULL;
CREATE UNIQUE INDEX partner_merge_proposal_pair ON partner_merge_proposal (pair) WHERE decided_at IS NULL;
