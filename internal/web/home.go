package web

import (
	"net/http"
	"strconv"
	"strings"

	"copilote/internal/account"
	"copilote/internal/authz"
	"copilote/internal/civil"
	"copilote/internal/quality"
	"copilote/internal/store"
)

// The home page is a cockpit: what each user has to do or to watch,
// according to their role (home_*.go build each part).
//
//   - a chargé(e) de coopération: the next Copil and its pack, the open
//     alerts (theirs first), the priority fiches late or without news,
//     the last Copil's decisions, the surveys taking answers, their
//     activity this month against last year's, and one click to record
//     what they record most, or to duplicate a recent record;
//   - a conseiller: the data-quality warnings first, then the same for
//     each of their CTGs, and each CTG's activity;
//   - a Caf administrator: the CTGs by status (Copil held this year, plan
//     updated, posts silent), the evaluations due, the open alerts;
//   - a national reader: the Cafs that report, and where figures are
//     missing;
//   - a Copil member: their CTGs at a glance, read only.
type homeView struct {
	User      *authz.Principal
	Today     civil.Date
	CTGs      []store.CTGSummary
	CanCreate bool
	Warnings  []quality.Warning
	// officers, advisors, Copil members: each CTG's to-do
	Sites []*ctgCockpit
	// officers
	Quick    []quickCapture
	Activity *activity
	// advisors
	CTGActivity []ctgActivity
	// administrators
	Statuses   []ctgStatus
	Due        []dueCTG
	Alerts     alertList
	CafName    string
	StatusNote statusCounts
	// national readers
	Nation *nationView
}

// Role says which cockpit the page shows.
func (v *homeView) Role() string {
	switch v.User.User.Role {
	case account.Officer:
		return "officer"
	case account.Advisor:
		return "advisor"
	case account.Admin:
		return "admin"
	case account.National:
		return "national"
	}
	return "copil"
}

// FirstName greets the user.
func (v *homeView) FirstName() string {
	first, _, _ := strings.Cut(strings.TrimSpace(v.User.User.Name), " ")
	return first
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	v := &homeView{User: p, Today: civil.Today(), CanCreate: canCreateCTG(p)}
	var err error
	switch v.Role() {
	case "national":
		err = s.nationalHome(r, v)
	case "admin":
		err = s.adminHome(r, v)
	default:
		err = s.ctgsHome(r, v)
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", "Accueil", v)
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

// frenchMonths name the months in the cockpit's headings.
var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}

// monthName is "novembre 2026".
func monthName(d civil.Date) string { return frenchMonths[d.Month-1] + " " + strconv.Itoa(d.Year) }

// CTGName names a CTG the user reaches.
func (v *homeView) CTGName(id int64) string {
	for _, c := range v.CTGs {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}
