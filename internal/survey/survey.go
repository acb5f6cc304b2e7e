// Package survey models the visibility surveys (E32, E42): questionnaires
// for partners and for inhabitants, answered anonymously through a link, in
// waves, on Likert items from 1 to 5.
package survey

import (
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// Audience of a questionnaire.
const (
	Partners  = nomenclature.AudiencePartenaires
	Residents = nomenclature.AudienceHabitants
)

// Wave is one round of a questionnaire in a CTG. Its Date (the opening
// day) is what places it in a period.
type Wave struct {
	ID       int64      `json:"id"`
	CTGID    int64      `json:"ctg_id"`
	Audience string     `json:"audience"`
	Kind     string     `json:"kind"`
	Date     civil.Date `json:"date"`
	Closes   civil.Date `json:"closes"`
	Token    string     `json:"token"`
	// ClosedAt is when the wave was closed before its closing day; zero
	// while it runs its course.
	ClosedAt time.Time `json:"closed_at,omitzero"`
}

// Item is one Likert statement.
type Item struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Items are the questionnaire's statements per audience; they are fixed so
// that waves and territories compare.
var Items = map[string][]Item{
	Partners: {
		{"missions_caf", "Je connais les missions de la Caf sur le territoire."},
		{"missions_ctg", "Je connais les objectifs de la Convention territoriale globale."},
		{"moyens", "Je sais quels moyens (financements, appuis, ingénierie) je peux mobiliser auprès de chaque institution."},
		{"interlocuteur", "Je sais à qui m'adresser pour un projet en lien avec la CTG."},
		{"information", "Je suis informé(e) régulièrement des travaux de la CTG."},
	},
	Residents: {
		{"services", "Je connais les services proposés aux familles sur mon territoire."},
		{"institutions", "Je sais ce que font la Caf et l'intercommunalité pour les familles."},
		{"aides", "Je sais quelles aides je peux demander et à qui."},
		{"participation", "Je sais comment donner mon avis sur les projets du territoire."},
	},
}

// Response is one anonymous answer: no identity, only the scores, the
// comment and whether it came online or on paper.
type Response struct {
	ID          int64          `json:"id"`
	WaveID      int64          `json:"wave_id"`
	SubmittedAt time.Time      `json:"submitted_at"`
	Source      string         `json:"source,omitempty"`
	Scores      map[string]int `json:"scores"`
	// Extra holds the scores of the Caf's own questions, by question id:
	// they never enter E32 nor E42.
	Extra   map[int64]int `json:"extra,omitempty"`
	Comment string        `json:"comment,omitempty"`
}

func (w *Wave) Validate(n *nomenclature.Set) error {
	f := apperr.Fields{}
	if _, ok := Items[w.Audience]; !ok {
		f.Add("audience", msg.InvalidChoice)
	}
	if !n.Has(nomenclature.SurveyWaveKind, w.Kind) {
		f.Add("kind", msg.InvalidChoice)
	}
	if w.Date.IsZero() {
		f.Add("date", msg.Required)
	}
	if !w.Closes.IsZero() && w.Closes.Before(w.Date) {
		f.Add("closes", msg.DateOrder)
	}
	return f.Err()
}

// Validate checks each answered item is a known one scored 1 to 5; items may
// be left unanswered, but not all of them.
func (r *Response) Validate(audience string) error {
	f := apperr.Fields{}
	known := map[string]bool{}
	for _, it := range Items[audience] {
		known[it.Code] = true
	}
	for code, s := range r.Scores {
		if !known[code] {
			f.Add(code, msg.InvalidChoice)
		} else if s < 1 || s > 5 {
			f.Add(code, msg.Range, 1, 5)
		}
	}
	if len(r.Scores) == 0 {
		f.Add("scores", msg.SurveyNoScore)
	}
	switch r.Source {
	case "":
		r.Source = Online
	case Online, Paper:
	default:
		f.Add("source", msg.InvalidChoice)
	}
	r.Comment = strings.TrimSpace(r.Comment)
	if len(r.Comment) > 2000 {
		f.Add("comment", msg.TooLong, 2000)
	}
	return f.Err()
}

// Mean is the response's average score over the items answered.
func (r *Response) Mean() float64 {
	if len(r.Scores) == 0 {
		return 0
	}
	sum := 0
	for _, s := range r.Scores {
		sum += s
	}
	return float64(sum) / float64(len(r.Scores))
}
