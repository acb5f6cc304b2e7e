package web

import (
	"net/http"
	"net/url"
	"strconv"

	"copilote/internal/actionplan"
	"copilote/internal/store"
)

// actionValues is the form of an existing fiche; list rows are numbered
// from 1 (partner_name_1, partner_role_1, milestone_year_1…).
func actionValues(a *actionplan.Action, e *ctgEnv) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"code": a.Code, "title": a.Title, "axis": a.Axis, "objective": a.Objective,
		"finding": a.Finding, "pilot_structure": a.PilotStructure, "pilot_person": a.PilotPerson,
		"target_public": a.TargetPublic, "steps": a.Steps, "start": a.Start.String(), "end": a.End.String(),
		"caf_lever": a.CafLever, "status": a.Status} {
		if s != "" {
			v.Set(k, s)
		}
	}
	v.Set("budget_planned", strconv.FormatInt(a.BudgetPlanned, 10))
	v.Set("budget_actual", strconv.FormatInt(a.BudgetActual, 10))
	if a.Priority {
		v.Set("priority", "on")
	}
	v["commune"] = a.Communes
	for i, p := range a.Partners {
		n := strconv.Itoa(i + 1)
		v.Set("partner_name_"+n, e.PartnerName(p.PartnerID))
		v.Set("partner_role_"+n, p.Role)
	}
	for i, m := range a.Milestones {
		v.Set("milestone_year_"+strconv.Itoa(i+1), strconv.Itoa(m.Year))
		v.Set("milestone_label_"+strconv.Itoa(i+1), m.Label)
	}
	for i, c := range a.Cofunders {
		v.Set("cofunder_name_"+strconv.Itoa(i+1), c.Name)
		v.Set("cofunder_amount_"+strconv.Itoa(i+1), strconv.FormatInt(c.Amount, 10))
	}
	for i, ind := range a.Indicators {
		n := strconv.Itoa(i + 1)
		v.Set("indicator_label_"+n, ind.Label)
		v.Set("indicator_baseline_"+n, fmtFloat(ind.Baseline))
		v.Set("indicator_target_"+n, fmtFloat(ind.Target))
		v.Set("indicator_achieved_"+n, fmtFloat(ind.Achieved))
	}
	return v
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// rowCount is how many numbered rows of a list the form holds.
func rowCount(v url.Values, key string) int {
	n := 0
	for i := 1; i < 100; i++ {
		if _, ok := v[key+strconv.Itoa(i)]; ok {
			n = i
		}
	}
	return n
}

func readAction(f *form, e *ctgEnv) actionplan.Action {
	a := actionplan.Action{CTGID: e.CTG.ID, Code: f.str("code"), Title: f.str("title"), Axis: f.str("axis"),
		Objective: f.str("objective"), Finding: f.str("finding"), PilotStructure: f.str("pilot_structure"),
		PilotPerson: f.str("pilot_person"), TargetPublic: f.str("target_public"), Steps: f.str("steps"),
		Start: f.date("start"), End: f.date("end"), BudgetPlanned: f.money("budget_planned"),
		BudgetActual: f.money("budget_actual"), CafLever: f.str("caf_lever"), Priority: f.bool("priority"),
		Communes: f.Values["commune"]}
	list := e.PartnerList()
	for i := 1; i <= rowCount(f.Values, "partner_name_"); i++ {
		n := strconv.Itoa(i)
		name := f.str("partner_name_" + n)
		if name == "" {
			continue
		}
		if id := matchPartner(list, name); id != 0 {
			a.Partners = append(a.Partners, actionplan.Partner{PartnerID: id, Role: f.str("partner_role_" + n)})
		} else {
			f.Errors["partners"] = "Partenaire introuvable ou ambigu : " + name + ". Précisez le nom, ou créez-le dans le registre des partenaires."
		}
	}
	for i := 1; i <= rowCount(f.Values, "milestone_label_"); i++ {
		n := strconv.Itoa(i)
		if f.str("milestone_label_"+n) != "" || f.str("milestone_year_"+n) != "" {
			a.Milestones = append(a.Milestones, actionplan.Milestone{Year: f.int("milestone_year_" + n), Label: f.str("milestone_label_" + n)})
		}
	}
	for i := 1; i <= rowCount(f.Values, "cofunder_name_"); i++ {
		n := strconv.Itoa(i)
		if f.str("cofunder_name_"+n) != "" || f.str("cofunder_amount_"+n) != "" {
			a.Cofunders = append(a.Cofunders, actionplan.Cofunder{Name: f.str("cofunder_name_" + n), Amount: f.money("cofunder_amount_" + n)})
		}
	}
	for i := 1; i <= rowCount(f.Values, "indicator_label_"); i++ {
		n := strconv.Itoa(i)
		if f.str("indicator_label_"+n) != "" {
			a.Indicators = append(a.Indicators, actionplan.Indicator{Label: f.str("indicator_label_" + n),
				Baseline: f.float("indicator_baseline_" + n), Target: f.float("indicator_target_" + n),
				Achieved: f.float("indicator_achieved_" + n)})
		}
	}
	return a
}

// rowErrors moves the domain's errors on a list's i-th item
// ("milestones.0") onto a field of the row of the form that holds it, so
// that the error summary names and links that field: rows left empty are
// not items, so item i is not always row i+1.
func rowErrors(f *form) {
	lists := []struct {
		key    string
		fields []string // the row's fields; the first names the item
	}{
		{"milestones", []string{"milestone_label_", "milestone_year_"}},
		{"cofunders", []string{"cofunder_name_", "cofunder_amount_"}},
		{"indicators", []string{"indicator_label_", "indicator_baseline_", "indicator_target_", "indicator_achieved_"}},
	}
	for _, l := range lists {
		filled := l.fields
		if l.key == "indicators" {
			filled = l.fields[:1] // readAction keeps a row with a label only
		}
		var rows []string
		for i := 1; i <= rowCount(f.Values, l.fields[0]); i++ {
			n := strconv.Itoa(i)
			for _, p := range filled {
				if f.str(p+n) != "" {
					rows = append(rows, n)
					break
				}
			}
		}
		for i, n := range rows {
			key := l.key + "." + strconv.Itoa(i)
			m, ok := f.Errors[key]
			if !ok {
				continue
			}
			delete(f.Errors, key)
			field := l.fields[0] + n
			if f.str(field) != "" {
				field = l.fields[1] + n
			}
			if f.rowHasError(l.fields, n) {
				continue // the row's own field already says what is wrong
			}
			f.Errors[field] = m
		}
	}
}

// rowHasError tells whether a field of row n already carries an error.
func (f *form) rowHasError(fields []string, n string) bool {
	for _, p := range fields {
		if _, ok := f.Errors[p+n]; ok {
			return true
		}
	}
	return false
}

// withRows numbers the rows each list shows: those filled plus extraRows.
func (v *actionView) withRows() *actionView {
	for _, k := range []string{"partner_name_", "milestone_label_", "cofunder_name_", "indicator_label_"} {
		n := rowCount(v.Values, k) + extraRows
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i + 1
		}
		v.Rows[k] = rows
	}
	return v
}

// Row reads a numbered row's field in the template: {{$v.Row "partner_role_" 2}}.
func (v *actionView) Row(key string, n int) string { return v.Value(key + strconv.Itoa(n)) }

func (s *Server) actionNew(w http.ResponseWriter, r *http.Request) error {
	v, err := s.actionView(r, newForm(url.Values{"status": {actionplan.Planned}}))
	if err != nil {
		return err
	}
	v.Target = ctgURL(v.CTG.ID) + "/actions"
	s.renderActionForm(w, r, http.StatusOK, v.withRows(), "Nouvelle fiche action")
	return nil
}

func (s *Server) actionEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	v, err := s.actionView(r, nil)
	if err != nil {
		return err
	}
	v.form, v.Action, v.Target = newForm(actionValues(a, v.ctgEnv)), a, actionURL(v.CTG.ID, a.ID)
	s.renderActionForm(w, r, http.StatusOK, v.withRows(), "Modifier la fiche action "+a.Code)
	return nil
}

func (s *Server) renderActionForm(w http.ResponseWriter, r *http.Request, status int, v *actionView, title string) {
	s.render(w, r, status, "action_form", title, v, crumb{"Accueil", "/"}, crumb{v.CTG.Name, ctgURL(v.CTG.ID)},
		crumb{"Plan d'actions", ctgURL(v.CTG.ID) + "/actions"}, crumb{title, ""})
}

func (s *Server) actionCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveAction(w, r, nil)
}

func (s *Server) actionSave(w http.ResponseWriter, r *http.Request) error {
	old, err := s.actionLoad(r)
	if err != nil {
		return err
	}
	return s.saveAction(w, r, old)
}

// saveAction keeps the current status and progress: only progress updates
// change them, so the history explains every status.
func (s *Server) saveAction(w http.ResponseWriter, r *http.Request, old *actionplan.Action) error {
	v, err := s.actionView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	a := readAction(v.form, v.ctgEnv)
	a.Status = actionplan.Planned
	if old != nil {
		a.ID, a.Status, a.Progress = old.ID, old.Status, old.Progress
	}
	if v.Invalid() {
		v.merge(a.Validate(v.Nom)) // show every problem at once, not parse errors first
	} else {
		err = v.merge(s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.SaveAction(&a, v.Nom) }))
		if err != nil {
			return err
		}
	}
	if v.Invalid() {
		rowErrors(v.form)
		v.Action, v.Target = old, r.URL.Path
		title := "Nouvelle fiche action"
		if old != nil {
			title = "Modifier la fiche action " + old.Code
		}
		s.renderActionForm(w, r, http.StatusUnprocessableEntity, v.withRows(), title)
		return nil
	}
	http.Redirect(w, r, withOK(actionURL(v.CTG.ID, a.ID), "saved"), http.StatusSeeOther)
	return nil
}
