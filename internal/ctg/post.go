package ctg

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// CostPerETP is the seed's indicative yearly cost of a full-time post.
const CostPerETP = 48000

// ETP is a full-time equivalent in hundredths (80 is 0,8 ETP): exact sums
// across posts, no floating point in the database.
type ETP int

// ParseETP reads "0,8", "0.8" or "80 %". NaN and the infinities are no
// ETP: converted to an integer, they would be whatever the machine makes
// of them.
func ParseETP(s string) (ETP, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	scale := 100.0
	if p, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = strings.TrimSpace(p), 1
	}
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		err = strconv.ErrSyntax
	}
	if err != nil {
		return 0, err
	}
	return ETP(math.Round(v * scale)), nil
}

func (e ETP) Float() float64 { return float64(e) / 100 }

// String uses the French decimal comma: "0,8".
func (e ETP) String() string {
	s := strconv.FormatFloat(e.Float(), 'f', -1, 64)
	return strings.ReplaceAll(s, ".", ",")
}

// Post is a cooperation officer's post in one CTG, with its delegation: the
// functions (1.1 … 4.2) and axes entrusted to it, on which alone it is
// evaluated.
type Post struct {
	ID           int64      `json:"id"`
	CTGID        int64      `json:"ctg_id"`
	UserID       int64      `json:"user_id,omitempty"`
	Person       string     `json:"person"`
	Employer     string     `json:"employer"`
	ETP          ETP        `json:"etp"`
	Start        civil.Date `json:"start"`
	End          civil.Date `json:"end,omitempty"`
	ChefDeProjet bool       `json:"chef_de_projet"`
	Functions    []string   `json:"functions"`
	Axes         []string   `json:"axes"`
	AnnualCost   int64      `json:"annual_cost"`
	CafCofunding int64      `json:"caf_cofunding"`
}

// DefaultCost is the seed's 48 000 € per ETP, prorated.
func (p *Post) DefaultCost() int64 { return int64(p.ETP) * CostPerETP / 100 }

// Delegates reports whether function code (e.g. "1.1") is entrusted to the post.
func (p *Post) Delegates(function string) bool {
	for _, f := range p.Functions {
		if f == function {
			return true
		}
	}
	return false
}

// Label names the post as users do: person, ETP and role.
func (p *Post) Label() string {
	s := fmt.Sprintf("%s (%s ETP)", p.Person, p.ETP)
	if p.ChefDeProjet {
		s += " – cheffe/chef de projet CTG"
	}
	return s
}

// Validate checks the post; functions are checked against the framework's
// codes by the caller's list so that this package needs no framework import.
func (p *Post) Validate(n *nomenclature.Set, knownFunctions []string) error {
	f := apperr.Fields{}
	p.Person = strings.TrimSpace(p.Person)
	p.Employer = strings.TrimSpace(p.Employer)
	f.Required("person", p.Person)
	f.Required("employer", p.Employer)
	if p.ETP <= 0 || p.ETP > 100 {
		f.Add("etp", msg.Range, "0,01", 1)
	}
	if p.Start.IsZero() {
		f.Add("start", msg.Required)
	}
	if !p.End.IsZero() && !p.End.After(p.Start) {
		f.Add("end", msg.DateOrder)
	}
	if len(p.Functions) == 0 {
		f.Add("functions", msg.NoFunction)
	}
	known := map[string]bool{}
	for _, k := range knownFunctions {
		known[k] = true
	}
	for _, fn := range p.Functions {
		if !known[fn] {
			f.Add("functions", msg.UnknownFunction, fn)
		}
	}
	for _, a := range p.Axes {
		if !n.Has(nomenclature.Axis, a) {
			f.Add("axes", msg.InvalidChoice)
		}
	}
	if p.AnnualCost < 0 || p.CafCofunding < 0 {
		f.Add("annual_cost", msg.Range, 0, "l'infini")
	}
	return f.Err()
}
