package exchange

import (
	"encoding/json"
	"reflect"
	"time"

	"copilote/internal/civil"
)

// Date is a calendar day, written "AAAA-MM-JJ". Unlike civil.Date's text
// form it accepts no French spelling: a file has one way to say a date, so
// that export ∘ import ∘ export is the identity.
type Date civil.Date

const dateLayout = "2006-01-02"

func (d Date) Civil() civil.Date { return civil.Date(d) }
func (d Date) IsZero() bool      { return civil.Date(d).IsZero() }

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, len(dateLayout)+2)
	b = append(b, '"')
	b = civil.Date(d).Time().AppendFormat(b, dateLayout)
	return append(b, '"'), nil
}

// UnmarshalJSON reports a bad value as a json.UnmarshalTypeError: the
// decoder then fills in the field's path, which the import error names.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	s, ok := unquote(b)
	if !ok || len(s) != len(dateLayout) {
		return badValue(b, Date{})
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return badValue(b, Date{})
	}
	*d = Date(civil.Of(t))
	return nil
}

// Time is an instant, written in RFC 3339 in UTC to the microsecond, the
// precision both engines keep.
type Time time.Time

func (t Time) Std() time.Time { return time.Time(t) }
func (t Time) IsZero() bool   { return time.Time(t).IsZero() }

// TimeOf normalises an instant read from either engine.
func TimeOf(t time.Time) Time { return Time(t.UTC().Truncate(time.Microsecond)) }

func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 32)
	b = append(b, '"')
	b = TimeOf(time.Time(t)).Std().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	s, ok := unquote(b)
	if !ok {
		return badValue(b, Time{})
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return badValue(b, Time{})
	}
	*t = TimeOf(v)
	return nil
}

// unquote strips the quotes of a JSON string that holds no escape, which is
// all a date or an instant can be.
func unquote(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	for _, c := range b[1 : len(b)-1] {
		if c == '\\' || c == '"' {
			return "", false
		}
	}
	return string(b[1 : len(b)-1]), true
}

func badValue(b []byte, of any) error {
	v := string(b)
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return &json.UnmarshalTypeError{Value: v, Type: reflect.TypeOf(of)}
}
