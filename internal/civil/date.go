// Package civil holds the calendar date used across the domain: records,
// conventions and survey waves are dated by day, never by instant, so a
// figure never moves with the server's time zone.
package civil

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day. The zero value means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const layout = "2006-01-02"

// Of returns the day of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today is the current day in Europe/Paris, where every Caf works.
func Today() Date { return Of(time.Now().In(paris)) }

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// New builds a date, normalising overflowing days and months as time.Date does.
func New(y int, m time.Month, d int) Date { return Of(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) }

// Parse reads YYYY-MM-DD; it also accepts DD/MM/YYYY as French users type it.
func Parse(s string) (Date, error) {
	for _, l := range []string{layout, "02/01/2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return Of(t), nil
		}
	}
	return Date{}, fmt.Errorf("civil: %q is not a date", s)
}

// MustParse is for literals in tests and demo data.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool { return d == Date{} }

// The years Copilote deals in: CTGs date from the 2010s, and a bound on
// every date typed keeps periods, and what they cost to read, bounded.
const (
	MinYear = 2000
	MaxYear = 2099
)

// InRange reports whether d falls within MinYear and MaxYear.
func (d Date) InRange() bool { return d.Year >= MinYear && d.Year <= MaxYear }

func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Start is the instant the day begins in Europe/Paris: the bound of a
// search among instants (the audit log) by the days users type.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, paris) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(layout)
}

// French renders the day as users read it: 05/03/2025.
func (d Date) French() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("02/01/2006")
}

func (d Date) AddDays(n int) Date        { return Of(d.Time().AddDate(0, 0, n)) }
func (d Date) AddDate(y, m, n int) Date  { return Of(d.Time().AddDate(y, m, n)) }
func (d Date) Before(o Date) bool        { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool         { return d.Compare(o) > 0 }
func (d Date) Compare(o Date) int        { return d.Time().Compare(o.Time()) }
func (d Date) Within(from, to Date) bool { return !d.Before(from) && !d.After(to) }

// Earlier and Later return the earlier and the later of two days.
func Earlier(a, b Date) Date {
	if a.Before(b) {
		return a
	}
	return b
}

func Later(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}
func (d Date) DaysSince(o Date) int { return int(d.Time().Sub(o.Time()).Hours() / 24) }
func YearStart(y int) Date          { return Date{y, time.January, 1} }
func YearEnd(y int) Date            { return Date{y, time.December, 31} }

// Value stores the day as ISO text, which both SQLite (TEXT affinity, compared
// lexically) and PostgreSQL (DATE) order correctly.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan accepts what each driver hands back for a DATE column: time.Time from
// pgx and from modernc (which parses declared DATE columns), text otherwise.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Of(v.UTC())
	case string:
		return d.parseDB(v)
	case []byte:
		return d.parseDB(string(v))
	default:
		return fmt.Errorf("civil: cannot scan %T into Date", src)
	}
	return nil
}

func (d *Date) parseDB(s string) error {
	if len(s) > len(layout) {
		s = s[:len(layout)]
	}
	p, err := Parse(s)
	*d = p
	return err
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	*d = p
	return err
}
