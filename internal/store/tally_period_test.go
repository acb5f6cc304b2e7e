package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"copilote/internal/apperr"

	"copilote/internal/civil"
	"copilote/internal/indicator"
)

// splitPeriod decides which days come from the tallies and which from the
// records: whole years first, whole months around them, nothing else.
func TestSplitPeriod(t *testing.T) {
	d := civil.MustParse
	for _, c := range []struct {
		from, to string
		buckets  []int
		mid      string // "from..to", "" when no whole month fits
	}{
		{"2023-01-01", "2026-12-31", []int{2023, 2024, 2025, 2026}, "2023-01-01..2026-12-31"},
		{"2024-01-01", "2024-12-31", []int{2024}, "2024-01-01..2024-12-31"},
		{"2023-03-01", "2024-02-29", []int{202303, 202304, 202305, 202306, 202307, 202308, 202309, 202310, 202311,
			202312, 202401, 202402}, "2023-03-01..2024-02-29"},
		{"2023-11-15", "2025-01-31", []int{202312, 2024, 202501}, "2023-12-01..2025-01-31"},
		{"2024-05-02", "2024-05-31", nil, ""},
		{"2024-05-01", "2024-05-30", nil, ""},
		{"2024-05-20", "2024-07-10", []int{202406}, "2024-06-01..2024-06-30"},
	} {
		buckets, mid, ok := splitPeriod(indicator.Period{From: d(c.from), To: d(c.to)})
		got := ""
		if ok {
			got = fmt.Sprintf("%s..%s", mid.From, mid.To)
		}
		if !slices.Equal(buckets, c.buckets) || got != c.mid {
			t.Errorf("%s..%s: buckets %v mid %q, want %v %q", c.from, c.to, buckets, got, c.buckets, c.mid)
		}
	}
}

// A period of decades reads its whole years as one range: its statement
// holds as many arguments as a period of a few years (issue 9: a far
// year once asked for thousands of buckets, then ran out of SQL
// variables or of memory).
func TestLongPeriodCostsNoMore(t *testing.T) {
	d := civil.MustParse
	args := func(from, to string) int {
		buckets, _, _ := splitPeriod(indicator.Period{From: d(from), To: d(to)})
		var w where
		inBuckets(&w, "", buckets)
		return len(w.args)
	}
	short := args("2023-02-15", "2026-11-20")
	for _, p := range [][2]string{{"2000-01-01", "2099-12-31"}, {"2000-02-15", "2099-11-20"}} {
		if long := args(p[0], p[1]); long > short {
			t.Errorf("%s..%s reads %d buckets, %s..%s %d", p[0], p[1], long, "2023-02-15", "2026-11-20", short)
		}
	}
}

// Periods beyond the years Copilote deals in are refused with a French
// message before anything is read.
func TestPeriodOutsideYearsRefused(t *testing.T) {
	for _, p := range []indicator.Period{
		{From: civil.MustParse("9999-01-01"), To: civil.MustParse("9999-12-31")},
		{From: civil.MustParse("1000-01-01"), To: civil.MustParse("2024-12-31")},
		{From: civil.New(2147483647, 1, 1), To: civil.New(2147483647, 12, 31)},
	} {
		err := p.Validate()
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "comprise entre 2000 et 2099") {
			t.Errorf("%v..%v: %v", p.From, p.To, err)
		}
	}
}
