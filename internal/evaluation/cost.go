package evaluation

import (
	"math"

	"copilote/internal/civil"
	"copilote/internal/ctg"
)

// Cost is what a post costs over a period: its annual cost (already ETP ×
// cost per ETP, 48 000 € by default) and the Caf's yearly co-funding, each
// prorated by the days of the post within the period, year by year (a day
// of a leap year is 1/366 of that year).
type Cost struct {
	ETP ctg.ETP
	// Annual figures as the post states them.
	AnnualCost      int64
	AnnualCofunding int64
	// Days of the post within the period, and of the period.
	Days, PeriodDays int
	// Years is the share of years the post covers in the period (2.5 for
	// two and a half years), ETPYears the same weighted by the ETP.
	Years, ETPYears float64
	// Amount and CafShare over the period, in euros.
	Amount   int64
	CafShare int64
}

// PostCost prorates a post's cost to the part of [from, to] it covers.
func PostCost(p ctg.Post, from, to civil.Date) Cost {
	c := Cost{ETP: p.ETP, AnnualCost: p.AnnualCost, AnnualCofunding: p.CafCofunding}
	if to.Before(from) {
		return c
	}
	c.PeriodDays = to.DaysSince(from) + 1
	for y := from.Year; y <= to.Year; y++ {
		d := overlap(p, civil.Later(from, civil.YearStart(y)), civil.Earlier(to, civil.YearEnd(y)))
		c.Days += d
		c.Years += float64(d) / float64(daysIn(y))
	}
	c.ETPYears = c.Years * p.ETP.Float()
	c.Amount = int64(math.Round(float64(p.AnnualCost) * c.Years))
	c.CafShare = int64(math.Round(float64(p.CafCofunding) * c.Years))
	return c
}

// PostDays is the number of days of the post within [from, to].
func PostDays(p ctg.Post, from, to civil.Date) int {
	if to.Before(from) {
		return 0
	}
	return overlap(p, from, to)
}

// overlap counts the days of [from, to] within the post's dates (a post
// without an end runs on).
func overlap(p ctg.Post, from, to civil.Date) int {
	if !p.Start.IsZero() {
		from = civil.Later(from, p.Start)
	}
	if !p.End.IsZero() {
		to = civil.Earlier(to, p.End)
	}
	if to.Before(from) {
		return 0
	}
	return to.DaysSince(from) + 1
}

func daysIn(y int) int { return civil.YearEnd(y).DaysSince(civil.YearStart(y)) + 1 }

// Share is part of whole in percent, rounded; 0 when whole is 0.
func Share(part, whole int64) int64 {
	if whole == 0 {
		return 0
	}
	return int64(math.Round(100 * float64(part) / float64(whole)))
}

// PerETP is an amount per full-time equivalent year, rounded; 0 without
// ETP-years.
func PerETP(amount int64, etpYears float64) int64 {
	if etpYears <= 0 {
		return 0
	}
	return int64(math.Round(float64(amount) / etpYears))
}
