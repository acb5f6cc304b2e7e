package web

import (
	"net/http"

	"copilote/internal/civil"
	"copilote/internal/indicator"
)

// pageKey names what a CTG page reads from the database for a query, the
// same for every user allowed to see the CTG: the journal's records, the
// items behind a figure. It is kept per version of the CTG (like the
// dashboard, dashboard.go), so that readers of one CTG are not slowed by
// writers in another; the user is set again on each request.
type pageKey struct {
	page  string // the handler, and what else names its data (a figure's code)
	ctg   int64
	query string
	day   civil.Date // statuses and periods depend on the day
	more  bool       // the user sees more than others (an administrator, the deleted records)
}

// keepPage returns the data kept for key at the CTG's version, or reads
// it with read and keeps it.
func keepPage[V any](s *Server, r *http.Request, key pageKey, read func() (V, error)) (V, error) {
	var zero V
	version, err := s.db.ScopeVersion(r.Context(), indicator.Scope{Kind: indicator.ScopeCTG, CTGID: key.ctg})
	if err != nil {
		return zero, err
	}
	if v, ok := s.pageData.Get(version, key); ok {
		return v.(V), nil
	}
	v, err := read()
	if err != nil {
		return zero, err
	}
	s.pageData.Put(version, key, v)
	return v, nil
}
