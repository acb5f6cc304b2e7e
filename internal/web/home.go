package web

import (
	"net/http"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/quality"

	"copilote/internal/store"
)

type homeData struct {
	CTGs      []store.CTGSummary
	CanCreate bool
	Warnings  []quality.Warning
	// the open alerts of the user's CTGs, newest first (issue 11)
	OpenAlerts []journal.Record
	AlertLimit int
	CTGNames   map[int64]string
}

// homeAlerts is how many open alerts the home page lists.
const homeAlerts = 10

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctgs, err := s.db.CTGs(r.Context(), principalOf(r).Scope())
	if err != nil {
		return err
	}
	warnings, err := s.warnings(r, principalOf(r).Scope())
	if err != nil {
		return err
	}
	d := homeData{CTGs: ctgs, CanCreate: canCreateCTG(principalOf(r)), Warnings: warnings, AlertLimit: homeAlerts,
		CTGNames: map[int64]string{}}
	for _, c := range ctgs {
		d.CTGNames[c.ID] = c.Name
	}
	if d.OpenAlerts, err = s.db.OpenAlerts(r.Context(), principalOf(r).Scope(), homeAlerts); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", "Mes conventions territoriales globales", d)
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Error("healthz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("base de données injoignable\n"))
		return nil
	}
	w.Write([]byte("ok\n"))
	return nil
}

// warnings lists the data-quality gaps of the CTGs in scope.
func (s *Server) warnings(r *http.Request, scope store.Scope) ([]quality.Warning, error) {
	today := civil.Today()
	facts, err := s.db.QualityFacts(r.Context(), scope, today)
	if err != nil {
		return nil, err
	}
	var out []quality.Warning
	for _, f := range facts {
		out = append(out, quality.Check(f, today)...)
	}
	return out, nil
}
