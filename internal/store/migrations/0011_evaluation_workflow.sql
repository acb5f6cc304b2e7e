-- The evaluation of a post (issue 10, item 2). Beside the period, status
-- and snapshot of 0001: the officer's free sections, the advisor's overall
-- opinion, when it was last submitted, and the name of who validated it as
-- it was that day (an account may go, and the exchange format carries no
-- account), so that "figée le … par …" never changes.
ALTER TABLE evaluation ADD COLUMN strengths TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation ADD COLUMN difficulties TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation ADD COLUMN recommendations TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation ADD COLUMN review TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation ADD COLUMN submitted_at {{ts}};
ALTER TABLE evaluation ADD COLUMN validated_by_name TEXT NOT NULL DEFAULT '';
-- The officer's appraisal of a function (level, comment) may be written
-- before its level is chosen: level '' until then. The advisor's review:
-- a level of their own only where they disagree, and a comment.
ALTER TABLE evaluation_appraisal ADD COLUMN review_level TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation_appraisal ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
-- the summaries read validated evaluations by post
CREATE INDEX evaluation_status_post ON evaluation (status, post_id);
