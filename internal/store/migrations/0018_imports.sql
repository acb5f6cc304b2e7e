-- Imports from spreadsheets (issue 13, item 2; store/import.go).

-- One upload, from its first step to its undo. The file lives here, parsed
-- into a table of texts (JSON: header and rows with their line numbers),
-- so that any instance serves the next step; its size is bounded by the
-- upload limit and the number of rows. mapping is what the user chose so
-- far (JSON: the field of each column, the codes of the values). status:
-- brouillon (draft), importe (committed), annule (undone after its
-- commit), abandonne (a draft given up). The
-- table is cleared once the import is committed or given up; the row
-- stays as the history of the CTG's imports.
CREATE TABLE import_batch (
    id {{id}},
    caf_id BIGINT NOT NULL REFERENCES caf(id),
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sheet {{blob}},
    mapping TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    lines INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    created_at {{ts}} NOT NULL,
    created_by BIGINT REFERENCES app_user(id),
    committed_at {{ts}},
    undone_at {{ts}},
    undone_by BIGINT REFERENCES app_user(id)
);
CREATE INDEX import_batch_ctg ON import_batch (ctg_id, id);

-- What a committed import created, so that it can be undone as a whole
-- for a day: entity is record, action or partner.
CREATE TABLE import_item (
    import_id BIGINT NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (import_id, entity, entity_id)
);

-- What a Caf's users chose, offered again for the next file: a column's
-- header (scope col:KIND) mapped to a field, a value (scope val:LIST)
-- mapped to a nomenclature code. source is folded (case, accents, spaces).
CREATE TABLE import_memory (
    caf_id BIGINT NOT NULL REFERENCES caf(id),
    scope TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (caf_id, scope, source)
);
