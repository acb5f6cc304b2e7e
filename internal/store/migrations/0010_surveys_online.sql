-- Visibility surveys run from the browser (issue 10, item 1).

-- A wave closed before its closing day; NULL while it runs its course.
ALTER TABLE survey_wave ADD COLUMN closed_at {{ts}};

-- Where a response came from: 'en_ligne' through the public link, 'papier'
-- typed in by an officer from a paper questionnaire. A response holds no
-- address, no cookie and no e-mail: only its wave, its day, its scores and
-- its comment.
ALTER TABLE survey_response ADD COLUMN source TEXT NOT NULL DEFAULT 'en_ligne';

-- How many months a Caf keeps the free comments of its surveys; 0 keeps
-- them. Older comments are blanked by every survey write of the Caf and by
-- `copilote survey purge`, and never shown meanwhile.
ALTER TABLE caf ADD COLUMN survey_comment_months INTEGER NOT NULL DEFAULT 0;
CREATE INDEX survey_response_comment ON survey_response (wave_id, submitted_at);

-- A Caf's own Likert statements per audience, asked after the national
-- ones. Their answers live apart, in survey_extra_answer, so that the
-- survey figures (wave_score, E32, E42) never see them.
CREATE TABLE survey_question (
    id {{id}},
    caf_id BIGINT NOT NULL REFERENCES caf(id),
    audience TEXT NOT NULL,
    text TEXT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX survey_question_caf ON survey_question (caf_id, audience);

CREATE TABLE survey_extra_answer (
    response_id BIGINT NOT NULL REFERENCES survey_response(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES survey_question(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, question_id)
);

-- Answers counted per public link and window, overall (subject '') and
-- per client address (subject: a digest of the link and the address,
-- never the address), so that every instance refuses the same flood. Rows
-- live two windows; nothing joins them to a response.
CREATE TABLE survey_throttle (
    wave_id BIGINT NOT NULL REFERENCES survey_wave(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    window_start {{ts}} NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (wave_id, subject, window_start)
);
CREATE INDEX survey_throttle_window ON survey_throttle (window_start);
