package opendata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// columns the reader recognises (upper case); every other column is a
// measure.
var (
	territoryColumns = map[string]Level{"NUMEPCI": EPCI, "NUMCOM": Commune, "CODES_INSEE": Commune}
	nameColumns      = map[string]bool{"NOMEPCI": true, "NOMCOM": true, "COMMUNES": true}
	yearColumns      = map[string]bool{"DTREF": true, "ANNEE": true, "ANNÉE": true}
	// identity columns that describe the line rather than measure it
	otherIdentity = map[string]bool{"DEPSEPCI": true}
)

// Read reads a whole data.caf.fr file. It fails on what would make the
// figures wrong (no territory or date column, a date it cannot read),
// naming the line and the column; it keeps what it does not know.
func Read(data []byte) (*File, error) {
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, apperr.New(apperr.Invalid, msg.OpenDataEmpty)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = separator(text)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, msg.OpenDataHeader, csvReason(err))
	}
	l, err := layoutOf(header)
	if err != nil {
		return nil, err
	}
	f := &File{Level: l.level, Measures: l.measureNames}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, lineErr(err, line)
		}
		if err := l.row(f, rec, line); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// decode returns the file as UTF-8 text: a byte-order mark says UTF-8 or
// UTF-16; otherwise valid UTF-8 is taken as is and anything else read as
// Windows-1252, the encoding of older exports and of Excel's "CSV".
func decode(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", apperr.New(apperr.Invalid, msg.OpenDataEncoding)
		}
		data = out
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", apperr.New(apperr.Invalid, msg.OpenDataEncoding)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", apperr.New(apperr.Invalid, msg.OpenDataEncoding)
	}
	return string(out), nil
}

// separator is ';' unless the header line has none and has tabs or commas.
func separator(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	best, n := ';', strings.Count(first, ";")
	for _, r := range []rune{'\t', ','} {
		if c := strings.Count(first, string(r)); c > n {
			best, n = r, c
		}
	}
	return best
}

// layout is where a file keeps what the reader needs.
type layout struct {
	level        Level
	code, name   int
	year         int
	yearName     string
	measures     []int // column index of each measure
	measureNames []string
	width        int
}

func layoutOf(header []string) (*layout, error) {
	if len(header) > MaxColumns {
		return nil, apperr.New(apperr.Invalid, msg.OpenDataTooWide, len(header), MaxColumns)
	}
	l := &layout{code: -1, name: -1, year: -1, width: len(header)}
	seen := map[string]bool{}
	for i, h := range header {
		h = cleanName(h)
		if h == "" {
			continue // a trailing separator
		}
		if utf8.RuneCountInString(h) > MaxNameLen {
			return nil, apperr.New(apperr.Invalid, msg.OpenDataTooLong, h, MaxNameLen)
		}
		up := strings.ToUpper(h)
		if seen[up] {
			return nil, apperr.New(apperr.Invalid, msg.OpenDataDuplicate, h)
		}
		seen[up] = true
		l.place(i, h, up)
	}
	names := strings.Join(nonEmpty(header), ", ")
	switch {
	case l.code < 0:
		return nil, apperr.New(apperr.Invalid, msg.OpenDataNoTerritory, names)
	case l.year < 0:
		return nil, apperr.New(apperr.Invalid, msg.OpenDataNoYear, names)
	case len(l.measures) == 0:
		return nil, apperr.New(apperr.Invalid, msg.OpenDataNoMeasure)
	}
	return l, nil
}

// place files column i (named h, upper-cased up) under its role. A file
// with both NUMEPCI and NUMCOM is a file per commune that names each
// commune's EPCI.
func (l *layout) place(i int, h, up string) {
	if lv, ok := territoryColumns[up]; ok {
		if l.code < 0 || lv == Commune {
			l.code, l.level = i, lv
		}
		return
	}
	switch {
	case nameColumns[up]:
		if l.name < 0 || up == "NOMCOM" {
			l.name = i
		}
	case yearColumns[up]:
		if l.year < 0 {
			l.year, l.yearName = i, h
		}
	case otherIdentity[up]:
	default:
		l.measures = append(l.measures, i)
		l.measureNames = append(l.measureNames, h)
	}
}

// row reads one line into f, or skips it when its territory is no code.
func (l *layout) row(f *File, rec []string, line int) error {
	if len(rec) > l.width && strings.TrimSpace(strings.Join(rec[l.width:], "")) != "" {
		return apperr.New(apperr.Invalid, msg.OpenDataLine, line,
			fmt.Sprintf("%d valeurs pour %d colonnes d'en-tête", len(rec), l.width))
	}
	code, ok := territoryCode(l.level, field(rec, l.code))
	if !ok {
		f.Skipped++
		return nil
	}
	raw := field(rec, l.year)
	year, ok := parseYear(raw)
	if !ok {
		return apperr.New(apperr.Invalid, msg.OpenDataYear, line, l.yearName, clip(raw), MinYear, MaxYear)
	}
	r := Row{Line: line, Code: code, Year: year, Name: clip(field(rec, l.name)), Cells: make([]Cell, len(l.measures))}
	for j, col := range l.measures {
		c := strings.TrimSpace(field(rec, col))
		if utf8.RuneCountInString(c) > MaxCellLen {
			return apperr.New(apperr.Invalid, msg.OpenDataCell, line, l.measureNames[j], MaxCellLen)
		}
		r.Cells[j].Raw = c
		r.Cells[j].Value, r.Cells[j].Known = parseNumber(c)
	}
	f.Rows = append(f.Rows, r)
	return nil
}

// field is rec[i] trimmed, or "" when the line is shorter than its header.
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(rec[i], "\u00a0", " "))
}

func cleanName(h string) string {
	return strings.Trim(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), `"'`)
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = cleanName(s); s != "" {
			out = append(out, clip(s))
		}
	}
	return out
}

// clip keeps a text shown back in a message or stored as a name short.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= MaxCellLen {
		return s
	}
	return string([]rune(s)[:MaxCellLen-1]) + "…"
}

func lineErr(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.StartLine
	}
	return apperr.New(apperr.Invalid, msg.OpenDataLine, line, csvReason(err))
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
		return "guillemets mal fermés"
	}
	if errors.Is(err, io.EOF) {
		return "fichier vide"
	}
	return "ligne illisible"
}
