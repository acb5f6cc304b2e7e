package store

import (
	"fmt"
	"slices"
	"testing"

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
