package demo

import (
	"fmt"
	"time"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
)

// timeline writes the progress updates a fiche receives over the years.
type timeline struct {
	s *site
	f *fiche
}

func (s *site) timeline(f *fiche, out outcome) {
	created := randomDay(s.rng, civil.New(2023, time.January, 16), civil.New(2023, time.April, 28))
	if out != late && out != blockedEnd && chance(s.rng, 0.15) {
		created = randomDay(s.rng, civil.New(2024, time.January, 15), civil.New(2025, time.March, 31))
	}
	start := workday(created.AddDays(between(s.rng, 20, 150)), created, lastDay)
	f.a.Start, f.a.End = start, s.ficheEnd(out, start)
	t := &timeline{s: s, f: f}
	t.add(created, actionplan.Planned, 0, "")
	t.add(start, actionplan.Ongoing, between(s.rng, 5, 15), "")
	t.unfold(out)
}

func (t *timeline) unfold(out outcome) {
	end := t.f.a.End
	switch out {
	case done:
		t.advance(end, 90)
		t.finish()
	case ongoing:
		t.advance(lastDay, 85)
	case resumed:
		t.advance(t.f.a.Start.AddDays(end.DaysSince(t.f.a.Start)/2), 55)
		t.block("traitee")
		t.resume()
		t.advance(end, 90)
		t.finish()
	case blockedEnd:
		t.advance(t.s.blockDay(t.f.a.Start), 65)
		t.block("ouverte")
	case late:
		t.advance(end, 70)
		t.slip()
		t.advance(lastDay, 80)
	case abandoned:
		t.advance(t.f.a.Start.AddDays(300), 35)
		t.abandon()
	}
}

// ficheEnd is the planned end: done fiches end before the demo's last day,
// late ones too (and are not done), the others at or after it.
func (s *site) ficheEnd(out outcome, start civil.Date) civil.Date {
	var end civil.Date
	switch out {
	case done, resumed:
		end = start.AddDays(between(s.rng, 350, 800))
	case late:
		end = randomDay(s.rng, civil.New(2025, time.June, 2), civil.New(2026, time.May, 29))
	case abandoned:
		end = start.AddDays(between(s.rng, 400, 700))
	default:
		return civil.New(2026, time.December, 31)
	}
	if limit := lastDay.AddDays(-15); end.After(limit) {
		end = lastDay.AddDays(-between(s.rng, 20, 90))
	}
	if floor := start.AddDays(200); end.Before(floor) {
		end = floor
	}
	return workday(end, start, lastDay)
}

func (s *site) blockDay(start civil.Date) civil.Date {
	d := randomDay(s.rng, civil.New(2025, time.October, 1), civil.New(2026, time.September, 30))
	if d.Before(start.AddDays(200)) {
		d = start.AddDays(200)
	}
	return d
}

func (t *timeline) last() *step { return &t.f.steps[len(t.f.steps)-1] }

// add appends an update; the chef de projet, who follows the action plan
// (1.2), writes most of them.
func (t *timeline) add(day civil.Date, status string, pct int, trouble string) *step {
	author := t.s.chef()
	if lead := t.s.groupLead(t.f.a.Axis); lead != author && chance(t.s.rng, 0.3) {
		author = lead
	}
	t.f.steps = append(t.f.steps, step{day: day, status: status, percent: pct, trouble: trouble, author: author})
	return t.last()
}

// next is a day lo..hi days after the last update, if there is room
// before the demo's last day.
func (t *timeline) next(lo, hi int) (civil.Date, bool) {
	return later(t.s.rng, t.last().day, lo, hi)
}

// advance adds an update every three to five months until the day until,
// progress growing up to ceiling percent.
func (t *timeline) advance(until civil.Date, ceiling int) {
	for {
		d, ok := t.next(80, 150)
		if !ok || !d.Before(until) || d == t.last().day {
			return
		}
		pct := min(ceiling, t.last().percent+between(t.s.rng, 8, 20))
		trouble := ""
		if chance(t.s.rng, 0.15) {
			trouble = pick(t.s.rng, difficulties)
		}
		t.add(d, actionplan.Ongoing, pct, trouble)
	}
}

func (t *timeline) finish() {
	end := t.f.a.End
	if !end.After(t.last().day) {
		end, _ = t.next(10, 30)
	}
	if end.After(t.last().day) {
		t.add(end, actionplan.Done, 100, "")
	}
}

func (t *timeline) block(alertStatus string) {
	d, ok := t.next(40, 90)
	if !ok {
		return
	}
	st := t.add(d, actionplan.Blocked, t.last().percent, pick(t.s.rng, difficulties))
	t.raise(st, pick(t.s.rng, []string{"blocage", "financement", "partenariat"}), alertStatus)
}

func (t *timeline) resume() {
	if d, ok := t.next(60, 120); ok {
		t.add(d, actionplan.Ongoing, t.last().percent+5, "Les difficultés ont été levées après l'alerte au Copil.")
	}
}

// slip records that the end date has passed and alerts the Copil.
func (t *timeline) slip() {
	d, ok := t.next(20, 60)
	if !ok || !d.After(t.f.a.End) {
		d = t.f.a.End.AddDays(between(t.s.rng, 10, 40))
	}
	if d.After(lastDay) || !d.After(t.last().day) {
		return
	}
	st := t.add(d, actionplan.Ongoing, t.last().percent, "Le calendrier des travaux a glissé de plusieurs mois.")
	t.raise(st, "retard", "ouverte")
}

func (t *timeline) abandon() {
	d, ok := t.next(60, 120)
	if !ok {
		return
	}
	st := t.add(d, actionplan.Abandoned, t.last().percent, pick(t.s.rng, difficulties))
	if chance(t.s.rng, 0.6) {
		t.raise(st, "non_realisation", "close")
	}
}

// raise makes the update raise an alert to the Copil, linked to it.
func (t *timeline) raise(st *step, nature, status string) {
	st.alert, st.alertStatus = nature, status
	st.alertTitle = fmt.Sprintf(pick(t.s.rng, alertTitles[nature]), lowerFirst(t.f.a.Title)) + " (fiche " + t.f.a.Code + ")"
}
