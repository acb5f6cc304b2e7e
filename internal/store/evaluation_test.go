package store_test

import (
	"encoding/json"
	"slices"
	"testing"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/evaluation"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// The workflow as the store writes it, on both engines: one evaluation per
// post and period, moves only from the status they were decided on, a
// validation refused when data moved after its document was built, a
// reopening that empties the snapshot and keeps it, with its reason, in
// the audit.
func TestEvaluationWorkflowInStore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		n := nomenclature.Default
		e := evaluation.Evaluation{From: f.ctg.Start, To: f.ctg.End}
		write := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, f.user.ID, fn) }
		if err := write(func(tx *store.Tx) error { return tx.CreateEvaluation(&e, f.ctg, f.chef) }); err != nil {
			t.Fatal(err)
		}
		again := evaluation.Evaluation{From: f.ctg.Start, To: f.ctg.End}
		err := write(func(tx *store.Tx) error { return tx.CreateEvaluation(&again, f.ctg, f.chef) })
		if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Fields["from"] == "" {
			t.Errorf("a second evaluation of the same period: %v", err)
		}
		// a post of another CTG, named with this CTG, is not found
		other := f.other
		other.CTGID = f.ctg.ID + 100
		if err := write(func(tx *store.Tx) error { return tx.CreateEvaluation(&again, f.ctg, other) }); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a post of another CTG: %v", err)
		}

		in := evaluation.Evaluation{Strengths: "Un réseau solide", Appraisals: []evaluation.Appraisal{
			{Function: "1.1", Level: "atteint", Comment: "Copil préparés"}, {Function: "1.2", Comment: "à voir"},
			{Function: "2.1", Level: "partiel"}}}
		err = write(func(tx *store.Tx) error {
			if err := e.SetOfficerPart(f.chef, n, in); err != nil {
				return err
			}
			return tx.SaveEvaluation(&e)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Evaluation(ctx, e.ID)
		if err != nil || got.Strengths != "Un réseau solide" || len(got.Appraisals) != 3 || got.Appraisal("1.2").Comment != "à voir" ||
			got.Appraisal("1.2").Level != "" || got.CTGID != f.ctg.ID || got.Status != evaluation.Draft {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		// submitting needs every level
		if err := write(func(tx *store.Tx) error { return got.CheckSubmit(f.chef) }); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("submit with 1.2 unappraised: %v", err)
		}
		got.Appraisals[1].Level = "non_atteint"
		submit := func(ev evaluation.Evaluation) error {
			return write(func(tx *store.Tx) error {
				if err := tx.SaveEvaluation(&ev); err != nil {
					return err
				}
				return tx.SubmitEvaluation(&ev)
			})
		}
		stale := got
		if err := submit(got); err != nil {
			t.Fatal(err)
		}
		// the same move decided on the draft it no longer is
		if err := submit(stale); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a second submission: %v", err)
		}
		sub, _ := db.Evaluation(ctx, e.ID)
		if sub.Status != evaluation.Submitted || sub.SubmittedAt.IsZero() {
			t.Errorf("submitted: %+v", sub)
		}

		version, _ := db.DataVersion(store.AtDataVersion(ctx))
		// a record written after the document was built: validation refused
		if err := write(func(tx *store.Tx) error { return tx.SaveInstance(mustInstance(f), n) }); err != nil {
			t.Fatal(err)
		}
		validate := func(v int64) error {
			return write(func(tx *store.Tx) error {
				cur, err := tx.Evaluation(e.ID)
				if err != nil {
					return err
				}
				return tx.ValidateEvaluation(&cur, `{"kind":"evaluation_poste"}`, v, f.user.ID, "Claire Chef")
			})
		}
		if err := validate(version); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("validation over moved data: %v", err)
		}
		version, _ = db.DataVersion(store.AtDataVersion(ctx))
		if err := validate(version); err != nil {
			t.Fatal(err)
		}
		val, _ := db.Evaluation(ctx, e.ID)
		if !val.Frozen() || val.ValidatedByName != "Claire Chef" || val.ValidatedBy != f.user.ID || val.ValidatedAt.IsZero() {
			t.Errorf("validated: %+v", val)
		}
		if err := write(func(tx *store.Tx) error { return tx.ReopenEvaluation(&val, "Coût corrigé") }); err != nil {
			t.Fatal(err)
		}
		re, _ := db.Evaluation(ctx, e.ID)
		if re.Status != evaluation.Submitted || re.Snapshot != "" || re.ValidatedByName != "" || !re.ValidatedAt.IsZero() {
			t.Errorf("reopened: %+v", re)
		}
		checkEvaluationAudit(t, db, e.ID)
	})
}

func mustInstance(f fixture) *ctg.Instance {
	return &ctg.Instance{CTGID: f.ctg.ID, Kind: "copil", Name: "Copil " + civil.Today().String()}
}

// the audit tells the whole story, the reopening with its reason and the
// document it unfroze
func checkEvaluationAudit(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	entries, err := db.AuditOf(ctx, store.EntityEvaluation, id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range entries {
		actions = append(actions, a.Action)
	}
	want := []string{store.ActCreate, store.ActUpdate, store.ActUpdate, store.ActSubmit, store.ActValidate, store.ActReopen}
	if !slices.Equal(actions, want) {
		t.Fatalf("audit %v, want %v", actions, want)
	}
	last := entries[len(entries)-1]
	var detail map[string]any
	if err := json.Unmarshal([]byte(last.Detail), &detail); err != nil {
		t.Fatal(err)
	}
	if detail["reason"] != "Coût corrigé" || detail["snapshot"] != `{"kind":"evaluation_poste"}` || detail["validated_by"] != "Claire Chef" ||
		detail["from"] != "validee" || detail["to"] != "soumise" || last.UserName != "Claire Chef" {
		t.Errorf("reopen audit: %s by %q", last.Detail, last.UserName)
	}
}
