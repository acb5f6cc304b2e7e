package web

import (
	"copilote/internal/civil"
	"copilote/internal/framework"
	"copilote/internal/indicator"
)

// The summary a CTG's dashboard opens with, before its detailed blocks:
// the figures off target, and the trend of each objective between the
// last two complete years of the convention.

type dashSummary struct {
	OffTarget []figureRow
	Counts    statusCounts
	Targets   int // figures with a target
	// From, To are the years compared (0: fewer than two complete years).
	From, To   int
	Objectives []objectiveTrend
}

// objectiveTrend sorts an objective's indicators by how they moved.
type objectiveTrend struct {
	Number         int
	Title          string
	Up, Down, Flat []trendMove
}

type trendMove struct {
	Code, Label string
	From, To    string
}

func (v *dashView) summarize(today civil.Date) {
	s := &v.Summary
	for _, o := range v.Objectives {
		for _, fn := range o.Functions {
			for _, f := range fn.Figures {
				s.Counts.add(f.Status)
				if f.Status != indicator.StatusNone {
					s.Targets++
				}
				if f.Status == indicator.StatusBehind {
					s.OffTarget = append(s.OffTarget, f)
				}
			}
		}
	}
	// the last two years of the convention that are over
	last := -1
	for i, y := range v.Years {
		if civil.YearEnd(y).Before(today) {
			last = i
		}
	}
	if last < 1 {
		return
	}
	s.From, s.To = v.Years[last-1], v.Years[last]
	byCode := map[string]trendRow{}
	for _, r := range v.Trend {
		byCode[r.Code] = r
	}
	fw := framework.Load()
	for _, o := range v.Objectives {
		t := objectiveTrend{Number: o.Number, Title: o.Title}
		for _, fn := range o.Functions {
			for _, f := range fn.Figures {
				r, ok := byCode[f.Ind.Code]
				if !ok || !r.avail[last-1] || !r.avail[last] {
					continue
				}
				ind, _ := fw.Indicator(f.Ind.Code)
				m := trendMove{Code: ind.Code, Label: ind.ShortLabel, From: r.Values[last-1], To: r.Values[last]}
				switch a, b := r.raw[last-1], r.raw[last]; {
				case b > a:
					t.Up = append(t.Up, m)
				case b < a:
					t.Down = append(t.Down, m)
				default:
					t.Flat = append(t.Flat, m)
				}
			}
		}
		s.Objectives = append(s.Objectives, t)
	}
}

// Partial is the convention's current year while it is not over (0:
// none): its figures are incomplete.
func (v *dashView) Partial() int {
	if i := partialYear(v.Years, civil.Today()); i >= 0 {
		return v.Years[i]
	}
	return 0
}
