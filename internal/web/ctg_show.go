package web

import (
	"net/http"

	"copilote/internal/account"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/journal"
	"copilote/internal/quality"
	"copilote/internal/store"
	"copilote/internal/territory"
)

type ctgData struct {
	*ctgEnv
	EPCIName  string
	Functions map[string]string
	TotalETP  ctg.ETP
	TotalCost int64
	Recent    []journal.Record
	Specs     []journal.Spec
	Warnings  []quality.Warning
	// Instance is the form that declares an instance, as typed when it
	// comes back with its errors.
	Instance *form
	Years    []yearRow
	// Reopen is a year's reopen form as typed, when it came back with
	// its error (years.go); nil otherwise.
	Reopen *reopenForm
	// Diagnostic: the Caf's open data on the territory (opendata.go)
	Diagnostic *diagnosticView
}

// SeesPostCosts tells whether the reader sees what each named post costs:
// the national reader sees the CTG's total only (RGPD: minimisation).
func (d *ctgData) SeesPostCosts() bool { return d.User.User.Role != account.National }

func (d *ctgData) KindLabel(k journal.Kind) string {
	if s, ok := journal.SpecOf(k); ok {
		return s.Label
	}
	return string(k)
}

func (s *Server) ctgShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderCTG(w, r, http.StatusOK, newForm(nil), nil)
}

// renderCTG shows the CTG's page, its instance form as f holds it, and a
// year's reopen form as typed when reopen is not nil.
func (s *Server) renderCTG(w http.ResponseWriter, r *http.Request, status int, f *form, reopen *reopenForm) error {
	e, err := s.env(r)
	if err != nil {
		return err
	}
	d := &ctgData{ctgEnv: e, Functions: map[string]string{}, Specs: journal.Specs, Instance: f, Reopen: reopen}
	if epci, ok := territory.EPCIBySIREN(e.CTG.EPCISIREN); ok {
		d.EPCIName = epci.Name
	}
	for _, f := range framework.Load().Functions() {
		d.Functions[f.Code] = f.Title
	}
	for _, p := range e.Posts {
		d.TotalETP += p.ETP
		d.TotalCost += p.AnnualCost
	}
	d.Recent, _, err = s.db.Records(r.Context(), store.RecordFilter{Scope: e.User.Scope(), CTGID: e.CTG.ID, Limit: 10})
	if err != nil {
		return err
	}
	if d.Warnings, err = s.warnings(r, store.Scope{CTGIDs: []int64{e.CTG.ID}}); err != nil {
		return err
	}
	if d.Years, err = s.conventionYears(r, e); err != nil {
		return err
	}
	if d.Diagnostic, err = s.diagnostic(r, e.CTG); err != nil {
		return err
	}
	s.render(w, r, status, "ctg", e.CTG.Name, d, crumb{"Accueil", "/"}, crumb{e.CTG.Name, ""})
	return nil
}
