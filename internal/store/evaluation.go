package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/msg"
)

// The evaluation of a post (internal/evaluation): its row, the appraisal
// of each delegated function, and its moves through the workflow, each
// with its audit row. A move is written only from the status it was
// decided on (UPDATE … WHERE status = the one read): two people acting at
// once on one evaluation make one move and one conflict.

// Audit actions of the workflow.
const (
	ActSubmit   = "submit"
	ActReturn   = "return"
	ActValidate = "validate"
	ActReopen   = "reopen"
)

// EntityEvaluation names evaluations in the audit.
const EntityEvaluation = "evaluation"

// CreateEvaluation opens a draft evaluation of post p of CTG c over
// e.From … e.To; a second evaluation of one post over one period is
// refused.
func (tx *Tx) CreateEvaluation(e *evaluation.Evaluation, c ctg.CTG, p ctg.Post) error {
	if p.CTGID != c.ID {
		return apperr.NotFoundf(msg.NotFoundPost)
	}
	if err := evaluation.ValidatePeriod(e.From, e.To, c, p); err != nil {
		return err
	}
	e.PostID, e.CTGID, e.Status, e.CreatedAt, e.UpdatedAt = p.ID, c.ID, evaluation.Draft, tx.Now, tx.Now
	id, err := tx.insertID(`INSERT INTO evaluation (post_id, from_date, to_date, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, p.ID, e.From, e.To, string(e.Status), tx.Now)
	if isUniqueViolation(err) {
		f := apperr.Fields{}
		f.Add("from", msg.EvaluationExists)
		return f.Err()
	}
	if err != nil {
		return apperr.Wrap(err, "create evaluation")
	}
	e.ID = id
	return tx.audit(ActCreate, EntityEvaluation, id, c.ID, map[string]any{"post_id": p.ID, "from": e.From, "to": e.To})
}

// SaveEvaluation writes an evaluation's texts and appraisals, provided
// its status is still the one it was read with.
func (tx *Tx) SaveEvaluation(e *evaluation.Evaluation) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE evaluation SET strengths = $1, difficulties = $2, recommendations = $3,
		review = $4, updated_at = $5 WHERE id = $6 AND status = $7`,
		e.Strengths, e.Difficulties, e.Recommendations, e.Review, tx.Now, e.ID, string(e.Status))
	if err := tx.oneRow(res, err, e); err != nil {
		return err
	}
	if err := tx.exec(`DELETE FROM evaluation_appraisal WHERE evaluation_id = $1`, e.ID); err != nil {
		return apperr.Wrap(err, "clear appraisals")
	}
	for _, a := range e.Appraisals {
		if a == (evaluation.Appraisal{Function: a.Function}) {
			continue // nothing written for this function yet
		}
		if err := tx.exec(`INSERT INTO evaluation_appraisal (evaluation_id, function, level, comment, review_level, review_comment)
			VALUES ($1, $2, $3, $4, $5, $6)`, e.ID, a.Function, a.Level, a.Comment, a.ReviewLevel, a.ReviewComment); err != nil {
			return apperr.Wrap(err, "save appraisal")
		}
	}
	e.UpdatedAt = tx.Now
	return tx.audit(ActUpdate, EntityEvaluation, e.ID, e.CTGID, auditDetail(e))
}

// oneRow turns an UPDATE of one evaluation that matched nothing into the
// conflict it is: someone moved the evaluation meanwhile.
func (tx *Tx) oneRow(res sql.Result, err error, e *evaluation.Evaluation) error {
	if err != nil {
		return apperr.Wrap(err, "update evaluation")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := tx.Evaluation(e.ID)
		if err != nil {
			return err
		}
		return apperr.New(apperr.Conflict, msg.EvaluationStatus, cur.Status.Label())
	}
	return nil
}

// auditDetail is what the audit keeps of a save: the texts and
// appraisals, not the snapshot.
func auditDetail(e *evaluation.Evaluation) map[string]any {
	return map[string]any{"status": e.Status, "strengths": e.Strengths, "difficulties": e.Difficulties,
		"recommendations": e.Recommendations, "review": e.Review, "appraisals": e.Appraisals}
}

// SubmitEvaluation moves a draft or returned evaluation to the advisor.
func (tx *Tx) SubmitEvaluation(e *evaluation.Evaluation) error {
	return tx.move(e, evaluation.Submitted, ActSubmit, `submitted_at = $1`, nil)
}

// ReturnEvaluation sends a submitted evaluation back to the officer, with
// the advisor's opinion saying why.
func (tx *Tx) ReturnEvaluation(e *evaluation.Evaluation) error {
	return tx.move(e, evaluation.Returned, ActReturn, "", map[string]any{"review": e.Review})
}

// ValidateEvaluation freezes a submitted evaluation: snapshot is its
// document as JSON, built at data version; if any data changed since, the
// snapshot would not be the figures of this moment, and the validation is
// refused to be made again.
func (tx *Tx) ValidateEvaluation(e *evaluation.Evaluation, snapshot string, version int64, byID int64, byName string) error {
	var now int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&now); err != nil {
		return apperr.Wrap(err, "data version")
	}
	if now != version {
		return apperr.New(apperr.Conflict, msg.EvaluationDataMoved)
	}
	err := tx.move(e, evaluation.Validated, ActValidate, `validated_at = $1, snapshot = $4, validated_by = $5, validated_by_name = $6`,
		map[string]any{"by": byName}, snapshot, nullID(byID), byName)
	if err == nil {
		e.Snapshot, e.ValidatedAt, e.ValidatedBy, e.ValidatedByName = snapshot, tx.Now, byID, byName
	}
	return err
}

// ReopenEvaluation unfreezes a validated evaluation, which goes back to
// the advisor as submitted. The audit keeps the reason, who had validated
// it and when, and the frozen document itself.
func (tx *Tx) ReopenEvaluation(e *evaluation.Evaluation, reason string) error {
	detail := map[string]any{"reason": reason, "validated_at": e.ValidatedAt, "validated_by": e.ValidatedByName,
		"snapshot": e.Snapshot}
	err := tx.move(e, evaluation.Submitted, ActReopen,
		`validated_at = NULL, validated_by = NULL, validated_by_name = '', snapshot = ''`, detail)
	if err == nil {
		e.Snapshot, e.ValidatedAt, e.ValidatedBy, e.ValidatedByName = "", time.Time{}, 0, ""
	}
	return err
}

// move changes the status from the one e was read with to next, with set
// (using $1 for now and $4… for extra) and the audit row of action.
func (tx *Tx) move(e *evaluation.Evaluation, next evaluation.Status, action, set string, detail map[string]any, extra ...any) error {
	if err := e.Move(next); err != nil {
		return err
	}
	q := `UPDATE evaluation SET status = $2, updated_at = $1`
	if set != "" {
		q += ", " + set
	}
	args := append([]any{tx.Now, string(next), e.ID}, extra...)
	res, err := tx.tx.ExecContext(tx.ctx, q+` WHERE id = $3 AND status = `+ph(len(args)+1), append(args, string(e.Status))...)
	if err := tx.oneRow(res, err, e); err != nil {
		return err
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["from"], detail["to"] = e.Status, next
	e.Status, e.UpdatedAt = next, tx.Now
	return tx.audit(action, EntityEvaluation, e.ID, e.CTGID, detail)
}

const evaluationColumns = `e.id, e.post_id, p.ctg_id, e.from_date, e.to_date, e.status, e.strengths, e.difficulties,
	e.recommendations, e.review, %s, e.validated_at, e.validated_by, e.validated_by_name, e.submitted_at, e.created_at,
	e.updated_at FROM evaluation e JOIN post p ON p.id = e.post_id`

func scanEvaluation(s scanner) (evaluation.Evaluation, error) {
	var e evaluation.Evaluation
	var status string
	var validated, submitted sql.NullTime
	var by sql.NullInt64
	err := s.Scan(&e.ID, &e.PostID, &e.CTGID, &e.From, &e.To, &status, &e.Strengths, &e.Difficulties,
		&e.Recommendations, &e.Review, &e.Snapshot, &validated, &by, &e.ValidatedByName, &submitted, &e.CreatedAt, &e.UpdatedAt)
	e.Status, e.ValidatedBy = evaluation.Status(status), idOf(by)
	if validated.Valid {
		e.ValidatedAt = validated.Time
	}
	if submitted.Valid {
		e.SubmittedAt = submitted.Time
	}
	return e, err
}

// Evaluation returns one evaluation with its appraisals and snapshot.
func (db *DB) Evaluation(ctx context.Context, id int64) (evaluation.Evaluation, error) {
	return getEvaluation(ctx, db.read, id)
}

// Evaluation reads an evaluation within the transaction, as it stands.
func (tx *Tx) Evaluation(id int64) (evaluation.Evaluation, error) {
	return getEvaluation(tx.ctx, tx.tx, id)
}

func getEvaluation(ctx context.Context, q querier, id int64) (evaluation.Evaluation, error) {
	es, err := listEvaluations(ctx, q, true, `e.id = $1`, id)
	if err != nil {
		return evaluation.Evaluation{}, err
	}
	if len(es) == 0 {
		return evaluation.Evaluation{}, apperr.NotFoundf(msg.NotFoundEvaluation)
	}
	return es[0], nil
}

// EvaluationsOfCTG lists the evaluations of a CTG's posts with their
// appraisals, latest period first, without their snapshots.
func (db *DB) EvaluationsOfCTG(ctx context.Context, ctgID int64) ([]evaluation.Evaluation, error) {
	return listEvaluations(ctx, db.read, false, `p.ctg_id = $1`, ctgID)
}

func listEvaluations(ctx context.Context, q querier, snapshot bool, cond string, arg any) ([]evaluation.Evaluation, error) {
	snap := "''"
	if snapshot {
		snap = "e.snapshot"
	}
	var out []evaluation.Evaluation
	err := each(ctx, q, `SELECT `+fmt.Sprintf(evaluationColumns, snap)+` WHERE `+cond+
		` ORDER BY e.to_date DESC, e.from_date DESC, p.person, e.id`, []any{arg}, func(s scanner) error {
		e, err := scanEvaluation(s)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, apperr.Wrap(err, "evaluations")
	}
	for i := range out {
		if out[i].Appraisals, err = appraisals(ctx, q, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func appraisals(ctx context.Context, q querier, id int64) ([]evaluation.Appraisal, error) {
	var out []evaluation.Appraisal
	err := each(ctx, q, `SELECT function, level, comment, review_level, review_comment FROM evaluation_appraisal
		WHERE evaluation_id = $1 ORDER BY function`, []any{id}, func(s scanner) error {
		var a evaluation.Appraisal
		err := s.Scan(&a.Function, &a.Level, &a.Comment, &a.ReviewLevel, &a.ReviewComment)
		out = append(out, a)
		return err
	})
	return out, apperr.Wrap(err, "appraisals")
}
