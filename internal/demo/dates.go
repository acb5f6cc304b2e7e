package demo

import (
	"math/rand/v2"
	"strings"
	"time"

	"copilote/internal/civil"
)

// lastDay is the demo's last activity: a week before the "today" the demo
// is shown on (27 November 2026), so every record lies in the past.
var lastDay = civil.New(2026, time.November, 20)

// yearSpan is the part of year y in which officers work: no records in
// the first days of January nor in the Christmas week, and none after lastDay.
func yearSpan(y int) (civil.Date, civil.Date) {
	to := civil.New(y, time.December, 19)
	if to.After(lastDay) {
		to = lastDay
	}
	return civil.New(y, time.January, 4), to
}

// randomDay draws a working day in [from, to], mostly avoiding the first
// three weeks of August when partners are away.
func randomDay(r *rand.Rand, from, to civil.Date) civil.Date {
	span := to.DaysSince(from)
	var d civil.Date
	for try := 0; try < 4; try++ {
		d = from.AddDays(r.IntN(span + 1))
		if !(d.Month == time.August && d.Day < 22) {
			break
		}
	}
	return workday(d, from, to)
}

// workday moves a weekend day to the nearest weekday inside [from, to].
func workday(d, from, to civil.Date) civil.Date {
	switch d.Time().Weekday() {
	case time.Saturday:
		d = d.AddDays(-1)
	case time.Sunday:
		d = d.AddDays(1)
	}
	if d.Before(from) {
		d = d.AddDays(3)
	}
	if d.After(to) {
		d = d.AddDays(-3)
	}
	return d
}

// near is a working day within a few days of d, kept inside year y's span.
func near(r *rand.Rand, d civil.Date, days int, y int) civil.Date {
	from, to := yearSpan(y)
	d = d.AddDays(r.IntN(2*days+1) - days)
	if d.Before(from) {
		d = from
	}
	if d.After(to) {
		d = to
	}
	return workday(d, from, to)
}

// later is a day some weeks after d, never past lastDay; ok is false when
// there is no room left.
func later(r *rand.Rand, d civil.Date, minDays, maxDays int) (civil.Date, bool) {
	t := d.AddDays(minDays + r.IntN(maxDays-minDays+1))
	if t.After(lastDay) {
		t = lastDay
	}
	if t.DaysSince(d) < minDays/2 {
		return civil.Date{}, false
	}
	return workday(t, d, lastDay), true
}

func monthName(d civil.Date) string { return frenchMonths[d.Month-1] }

// ofMonth elides as French does: "de mars", "d'octobre".
func ofMonth(d civil.Date) string {
	m := monthName(d)
	if strings.ContainsRune("aeiou", rune(m[0])) {
		return "d'" + m
	}
	return "de " + m
}

// dayIn is a working day of year y.
func (s *site) dayIn(y int) civil.Date {
	from, to := yearSpan(y)
	return randomDay(s.rng, from, to)
}
