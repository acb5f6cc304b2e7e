package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/export"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// Rows offered for each list of a fiche action; filled rows come back
// plus these empty ones.
const extraRows = 2

type actionView struct {
	*ctgEnv
	*form
	Action  *actionplan.Action
	Actions []actionplan.Action
	Updates []actionplan.Update
	Total   int
	Years   []int
	Target  string
	Today   civil.Date
	Rows    map[string][]int

	// Linked are the records linked to the fiche (links.go).
	Linked []journal.Record
}

func (s *Server) actionView(r *http.Request, f *form) (*actionView, error) {
	e, err := s.env(r)
	if err != nil {
		return nil, err
	}
	return &actionView{ctgEnv: e, form: f, Years: e.CTG.Years(), Today: civil.Today(), Rows: map[string][]int{}}, nil
}

func (s *Server) actionList(w http.ResponseWriter, r *http.Request) error {
	v, err := s.actionView(r, newForm(r.URL.Query()))
	if err != nil {
		return err
	}
	filter := store.ActionFilter{Scope: v.User.Scope(), CTGID: v.CTG.ID, Axis: v.str("axis"), Status: v.str("status"),
		Priority: v.bool("priority"), Q: v.str("q")}
	if v.Actions, v.Total, err = s.db.Actions(r.Context(), filter); err != nil {
		return err
	}
	if format := v.str("format"); format == "csv" || format == "xlsx" {
		return writeExport(w, format, fmt.Sprintf("plan-actions-ctg%d", v.CTG.ID), v.exportTable())
	}
	s.render(w, r, http.StatusOK, "actions", "Plan d'actions – "+v.CTG.Name, v,
		crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Plan d'actions", ""})
	return nil
}

func (v *actionView) exportTable() export.Table {
	t := export.Table{Title: "Plan d'actions " + v.CTG.Name, Columns: []string{"Code", "Intitulé", "Axe", "Prioritaire",
		"Statut", "Avancement (%)", "Début", "Fin", "Pilote", "Budget prévu (€)", "Budget réalisé (€)", "Levier Caf"}}
	for _, a := range v.Actions {
		t.Rows = append(t.Rows, []any{a.Code, a.Title, v.Label("axis", a.Axis), a.Priority, v.Label("action_status", a.Status),
			a.Progress, a.Start, a.End, a.PilotStructure, a.BudgetPlanned, a.BudgetActual, a.CafLever})
	}
	return t
}

// Spans tells, for the timeline, whether action a runs during year y.
func (v *actionView) Spans(a actionplan.Action, y int) bool {
	start, end := a.Start, a.End
	if start.IsZero() {
		start = v.CTG.Start
	}
	if end.IsZero() {
		end = v.CTG.End
	}
	return start.Year <= y && y <= end.Year
}

// MilestoneOf is the fiche's milestone label for year y, if any.
func (v *actionView) MilestoneOf(a actionplan.Action, y int) string {
	for _, m := range a.Milestones {
		if m.Year == y {
			return m.Label
		}
	}
	return ""
}

func (v *actionView) NeedsAlert(a actionplan.Action) bool { return a.NeedsAlert(v.Today) }

func (v *actionView) StatusBadge(status string) string {
	switch status {
	case actionplan.Done:
		return "badge-ok"
	case actionplan.Blocked, actionplan.Abandoned:
		return "badge-bad"
	case actionplan.Ongoing:
		return "badge-warn"
	}
	return "badge-neutral"
}

func (s *Server) actionLoad(r *http.Request) (*actionplan.Action, error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a, err := s.db.Action(r.Context(), ctgOf(r).ID, id)
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Server) actionShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	v, err := s.actionView(r, newForm(url.Values{}))
	if err != nil {
		return err
	}
	v.Action = a
	if v.Updates, err = s.db.Updates(r.Context(), a.ID); err != nil {
		return err
	}
	v.Values.Set("date", civil.Earlier(civil.Today(), v.CTG.End).String())
	v.Values.Set("status", a.Status)
	v.Values.Set("percent", strconv.Itoa(a.Progress))
	s.renderAction(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, status int, v *actionView) {
	if err := s.loadLinked(r, v); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, status, "action", "Fiche action "+v.Action.Code+" : "+v.Action.Title, v, crumb{"Accueil", "/"},
		crumb{v.CTG.Name, ctgURL(v.CTG.ID)}, crumb{"Plan d'actions", ctgURL(v.CTG.ID) + "/actions"}, crumb{v.Action.Code, ""})
}

// actionUpdate appends a progress update; a rejected one shows the fiche
// again with the form as typed.
func (s *Server) actionUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	v, err := s.actionView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	v.Action = a
	u := actionplan.Update{ActionID: a.ID, PostID: v.id("post"), Date: v.date("date"), Status: v.str("status"),
		Percent: v.int("percent"), Difficulties: v.str("difficulties")}
	if u.PostID == 0 {
		u.PostID = v.authorPost()
	}
	if !v.User.CanRecordAs(u.PostID, v.target()) {
		v.Errors.Add("post", msg.PostNotInCTG)
	}
	if !v.Invalid() {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.AddUpdate(v.CTG.ID, &u, v.Nom) }))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		if v.Updates, err = s.db.Updates(r.Context(), a.ID); err != nil {
			return err
		}
		s.renderAction(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	http.Redirect(w, r, withOK(actionURL(v.CTG.ID, a.ID), "saved"), http.StatusSeeOther)
	return nil
}

// actionAlert raises an alert to the Copil about a late or blocked priority
// action in one click, and ties it to the latest update.
func (s *Server) actionAlert(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	e, err := s.env(r)
	if err != nil {
		return err
	}
	post := e.authorPost()
	if post == 0 {
		return apperr.New(apperr.Forbidden, msg.ErrForbidden)
	}
	nature, title := "retard", "Action prioritaire en retard : "+a.Code+" "+a.Title
	if a.Status == actionplan.Blocked {
		nature, title = "blocage", "Action prioritaire bloquée : "+a.Code+" "+a.Title
	}
	alert := journal.Record{CTGID: e.CTG.ID, PostID: post, Kind: journal.Alerte, Date: civil.Earlier(civil.Today(), e.CTG.End),
		Title: title, Nature: nature, Status: "ouverte", Axis: a.Axis, ActionID: a.ID}
	updates, err := s.db.Updates(r.Context(), a.ID)
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), e.User.User.ID, func(tx *store.Tx) error {
		if err := tx.SaveRecord(&alert, e.Nom); err != nil {
			return err
		}
		if len(updates) > 0 && updates[0].AlertRecordID == 0 {
			return tx.LinkUpdateAlert(updates[0].ID, alert.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(recordURL(e.CTG.ID, alert.ID), "saved"), http.StatusSeeOther)
	return nil
}

func actionURL(ctg, id int64) string { return ctgURL(ctg) + "/actions/" + strconv.FormatInt(id, 10) }

// writeExport sends a table as CSV or XLSX under a dated file name.
func writeExport(w http.ResponseWriter, format, name string, t export.Table) error {
	exportHeaders(w.Header(), format, name)
	if format == "csv" {
		return export.WriteCSV(w, t)
	}
	return export.WriteXLSX(w, t)
}
