package demo_test

import (
	"testing"
	"time"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/survey"
)

// checkSurveysOnline: the demo shows what the browser does with surveys
// (issue 10, item 6): a wave of each audience in every CTG with its
// public link, one wave still open on the demo's "today" (27 November
// 2026) with answers, paper answers among the inhabitants', and the
// Caf's own question answered beside the national ones.
func checkSurveysOnline(t *testing.T, db *store.DB) {
	t.Helper()
	today := civil.New(2026, time.November, 27)
	ctgs, _ := db.CTGs(ctx, store.Scope{All: true})
	open, paper, links := 0, 0, map[string]bool{}
	for _, c := range ctgs {
		waves, err := db.Waves(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range waves {
			if w.Token == "" || links[w.Token] {
				t.Errorf("wave %d: link %q missing or shared", w.ID, w.Token)
			}
			links[w.Token] = true
			paper += w.Paper
			if w.StateOn(today) != survey.Open {
				continue
			}
			open++
			if w.Responses == 0 || w.Audience != survey.Residents || w.Kind != nomenclature.WaveFinal {
				t.Errorf("open wave %+v: want the inhabitants' final wave, with answers", w)
			}
			res, err := db.WaveResults(ctx, w.Wave, c.CafID)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Extra) != 1 || res.Extra[0].Answers() == 0 {
				t.Errorf("open wave: the Caf's question has no answers: %+v", res.Extra)
			}
		}
	}
	if open != 1 || paper == 0 {
		t.Errorf("%d waves open on the demo's today (want 1), %d paper answers (want some)", open, paper)
	}
}
