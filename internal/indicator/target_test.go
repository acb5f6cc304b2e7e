package indicator

import (
	"testing"

	"copilote/internal/civil"
)

func TestTargetsAndStatus(t *testing.T) {
	ts := Targets{}
	for _, x := range []Target{{"S12b", 0, 3}, {"S12b", 2024, 10}, {"S12b", 2025, 12}, {"E32", 2026, 0.5}, {"E32", 2025, 0.2}} {
		ts.Add(x)
	}
	whole := Period{From: civil.MustParse("2023-01-01"), To: civil.MustParse("2026-12-31")}
	if v, ok := ts.For("S12b", whole, false); !ok || v != 22 {
		t.Errorf("S12b whole target = %v %v, want 22", v, ok)
	}
	if v, ok := ts.For("E32", whole, true); !ok || v != 0.5 {
		t.Errorf("E32 target = %v, want the last year's 0.5", v)
	}
	if b, ok := ts.Baseline("S12b"); !ok || b != 3 {
		t.Errorf("baseline = %v", b)
	}
	if _, ok := ts.For("S31", whole, false); ok {
		t.Error("a target without any row")
	}
	y := Period{From: civil.MustParse("2024-01-01"), To: civil.MustParse("2024-12-31")}
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		value *float64
		today string
		want  string
	}{
		{f(10), "2025-03-01", StatusReached},
		{f(9), "2025-03-01", StatusBehind},
		{f(3), "2024-04-01", StatusOnTrack}, // 3 ≥ 10 × 92/366
		{f(2), "2024-04-01", StatusBehind},
		{nil, "2025-03-01", StatusNA},
	}
	for _, c := range cases {
		if got := Status(c.value, 10, true, y, civil.MustParse(c.today)); got != c.want {
			t.Errorf("Status(%v on %s) = %s, want %s", c.value, c.today, got, c.want)
		}
	}
	if Status(f(1), 0, false, y, civil.MustParse("2024-04-01")) != StatusNone {
		t.Error("status without a target")
	}
}
