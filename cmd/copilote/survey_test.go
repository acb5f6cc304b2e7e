package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// `survey purge` blanks the comments past their Caf's keeping period, in
// a database no survey write has touched since: the other Caf, which keeps
// them for good, keeps its own.
func TestSurveyPurgeCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copilote.db")
	mine, foreign := twoCafs(t, path)
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		// set first: setting the months purges at once
		if err := tx.SetCommentMonths(mine.CafID, 24); err != nil {
			return err
		}
		for _, c := range []int64{mine.ID, foreign.ID} {
			w := survey.Wave{CTGID: c, Audience: survey.Partners, Kind: nomenclature.WaveInitial,
				Date: civil.MustParse("2024-03-01"), Closes: civil.MustParse("2024-03-31")}
			if err := tx.CreateWave(&w, nomenclature.Default); err != nil {
				return err
			}
			r := survey.Response{Scores: map[string]int{"moyens": 3}, Comment: "Ancien commentaire.",
				SubmittedAt: time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)}
			if err := tx.AddResponse(w, &r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// the comments of March 2024 are more than 24 months old
	code, out, stderr := copilote(t, "", "survey", "purge", "--db", path)
	want := "Commentaires d'enquête effacés : 1.\n"
	if code != 0 || out != want {
		t.Errorf("survey purge: exit %d, %q %q; want %q", code, out, stderr, want)
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		id, caf int64
		want    int
	}{{mine.ID, mine.CafID, 0}, {foreign.ID, foreign.CafID, 1}} {
		waves, _ := db.Waves(ctx, c.id)
		res, err := db.WaveResults(ctx, waves[0].Wave, c.caf)
		if err != nil || len(res.Comments) != c.want || res.Responses() != 1 {
			t.Errorf("CTG %d after the purge: %d comments of %d responses (%v), want %d of 1", c.id, len(res.Comments), res.Responses(), err, c.want)
		}
	}
	if code, _, _ := copilote(t, "", "survey", "ménage"); code != 2 {
		t.Errorf("an unknown survey task: exit %d, want 2", code)
	}
}
