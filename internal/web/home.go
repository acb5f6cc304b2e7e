package web

import (
	"net/http"

	"copilote/internal/civil"
	"copilote/internal/quality"

	"copilote/internal/store"
)

type homeData struct {
	CTGs      []store.CTGSummary
	CanCreate bool
	Warnings  []quality.Warning
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctgs, err := s.db.CTGs(r.Context(), principalOf(r).Scope())
	if err != nil {
		return err
	}
	warnings, err := s.warnings(r, principalOf(r).Scope())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", "Mes conventions territoriales globales",
		homeData{CTGs: ctgs, CanCreate: canCreateCTG(principalOf(r)), Warnings: warnings})
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
