package demo

import (
	"fmt"
	"slices"
	"strings"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/store"
)

// fiche is a fiche action with the progress updates it will receive.
type fiche struct {
	a     actionplan.Action
	steps []step
}

// step is one planned progress update; alert names the nature of the alert
// to the Copil it raises, if any.
type step struct {
	day         civil.Date
	status      string
	percent     int
	trouble     string
	alert       string
	alertStatus string
	alertTitle  string
	author      *officer
}

// outcome is how a fiche ends up by the demo's last day.
type outcome int

const (
	done       outcome = iota
	ongoing            // still running at the end of 2026
	resumed            // blocked once, then back on track
	blockedEnd         // blocked at the end, alert still open
	late               // end date passed, not done
	abandoned
)

// plainOutcomes are those of non-priority fiches; priority ones are late,
// blocked at the end, or done.
var plainOutcomes = []outcome{done, done, done, ongoing, resumed, done, ongoing, abandoned, done, ongoing}

var priorityOutcomes = []outcome{late, blockedEnd, done}

func (s *site) savePlan(tx *store.Tx) error {
	tpls := s.chooseTemplates()
	outs := s.outcomes(len(tpls))
	count := map[string]int{}
	for i, t := range tpls {
		count[t.axis]++
		code := fmt.Sprintf("%s-%d", axisPrefix[t.axis], count[t.axis])
		f := s.newFiche(t, code, outs[i])
		if err := tx.SaveAction(&f.a, s.n); err != nil {
			return err
		}
		s.fiches = append(s.fiches, f)
	}
	return nil
}

// chooseTemplates takes templates axis by axis, round after round, so the
// plan covers every axis of the CTG.
func (s *site) chooseTemplates() []ficheTemplate {
	byAxis := map[string][]ficheTemplate{}
	for _, t := range ficheTemplates {
		byAxis[t.axis] = append(byAxis[t.axis], t)
	}
	var out []ficheTemplate
	for round := 0; round < 4 && len(out) < s.prof.fiches; round++ {
		for _, a := range s.ctg.Axes {
			if round < len(byAxis[a]) && len(out) < s.prof.fiches {
				out = append(out, byAxis[a][round])
			}
		}
	}
	slices.SortStableFunc(out, func(x, y ficheTemplate) int {
		return slices.Index(s.ctg.Axes, x.axis) - slices.Index(s.ctg.Axes, y.axis)
	})
	return out
}

// outcomes gives each fiche its fate: two or three priority fiches, of
// which one late and one blocked at the end.
func (s *site) outcomes(n int) []outcome {
	prio := 2 + s.idx%2
	out := slices.Clone(priorityOutcomes[:prio])
	for i := 0; len(out) < n; i++ {
		out = append(out, plainOutcomes[i%len(plainOutcomes)])
	}
	s.rng.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func isPriority(o outcome) bool { return o == late || o == blockedEnd }

func (s *site) newFiche(t ficheTemplate, code string, out outcome) *fiche {
	town := pick(s.rng, s.towns).Name // equipment goes where the families are
	title := t.title
	if strings.Contains(title, "%s") {
		title = fmt.Sprintf(title, town)
	}
	f := &fiche{a: actionplan.Action{CTGID: s.ctg.ID, Code: code, Title: title, Axis: t.axis,
		Objective: t.objective, Finding: t.finding, TargetPublic: t.public, CafLever: t.lever,
		Steps: numbered(t.steps), Priority: isPriority(out) || (out == done && chance(s.rng, 0.25))}}
	s.pilot(f)
	s.timeline(f, out)
	s.money(f, out, t)
	f.a.Communes = s.ficheCommunes(town)
	f.a.Partners = s.fichePartners(t.axis)
	f.a.Milestones = milestones(f.a, t.steps)
	return f
}

func numbered(steps []string) string {
	lines := make([]string, len(steps))
	for i, st := range steps {
		lines[i] = fmt.Sprintf("%d. %s", i+1, st)
	}
	return strings.Join(lines, "\n")
}

func (s *site) pilot(f *fiche) {
	f.a.PilotStructure = s.prof.epciName
	if chance(s.rng, 0.4) {
		if m := s.pool.memberOf(s.rng, fieldActors); m != nil && slices.Contains(axisTypes[f.a.Axis], m.spec.typ) {
			f.a.PilotStructure = m.p.Name
		}
	}
	f.a.PilotPerson = pick(s.rng, pilots)
}

// completion is how much of its targets a fiche reaches, by outcome.
var completion = map[outcome][2]float64{done: {0.85, 1.1}, ongoing: {0.4, 0.75}, resumed: {0.7, 1.0},
	blockedEnd: {0.15, 0.4}, late: {0.45, 0.7}, abandoned: {0.1, 0.3}}

func (s *site) money(f *fiche, out outcome, t ficheTemplate) {
	planned := int64(between(s.rng, 16, 360)) * 500
	c := completion[out][0] + (completion[out][1]-completion[out][0])*s.rng.Float64()
	f.a.BudgetPlanned, f.a.BudgetActual = planned, int64(float64(planned)*min(c, 1.05)/500)*500
	for _, in := range t.indicators {
		achieved := float64(int(in.baseline + (in.target-in.baseline)*c + 0.5))
		f.a.Indicators = append(f.a.Indicators, actionplan.Indicator{Label: in.label,
			Baseline: in.baseline, Target: in.target, Achieved: achieved})
	}
	names := slices.Clone(cofunderNames)
	s.rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	for _, n := range names[:between(s.rng, 1, 3)] {
		f.a.Cofunders = append(f.a.Cofunders, actionplan.Cofunder{Name: n, Amount: planned * int64(between(s.rng, 5, 30)) / 100})
	}
}

func (s *site) ficheCommunes(town string) []string {
	var out []string
	for _, c := range s.ctg.Communes {
		if c.Name == town {
			out = append(out, c.INSEE)
		}
	}
	for range between(s.rng, 0, 3) {
		if c := pick(s.rng, s.ctg.Communes).INSEE; !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// fichePartners: two to four distinct partners, mostly of the kinds the
// axis works with, the first one co-piloting.
func (s *site) fichePartners(axis string) []actionplan.Partner {
	var out []actionplan.Partner
	n := between(s.rng, 2, 4)
	for try := 0; len(out) < n && try < 20; try++ {
		m := s.pool.memberOf(s.rng, axisTypes[axis])
		if m == nil || chance(s.rng, 0.25) {
			m = s.pool.anyMember(s.rng)
		}
		if slices.ContainsFunc(out, func(p actionplan.Partner) bool { return p.PartnerID == m.p.ID }) {
			continue
		}
		role := pick(s.rng, partnerRoles)
		if len(out) == 0 {
			role = "co-pilote"
		}
		out = append(out, actionplan.Partner{PartnerID: m.p.ID, Role: role})
	}
	return out
}

// milestones gives one milestone a year, following the template's steps.
func milestones(a actionplan.Action, steps []string) []actionplan.Milestone {
	var out []actionplan.Milestone
	last := min(a.End.Year, 2026)
	for y := a.Start.Year; y <= last; y++ {
		label := steps[min(y-a.Start.Year, len(steps)-1)]
		if y-a.Start.Year >= len(steps) {
			label += " (suite)"
		}
		out = append(out, actionplan.Milestone{Year: y, Label: label})
	}
	return out
}

// progress lists the year's updates of every fiche.
func (s *site) progress(y int) []*item {
	var out []*item
	for _, f := range s.fiches {
		for _, st := range f.steps {
			if st.day.Year == y {
				s.seq++
				out = append(out, &item{day: st.day, seq: s.seq, save: s.updateSaver(f, st)})
			}
		}
	}
	return out
}

func (s *site) updateSaver(f *fiche, st step) func(*store.Tx) error {
	return func(tx *store.Tx) error {
		u := actionplan.Update{ActionID: f.a.ID, PostID: st.author.post.ID, Date: st.day, Status: st.status,
			Percent: st.percent, Difficulties: st.trouble}
		if err := tx.AddUpdate(s.ctg.ID, &u, s.n); err != nil || st.alert == "" {
			return err
		}
		// alerting the Copil is the chef de projet's (1.2), whoever wrote the update
		r := journal.Record{CTGID: s.ctg.ID, PostID: s.chef().post.ID, Kind: journal.Alerte, Date: st.day,
			Title: st.alertTitle, Comment: st.trouble, Nature: st.alert, Status: st.alertStatus,
			Axis: f.a.Axis, ActionID: f.a.ID}
		if err := tx.SaveRecord(&r, s.n); err != nil {
			return err
		}
		return tx.LinkUpdateAlert(u.ID, r.ID)
	}
}
