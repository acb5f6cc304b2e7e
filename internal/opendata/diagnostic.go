package opendata

import (
	"math"
	"slices"
	"strings"
)

// Territory is what a diagnostic needs of a CTG: its EPCI, its communes
// and the year of its signature (the convention's start).
type Territory struct {
	EPCI          string
	Communes      []Place
	SignatureYear int
}

// Place is a commune of the CTG.
type Place struct{ INSEE, Name string }

// Diagnostic is a CTG's open-data figures: one series per measure and
// level, by year, with the value at signature as the baseline.
type Diagnostic struct {
	Years         []int
	SignatureYear int
	Series        []Series
	// Details are the commune-level measures commune by commune.
	Details []Detail
}

// Series is one measure of the territory by year. For a file per commune
// the CTG's figure is the sum of its communes, when the measure is a count.
type Series struct {
	Level   Level
	Measure string
	Label   string
	Points  []Point // one per Diagnostic.Years
	// Baseline is the known value of the signature year, or of the last
	// year before it; Latest the last known value.
	Baseline, Latest *Point
	Change           float64
	ChangePct        float64
	HasChange        bool
	HasPct           bool
	Numeric          bool
	// Communes, for a commune-level series: how many of the CTG's communes
	// the data has, of how many.
	Communes, OfCommunes int
}

// Point is a year's figure. Partial: a sum over communes some of which
// have no known value that year (missing, or masked by secrecy).
type Point struct {
	Year    int
	Value   float64
	Known   bool
	Partial bool
	Raw     string
}

// Detail is a commune-level measure, one row per commune of the CTG.
type Detail struct {
	Measure, Label string
	Rows           []DetailRow
}

type DetailRow struct {
	INSEE, Name string
	Points      []Point // one per Diagnostic.Years
}

// labels name the measures of the published files in French; other
// columns keep their name.
var labels = map[string]string{
	"NB_PERS_PAR_FOYER_ALLOC": "Personnes couvertes par la branche Famille",
	"NB_ENFANTS":              "Enfants couverts",
	"NB_ENFANTS_0_2_ANS":      "Enfants de 0 à 2 ans couverts",
	"NB_ENFANTS_3_5_ANS":      "Enfants de 3 à 5 ans couverts",
	"NB_ALLOCATAIRES":         "Foyers allocataires",
	"NB_ALLOC":                "Foyers allocataires",
}

// LabelOf names a measure.
func LabelOf(measure string) string {
	if l, ok := labels[strings.ToUpper(measure)]; ok {
		return l
	}
	return measure
}

type seriesKey struct {
	level   Level
	measure string
}

// Build makes the diagnostic of t from the values stored for its CTG.
// Values of a territory that is no longer the CTG's are left out.
func Build(t Territory, values []Value) *Diagnostic {
	d := &Diagnostic{SignatureYear: t.SignatureYear}
	ours := map[string]bool{}
	for _, p := range t.Communes {
		ours[p.INSEE] = true
	}
	var keys []seriesKey
	byKey := map[seriesKey][]Value{}
	years := map[int]bool{}
	for _, v := range values {
		if (v.Level == EPCI && v.Code != t.EPCI) || (v.Level == Commune && !ours[v.Code]) {
			continue
		}
		k := seriesKey{v.Level, v.Measure}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], v)
		years[v.Year] = true
	}
	for y := range years {
		d.Years = append(d.Years, y)
	}
	slices.Sort(d.Years)
	slices.SortStableFunc(keys, func(a, b seriesKey) int {
		if a.level != b.level { // the EPCI's figures first
			return strings.Compare(string(b.level), string(a.level))
		}
		return rank(a.measure) - rank(b.measure)
	})
	for _, k := range keys {
		vs := byKey[k]
		var s Series
		if k.level == EPCI {
			s = d.epciSeries(k, vs)
		} else {
			s = d.communeSeries(k, vs, t)
			d.Details = append(d.Details, d.detail(k, vs, t))
		}
		s.baseline(t.SignatureYear)
		d.Series = append(d.Series, s)
	}
	return d
}

// rank puts the measures the lisez-moi documents first, in its order.
func rank(m string) int {
	order := []string{"NB_ALLOCATAIRES", "NB_ALLOC", "NB_PERS_PAR_FOYER_ALLOC", "NB_ENFANTS", "NB_ENFANTS_0_2_ANS", "NB_ENFANTS_3_5_ANS"}
	if i := slices.Index(order, strings.ToUpper(m)); i >= 0 {
		return i
	}
	return len(order)
}

func (d *Diagnostic) epciSeries(k seriesKey, vs []Value) Series {
	s := Series{Level: k.level, Measure: k.measure, Label: LabelOf(k.measure), Points: d.empty()}
	for _, v := range vs {
		p := &s.Points[slices.Index(d.Years, v.Year)]
		p.Raw, p.Value, p.Known = v.Raw, v.Value, v.Known
		s.Numeric = s.Numeric || v.Known
	}
	return s
}

// communeSeries sums a count over the CTG's communes, year by year; a
// measure that is not a count (a rate, a share) has no sum, only details.
func (d *Diagnostic) communeSeries(k seriesKey, vs []Value, t Territory) Series {
	s := Series{Level: k.level, Measure: k.measure, Label: LabelOf(k.measure), Points: d.empty(), OfCommunes: len(t.Communes)}
	if !additive(k.measure, vs) {
		return s
	}
	seen := map[string]bool{}
	known := make([]int, len(d.Years))
	for _, v := range vs {
		seen[v.Code] = true
		if !v.Known {
			continue
		}
		i := slices.Index(d.Years, v.Year)
		s.Points[i].Value += v.Value
		s.Points[i].Known = true
		known[i]++
	}
	s.Communes = len(seen)
	for i := range s.Points {
		s.Points[i].Partial = s.Points[i].Known && known[i] < len(t.Communes)
		s.Numeric = s.Numeric || s.Points[i].Known
	}
	return s
}

// additive: a count, whose values are whole numbers and whose name does
// not say a rate or a share.
func additive(measure string, vs []Value) bool {
	up := strings.ToUpper(measure)
	for _, p := range []string{"TX", "TAUX", "PART", "PCT", "MOY", "RATIO"} {
		if strings.HasPrefix(up, p) {
			return false
		}
	}
	for _, v := range vs {
		if v.Known && v.Value != math.Trunc(v.Value) {
			return false
		}
	}
	return true
}

func (d *Diagnostic) detail(k seriesKey, vs []Value, t Territory) Detail {
	det := Detail{Measure: k.measure, Label: LabelOf(k.measure)}
	rows := map[string]*DetailRow{}
	for _, v := range vs {
		r := rows[v.Code]
		if r == nil {
			r = &DetailRow{INSEE: v.Code, Points: d.empty()}
			for _, p := range t.Communes {
				if p.INSEE == v.Code {
					r.Name = p.Name
				}
			}
			rows[v.Code] = r
		}
		p := &r.Points[slices.Index(d.Years, v.Year)]
		p.Raw, p.Value, p.Known = v.Raw, v.Value, v.Known
	}
	for _, p := range t.Communes {
		if r := rows[p.INSEE]; r != nil {
			det.Rows = append(det.Rows, *r)
		}
	}
	return det
}

func (d *Diagnostic) empty() []Point {
	ps := make([]Point, len(d.Years))
	for i, y := range d.Years {
		ps[i].Year = y
	}
	return ps
}

// baseline fixes the value at signature (the signature year's, or the
// last known before it), the latest value, and the change between them.
func (s *Series) baseline(signature int) {
	for i := range s.Points {
		p := &s.Points[i]
		if !p.Known {
			continue
		}
		if p.Year <= signature {
			s.Baseline = p
		}
		s.Latest = p
	}
	if s.Baseline == nil || s.Latest == nil || s.Latest.Year <= s.Baseline.Year {
		return
	}
	s.Change, s.HasChange = s.Latest.Value-s.Baseline.Value, true
	if s.Baseline.Value != 0 {
		s.ChangePct, s.HasPct = s.Change/s.Baseline.Value*100, true
	}
}
