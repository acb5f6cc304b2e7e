package indicator

import "copilote/internal/civil"

// Target is the value a CTG aims at for one indicator in one year; Year 0
// holds the baseline at signature.
type Target struct {
	Indicator string  `json:"indicator"`
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
}

// Targets of one CTG: indicator code → year → value.
type Targets map[string]map[int]float64

// Add records one target.
func (t Targets) Add(x Target) {
	if t[x.Indicator] == nil {
		t[x.Indicator] = map[int]float64{}
	}
	t[x.Indicator][x.Year] = x.Value
}

// Baseline is the value at signature, if one was set.
func (t Targets) Baseline(code string) (float64, bool) {
	v, ok := t[code][0]
	return v, ok
}

// For returns the target of a period: the sum of the yearly targets of the
// years it covers for counts; for survey scores, which are a difference
// between the first and the last wave, the target of its last year.
func (t Targets) For(code string, p Period, score bool) (float64, bool) {
	years := t[code]
	sum, found := 0.0, false
	for y := p.From.Year; y <= p.To.Year; y++ {
		v, ok := years[y]
		if !ok {
			continue
		}
		found = true
		if score {
			sum = v
		} else {
			sum += v
		}
	}
	return sum, found
}

// Statuses of a figure against its target.
const (
	StatusNone    = ""         // no target set
	StatusReached = "atteint"  // value ≥ target
	StatusOnTrack = "en_cours" // below target, but in proportion to the time elapsed
	StatusBehind  = "en_retard"
	StatusNA      = "non_disponible" // the figure itself is not available
)

// Status compares a figure with its target. Within a period still running
// on day today, the target is prorated to the time elapsed, so a yearly
// target is not "behind" in February.
func Status(value *float64, target float64, hasTarget bool, p Period, today civil.Date) string {
	switch {
	case !hasTarget:
		return StatusNone
	case value == nil:
		return StatusNA
	case *value >= target:
		return StatusReached
	}
	if today.Before(p.To) && !today.Before(p.From) {
		total := float64(p.To.DaysSince(p.From) + 1)
		elapsed := float64(today.DaysSince(p.From) + 1)
		if *value >= target*elapsed/total {
			return StatusOnTrack
		}
	}
	return StatusBehind
}
