package opendata

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"copilote/internal/civil"
)

// Years a file may describe: the calendar Copilote keeps.
const (
	MinYear = civil.MinYear
	MaxYear = civil.MaxYear
)

var (
	sirenRe = regexp.MustCompile(`^\d{9}$`)
	inseeRe = regexp.MustCompile(`^(\d{5}|2[AB]\d{3})$`)
)

// territoryCode normalises a SIREN or an INSEE code, spaces removed; an
// INSEE code of four digits lost its leading zero in a spreadsheet.
func territoryCode(l Level, s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if l == EPCI {
		return s, sirenRe.MatchString(s)
	}
	if len(s) == 4 && strings.Trim(s, "0123456789") == "" {
		s = "0" + s
	}
	// 99xxx are countries abroad: the files total the residents abroad
	// under 99999
	return s, inseeRe.MatchString(s) && !strings.HasPrefix(s, "99")
}

var (
	dateDMY  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`) // 31/12/2023
	dateMY   = regexp.MustCompile(`^(\d{1,2})[/.-](\d{4})$`)               // 12/2023
	dateYMD  = regexp.MustCompile(`^(\d{4})[/.-](\d{1,2})(?:[/.-](\d{1,2}))?$`)
	dateNum  = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})?$`)        // 20231231, 202312
	dateSAS  = regexp.MustCompile(`^(\d{1,2})([A-Za-z]{3})(\d{4})$`) // 31DEC2023
	dateYear = regexp.MustCompile(`^\d{4}$`)
	months   = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC"
)

// parseYear reads the year of a reference date in the forms data.caf.fr
// and spreadsheets write it; a time of day after the date is ignored.
func parseYear(s string) (int, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	var y, m, d string
	switch {
	case dateYear.MatchString(s):
		y = s
	case dateDMY.MatchString(s):
		p := dateDMY.FindStringSubmatch(s)
		d, m, y = p[1], p[2], p[3]
	case dateMY.MatchString(s):
		p := dateMY.FindStringSubmatch(s)
		m, y = p[1], p[2]
	case dateYMD.MatchString(s):
		p := dateYMD.FindStringSubmatch(s)
		y, m, d = p[1], p[2], p[3]
	case dateNum.MatchString(s):
		p := dateNum.FindStringSubmatch(s)
		y, m, d = p[1], p[2], p[3]
	case dateSAS.MatchString(s):
		p := dateSAS.FindStringSubmatch(s)
		i := strings.Index(months, strings.ToUpper(p[2]))
		if i < 0 || i%3 != 0 {
			return 0, false
		}
		d, m, y = p[1], strconv.Itoa(i/3+1), p[3]
	default:
		return 0, false
	}
	year, _ := strconv.Atoi(y)
	if !within(m, 1, 12) || !within(d, 1, 31) || year < MinYear || year > MaxYear {
		return 0, false
	}
	return year, true
}

// within accepts an absent part, or one between lo and hi.
func within(s string, lo, hi int) bool {
	if s == "" {
		return true
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= lo && n <= hi
}

var plainNumber = regexp.MustCompile(`^[-+]?\d{1,15}(\.\d{1,6})?$`)

// parseNumber reads a published figure: "1234", "1 234", "12,5", "12.5",
// "1.234,5", "12,5 %". Anything else (a blank, a secrecy marker such as
// "s" or "nd", a text) is not a known number.
func parseNumber(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "%", "").Replace(s)
	comma, dot := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && dot >= 0 && comma > dot: // 1.234,5
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case comma >= 0 && dot >= 0: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ",") == 1: // 12,5
		s = strings.Replace(s, ",", ".", 1)
	case strings.Count(s, ",") > 1: // 1,234,567
		s = strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ".") > 1: // 1.234.567
		s = strings.ReplaceAll(s, ".", "")
	}
	if !plainNumber.MatchString(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}
