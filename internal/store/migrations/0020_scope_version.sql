-- The data version at which each scope last changed (issue 14): a CTG's
-- records, fiches and surveys ('ctg', its id), any CTG of a Caf ('caf',
-- its id), and what every page shares, accounts, posts, partners,
-- nomenclatures ('structure', 0). An instance keeps a CTG's figures until
-- the CTG or the structure moves on, not until anything anywhere does.
CREATE TABLE scope_version (
    kind TEXT NOT NULL,
    id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
INSERT INTO scope_version (kind, id, n) SELECT 'structure', 0, n FROM data_version;
