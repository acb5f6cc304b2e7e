// Package opendata reads the Caf's open data (the CSV files data.caf.fr
// publishes per EPCI and per commune) and turns the measures of a CTG's
// territory into its diagnostic figures: by year, with the value at
// signature as the baseline. No SQL, no HTTP: the store keeps the values,
// the web shows them.
//
// What the real files hold, and so what Read accepts (docs/opendata.md):
// a header line, then one line per territory and reference date; columns
// separated by ';' (a tab or a comma is recognised when the header has no
// ';'); UTF-8 with or without a byte-order mark, Windows-1252 (older
// exports and files re-saved by Excel) or UTF-16 with its mark; the
// territory in NUMEPCI (the EPCI's SIREN) or NUMCOM (the commune's INSEE
// code), its name in NOMEPCI or NOMCOM, the reference date in DTREF (or the
// year in ANNEE); every other column is a measure and is kept, known or
// not. Cells may be empty or blank: data.caf.fr leaves a cell blank when
// the value is missing or hidden by statistical secrecy (counts under 5),
// and other markers (s, nd, secret, …) are read the same way. Numbers may
// use a decimal comma and spaces between thousands. Lines whose territory
// is not a SIREN or an INSEE code (the totals for residents abroad or of
// unknown residence that head the files) are skipped and counted.
package opendata

import (
	"time"
)

// Level is the territory a file describes.
type Level string

const (
	EPCI    Level = "epci"
	Commune Level = "commune"
)

// Label names the level in French.
func (l Level) Label() string {
	if l == Commune {
		return "par commune"
	}
	return "par EPCI"
}

// File is what Read found in a file: its level, the measures it carries
// (column names as published, in file order) and one row per territory
// and year.
type File struct {
	Level    Level
	Measures []string
	Rows     []Row
	// Skipped counts the lines without a valid territory code.
	Skipped int
}

// Row is one line of a file. Cells line up with File.Measures.
type Row struct {
	Line  int
	Code  string // SIREN of the EPCI or INSEE code of the commune
	Name  string
	Year  int
	Cells []Cell
}

// Cell is one measure's value as published: Raw is the text (trimmed),
// Known says whether it holds a number, Value that number. A blank or
// masked cell is not known.
type Cell struct {
	Raw   string
	Value float64
	Known bool
}

// Value is one stored measure of a territory for a year, as the store
// keeps it for a CTG.
type Value struct {
	Level      Level
	Code       string
	Measure    string
	Year       int
	Value      float64
	Known      bool
	Raw        string
	Source     string // the file it came from
	ImportedAt time.Time
}

// Limits of a file: the real ones have a dozen columns with short names
// and numbers of a few digits.
const (
	MaxColumns = 200
	MaxNameLen = 64
	MaxCellLen = 64
)
