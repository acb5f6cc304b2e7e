package demo_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"copilote/internal/civil"
	"copilote/internal/document"
	"copilote/internal/evaluation"
	"copilote/internal/report"
	"copilote/internal/store"
)

// checkEvaluations: the Diois holds a validated (frozen) evaluation and a
// draft, the Royans-Vercors a submitted one; the frozen document is the one its figures give on a fresh load,
// and it is returned so that loads on both engines compare it byte for byte.
func checkEvaluations(t *testing.T, db *store.DB) string {
	t.Helper()
	ctgs, _ := db.CTGs(ctx, store.Scope{All: true})
	var frozen, draft, submitted []evaluation.Evaluation
	for _, c := range ctgs {
		es, err := db.EvaluationsOfCTG(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			switch e.Status {
			case evaluation.Validated:
				frozen = append(frozen, e)
			case evaluation.Draft:
				draft = append(draft, e)
			case evaluation.Submitted:
				submitted = append(submitted, e)
			}
		}
	}
	if len(frozen) != 1 || len(draft) != 1 || len(submitted) != 1 || frozen[0].CTGID != draft[0].CTGID {
		t.Fatalf("%d validated, %d draft and %d submitted evaluations, want one each, the first two in one CTG",
			len(frozen), len(draft), len(submitted))
	}
	if e := submitted[0]; e.SubmittedAt.IsZero() || len(e.Appraisals) != 5 {
		t.Errorf("submitted evaluation: %+v", e)
	}
	e, err := db.Evaluation(ctx, frozen[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Frozen() || e.ValidatedByName != "Julien Marcellin" || !e.ValidatedAt.Equal(time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)) ||
		e.Appraisal("4.1").Final() != "non_atteint" || len(e.Appraisals) != 6 {
		t.Errorf("frozen evaluation: %+v", e)
	}
	var doc document.Document
	if err := json.Unmarshal([]byte(e.Snapshot), &doc); err != nil || doc.Kind != report.KindPostEvaluation || len(doc.AllFigures()) < 30 {
		t.Fatalf("snapshot: %d figures, %v", len(doc.AllFigures()), err)
	}
	shown, err := report.ShownEvaluation(ctx, db, e.ID, civil.MustParse("2026-11-27"))
	if err != nil || len(shown.Differences) != 0 || !strings.Contains(strings.Join(shown.Doc.Notices, " "), "figée le 20/11/2026 à 18 h 30 par Julien Marcellin") {
		t.Errorf("frozen evaluation shown: %v differences %+v, notices %q", err, shown.Differences, shown.Doc.Notices)
	}
	d, err := report.ShownEvaluation(ctx, db, draft[0].ID, civil.MustParse("2026-11-27"))
	if err != nil || d.Evaluation.Appraisal("3.1").Level != "atteint" || !strings.Contains(d.Doc.Notices[0], "Brouillon") {
		t.Errorf("draft: %v, %+v", err, d.Doc.Notices)
	}
	return e.Snapshot
}

// frozenSnapshot is the frozen evaluation's stored document.
func frozenSnapshot(t *testing.T, db *store.DB) string {
	t.Helper()
	ctgs, _ := db.CTGs(ctx, store.Scope{All: true})
	for _, c := range ctgs {
		es, _ := db.EvaluationsOfCTG(ctx, c.ID)
		for _, e := range es {
			if e.Status == evaluation.Validated {
				full, err := db.Evaluation(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				return full.Snapshot
			}
		}
	}
	t.Fatal("no validated evaluation")
	return ""
}
