package demo

import (
	"maps"
	"slices"

	"copilote/internal/indicator"
	"copilote/internal/store"
)

// targetsPerYear are the yearly targets a Copil would set for the counts it
// watches most, scaled by the CTG's size (idx 0 Diois … 2 Montélimar); the
// demo's activity lands some above and some below, so every status shows.
var targetsPerYear = map[string][3]float64{
	indicator.S11b: {18, 12, 20},
	indicator.E11:  {6, 4, 6},
	indicator.S12b: {10, 8, 12},
	indicator.S21a: {8, 6, 10},
	indicator.S31:  {30, 25, 40},
	indicator.E31:  {5, 4, 6},
	indicator.S42:  {14, 10, 16},
	indicator.E41:  {4, 3, 5},
}

// saveTargets sets the targets and, for a few indicators, the baseline
// observed at signature.
func (s *site) saveTargets(tx *store.Tx) error {
	var ts []indicator.Target
	for _, code := range slices.Sorted(maps.Keys(targetsPerYear)) {
		per := targetsPerYear[code]
		for _, y := range years {
			ts = append(ts, indicator.Target{Indicator: code, Year: y, Value: per[s.idx]})
		}
		ts = append(ts, indicator.Target{Indicator: code, Year: 0, Value: per[s.idx] / 2})
	}
	ts = append(ts, indicator.Target{Indicator: indicator.E32, Year: years[len(years)-1], Value: 0.4},
		indicator.Target{Indicator: indicator.E42, Year: years[len(years)-1], Value: 0.3})
	return tx.SaveTargets(s.ctg.ID, ts)
}
