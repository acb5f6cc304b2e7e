-- The Caf's open data in a CTG's diagnostic (issue 13, item 3).
--
-- An administrator uploads a data.caf.fr file (per EPCI or per commune);
-- each CTG of the Caf keeps the measures of its own territory (its EPCI's
-- SIREN, its communes' INSEE codes) by year, one row per measure, the
-- column name as published. value is NULL when the cell was blank or
-- masked (statistical secrecy), raw the cell as published. A new file
-- replaces the values of the same territory, measure and year; a file for
-- another territory writes nothing here. source and imported_at say which
-- upload the value came from (the audit says who).
CREATE TABLE open_data_value (
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    measure TEXT NOT NULL,
    year INTEGER NOT NULL,
    value {{real}},
    raw TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at {{ts}} NOT NULL,
    PRIMARY KEY (ctg_id, level, code, measure, year)
);
