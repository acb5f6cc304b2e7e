package web

import (
	"net/http"

	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/report"
	"copilote/internal/store"
)

// copilForm is the agenda typed above the pack: the next Copil's date,
// title and items, prefilled with the meeting recorded ahead, if any.
type copilForm struct {
	*ctgEnv
	*form
}

// copilPack shows the pack Copil of a CTG: page and PDF (and workbook of
// its tables). The agenda comes from the form in the address (so that
// the PDF link carries it) or from the next Copil recorded in the journal.
func (s *Server) copilPack(w http.ResponseWriter, r *http.Request) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	f := newForm(r.URL.Query())
	in, err := s.copilInput(r, e, f)
	if err != nil {
		return err
	}
	doc := report.Copil(framework.Load(), in)
	return s.answerDocument(w, r, docAnswer{doc: doc, page: "copil", formats: documentFormats(doc), form: &copilForm{ctgEnv: e, form: f}},
		crumb{"Accueil", "/"}, crumb{e.CTG.Name, ctgURL(e.CTG.ID)}, crumb{"Pack Copil", ""})
}

func (s *Server) copilInput(r *http.Request, e *ctgEnv, f *form) (report.CopilInput, error) {
	ctx := r.Context()
	today := civil.Today()
	in := report.CopilInput{CTG: *e.CTG, Today: today, Nom: e.Nom, PostName: e.PostName, Links: reportLinks(e.CTG.ID, 0)}
	base := store.RecordFilter{Scope: e.User.Scope(), CTGID: e.CTG.ID}
	copils := base
	copils.Kind, copils.Nature = journal.Reunion, nomenclature.MeetingCopil
	meetings, _, err := s.db.Records(ctx, copils) // newest first
	if err != nil {
		return in, err
	}
	var next *journal.Record
	for i := range meetings {
		if meetings[i].Date.After(today) {
			next = &meetings[i]
		} else if in.Last == nil {
			in.Last = &meetings[i]
		}
	}
	in.Next = agendaOf(f, next)
	in.Period = indicator.Period{From: e.CTG.Start, To: today}
	if in.Last != nil {
		in.Period.From = in.Last.Date
	}
	in.Period.To = civil.Later(in.Period.From, today)
	if in.Figures, err = s.db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: e.CTG.ID}, in.Period); err != nil {
		return in, err
	}
	if in.Targets, err = s.db.Targets(ctx, e.CTG.ID); err != nil {
		return in, err
	}
	alerts := base
	alerts.Kind = journal.Alerte
	if in.OpenAlerts, err = s.db.RecordsWithStatus(ctx, alerts, "ouverte"); err != nil {
		return in, err
	}
	if in.Last != nil {
		if in.Decisions, err = s.decisionsOf(r, base, *in.Last); err != nil {
			return in, err
		}
	}
	return in, s.lateFiches(r, e, &in)
}

// agendaOf is the agenda the form gives, or else the next Copil recorded.
func agendaOf(f *form, next *journal.Record) report.Agenda {
	a := report.Agenda{Title: f.str("title"), Date: f.date("date"), Items: report.AgendaItems(f.str("agenda"))}
	if a.Title != "" || !a.Date.IsZero() || len(a.Items) > 0 || len(f.Errors) > 0 || next == nil {
		return a
	}
	a = report.Agenda{Title: next.Title, Date: next.Date, Items: report.AgendaItems(next.Comment), Recorded: next.ID}
	f.Values.Set("title", a.Title)
	f.Values.Set("date", a.Date.String())
	f.Values.Set("agenda", next.Comment)
	return a
}

// decisionsOf lists the decisions taken at a Copil meeting (home_ctg.go).
func (s *Server) decisionsOf(r *http.Request, base store.RecordFilter, meeting journal.Record) ([]journal.Record, error) {
	return s.copilDecisions(r.Context(), base, meeting)
}

// lateFiches picks the priority fiches the Copil should look at.
func (s *Server) lateFiches(r *http.Request, e *ctgEnv, in *report.CopilInput) error {
	actions, _, err := s.db.Actions(r.Context(), store.ActionFilter{Scope: e.User.Scope(), CTGID: e.CTG.ID, Priority: true})
	if err != nil {
		return err
	}
	updates, err := s.db.ActionUpdates(r.Context(), e.CTG.ID, in.Today)
	if err != nil {
		return err
	}
	last := map[int64]civil.Date{}
	for _, u := range updates {
		last[u.ActionID] = u.Date // oldest first: the last one stays
	}
	in.Late = report.LateFiches(actions, last, in.Today)
	return nil
}
