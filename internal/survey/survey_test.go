package survey

import (
	"strings"
	"testing"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
)

func day(s string) civil.Date { return civil.MustParse(s) }

// A wave takes online answers from its opening day to its closing day,
// both included, unless closed early; paper answers from its opening day.
func TestWaveState(t *testing.T) {
	w := Wave{Date: day("2025-05-05"), Closes: day("2025-05-15")}
	for d, want := range map[string]State{"2025-05-04": Upcoming, "2025-05-05": Open, "2025-05-15": Open, "2025-05-16": Closed} {
		if got := w.StateOn(day(d)); got != want {
			t.Errorf("state on %s = %v, want %v", d, got, want)
		}
	}
	if err := w.AcceptOnline(day("2025-05-04")); apperr.CodeOf(err) != apperr.Conflict ||
		!strings.Contains(apperr.As(err).Message(), "05/05/2025") {
		t.Errorf("before the opening day: %v", err)
	}
	if err := w.AcceptPaper(day("2025-06-30")); err != nil {
		t.Errorf("paper after the closing day: %v", err)
	}
	w.ClosedAt = time.Date(2025, 5, 9, 22, 30, 0, 0, time.UTC) // 10 May in Paris
	if w.StateOn(day("2025-05-09")) != Closed || w.ClosedOn() != day("2025-05-10") {
		t.Errorf("closed early: state %v, closed on %s", w.StateOn(day("2025-05-09")), w.ClosedOn())
	}
}

// A wave opened in the browser opens within its convention and stays open
// a year at most.
func TestCheckSchedule(t *testing.T) {
	start, end := day("2023-01-01"), day("2026-12-31")
	for _, c := range []struct {
		from, to string
		field    string
	}{{"2024-03-01", "2024-03-31", ""}, {"2027-01-04", "2027-02-01", "date"}, {"2024-03-01", "", "closes"},
		{"2024-03-01", "2025-03-03", "closes"}} {
		w := Wave{Date: day(c.from)}
		if c.to != "" {
			w.Closes = day(c.to)
		}
		err := w.CheckSchedule(start, end)
		if _, bad := apperr.As(err).Fields[c.field]; (c.field == "") != (err == nil) || (c.field != "" && !bad) {
			t.Errorf("%s – %s: %v, want a problem on %q", c.from, c.to, err, c.field)
		}
	}
}

// Answers to the Caf's questions must be to a question asked, from 1 to 5;
// a response's source is online unless it came on paper.
func TestResponseValidation(t *testing.T) {
	asked := []Question{{ID: 7, Audience: Residents, Text: "Je lis la lettre."}}
	r := Response{Scores: map[string]int{"services": 4}, Extra: map[int64]int{7: 5}}
	if err := r.Validate(Residents); err != nil || r.Source != Online {
		t.Errorf("valid response: %v, source %q", err, r.Source)
	}
	if err := r.ValidateExtra(asked); err != nil {
		t.Errorf("valid extra answers: %v", err)
	}
	for _, extra := range []map[int64]int{{8: 3}, {7: 6}} {
		r.Extra = extra
		if err := r.ValidateExtra(asked); err == nil {
			t.Errorf("extra answers %v accepted", extra)
		}
	}
	r = Response{Scores: map[string]int{"moyens": 4}, Source: "courrier"}
	if err := r.Validate(Residents); len(apperr.As(err).Fields) != 2 {
		t.Errorf("a partners' item and an unknown source: %v", err)
	}
	if err := (&Response{Scores: map[string]int{}}).Validate(Partners); apperr.As(err).Fields["scores"] == "" {
		t.Errorf("no score at all: %v", err)
	}
}

func TestMeanAndCutoff(t *testing.T) {
	if m, ok := Mean([6]int{0, 1, 0, 0, 0, 2}); !ok || m != 11.0/3 {
		t.Errorf("mean = %v %v", m, ok)
	}
	if _, ok := Mean([6]int{9}); ok {
		t.Error("a mean without answers")
	}
	if got := CommentCutoff(day("2025-07-11"), 6); got != day("2025-01-11") {
		t.Errorf("cutoff = %s", got)
	}
	if !CommentCutoff(day("2025-07-11"), 0).IsZero() {
		t.Error("0 months keeps comments for good")
	}
}
