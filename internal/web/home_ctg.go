package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"copilote/internal/account"
	"copilote/internal/authz"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/quality"
	"copilote/internal/report"
	"copilote/internal/store"
)

// The cockpit of the users who work on a few CTGs: officers, advisors
// and Copil members. Each CTG has its to-do, read in a few indexed
// statements.

// ctgCockpit is what needs doing in one CTG.
type ctgCockpit struct {
	CTG       store.CTGSummary
	Next      *journal.Record // the next Copil recorded ahead of today
	Last      *journal.Record // the latest Copil held
	Decisions []journal.Record
	Alerts    alertList
	Late      []report.LateFiche
	Waves     []store.WaveStats
	Warnings  []quality.Warning
	CanRecord bool
	// Figures: how the CTG's indicators stand against its targets over
	// its convention (Copil members).
	Figures *statusCounts
	// Recent are the user's latest records, to duplicate (officers).
	Recent []journal.Record
	nom    *nomenclature.Set
}

// alertList is a few open alerts, the user's own first, and how many
// there are in all.
type alertList struct {
	Records []journal.Record
	Total   int
	Mine    map[int64]bool // alerts one of the user's posts raised
	URL     string         // the journal of every alert
}

// alertsShown is how many open alerts a list shows; the rest is one link
// away.
const alertsShown = 8

func (l alertList) More() int { return l.Total - len(l.Records) }

// Mixed tells whether the list holds alerts of the user and of others:
// only then does each say whose it is.
func (l alertList) Mixed() bool { return len(l.Mine) > 0 && len(l.Mine) < len(l.Records) }

// AllMine tells whether the user raised every alert listed.
func (l alertList) AllMine() bool { return len(l.Records) > 0 && len(l.Mine) >= len(l.Records) }

// Label names a nomenclature value with the CTG's Caf's list.
func (c *ctgCockpit) Label(kind, code string) string {
	return c.nom.Label(nomenclature.Kind(kind), code)
}

// KindLabel names a kind of record.
func (c *ctgCockpit) KindLabel(k journal.Kind) string {
	if s, ok := journal.SpecOf(k); ok {
		return s.Label
	}
	return string(k)
}

func (s *Server) ctgsHome(r *http.Request, v *homeView) error {
	ctx := r.Context()
	p := v.User
	var err error
	if v.CTGs, err = s.db.CTGs(ctx, p.Scope()); err != nil {
		return err
	}
	if v.Warnings, err = s.warnings(r, p.Scope()); err != nil {
		return err
	}
	noms := map[int64]*nomenclature.Set{} // one list per Caf, not per CTG
	for _, c := range v.CTGs {
		if noms[c.CafID] == nil {
			if noms[c.CafID], err = s.db.Nomenclature(ctx, c.CafID); err != nil {
				return err
			}
		}
		site, err := s.ctgCockpit(ctx, v, c, noms[c.CafID])
		if err != nil {
			return err
		}
		v.Sites = append(v.Sites, site)
	}
	switch p.User.Role {
	case account.Officer:
		if err := s.quickCaptures(ctx, v); err != nil {
			return err
		}
		return s.officerActivity(ctx, v)
	case account.Advisor:
		return s.advisorActivity(ctx, v)
	}
	return nil
}

func (s *Server) ctgCockpit(ctx context.Context, v *homeView, c store.CTGSummary, nom *nomenclature.Set) (*ctgCockpit, error) {
	p, today := v.User, v.Today
	site := &ctgCockpit{CTG: c, CanRecord: p.Can(authz.Record, authz.Target{CTGID: c.ID, CafID: c.CafID}), nom: nom}
	one := store.Scope{CTGIDs: []int64{c.ID}}
	ahead, err := s.db.Copils(ctx, one, today.AddDays(1), civil.Date{})
	if err != nil {
		return nil, err
	}
	if len(ahead) > 0 {
		site.Next = &ahead[0]
	}
	if site.Last, err = s.db.LastCopil(ctx, c.ID, today); err != nil {
		return nil, err
	}
	if site.Last != nil {
		base := store.RecordFilter{Scope: one, CTGID: c.ID}
		if site.Decisions, err = s.copilDecisions(ctx, base, *site.Last); err != nil {
			return nil, err
		}
	}
	if site.Alerts, err = s.alerts(ctx, p, one, ctgURL(c.ID)+"/journal?kind=alerte"); err != nil {
		return nil, err
	}
	if err := s.lateOf(ctx, one, today, site); err != nil {
		return nil, err
	}
	if site.Waves, err = s.db.OpenWaves(ctx, one, today); err != nil {
		return nil, err
	}
	for _, w := range v.Warnings {
		if w.CTGID == c.ID {
			site.Warnings = append(site.Warnings, w)
		}
	}
	switch p.User.Role {
	case account.Copil:
		err = s.ctgFigures(ctx, site)
	case account.Officer:
		err = s.recentOwn(ctx, p, site)
	}
	return site, err
}

// alerts lists the open alerts of scope, those the user's posts raised
// first.
func (s *Server) alerts(ctx context.Context, p *authz.Principal, scope store.Scope, all string) (alertList, error) {
	rs, total, err := s.db.OpenAlerts(ctx, store.RecordFilter{Scope: scope}, 4*alertsShown)
	l := alertList{Total: total, Mine: map[int64]bool{}, URL: all}
	for _, a := range rs {
		if _, ok := p.Posts[a.PostID]; ok {
			l.Mine[a.ID] = true
		}
	}
	slices.SortStableFunc(rs, func(a, b journal.Record) int {
		switch {
		case l.Mine[a.ID] == l.Mine[b.ID]:
			return 0
		case l.Mine[a.ID]:
			return -1
		}
		return 1
	})
	l.Records = rs[:min(len(rs), alertsShown)]
	for id := range l.Mine {
		if !slices.ContainsFunc(l.Records, func(r journal.Record) bool { return r.ID == id }) {
			delete(l.Mine, id)
		}
	}
	return l, err
}

// lateOf picks the CTG's priority fiches blocked, past their end or
// without a progress update for three months, as the pack Copil does.
func (s *Server) lateOf(ctx context.Context, scope store.Scope, today civil.Date, site *ctgCockpit) error {
	actions, _, err := s.db.Actions(ctx, store.ActionFilter{Scope: scope, Priority: true})
	if err != nil || len(actions) == 0 {
		return err
	}
	last, err := s.db.LastUpdates(ctx, scope)
	site.Late = report.LateFiches(actions, last, today)
	return err
}

// copilDecisions lists the decisions taken at a Copil meeting: those
// linked to it, and those of its day linked to no meeting (as the pack).
func (s *Server) copilDecisions(ctx context.Context, base store.RecordFilter, meeting journal.Record) ([]journal.Record, error) {
	linked := base
	linked.Kind, linked.MeetingID = journal.Decision, meeting.ID
	out, _, err := s.db.Records(ctx, linked)
	if err != nil {
		return nil, err
	}
	sameDay := base
	sameDay.Kind, sameDay.From, sameDay.To = journal.Decision, meeting.Date, meeting.Date
	day, _, err := s.db.Records(ctx, sameDay)
	for _, d := range day {
		if d.MeetingID == 0 {
			out = append(out, d)
		}
	}
	return out, err
}

// ctgFigures counts the CTG's indicators by status against its targets
// over its convention, as its dashboard shows them.
func (s *Server) ctgFigures(ctx context.Context, site *ctgCockpit) error {
	p := indicator.Period{From: site.CTG.Start, To: site.CTG.End}
	res, err := s.db.Indicators(ctx, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: site.CTG.ID}, p)
	if err != nil {
		return err
	}
	targets, err := s.db.Targets(ctx, site.CTG.ID)
	if err != nil {
		return err
	}
	var c statusCounts
	for _, f := range res.Indicators {
		t, has := targets.For(f.Code, p, f.Code == indicator.E32 || f.Code == indicator.E42)
		c.add(indicator.Status(f.Value, t, has, p, civil.Today()))
	}
	site.Figures = &c
	return nil
}

// recentOwn lists the officer's latest records in the CTG, to duplicate.
func (s *Server) recentOwn(ctx context.Context, p *authz.Principal, site *ctgCockpit) error {
	for post, ctgID := range p.Posts {
		if ctgID != site.CTG.ID {
			continue
		}
		rs, _, err := s.db.Records(ctx, store.RecordFilter{Scope: p.Scope(), CTGID: ctgID, PostID: post, Limit: 3})
		if err != nil {
			return err
		}
		site.Recent = append(site.Recent, rs...)
	}
	return nil
}

// DuplicateURL opens the form of a new record copied from r.
func (c *ctgCockpit) DuplicateURL(r journal.Record) string {
	return ctgURL(c.CTG.ID) + "/records/new?" + url.Values{"from": {fmtID(r.ID)}}.Encode()
}

// CopilURL records the next Copil.
func (c *ctgCockpit) CopilURL() string {
	return ctgURL(c.CTG.ID) + "/records/new?kind=reunion&nature=" + nomenclature.MeetingCopil
}
