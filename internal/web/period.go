package web

import (
	"fmt"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/msg"
)

// A page's period is read from ?year= or ?from=&to= and must lie within
// the calendar years of what the page shows (a CTG's convention, the
// conventions of a Caf): a period the data cannot hold is refused with a
// French message rather than computed.

// yearsOf is the whole calendar years from start to end.
func yearsOf(start, end civil.Date) indicator.Period {
	return indicator.Period{From: civil.YearStart(start.Year), To: civil.YearEnd(end.Year)}
}

// readPeriod reads the period of a CTG's pages; the default is the whole
// convention.
func readPeriod(f *form, start, end civil.Date) (indicator.Period, string, error) {
	bounds := yearsOf(start, end)
	outside := apperr.New(apperr.Invalid, msg.PeriodOutsideCTG, bounds.From.French(), bounds.To.French())
	p, label, ok, err := askedPeriod(f, outside)
	if err != nil || !ok {
		return indicator.Period{From: start, To: end}, "toute la convention", err
	}
	if !p.From.Within(bounds.From, bounds.To) || !p.To.Within(bounds.From, bounds.To) {
		return p, label, outside
	}
	return p, label, nil
}

// askedPeriod is the period the query asks for, if any; outside answers a
// year too far to be a date.
func askedPeriod(f *form, outside error) (p indicator.Period, label string, ok bool, err error) {
	if s := f.str("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return p, "", false, apperr.New(apperr.Invalid, msg.InvalidNumber)
		}
		if y < civil.MinYear || y > civil.MaxYear {
			return p, "", false, outside
		}
		return indicator.Period{From: civil.YearStart(y), To: civil.YearEnd(y)}, fmt.Sprintf("année %d", y), true, nil
	}
	from, to := f.str("from"), f.str("to")
	if from == "" || to == "" {
		return p, "", false, nil
	}
	for i, s := range []string{from, to} {
		d, err := civil.Parse(s)
		if err != nil {
			return p, "", false, apperr.New(apperr.Invalid, msg.InvalidDate)
		}
		if i == 0 {
			p.From = d
		} else {
			p.To = d
		}
	}
	if p.To.Before(p.From) {
		return p, "", false, apperr.New(apperr.Invalid, msg.DateOrder)
	}
	return p, "du " + p.From.French() + " au " + p.To.French(), true, nil
}

// maxPage bounds the page numbers lists accept, far from where an offset
// would overflow.
const maxPage = 1_000_000

// pageNumber is the ?page= of a list, from 1 to maxPage.
func pageNumber(f *form) int { return min(max(1, f.int("page")), maxPage) }
