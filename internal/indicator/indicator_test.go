package indicator_test

import (
	"encoding/json"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/indicator"
)

func TestScopeAndPeriodValidate(t *testing.T) {
	for _, s := range []indicator.Scope{{Kind: "post"}, {Kind: "ctg"}, {Kind: "caf"}, {Kind: "region"}} {
		if s.Validate() == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	for _, s := range []indicator.Scope{{Kind: "post", PostID: 1}, {Kind: "ctg", CTGID: 2}, {Kind: "caf", CafCode: "026"}, {Kind: "all"}} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	p := indicator.Period{From: civil.MustParse("2024-12-31"), To: civil.MustParse("2024-01-01")}
	if p.Validate() == nil {
		t.Error("a period ending before it starts was accepted")
	}
	p.From, p.To = p.To, p.From
	if p.Validate() != nil || !p.Contains(p.From) || !p.Contains(p.To) || p.Contains(civil.MustParse("2025-01-01")) {
		t.Error("both bounds of a period are included, nothing else")
	}
}

// wave builds a wave whose answers are the given scores.
func wave(id, ctg int64, kind, day string, scores ...int) indicator.WaveStat {
	w := indicator.WaveStat{ID: id, CTGID: ctg, Kind: kind, Date: civil.MustParse(day), Responses: len(scores)}
	for _, s := range scores {
		w.Scores[s]++
	}
	return w
}

func TestSurvey(t *testing.T) {
	waves := []indicator.WaveStat{
		wave(1, 10, "initiale", "2024-01-10", 2, 3),
		wave(2, 10, "initiale", "2024-03-10", 5), // the earliest initiale counts
		wave(3, 10, "finale", "2024-11-10", 4),
		wave(4, 20, "initiale", "2024-01-10", 1),
		wave(5, 20, "finale", "2024-06-10", 3),
		wave(6, 20, "finale", "2024-09-10", 4),   // the latest finale counts
		wave(7, 30, "initiale", "2024-01-10", 3), // no finale: not covered
	}
	f := indicator.Survey("E32", waves, true)
	// CTG 10: 4 − 2.5 = 1.5; CTG 20: 4 − 1 = 3; mean 2.25 over 2 CTGs
	if f.Value == nil || *f.Value != 2.25 || f.CTGs != 2 || len(f.RecordIDs) != 7 {
		t.Fatalf("E32 = %+v", f)
	}
	if len(f.Waves) != 2 || f.Waves[0].Kind != "initiale" || f.Waves[0].CTGs != 3 || f.Waves[0].Responses != 5 ||
		*f.Waves[0].Mean != 2.8 || f.Waves[1].Distribution[4] != 2 {
		t.Errorf("pooled waves = %+v", f.Waves)
	}
	one := indicator.Survey("E42", waves[6:], false)
	if one.Value != nil || one.CTGs != 0 || len(one.Waves) != 1 || *one.Waves[0].Mean != 3 || one.Waves[0].Date.String() != "2024-01-10" {
		t.Errorf("a lone initiale wave = %+v, want no value and the wave shown", one)
	}
	empty := indicator.Survey("E42", []indicator.WaveStat{wave(8, 1, "initiale", "2024-01-01"), wave(9, 1, "finale", "2024-02-01", 4)}, false)
	if empty.Value != nil || empty.Waves[0].Mean != nil {
		t.Errorf("a wave without answers has no mean: %+v", empty)
	}
}

func TestFigureJSON(t *testing.T) {
	r := indicator.Result{Scope: indicator.Scope{Kind: "caf", CafCode: "026"},
		From: civil.MustParse("2024-01-01"), To: civil.MustParse("2024-12-31"),
		Indicators: []indicator.Figure{
			{Code: "S11b", Value: ptr(7), By: map[string]float64{"juridique": 3, "financiere": 4}, RecordIDs: []int64{1, 2}},
			{Code: "E32"},
		}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"scope":{"kind":"caf","caf":"026"},"from":"2024-01-01","to":"2024-12-31","indicators":[` +
		`{"code":"S11b","value":7,"by":{"financiere":4,"juridique":3}},{"code":"E32","value":null}]}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
}

func ptr(v float64) *float64 { return &v }
