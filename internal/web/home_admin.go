package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"copilote/internal/civil"
	"copilote/internal/evaluation"
	"copilote/internal/quality"
	"copilote/internal/store"
)

// A Caf administrator's cockpit: the CTGs by status, the evaluations due,
// the open alerts of the Caf.

// ctgStatus is where a CTG of the Caf stands.
type ctgStatus struct {
	CTG        store.CTGSummary
	LastCopil  civil.Date // the latest Copil held, zero if none
	CopilOK    bool       // a Copil held this year
	LastUpdate civil.Date // the plan's latest progress update
	HasPlan    bool
	PlanOK     bool // updated within six months
	Posts      int  // posts in activity
	Silent     []quality.PostActivity
	Alerts     int
	Running    bool // the convention runs today
	Problems   int
}

// dueCTG is a CTG whose convention ends within a year, or has ended, with
// its posts still without a validated evaluation.
type dueCTG struct {
	CTGID int64
	Name  string
	End   civil.Date
	Ended bool
	Posts []store.EvaluationDue
}

func (s *Server) adminHome(r *http.Request, v *homeView) error {
	ctx := r.Context()
	scope := v.User.Scope()
	caf, err := s.db.Caf(ctx, v.User.User.CafID)
	if err != nil {
		return err
	}
	v.CafName = caf.Name
	if v.CTGs, err = s.db.CTGs(ctx, scope); err != nil {
		return err
	}
	facts, err := s.db.QualityFacts(ctx, scope, v.Today)
	if err != nil {
		return err
	}
	alerts, err := s.db.OpenAlertCounts(ctx, scope)
	if err != nil {
		return err
	}
	byID := map[int64]store.CTGSummary{}
	for _, c := range v.CTGs {
		byID[c.ID] = c
	}
	for _, f := range facts {
		st := statusOf(f, v.Today)
		st.CTG, st.Alerts = byID[f.CTGID], alerts[f.CTGID]
		v.Warnings = append(v.Warnings, quality.Check(f, v.Today)...)
		v.Statuses = append(v.Statuses, st)
	}
	// the CTGs that need attention first, the most problems first
	slices.SortStableFunc(v.Statuses, func(a, b ctgStatus) int { return cmp.Compare(b.Problems, a.Problems) })
	for _, st := range v.Statuses {
		if st.Problems > 0 {
			v.StatusNote.Behind++
		} else {
			v.StatusNote.Reached++
		}
	}
	if err := s.evaluationsDue(r, v); err != nil {
		return err
	}
	v.Alerts, err = s.alerts(ctx, v.User, scope, "/journal?kind=alerte")
	return err
}

// statusOf reads a CTG's status from the data-quality facts, with the
// rules of package quality.
func statusOf(f quality.Facts, today civil.Date) ctgStatus {
	st := ctgStatus{LastCopil: f.LastCopil, LastUpdate: f.LastUpdate, HasPlan: f.HasActions, Posts: len(f.PostsLastAt),
		Running: today.Within(f.Start, f.End), CopilOK: true, PlanOK: true}
	for _, w := range quality.Check(f, today) {
		switch w.Kind {
		case quality.NoCopilThisYear:
			st.CopilOK = false
		case quality.StalePlan:
			st.PlanOK = false
		case quality.SilentPost:
			for _, p := range f.PostsLastAt {
				if p.PostID == w.PostID {
					st.Silent = append(st.Silent, p)
				}
			}
		}
		st.Problems++
	}
	return st
}

// evaluationsDue groups by CTG the posts whose evaluation is due: their
// CTG's convention ends within a year or has ended, and none of their
// evaluations is validated.
func (s *Server) evaluationsDue(r *http.Request, v *homeView) error {
	due, err := s.db.EvaluationsDue(r.Context(), v.User.Scope(), v.Today.AddDate(1, 0, 0))
	if err != nil {
		return err
	}
	for _, d := range due {
		if n := len(v.Due); n == 0 || v.Due[n-1].CTGID != d.CTGID {
			v.Due = append(v.Due, dueCTG{CTGID: d.CTGID, Name: d.CTGName, End: d.End, Ended: d.End.Before(v.Today)})
		}
		v.Due[len(v.Due)-1].Posts = append(v.Due[len(v.Due)-1].Posts, d)
	}
	return nil
}

// EvaluationLabel names the status of a post's latest evaluation ("":
// none opened yet).
func (v *homeView) EvaluationLabel(status string) string {
	if status == "" {
		return "aucune ouverte"
	}
	l := evaluation.Status(status).Label()
	return strings.ToLower(l[:1]) + l[1:]
}
