package report_test

import (
	"os"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/evaluation"
	"copilote/internal/indicator"
	"copilote/internal/report"
	"copilote/internal/store"
)

// BenchmarkEvaluationSummary times the documents of the evaluations on the
// database COPILOTE_BENCH_DB names, a synthetic national set (copilote
// synth; docs/performance.md):
//
//	COPILOTE_BENCH_DB=/tmp/s01.db go test -run XXX -bench EvaluationSummary -benchtime 10x ./internal/report/
//
// The synthetic set holds no evaluation: the first run gives every post
// one, validated, over its CTG's convention, with an appraisal of each
// delegated function, written through the store as the web writes them
// (its snapshot is a stand-in: the summaries do not read it). It changes
// the database it measures.
func BenchmarkEvaluationSummary(b *testing.B) {
	dsn := os.Getenv("COPILOTE_BENCH_DB")
	if dsn == "" {
		b.Skip("COPILOTE_BENCH_DB is not set")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctgs, err := db.CTGs(ctx, store.Scope{All: true})
	if err != nil || len(ctgs) == 0 {
		b.Fatalf("%d CTGs, %v", len(ctgs), err)
	}
	first := seedEvaluations(b, db, ctgs)
	p := indicator.Period{From: ctgs[0].Start, To: ctgs[0].End}
	for _, c := range ctgs {
		p.From, p.To = civil.Earlier(p.From, c.Start), civil.Later(p.To, c.End)
	}
	cafs, _ := db.Cafs(ctx)
	b.Run("national", func(b *testing.B) {
		for b.Loop() {
			if _, err := report.EvaluationSummary(ctx, db, report.SummaryScope{National: true}, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("caf", func(b *testing.B) {
		for b.Loop() {
			if _, err := report.EvaluationSummary(ctx, db, report.SummaryScope{Caf: cafs[0]}, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ctg", func(b *testing.B) {
		c := ctgs[0]
		for b.Loop() {
			if _, err := report.CTGEvaluation(ctx, db, c.ID, indicator.Period{From: c.Start, To: c.End}, civil.Today()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("post", func(b *testing.B) {
		for b.Loop() {
			if _, err := report.PostEvaluation(ctx, db, first, civil.Today()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// seedEvaluations gives every post a validated evaluation, once, and
// returns the first one's id.
func seedEvaluations(b *testing.B, db *store.DB, ctgs []store.CTGSummary) int64 {
	b.Helper()
	if es, err := db.EvaluationsOfCTG(ctx, ctgs[0].ID); err != nil || len(es) > 0 {
		if err != nil {
			b.Fatal(err)
		}
		return es[len(es)-1].ID
	}
	levels := []string{"atteint", "partiel", "non_atteint"}
	version, err := db.DataVersion(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var firstID int64
	n := 0
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		for _, c := range ctgs {
			full, err := tx.CTG(c.ID)
			if err != nil {
				return err
			}
			posts, err := tx.Posts(c.ID)
			if err != nil {
				return err
			}
			for _, p := range posts {
				e := evaluation.Evaluation{From: full.Start, To: full.End}
				if err := tx.CreateEvaluation(&e, *full, p); err != nil {
					return err
				}
				for i, fn := range p.Functions {
					e.Appraisals = append(e.Appraisals, evaluation.Appraisal{Function: fn, Level: levels[(int(p.ID)+i)%3]})
				}
				if err := tx.SaveEvaluation(&e); err != nil {
					return err
				}
				if err := tx.SubmitEvaluation(&e); err != nil {
					return err
				}
				if err := tx.ValidateEvaluation(&e, `{"kind":"evaluation_poste"}`, version, 0, "Banc d'essai"); err != nil {
					return err
				}
				if firstID == 0 {
					firstID = e.ID
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d posts given a validated evaluation", n)
	return firstID
}
