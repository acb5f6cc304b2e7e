package sheet

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"copilote/internal/civil"
)

// Fold is a text compared the way people mean it: lower case, no
// accents, punctuation and runs of spaces as one space.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, _ = transform.String(t, strings.ToLower(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

var (
	frDate  = regexp.MustCompile(`^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$`)
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$`)
	serial  = regexp.MustCompile(`^\d{5}(?:\.\d+)?$`)
)

// Date reads a day written the French way (15/03/2025, 15-03-25,
// 15.03.2025), as ISO (2025-03-15) or as Excel's serial number (45731);
// ok is false for anything else, or a day that does not exist.
func Date(s string) (civil.Date, bool) {
	s = strings.TrimSpace(s)
	var y, m, d int
	switch {
	case frDate.MatchString(s):
		p := frDate.FindStringSubmatch(s)
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
		if len(p[3]) == 2 {
			y += 2000
		}
	case isoDate.MatchString(s):
		p := isoDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case serial.MatchString(s):
		f, _ := strconv.ParseFloat(s, 64)
		// 1900-based serials from 2000 to 2099
		if f < 36526 || f > 73050 {
			return civil.Date{}, false
		}
		return civil.Of(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))), true
	default:
		return civil.Date{}, false
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return civil.Date{}, false
	}
	day := civil.New(y, time.Month(m), d)
	if day.Day != d || !day.InRange() {
		return civil.Date{}, false
	}
	return day, true
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// Number reads a decimal written the French way (12 500,50; 1.234,5;
// 0,8) or the English way (12500.50); ok is false for anything else.
func Number(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "", "%", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	comma, dot := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && dot >= 0 && comma > dot: // 1.234,5
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case comma >= 0 && dot >= 0: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0:
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "eEiInN") {
		return 0, false
	}
	return v, true
}

// Bool reads oui/non and their usual spellings; ok is false otherwise.
func Bool(s string) (value, ok bool) {
	switch Fold(s) {
	case "oui", "o", "x", "vrai", "yes", "y", "true", "1":
		return true, true
	case "", "non", "n", "faux", "no", "false", "0", "-":
		return false, true
	}
	return false, false
}

// List splits a cell holding several values (partners, roles), separated
// by ; | or line breaks (a comma belongs to many names).
func List(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
