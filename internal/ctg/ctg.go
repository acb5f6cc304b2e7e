// Package ctg models a Caf, its Conventions territoriales globales and the
// cooperation officers' posts that the conventions fund.
package ctg

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// Caf is a departmental family-allowance fund.
type Caf struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Department string `json:"department"`
}

// CTG is a multi-year convention between a Caf and a territory.
type CTG struct {
	ID          int64          `json:"id"`
	CafID       int64          `json:"caf_id"`
	Name        string         `json:"name"`
	EPCISIREN   string         `json:"epci_siren,omitempty"`
	Population  int            `json:"population"`
	Start       civil.Date     `json:"start"`
	End         civil.Date     `json:"end"`
	Communes    []Commune      `json:"communes"`
	Signatories []Signatory    `json:"signatories"`
	Axes        []string       `json:"axes"`
	Objectives  []DevObjective `json:"objectives"`
	CreatedAt   time.Time      `json:"-"`
	UpdatedAt   time.Time      `json:"-"`
}

// Commune keeps the population known when the CTG was set up.
type Commune struct {
	INSEE      string `json:"insee"`
	Name       string `json:"name"`
	Population int    `json:"population"`
}

type Signatory struct {
	Organisation  string `json:"organisation"`
	RepresentedBy string `json:"represented_by,omitempty"`
}

// DevObjective is one of the CTG's objectives of development: a new service,
// partnership or competence at intercommunal level, with target and result.
type DevObjective struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Label    string `json:"label"`
	Target   int    `json:"target"`
	Achieved int    `json:"achieved"`
}

// Years lists the calendar years the convention covers.
func (c *CTG) Years() []int {
	var ys []int
	for y := c.Start.Year; y <= c.End.Year && !c.End.IsZero(); y++ {
		ys = append(ys, y)
	}
	return ys
}

// MaxConventionYears bounds a convention: they last four or five years,
// and every page of a CTG reads its years one by one.
const MaxConventionYears = 10

var sirenRe = regexp.MustCompile(`^\d{9}$`)

func (c *CTG) Validate(n *nomenclature.Set) error {
	f := apperr.Fields{}
	c.Name = strings.TrimSpace(c.Name)
	f.Required("name", c.Name)
	if len(c.Name) > 200 {
		f.Add("name", msg.TooLong, 200)
	}
	if c.EPCISIREN != "" && !sirenRe.MatchString(c.EPCISIREN) {
		f.Add("epci_siren", msg.InvalidSIREN)
	}
	if c.Start.IsZero() {
		f.Add("start", msg.Required)
	}
	if c.End.IsZero() {
		f.Add("end", msg.Required)
	}
	for name, d := range map[string]civil.Date{"start": c.Start, "end": c.End} {
		if !d.IsZero() && !d.InRange() {
			f.Add(name, msg.DateRange, civil.MinYear, civil.MaxYear)
		}
	}
	if !c.Start.IsZero() && !c.End.IsZero() && !c.End.After(c.Start) {
		f.Add("end", msg.DateOrder)
	} else if !c.Start.IsZero() && c.End.After(c.Start.AddDate(MaxConventionYears, 0, 0)) {
		f.Add("end", msg.ConventionTooLong, MaxConventionYears)
	}
	for i, a := range c.Axes {
		if !n.Has(nomenclature.Axis, a) {
			f.Add(fmt.Sprintf("axes.%d", i), msg.InvalidChoice)
		}
	}
	for i, o := range c.Objectives {
		if !n.Has(nomenclature.ObjectiveKind, o.Kind) {
			f.Add(fmt.Sprintf("objectives.%d.kind", i), msg.InvalidChoice)
		}
		if strings.TrimSpace(o.Label) == "" {
			f.Add(fmt.Sprintf("objectives.%d.label", i), msg.Required)
		}
		if o.Target < 0 || o.Achieved < 0 {
			f.Add(fmt.Sprintf("objectives.%d.target", i), msg.Range, 0, "l'infini")
		}
	}
	return f.Err()
}

// Instance is a body of the CTG's governance: Copil, comité technique,
// working group (with its axis), officers' network, CDSF.
type Instance struct {
	ID    int64  `json:"id"`
	CTGID int64  `json:"ctg_id"`
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Axis  string `json:"axis,omitempty"`
}

func (i *Instance) Validate(n *nomenclature.Set) error {
	f := apperr.Fields{}
	i.Name = strings.TrimSpace(i.Name)
	f.Required("name", i.Name)
	if !n.Has(nomenclature.InstanceKind, i.Kind) {
		f.Add("kind", msg.InvalidChoice)
	}
	if i.Axis != "" && !n.Has(nomenclature.Axis, i.Axis) {
		f.Add("axis", msg.InvalidChoice)
	}
	return f.Err()
}

// SetTerritory fills the communes and population from an EPCI, as they are
// known when the convention is set up.
func (c *CTG) SetTerritory(siren string, communes []Commune) {
	c.EPCISIREN, c.Communes, c.Population = siren, communes, 0
	for _, m := range communes {
		c.Population += m.Population
	}
}
