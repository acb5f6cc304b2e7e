package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
)

// form reads submitted values; a value that cannot be read becomes a French
// message on its field, and the raw text stays in Values so the user sees
// exactly what they typed when the form comes back.
type form struct {
	Values url.Values
	Errors apperr.Fields
}

// newForm refuses, on its field, any value holding a NUL byte or invalid
// UTF-8, for every form at once: SQLite would store it and PostgreSQL
// refuses it, so an import from one into the other failed. Every handler
// stops on the form's errors before it writes.
func newForm(v url.Values) *form {
	f := &form{Values: v, Errors: apperr.Fields{}}
	for name, vs := range v {
		for _, s := range vs {
			if !validText(s) {
				if !validText(name) {
					name = "form"
				}
				f.Errors.Add(name, msg.InvalidText)
			}
		}
	}
	return f
}

// validText is text both engines store alike.
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// str is a field's trimmed text; text newForm refused reads as empty, so
// that a filter in the address never carries it to the database.
func (f *form) str(name string) string {
	s := f.Values.Get(name)
	if !validText(s) {
		return ""
	}
	return strings.TrimSpace(s)
}

func (f *form) bool(name string) bool {
	v := f.Values.Get(name)
	return v == "on" || v == "true" || v == "1" || v == "oui"
}

func (f *form) date(name string) civil.Date {
	s := f.str(name)
	if s == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	if err != nil {
		f.Errors.Add(name, msg.InvalidDate)
	} else if !d.InRange() {
		f.Errors.Add(name, msg.DateRange, civil.MinYear, civil.MaxYear)
	}
	return d
}

func (f *form) int(name string) int {
	s := strings.ReplaceAll(f.str(name), " ", "")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Errors.Add(name, msg.InvalidNumber)
	}
	return n
}

// money reads euros, accepting "12 500", "12500,50" (cents dropped).
func (f *form) money(name string) int64 {
	s := strings.NewReplacer(" ", "", "\u202f", "", "\u00a0", "", "€", "").Replace(f.str(name))
	s, _, _ = strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.Errors.Add(name, msg.InvalidNumber)
	}
	return n
}

// float reads a decimal number; NaN and the infinities, which ParseFloat
// accepts in several spellings, are no number to the user, and no
// engine stores them alike.
func (f *form) float(name string) float64 {
	s := strings.ReplaceAll(strings.ReplaceAll(f.str(name), " ", ""), ",", ".")
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		f.Errors.Add(name, msg.InvalidNumber)
		return 0
	}
	return v
}

func (f *form) id(name string) int64 {
	n, _ := strconv.ParseInt(f.str(name), 10, 64)
	return n
}

func (f *form) ids(name string) []int64 {
	var out []int64
	for _, s := range f.Values[name] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// merge adds the field messages of a domain validation error; any other
// error is returned for the generic error page.
func (f *form) merge(err error) error {
	if err == nil {
		return nil
	}
	e := apperr.As(err)
	if e.Code != apperr.Invalid || len(e.Fields) == 0 {
		return err
	}
	for k, v := range e.Fields {
		if _, ok := f.Errors[k]; !ok {
			f.Errors[k] = v
		}
	}
	return nil
}

// Value is the template accessor for a field's text.
func (f *form) Value(name string) string { return f.Values.Get(name) }

// Has tells whether value v is among a multi-valued field's values.
func (f *form) Has(name, v string) bool {
	for _, x := range f.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

func (f *form) Err(name string) string { return f.Errors[name] }

func (f *form) Invalid() bool { return len(f.Errors) > 0 }

func fmtID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
