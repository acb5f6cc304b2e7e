// Package actionplan models the CTG's plan d'actions: one fiche action per
// action, attached to an axis, with dated progress updates kept as history.
package actionplan

import (
	"fmt"
	"math"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// Statuses of a fiche action, as codes of nomenclature.ActionStatus.
const (
	Planned   = "prevue"
	Ongoing   = "en_cours"
	Done      = "realisee"
	Blocked   = "bloquee"
	Abandoned = "abandonnee"
)

type Action struct {
	ID             int64      `json:"id"`
	CTGID          int64      `json:"ctg_id"`
	Code           string     `json:"code"`
	Title          string     `json:"title"`
	Axis           string     `json:"axis"`
	Objective      string     `json:"objective,omitempty"`
	Finding        string     `json:"finding,omitempty"` // the diagnostic finding it answers
	PilotStructure string     `json:"pilot_structure,omitempty"`
	PilotPerson    string     `json:"pilot_person,omitempty"`
	TargetPublic   string     `json:"target_public,omitempty"`
	Steps          string     `json:"steps,omitempty"`
	Start          civil.Date `json:"start,omitempty"`
	End            civil.Date `json:"end,omitempty"`
	BudgetPlanned  int64      `json:"budget_planned"`
	BudgetActual   int64      `json:"budget_actual"`
	CafLever       string     `json:"caf_lever,omitempty"`
	Priority       bool       `json:"priority"`
	// Status and Progress mirror the latest update, for lists and filters.
	Status     string      `json:"status"`
	Progress   int         `json:"progress"`
	Partners   []Partner   `json:"partners,omitempty"`
	Communes   []string    `json:"communes,omitempty"`
	Milestones []Milestone `json:"milestones,omitempty"`
	Cofunders  []Cofunder  `json:"cofunders,omitempty"`
	Indicators []Indicator `json:"indicators,omitempty"`
	UpdatedAt  time.Time   `json:"-"`
	DeletedAt  *time.Time  `json:"-"`
}

type Partner struct {
	PartnerID int64  `json:"partner_id"`
	Role      string `json:"role,omitempty"`
}

type Milestone struct {
	Year  int    `json:"year"`
	Label string `json:"label"`
}

type Cofunder struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

// Indicator is one of the fiche's own result indicators.
type Indicator struct {
	Label    string  `json:"label"`
	Baseline float64 `json:"baseline"`
	Target   float64 `json:"target"`
	Achieved float64 `json:"achieved"`
}

// Update is a dated progress report; the list of them is the fiche's history.
type Update struct {
	ID            int64      `json:"id"`
	ActionID      int64      `json:"action_id"`
	PostID        int64      `json:"post_id"`
	Date          civil.Date `json:"date"`
	Status        string     `json:"status"`
	Percent       int        `json:"percent"`
	Difficulties  string     `json:"difficulties,omitempty"`
	AlertRecordID int64      `json:"alert_record_id,omitempty"`
}

// NeedsAlert is true for a priority action that is blocked, or late: its end
// has passed and it is not done. The interface then offers to alert the Copil.
func (a *Action) NeedsAlert(today civil.Date) bool {
	if !a.Priority || a.Status == Done || a.Status == Abandoned {
		return false
	}
	return a.Status == Blocked || (!a.End.IsZero() && a.End.Before(today))
}

func (a *Action) Validate(n *nomenclature.Set) error {
	f := apperr.Fields{}
	a.Code = strings.TrimSpace(a.Code)
	a.Title = strings.TrimSpace(a.Title)
	f.Required("code", a.Code)
	f.Required("title", a.Title)
	if len(a.Code) > 20 {
		f.Add("code", msg.TooLong, 20)
	}
	if !n.Has(nomenclature.Axis, a.Axis) {
		f.Add("axis", msg.InvalidChoice)
	}
	if a.Status == "" {
		a.Status = Planned
	}
	if !n.Has(nomenclature.ActionStatus, a.Status) {
		f.Add("status", msg.InvalidChoice)
	}
	if !a.Start.IsZero() && !a.End.IsZero() && a.End.Before(a.Start) {
		f.Add("end", msg.DateOrder)
	}
	if a.BudgetPlanned < 0 || a.BudgetActual < 0 {
		f.Add("budget_planned", msg.Range, 0, "l'infini")
	}
	for i, m := range a.Milestones {
		if m.Year < 2000 || m.Year > 2100 || strings.TrimSpace(m.Label) == "" {
			f.Add(fmt.Sprintf("milestones.%d", i), msg.Required)
		}
	}
	for i, c := range a.Cofunders {
		if strings.TrimSpace(c.Name) == "" || c.Amount < 0 {
			f.Add(fmt.Sprintf("cofunders.%d", i), msg.Required)
		}
	}
	for i, ind := range a.Indicators {
		if strings.TrimSpace(ind.Label) == "" {
			f.Add(fmt.Sprintf("indicators.%d", i), msg.Required)
		}
		if !finite(ind.Baseline) || !finite(ind.Target) || !finite(ind.Achieved) {
			f.Add(fmt.Sprintf("indicators.%d", i), msg.InvalidNumber)
		}
	}
	return f.Err()
}

// finite refuses NaN and the infinities, which no engine stores alike.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func (u *Update) Validate(n *nomenclature.Set, start, end civil.Date) error {
	f := apperr.Fields{}
	if u.Date.IsZero() {
		f.Add("date", msg.Required)
	} else if u.Date.Before(start) || u.Date.After(end) {
		f.Add("date", msg.DateOutsideCTG, start.French(), end.French())
	}
	if !n.Has(nomenclature.ActionStatus, u.Status) {
		f.Add("status", msg.InvalidChoice)
	}
	if u.Percent < 0 || u.Percent > 100 {
		f.Add("percent", msg.Range, 0, 100)
	}
	if len(u.Difficulties) > 5000 {
		f.Add("difficulties", msg.TooLong, 5000)
	}
	return f.Err()
}
