-- Copilote schema. One text for both engines: {{id}}, {{ts}}, {{blob}} and
-- {{real}} are the only words that differ and store/migrate.go fills them in.

CREATE TABLE caf (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT ''
);

CREATE TABLE nomenclature (
    id {{id}},
    caf_id BIGINT REFERENCES caf(id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX nomenclature_national ON nomenclature (kind, code) WHERE caf_id IS NULL;
CREATE UNIQUE INDEX nomenclature_caf ON nomenclature (caf_id, kind, code) WHERE caf_id IS NOT NULL;

CREATE TABLE app_user (
    id {{id}},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    caf_id BIGINT REFERENCES caf(id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{ts}} NOT NULL,
    last_login_at {{ts}}
);

CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at {{ts}} NOT NULL,
    expires_at {{ts}} NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE audit (
    id {{id}},
    at {{ts}} NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    ctg_id BIGINT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit (entity, entity_id);
CREATE INDEX audit_ctg ON audit (ctg_id, at);

CREATE TABLE ctg (
    id {{id}},
    caf_id BIGINT NOT NULL REFERENCES caf(id),
    name TEXT NOT NULL,
    epci_siren TEXT NOT NULL DEFAULT '',
    population INTEGER NOT NULL DEFAULT 0,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL
);
CREATE INDEX ctg_caf ON ctg (caf_id);

CREATE TABLE ctg_commune (
    ctg_id BIGINT NOT NULL REFERENCES ctg(id) ON DELETE CASCADE,
    insee TEXT NOT NULL,
    name TEXT NOT NULL,
    population INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ctg_id, insee)
);

CREATE TABLE ctg_signatory (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    organisation TEXT NOT NULL,
    represented_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE ctg_axis (
    ctg_id BIGINT NOT NULL REFERENCES ctg(id) ON DELETE CASCADE,
    axis TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (ctg_id, axis)
);

CREATE TABLE dev_objective (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    target INTEGER NOT NULL DEFAULT 0,
    achieved INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_ctg (
    user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    ctg_id BIGINT NOT NULL REFERENCES ctg(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, ctg_id)
);

CREATE TABLE post (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    user_id BIGINT REFERENCES app_user(id),
    person TEXT NOT NULL,
    employer TEXT NOT NULL,
    etp INTEGER NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    chef_de_projet BOOLEAN NOT NULL DEFAULT FALSE,
    annual_cost BIGINT NOT NULL,
    caf_cofunding BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX post_ctg ON post (ctg_id);
CREATE INDEX post_user ON post (user_id);

CREATE TABLE post_function (
    post_id BIGINT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    function TEXT NOT NULL,
    PRIMARY KEY (post_id, function)
);

CREATE TABLE post_axis (
    post_id BIGINT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    axis TEXT NOT NULL,
    PRIMARY KEY (post_id, axis)
);

CREATE TABLE partner (
    id {{id}},
    caf_id BIGINT NOT NULL REFERENCES caf(id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    siret TEXT NOT NULL DEFAULT '',
    merged_into BIGINT REFERENCES partner(id),
    created_at {{ts}} NOT NULL
);
CREATE INDEX partner_caf ON partner (caf_id);

CREATE TABLE instance (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    axis TEXT NOT NULL DEFAULT ''
);
CREATE INDEX instance_ctg ON instance (ctg_id);

CREATE TABLE action (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    axis TEXT NOT NULL,
    objective TEXT NOT NULL DEFAULT '',
    finding TEXT NOT NULL DEFAULT '',
    pilot_structure TEXT NOT NULL DEFAULT '',
    pilot_person TEXT NOT NULL DEFAULT '',
    target_public TEXT NOT NULL DEFAULT '',
    steps TEXT NOT NULL DEFAULT '',
    start_date DATE,
    end_date DATE,
    budget_planned BIGINT NOT NULL DEFAULT 0,
    budget_actual BIGINT NOT NULL DEFAULT 0,
    caf_lever TEXT NOT NULL DEFAULT '',
    priority BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL,
    deleted_at {{ts}}
);
CREATE UNIQUE INDEX action_code ON action (ctg_id, code) WHERE deleted_at IS NULL;

CREATE TABLE action_partner (
    action_id BIGINT NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partner(id),
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (action_id, partner_id)
);

CREATE TABLE action_commune (
    action_id BIGINT NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    insee TEXT NOT NULL,
    PRIMARY KEY (action_id, insee)
);

CREATE TABLE action_milestone (
    id {{id}},
    action_id BIGINT NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    label TEXT NOT NULL
);

CREATE TABLE action_cofunder (
    id {{id}},
    action_id BIGINT NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    amount BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE action_indicator (
    id {{id}},
    action_id BIGINT NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    baseline {{real}} NOT NULL DEFAULT 0,
    target {{real}} NOT NULL DEFAULT 0,
    achieved {{real}} NOT NULL DEFAULT 0
);

CREATE TABLE record (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    post_id BIGINT NOT NULL REFERENCES post(id),
    kind TEXT NOT NULL,
    day DATE NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    instance_id BIGINT REFERENCES instance(id),
    action_id BIGINT REFERENCES action(id),
    meeting_id BIGINT REFERENCES record(id),
    axis TEXT NOT NULL DEFAULT '',
    nature TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    instance_kind TEXT NOT NULL DEFAULT '',
    facilitated BOOLEAN NOT NULL DEFAULT FALSE,
    innovative BOOLEAN NOT NULL DEFAULT FALSE,
    network BOOLEAN NOT NULL DEFAULT FALSE,
    habitants_conception BOOLEAN NOT NULL DEFAULT FALSE,
    habitants_evaluation BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    taken_on DATE,
    taken_how TEXT NOT NULL DEFAULT '',
    requests_examined INTEGER NOT NULL DEFAULT 0,
    places_allocated INTEGER NOT NULL DEFAULT 0,
    linked_on DATE,
    linked_instance_id BIGINT REFERENCES instance(id),
    created_at {{ts}} NOT NULL,
    created_by BIGINT,
    updated_at {{ts}} NOT NULL,
    updated_by BIGINT,
    deleted_at {{ts}},
    deleted_by BIGINT
);
CREATE INDEX record_ctg_day ON record (ctg_id, day);
CREATE INDEX record_ctg_kind_day ON record (ctg_id, kind, day);
CREATE INDEX record_post_day ON record (post_id, day);
CREATE INDEX record_meeting ON record (meeting_id);

CREATE TABLE record_partner (
    record_id BIGINT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partner(id),
    PRIMARY KEY (record_id, partner_id)
);
CREATE INDEX record_partner_partner ON record_partner (partner_id);

CREATE TABLE meeting_role (
    record_id BIGINT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES post(id),
    role TEXT NOT NULL,
    PRIMARY KEY (record_id, post_id, role)
);
CREATE INDEX meeting_role_post ON meeting_role (post_id);

CREATE TABLE subject_status (
    id {{id}},
    record_id BIGINT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    day DATE NOT NULL,
    how TEXT NOT NULL DEFAULT '',
    post_id BIGINT NOT NULL REFERENCES post(id)
);
CREATE INDEX subject_status_record ON subject_status (record_id);

CREATE TABLE attachment (
    id {{id}},
    record_id BIGINT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data {{blob}} NOT NULL
);
CREATE INDEX attachment_record ON attachment (record_id);

CREATE TABLE action_update (
    id {{id}},
    action_id BIGINT NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES post(id),
    day DATE NOT NULL,
    status TEXT NOT NULL,
    percent INTEGER NOT NULL DEFAULT 0,
    difficulties TEXT NOT NULL DEFAULT '',
    alert_record_id BIGINT REFERENCES record(id),
    created_at {{ts}} NOT NULL,
    created_by BIGINT
);
CREATE INDEX action_update_action ON action_update (action_id, day);
CREATE INDEX action_update_post ON action_update (post_id, day);

CREATE TABLE survey_wave (
    id {{id}},
    ctg_id BIGINT NOT NULL REFERENCES ctg(id),
    audience TEXT NOT NULL,
    kind TEXT NOT NULL,
    day DATE NOT NULL,
    closes DATE,
    token TEXT NOT NULL UNIQUE
);
CREATE INDEX survey_wave_ctg ON survey_wave (ctg_id);

CREATE TABLE survey_response (
    id {{id}},
    wave_id BIGINT NOT NULL REFERENCES survey_wave(id),
    submitted_at {{ts}} NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX survey_response_wave ON survey_response (wave_id);

CREATE TABLE survey_answer (
    response_id BIGINT NOT NULL REFERENCES survey_response(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, item)
);

CREATE TABLE evaluation (
    id {{id}},
    post_id BIGINT NOT NULL REFERENCES post(id),
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    status TEXT NOT NULL,
    snapshot TEXT NOT NULL DEFAULT '',
    validated_at {{ts}},
    validated_by BIGINT REFERENCES app_user(id),
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL
);
CREATE UNIQUE INDEX evaluation_period ON evaluation (post_id, from_date, to_date);

CREATE TABLE evaluation_appraisal (
    evaluation_id BIGINT NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
    function TEXT NOT NULL,
    level TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (evaluation_id, function)
);
