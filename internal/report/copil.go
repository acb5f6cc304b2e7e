package report

import (
	"strconv"
	"strings"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// The pack Copil of a CTG: what its comité de pilotage reads before
// meeting. The agenda, the figures since the last Copil, the alerts
// still open, the decisions of the last Copil to follow up, and the
// priority fiches actions that are late or without news.

// Agenda is the next Copil: typed in the pack's form, or read from the
// Copil meeting recorded ahead in the journal.
type Agenda struct {
	Title string
	Date  civil.Date
	Items []string
	// Recorded is the journal's record of that meeting (0: typed in).
	Recorded int64
}

// CopilInput is what the pack reads.
type CopilInput struct {
	CTG   ctg.CTG
	Today civil.Date
	Next  Agenda
	// Last is the latest Copil meeting on or before today (nil: none yet);
	// Period runs from its day (or the convention's start) to today.
	Last       *journal.Record
	Period     indicator.Period
	Figures    indicator.Result
	Targets    indicator.Targets
	OpenAlerts []journal.Record
	Decisions  []journal.Record // of the last Copil
	Late       []LateFiche
	Nom        *nomenclature.Set
	PostName   func(id int64) string
	Links      Links
}

// LateFiche is a priority fiche action the Copil should look at, and why.
type LateFiche struct {
	Action     actionplan.Action
	LastUpdate civil.Date // zero: never updated
	Reasons    []string
}

// staleAfter is how long a priority fiche may go without a progress
// update before the pack lists it.
const staleAfter = 3 // months

// LateFiches picks, among actions, the priority fiches still open that
// are blocked, past their end, or without a progress update for three
// months (lastUpdate gives each fiche's latest update).
func LateFiches(actions []actionplan.Action, lastUpdate map[int64]civil.Date, today civil.Date) []LateFiche {
	since := today.AddDate(0, -staleAfter, 0)
	var out []LateFiche
	for _, a := range actions {
		if !a.Priority || a.Status == actionplan.Done || a.Status == actionplan.Abandoned {
			continue
		}
		l := LateFiche{Action: a, LastUpdate: lastUpdate[a.ID]}
		if a.Status == actionplan.Blocked {
			l.Reasons = append(l.Reasons, "bloquée")
		}
		if !a.End.IsZero() && a.End.Before(today) {
			l.Reasons = append(l.Reasons, "échéance du "+a.End.French()+" dépassée")
		}
		switch {
		case l.LastUpdate.IsZero() && (a.Start.IsZero() || a.Start.Before(since)):
			l.Reasons = append(l.Reasons, "aucun point d'avancement")
		case !l.LastUpdate.IsZero() && l.LastUpdate.Before(since):
			l.Reasons = append(l.Reasons, "pas de point d'avancement depuis le "+l.LastUpdate.French())
		}
		if len(l.Reasons) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// Copil builds the pack.
func Copil(fw *framework.Framework, in CopilInput) document.Document {
	d := document.Document{Kind: "pack_copil", Title: "Pack Copil – " + in.CTG.Name,
		Meta: []document.Field{{Label: "CTG", Value: in.CTG.Name}, {Label: "Prochain Copil", Value: agendaWhen(in.Next)},
			{Label: "Dernier Copil", Value: lastCopil(in.Last)},
			{Label: "Chiffres", Value: "du " + in.Period.From.French() + " au " + in.Period.To.French()}}}
	if in.Next.Title != "" {
		d.Subtitle = in.Next.Title
	}
	d.Sections = append(d.Sections, copilAgenda(in), copilFigures(fw, in), copilAlerts(in), copilDecisions(in), copilLate(in))
	return d
}

func agendaWhen(a Agenda) string {
	if a.Date.IsZero() {
		return "date à fixer"
	}
	return a.Date.French()
}

func lastCopil(r *journal.Record) string {
	if r == nil {
		return "aucun Copil enregistré"
	}
	return r.Date.French() + " – " + r.Title
}

func copilAgenda(in CopilInput) document.Section {
	s := document.Section{ID: "ordre-du-jour", Title: "Ordre du jour"}
	var f []document.Field
	if in.Next.Title != "" {
		f = append(f, document.Field{Label: "Réunion", Value: in.Next.Title})
	}
	f = append(f, document.Field{Label: "Date", Value: agendaWhen(in.Next)})
	s.Blocks = append(s.Blocks, document.Block{Fields: f})
	switch {
	case len(in.Next.Items) > 0:
		s.Blocks = append(s.Blocks, document.Block{List: in.Next.Items})
	default:
		s.Blocks = append(s.Blocks, document.Block{Text: "L'ordre du jour reste à compléter. Il suit d'ordinaire ce pack : " +
			"les chiffres depuis le dernier Copil, les alertes ouvertes, les décisions à suivre, les fiches prioritaires en retard."})
	}
	if in.Next.Recorded != 0 {
		s.Blocks = append(s.Blocks, document.Block{Text: "Repris de la réunion enregistrée au journal."})
	}
	return s
}

// AgendaItems reads an agenda typed in a text area: one item a line,
// dashes and bullets dropped.
func AgendaItems(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-–•*"))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func copilFigures(fw *framework.Framework, in CopilInput) document.Section {
	since := "depuis le début de la convention"
	if in.Last != nil {
		since = "depuis le Copil du " + in.Last.Date.French()
	}
	s := document.Section{ID: "chiffres", Title: "Chiffres depuis le dernier Copil",
		Blocks: []document.Block{{Text: "Du " + in.Period.From.French() + " au " + in.Period.To.French() + " (" + since +
			", son jour compris). Les cibles de la CTG sont ramenées à la période ; chaque valeur ouvre sur ses enregistrements dans Copilote."}}}
	s.Sections = objectiveFigures(fw, in.Figures, in.Targets, in.Period, in.Today, in.Nom, in.Links, "")
	return s
}

func copilAlerts(in CopilInput) document.Section {
	s := document.Section{ID: "alertes", Title: "Alertes ouvertes (" + strconv.Itoa(len(in.OpenAlerts)) + ")"}
	if len(in.OpenAlerts) == 0 {
		s.Blocks = []document.Block{{Text: "Aucune alerte n'est ouverte."}}
		return s
	}
	t := &document.Table{Caption: "Alertes au Copil encore ouvertes", Head: []string{"Date", "Alerte", "Nature", "Axe", "Par"}}
	for _, r := range in.OpenAlerts {
		t.Rows = append(t.Rows, []document.Cell{{Text: r.Date.French()}, recordCell(in.Links, r),
			{Text: in.Nom.Label(nomenclature.AlertNature, r.Nature)}, {Text: axisLabel(in.Nom, r.Axis)}, {Text: in.PostName(r.PostID)}})
	}
	s.Blocks = []document.Block{{Table: t}}
	return s
}

func copilDecisions(in CopilInput) document.Section {
	s := document.Section{ID: "decisions", Title: "Décisions à suivre"}
	switch {
	case in.Last == nil:
		s.Blocks = []document.Block{{Text: "Aucun Copil n'est encore enregistré."}}
		return s
	case len(in.Decisions) == 0:
		s.Blocks = []document.Block{{Text: "Aucune décision n'est enregistrée pour le Copil du " + in.Last.Date.French() + "."}}
		return s
	}
	t := &document.Table{Caption: "Décisions du Copil du " + in.Last.Date.French(), Head: []string{"Décision", "Axe", "Facilitée", "Commentaire"}}
	for _, r := range in.Decisions {
		facilitated := "non"
		if r.Facilitated {
			facilitated = "oui"
		}
		t.Rows = append(t.Rows, []document.Cell{recordCell(in.Links, r), {Text: axisLabel(in.Nom, r.Axis)}, {Text: facilitated}, {Text: r.Comment}})
	}
	s.Blocks = []document.Block{{Table: t}}
	return s
}

func copilLate(in CopilInput) document.Section {
	s := document.Section{ID: "fiches-en-retard", Title: "Fiches prioritaires en retard (" + strconv.Itoa(len(in.Late)) + ")"}
	if len(in.Late) == 0 {
		s.Blocks = []document.Block{{Text: "Aucune fiche prioritaire n'est bloquée, en retard ou sans point d'avancement depuis trois mois."}}
		return s
	}
	t := &document.Table{Caption: "Fiches prioritaires bloquées, en retard ou sans nouvelles depuis trois mois",
		Head:    []string{"Code", "Fiche action", "Axe", "Statut", "Avancement", "Échéance", "Dernier point", "Motif"},
		Numeric: []bool{false, false, false, false, true, false, false, false}}
	for _, l := range in.Late {
		a := l.Action
		code := document.Cell{Text: a.Code}
		if in.Links.Action != nil {
			code.Link = in.Links.Action(a.ID)
		}
		end, last := "—", "aucun"
		if !a.End.IsZero() {
			end = a.End.French()
		}
		if !l.LastUpdate.IsZero() {
			last = l.LastUpdate.French()
		}
		t.Rows = append(t.Rows, []document.Cell{code, {Text: a.Title}, {Text: in.Nom.Label(nomenclature.Axis, a.Axis)},
			{Text: in.Nom.Label(nomenclature.ActionStatus, a.Status)}, {Text: strconv.Itoa(a.Progress) + " %"}, {Text: end},
			{Text: last}, {Text: joinFrench(l.Reasons)}})
	}
	s.Blocks = []document.Block{{Table: t}}
	return s
}

func recordCell(l Links, r journal.Record) document.Cell {
	c := document.Cell{Text: r.Title}
	if l.Record != nil {
		c.Link = l.Record(r.ID)
	}
	return c
}

func axisLabel(n *nomenclature.Set, axis string) string {
	if axis == "" {
		return "—"
	}
	return n.Label(nomenclature.Axis, axis)
}
