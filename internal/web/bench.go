package web

import (
	"bytes"
	"net/http"
)

// The load test of docs/performance.md compares the CTG dashboard with the
// same template rendered without the database. With --bench-page (refused
// on any address but loopback) the server keeps the last dashboard it
// rendered and serves it again at /bench/dashboard: same template, same
// data, no query, no session. Off by default; never part of a deployment.

func (s *Server) keepForBench(name string, p page) {
	if s.cfg.BenchPage && name == "dashboard" {
		s.lastDashboard.Store(&p)
	}
}

func (s *Server) benchDashboard(w http.ResponseWriter, r *http.Request) {
	p := s.lastDashboard.Load()
	if p == nil {
		http.Error(w, "Ouvrez d'abord un tableau de bord de CTG.", http.StatusNotFound)
		return
	}
	var buf bytes.Buffer
	if err := s.pages["dashboard"].Execute(&buf, *p); err != nil {
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	buf.WriteTo(w)
}
