package store

import (
	"context"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/survey"
)

// ActPurge is the audit action of comments blanked once their Caf's
// keeping period is over.
const ActPurge = "purge"

// SurveyQuestions lists a Caf's own questions for audience ("" for both),
// in the order they were added; active only, or retired ones too.
func (db *DB) SurveyQuestions(ctx context.Context, cafID int64, audience string, activeOnly bool) ([]survey.Question, error) {
	return surveyQuestions(ctx, db.read, cafID, audience, activeOnly)
}

func surveyQuestions(ctx context.Context, q querier, cafID int64, audience string, activeOnly bool) ([]survey.Question, error) {
	w := &where{}
	w.add("caf_id = ?", cafID)
	if audience != "" {
		w.add("audience = ?", audience)
	}
	if activeOnly {
		w.add("NOT retired")
	}
	var out []survey.Question
	err := each(ctx, q, `SELECT id, caf_id, audience, text, retired FROM survey_question WHERE `+w.String()+` ORDER BY id`,
		w.args, func(s scanner) error {
			var v survey.Question
			err := s.Scan(&v.ID, &v.CafID, &v.Audience, &v.Text, &v.Retired)
			out = append(out, v)
			return err
		})
	return out, apperr.Wrap(err, "survey questions")
}

// AddSurveyQuestion adds a Caf's own statement, within survey.MaxQuestions
// active ones per audience.
func (tx *Tx) AddSurveyQuestion(q *survey.Question) error {
	if err := q.Validate(); err != nil {
		return err
	}
	asked, err := surveyQuestions(tx.ctx, tx.tx, q.CafID, q.Audience, true)
	if err != nil {
		return err
	}
	if len(asked) >= survey.MaxQuestions {
		return apperr.New(apperr.Conflict, msg.SurveyTooManyQuestions, len(asked))
	}
	q.Retired = false
	if q.ID, err = tx.insertID(`INSERT INTO survey_question (caf_id, audience, text) VALUES ($1, $2, $3)`,
		q.CafID, q.Audience, q.Text); err != nil {
		return apperr.Wrap(err, "add survey question")
	}
	return tx.audit(ActCreate, "survey_question", q.ID, 0, q)
}

// RetireSurveyQuestion stops asking a question; its answers stay in the
// results of the waves that asked it.
func (tx *Tx) RetireSurveyQuestion(cafID, id int64) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE survey_question SET retired = TRUE WHERE id = $1 AND caf_id = $2 AND NOT retired`,
		id, cafID)
	if err != nil {
		return apperr.Wrap(err, "retire survey question")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFoundf(msg.NotFoundQuestion)
	}
	return tx.audit(ActUpdate, "survey_question", id, 0, map[string]bool{"retired": true})
}

// CommentMonths is how many months Caf cafID keeps survey comments; 0
// keeps them.
func (db *DB) CommentMonths(ctx context.Context, cafID int64) (int, error) {
	return commentMonths(ctx, db.read, cafID)
}

func commentMonths(ctx context.Context, q querier, cafID int64) (int, error) {
	var months int
	err := q.QueryRowContext(ctx, `SELECT survey_comment_months FROM caf WHERE id = $1`, cafID).Scan(&months)
	return months, notFound(err, msg.NotFoundCaf)
}

// SetCommentMonths sets how long the Caf keeps comments, and blanks at
// once those older.
func (tx *Tx) SetCommentMonths(cafID int64, months int) error {
	if months < 0 || months > survey.MaxCommentMonths {
		return apperr.Fields{"months": msg.Text(msg.Range, 0, survey.MaxCommentMonths)}.Err()
	}
	if err := tx.exec(`UPDATE caf SET survey_comment_months = $1 WHERE id = $2`, months, cafID); err != nil {
		return apperr.Wrap(err, "comment months")
	}
	if err := tx.audit(ActUpdate, "caf", cafID, 0, map[string]int{"survey_comment_months": months}); err != nil {
		return err
	}
	return tx.purgeComments(cafID)
}

// purgeCommentsOf purges the comments of the Caf of CTG ctgID.
func (tx *Tx) purgeCommentsOf(ctgID int64) error {
	var cafID int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT caf_id FROM ctg WHERE id = $1`, ctgID).Scan(&cafID); err != nil {
		return notFound(err, msg.NotFoundCTG)
	}
	return tx.purgeComments(cafID)
}

// purgeComments blanks the comments of Caf cafID's surveys older than it
// keeps them. Instances keep no timer: every survey write of the Caf
// (a wave opened or closed, an answer online or on paper, the setting
// changed) runs it, `copilote survey purge` runs it for every Caf, and
// the results never show a comment past its time meanwhile.
func (tx *Tx) purgeComments(cafID int64) error {
	_, err := tx.purgedComments(cafID)
	return err
}

// purgedComments purges and says how many comments went.
func (tx *Tx) purgedComments(cafID int64) (int64, error) {
	months, err := commentMonths(tx.ctx, tx.tx, cafID)
	if err != nil || months == 0 {
		return 0, err
	}
	cutoff := survey.CommentCutoff(survey.Day(tx.Now), months)
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE survey_response SET comment = '' WHERE comment <> '' AND submitted_at < $1
		AND wave_id IN (SELECT w.id FROM survey_wave w JOIN ctg c ON c.id = w.ctg_id WHERE c.caf_id = $2)`,
		cutoff.Time(), cafID)
	if err != nil {
		return 0, apperr.Wrap(err, "purge comments")
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, nil
	}
	return n, tx.audit(ActPurge, "survey_comment", cafID, 0, map[string]any{"before": cutoff, "comments": n})
}

// PurgeSurveyComments runs the purge for every Caf that limits how long
// it keeps comments, one transaction per Caf, and says how many went.
func (db *DB) PurgeSurveyComments(ctx context.Context) (int64, error) {
	var cafs []int64
	err := each(ctx, db.read, `SELECT id FROM caf WHERE survey_comment_months > 0 ORDER BY id`, nil, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		cafs = append(cafs, id)
		return err
	})
	if err != nil {
		return 0, apperr.Wrap(err, "cafs")
	}
	var total int64
	for _, caf := range cafs {
		err := db.Write(ctx, 0, func(tx *Tx) error {
			n, err := tx.purgedComments(caf)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// SurveyQuestions lists a Caf's active questions for audience within the
// transaction (the demo, which writes them and reads them back).
func (tx *Tx) SurveyQuestions(cafID int64, audience string) ([]survey.Question, error) {
	return surveyQuestions(tx.ctx, tx.tx, cafID, audience, true)
}
