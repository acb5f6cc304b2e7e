package store

import (
	"context"
	"database/sql"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/indicator"
	"copilote/internal/survey"
)

// What the summaries of evaluations read (package report makes the Caf
// and national documents from it): posts and evaluations as counts need
// them, without the person holding a post, the appraisals of validated
// evaluations already counted, and the survey waves of the CTGs. Each is
// one statement whatever the number of CTGs.

// SummaryPost is a post as a summary counts it: no person.
type SummaryPost struct {
	ID, CTGID, CafID int64
	ETP              ctg.ETP
	Start, End       civil.Date
	AnnualCost       int64
	CafCofunding     int64
}

// Post is the post's fields a cost needs.
func (p SummaryPost) Post() ctg.Post {
	return ctg.Post{ID: p.ID, CTGID: p.CTGID, ETP: p.ETP, Start: p.Start, End: p.End, AnnualCost: p.AnnualCost,
		CafCofunding: p.CafCofunding}
}

// SummaryEvaluation is an evaluation as a summary counts it.
type SummaryEvaluation struct {
	ID, PostID, CTGID, CafID int64
	Status                   evaluation.Status
	From, To                 civil.Date
}

// SummaryAppraisal counts the validated evaluations of a CTG whose final
// level (the advisor's where they disagreed) of Function is Level.
type SummaryAppraisal struct {
	CTGID, CafID    int64
	Function, Level string
	N               int
}

// EvaluationFacts is what a summary of evaluations reads over a period.
type EvaluationFacts struct {
	Period indicator.Period
	// Posts present at some day of the period.
	Posts []SummaryPost
	// Evaluations whose period ends within the period, any status.
	Evaluations []SummaryEvaluation
	// Appraisals of those evaluations that are validated.
	Appraisals []SummaryAppraisal
	// Waves of the visibility surveys dated in the period, by audience
	// (survey.Partners for E32, survey.Residents for E42).
	Waves map[string][]indicator.WaveStat
}

// EvaluationFacts reads the facts of a summary at Caf or national scope.
func (db *DB) EvaluationFacts(ctx context.Context, scope indicator.Scope, p indicator.Period) (EvaluationFacts, error) {
	f := EvaluationFacts{Period: p}
	s, err := db.checkedScope(ctx, scope, p)
	if err != nil {
		return f, err
	}
	if f.Posts, err = db.summaryPosts(ctx, s, p); err != nil {
		return f, err
	}
	if f.Evaluations, err = db.summaryEvaluations(ctx, s, p); err != nil {
		return f, err
	}
	if f.Appraisals, err = db.summaryAppraisals(ctx, s, p); err != nil {
		return f, err
	}
	f.Waves, err = db.audienceWaves(ctx, s, p, survey.Partners, survey.Residents)
	return f, err
}

func (db *DB) summaryPosts(ctx context.Context, s indicatorScope, p indicator.Period) ([]SummaryPost, error) {
	w := &where{}
	s.ctgs(w, "p.ctg_id")
	w.add("p.start_date <= ?", p.To)
	w.add("(p.end_date IS NULL OR p.end_date >= ?)", p.From)
	var out []SummaryPost
	err := each(ctx, db.read, `SELECT p.id, p.ctg_id, c.caf_id, p.etp, p.start_date, p.end_date, p.annual_cost, p.caf_cofunding
		FROM post p JOIN ctg c ON c.id = p.ctg_id WHERE `+w.String()+` ORDER BY p.id`, w.args, func(sc scanner) error {
		var x SummaryPost
		var etp int
		err := sc.Scan(&x.ID, &x.CTGID, &x.CafID, &etp, &x.Start, &x.End, &x.AnnualCost, &x.CafCofunding)
		x.ETP = ctg.ETP(etp)
		out = append(out, x)
		return err
	})
	return out, apperr.Wrap(err, "summary posts")
}

func (db *DB) summaryEvaluations(ctx context.Context, s indicatorScope, p indicator.Period) ([]SummaryEvaluation, error) {
	w := &where{}
	s.ctgs(w, "p.ctg_id")
	w.add("e.to_date BETWEEN ? AND ?", p.From, p.To)
	var out []SummaryEvaluation
	err := each(ctx, db.read, `SELECT e.id, e.post_id, p.ctg_id, c.caf_id, e.status, e.from_date, e.to_date
		FROM evaluation e JOIN post p ON p.id = e.post_id JOIN ctg c ON c.id = p.ctg_id WHERE `+w.String()+` ORDER BY e.id`,
		w.args, func(sc scanner) error {
			var x SummaryEvaluation
			var status string
			err := sc.Scan(&x.ID, &x.PostID, &x.CTGID, &x.CafID, &status, &x.From, &x.To)
			x.Status = evaluation.Status(status)
			out = append(out, x)
			return err
		})
	return out, apperr.Wrap(err, "summary evaluations")
}

func (db *DB) summaryAppraisals(ctx context.Context, s indicatorScope, p indicator.Period) ([]SummaryAppraisal, error) {
	w := &where{}
	s.ctgs(w, "p.ctg_id")
	w.add("e.status = ?", string(evaluation.Validated))
	w.add("e.to_date BETWEEN ? AND ?", p.From, p.To)
	var out []SummaryAppraisal
	err := each(ctx, db.read, `SELECT p.ctg_id, c.caf_id, a.function,
		CASE WHEN a.review_level <> '' THEN a.review_level ELSE a.level END AS final, COUNT(*)
		FROM evaluation_appraisal a JOIN evaluation e ON e.id = a.evaluation_id JOIN post p ON p.id = e.post_id
		JOIN ctg c ON c.id = p.ctg_id WHERE `+w.String()+`
		GROUP BY p.ctg_id, c.caf_id, a.function, final ORDER BY p.ctg_id, a.function, final`, w.args, func(sc scanner) error {
		var x SummaryAppraisal
		var n sql.NullInt64
		err := sc.Scan(&x.CTGID, &x.CafID, &x.Function, &x.Level, &n)
		x.N = int(n.Int64)
		out = append(out, x)
		return err
	})
	return out, apperr.Wrap(err, "summary appraisals")
}
