package web

import (
	"net/http"

	"copilote/internal/store"
)

type homeData struct {
	CTGs      []store.CTGSummary
	CanCreate bool
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctgs, err := s.db.CTGs(r.Context(), principalOf(r).Scope())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", "Mes conventions territoriales globales", homeData{CTGs: ctgs, CanCreate: canCreateCTG(principalOf(r))})
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
