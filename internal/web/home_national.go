package web

import (
	"net/http"
	"net/url"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/quality"
	"copilote/internal/store"
)

// A national reader's cockpit: which Cafs report (their CTGs' records in
// the last months), and where figures are missing (no targets, no pair of
// survey waves, no Copil this year, stale plans, silent posts). A few
// statements for the whole country, one index probe per CTG and month;
// no CTG is listed one by one.

type nationView struct {
	Months []civil.Date // first days of the months shown, the current last
	Cafs   []cafReport
	Total  cafReport
}

// cafReport is one Caf's line.
type cafReport struct {
	Caf  ctg.Caf
	URL  string // its overview of indicators
	CTGs int
	// Running: CTGs whose convention runs today; the other counts are
	// among them.
	Running   int
	InMonth   []int // CTGs with a record in each month shown
	Last      civil.Date
	Silent    int // no record for three months
	NoTargets int
	NoSurveys int
	NoCopil   int
	StalePlan int
	// SilentPosts counts posts without a record for three months.
	SilentPosts int
}

// reportedMonths is how many months the national cockpit shows.
const reportedMonths = 3

func (s *Server) nationalHome(r *http.Request, v *homeView) error {
	ctx := r.Context()
	all := store.Scope{All: true}
	cafs, err := s.db.Cafs(ctx)
	if err != nil {
		return err
	}
	n := &nationView{}
	first := civil.New(v.Today.Year, v.Today.Month, 1)
	for i := reportedMonths - 1; i >= 0; i-- {
		n.Months = append(n.Months, first.AddDate(0, -i, 0))
	}
	reports, err := s.db.ReportingOf(ctx, all, n.Months)
	if err != nil {
		return err
	}
	facts, err := s.db.QualityFacts(ctx, all, v.Today)
	if err != nil {
		return err
	}
	lines := map[int64]*cafReport{}
	for _, c := range cafs {
		n.Cafs = append(n.Cafs, cafReport{Caf: c, URL: "/caf/indicators?" + url.Values{"caf": {c.Code}}.Encode(),
			InMonth: make([]int, reportedMonths)})
	}
	for i := range n.Cafs {
		lines[n.Cafs[i].Caf.ID] = &n.Cafs[i]
	}
	n.Total = cafReport{InMonth: make([]int, reportedMonths)}
	running := map[int64]bool{}
	silentSince := v.Today.AddDate(0, -3, 0)
	for _, f := range facts {
		running[f.CTGID] = v.Today.Within(f.Start, f.End)
	}
	for _, rep := range reports {
		l := lines[rep.CafID]
		if l == nil {
			continue
		}
		for _, c := range []*cafReport{l, &n.Total} {
			c.CTGs++
			if rep.Last.After(c.Last) {
				c.Last = rep.Last
			}
			for m, in := range rep.InMonth {
				if in {
					c.InMonth[m]++
				}
			}
			if !running[rep.CTGID] {
				continue
			}
			c.Running++
			if rep.Last.IsZero() || rep.Last.Before(silentSince) {
				c.Silent++
			}
			if !rep.Targets {
				c.NoTargets++
			}
			if !rep.Surveys {
				c.NoSurveys++
			}
		}
	}
	cafOf := map[int64]int64{}
	for _, rep := range reports {
		cafOf[rep.CTGID] = rep.CafID
	}
	for _, f := range facts {
		l := lines[cafOf[f.CTGID]]
		if l == nil {
			continue
		}
		for _, w := range quality.Check(f, v.Today) {
			for _, c := range []*cafReport{l, &n.Total} {
				switch w.Kind {
				case quality.NoCopilThisYear:
					c.NoCopil++
				case quality.StalePlan:
					c.StalePlan++
				case quality.SilentPost:
					c.SilentPosts++
				}
			}
		}
	}
	v.Nation = n
	return nil
}

// Reporting is how many Cafs had a CTG record something in month i of
// the months shown.
func (n *nationView) Reporting(i int) int {
	k := 0
	for _, c := range n.Cafs {
		if c.InMonth[i] > 0 {
			k++
		}
	}
	return k
}

// Last is the index of the current month, Previous of the one before.
func (n *nationView) Last() int     { return len(n.Months) - 1 }
func (n *nationView) Previous() int { return len(n.Months) - 2 }

// Quiet is how many Cafs had no record at all in the months shown.
func (n *nationView) Quiet() int {
	k := 0
	for _, c := range n.Cafs {
		some := false
		for _, m := range c.InMonth {
			some = some || m > 0
		}
		if !some {
			k++
		}
	}
	return k
}

// MonthLabel names a month shown, the current one marked as under way.
func (n *nationView) MonthLabel(i int) string {
	l := monthName(n.Months[i])
	if i == len(n.Months)-1 {
		l += " (en cours)"
	}
	return l
}
