// Package indicator holds the figures of the catalogue (S11a … E42) as the
// domain sees them: a scope, a period, and for each indicator a value, its
// breakdowns and what lies behind it. It knows no SQL: store computes the
// figures from the records, following DOMAIN.md's counting rules.
package indicator

import (
	"maps"
	"math"
	"slices"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
)

// Catalogue codes, as framework.json and every export spell them.
const (
	S11a = "S11a"
	S11b = "S11b"
	E11  = "E11"
	S12a = "S12a"
	S12b = "S12b"
	E12  = "E12"
	S21a = "S21a"
	S21b = "S21b"
	E21  = "E21"
	S22  = "S22"
	E22  = "E22"
	S31  = "S31"
	E31  = "E31"
	S32a = "S32a"
	S32b = "S32b"
	E32  = "E32"
	S41  = "S41"
	E41  = "E41"
	S42  = "S42"
	E42  = "E42"
)

// Scope kinds: a post, a CTG, every CTG of a Caf, or every CTG.
const (
	ScopePost = "post"
	ScopeCTG  = "ctg"
	ScopeCaf  = "caf"
	ScopeAll  = "all"
)

// Scope says whose figures are asked for. Only the field of Kind is read.
type Scope struct {
	Kind    string `json:"kind"`
	PostID  int64  `json:"post_id,omitempty"`
	CTGID   int64  `json:"ctg_id,omitempty"`
	CafCode string `json:"caf,omitempty"`
}

// Validate checks that the scope names what its kind needs.
func (s Scope) Validate() error {
	f := apperr.Fields{}
	switch s.Kind {
	case ScopePost:
		if s.PostID <= 0 {
			f.Add("post", msg.Required)
		}
	case ScopeCTG:
		if s.CTGID <= 0 {
			f.Add("ctg", msg.Required)
		}
	case ScopeCaf:
		f.Required("caf", s.CafCode)
	case ScopeAll:
	default:
		f.Add("scope", msg.InvalidChoice)
	}
	return f.Err()
}

// Pooled reports whether the scope spans several CTGs, whose figures add up
// (rule 3) and whose survey waves are pooled by kind (rule 5).
func (s Scope) Pooled() bool { return s.Kind == ScopeCaf || s.Kind == ScopeAll }

// Period is a reporting period; both days are included.
type Period struct {
	From civil.Date `json:"from"`
	To   civil.Date `json:"to"`
}

func (p Period) Validate() error {
	f := apperr.Fields{}
	if p.From.IsZero() {
		f.Add("from", msg.Required)
	}
	if p.To.IsZero() {
		f.Add("to", msg.Required)
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		f.Add("to", msg.DateOrder)
	}
	// a period beyond the years records can have would cost reads for
	// nothing; the bound keeps every period cheap
	for name, d := range map[string]civil.Date{"from": p.From, "to": p.To} {
		if !d.IsZero() && !d.InRange() {
			f.Add(name, msg.DateRange, civil.MinYear, civil.MaxYear)
		}
	}
	return f.Err()
}

// Contains reports whether day d falls in the period.
func (p Period) Contains(d civil.Date) bool { return !d.IsZero() && d.Within(p.From, p.To) }

// What the drill-down ids of a figure are.
const (
	IDsRecords  = "record"        // journal records (meetings, subjects, projects…)
	IDsPartners = "partner"       // S21a, E31, S32a
	IDsUpdates  = "action_update" // S12a: the progress updates
	IDsWaves    = "survey_wave"   // E32, E42
)

// Names of the secondary breakdowns (Figure.Other) and of E41's either-one
// counts.
const (
	ByInstanceKind = "instance_kind" // S11b
	ByAudience     = "audience"      // S22
	ByEitherOne    = "either_one"    // E41
	ConceptionOnly = "conception_only"
	EvaluationOnly = "evaluation_only"
)

// KeyUnset is the breakdown key of records whose optional field is empty
// (a decision with no axis). A nomenclature code never starts with "_", so
// it cannot clash with one.
const KeyUnset = "_non_renseigne"

// OrganiserRoles are the meeting roles that make a veille meeting count in
// S21b: the officer organised (prepared) or animated it.
var OrganiserRoles = []string{"preparation", "animation", "co_animation"}

// Figure is one indicator's result. Value is nil when the figure is not
// available (a survey without both waves in the period).
type Figure struct {
	Code  string   `json:"code"`
	Value *float64 `json:"value"`
	// By is the main breakdown: nomenclature code → count.
	By map[string]float64 `json:"by,omitempty"`
	// Other holds the secondary breakdowns by name (ByInstanceKind…).
	Other map[string]map[string]float64 `json:"other,omitempty"`
	Waves []WaveFigure                  `json:"waves,omitempty"`
	// CTGs is, for survey figures, how many CTGs the value covers.
	CTGs int `json:"ctgs,omitempty"`
	// IDsOf says what RecordIDs are (IDsRecords…).
	IDsOf string `json:"-"`
	// RecordIDs are the ids behind the value, filled only when one figure
	// is asked for its drill-down.
	RecordIDs []int64 `json:"-"`
}

// Count returns a figure whose value is n.
func Count(code string, n float64) Figure { return Figure{Code: code, Value: &n} }

// Number returns the value, 0 when not available.
func (f Figure) Number() float64 {
	if f.Value == nil {
		return 0
	}
	return *f.Value
}

// Result is every figure of a scope over a period, in catalogue order.
type Result struct {
	Scope      Scope      `json:"scope"`
	From       civil.Date `json:"from"`
	To         civil.Date `json:"to"`
	Indicators []Figure   `json:"indicators"`
	// ComputedAt is when the figures were counted: national figures may be
	// served a few seconds after (store.SetNationalLag), and say so.
	ComputedAt time.Time `json:"-"`
}

// Figure returns the figure with that code.
func (r Result) Figure(code string) (Figure, bool) {
	i := slices.IndexFunc(r.Indicators, func(f Figure) bool { return f.Code == code })
	if i < 0 {
		return Figure{}, false
	}
	return r.Indicators[i], true
}

// Clone returns a copy sharing nothing with r, so that a result kept in a
// cache cannot be changed through the copy handed out.
func (r Result) Clone() Result {
	c := r
	c.Indicators = make([]Figure, len(r.Indicators))
	for i, f := range r.Indicators {
		if f.Value != nil {
			v := *f.Value
			f.Value = &v
		}
		f.By = maps.Clone(f.By)
		if f.Other != nil {
			other := make(map[string]map[string]float64, len(f.Other))
			for k, m := range f.Other {
				other[k] = maps.Clone(m)
			}
			f.Other = other
		}
		f.Waves = slices.Clone(f.Waves)
		for j, w := range f.Waves {
			if w.Mean != nil {
				m := *w.Mean
				f.Waves[j].Mean = &m
			}
			f.Waves[j].Distribution = maps.Clone(w.Distribution)
		}
		f.RecordIDs = slices.Clone(f.RecordIDs)
		c.Indicators[i] = f
	}
	return c
}

// round2 keeps scores to the hundredth: a Likert mean has no meaning
// beyond, and the JSON stays readable.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
