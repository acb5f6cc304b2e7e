// Package sheet reads the spreadsheets people keep: CSV (separated by ;
// , or tab, in UTF-8 with or without BOM, or Windows-1252) and XLSX (the
// first sheet). It returns texts only, each row with the line number the
// user sees in the spreadsheet; what a text means is the importer's
// business. No SQL, no HTTP.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Bounds of one file: beyond them the import is refused with a message,
// so that a file kept in the database between steps stays small.
const (
	MaxRows    = 5000
	MaxColumns = 60
	MaxCell    = 10000 // bytes of one cell
)

// Table is a read file: its header row and its data rows.
type Table struct {
	Header []string `json:"header"`
	Rows   []Row    `json:"rows"`
	// Encoding and Separator say how a CSV was read, for the page.
	Encoding  string `json:"encoding,omitempty"`
	Separator string `json:"separator,omitempty"`
}

// Row is one data row and the line it starts on (the header is line 1).
type Row struct {
	Line  int      `json:"line"`
	Cells []string `json:"cells"`
}

// Cell is the text of column i of the row, "" beyond its end.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// Read reads a file by its name's extension: .xlsx, else CSV.
func Read(name string, data []byte) (*Table, error) {
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return ReadXLSX(data)
	}
	if strings.HasSuffix(strings.ToLower(name), ".xls") || strings.HasSuffix(strings.ToLower(name), ".ods") {
		return nil, apperr.New(apperr.Invalid, msg.ImportFormat)
	}
	return ReadCSV(data)
}

// ReadCSV decodes the text (UTF-8, else Windows-1252), sniffs the
// separator on the header line and reads the rows.
func ReadCSV(data []byte) (*Table, error) {
	text, enc := decode(data)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, apperr.New(apperr.Invalid, msg.ImportFormat)
	}
	sep := sniff(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := &Table{Encoding: enc, Separator: separatorName(sep)}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, apperr.New(apperr.Invalid, msg.ImportCSV, line)
		}
		line, _ := r.FieldPos(0)
		if err := t.add(line, rec); err != nil {
			return nil, err
		}
	}
	return t.done()
}

// decode returns the file as UTF-8 text: valid UTF-8 (its BOM dropped)
// as it is, anything else read as Windows-1252, which Excel writes in
// France.
func decode(data []byte) (string, string) {
	if utf8.Valid(data) {
		return strings.TrimPrefix(string(data), "\uFEFF"), "UTF-8"
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return string(bytes.ToValidUTF8(data, []byte("\uFFFD"))), "Windows-1252"
	}
	return string(s), "Windows-1252"
}

// sniff picks the separator the header line uses most, outside quotes:
// ; (French Excel), tab or , ; a one-column file reads as ;.
func sniff(text string) rune {
	head := text
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		head = text[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ';' || c == '\t' || c == ','):
			counts[c]++
		}
	}
	best := ';'
	for _, c := range []rune{'\t', ','} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func separatorName(r rune) string {
	switch r {
	case '\t':
		return "tabulation"
	case ',':
		return "virgule"
	}
	return "point-virgule"
}

// ReadXLSX reads the first sheet of a workbook, cells as their raw
// values: a date is then Excel's serial number, which the importer reads
// as a date where a date is expected.
func ReadXLSX(data []byte) (t *Table, err error) {
	defer func() {
		// a malformed workbook must not bring the server down
		if recover() != nil {
			t, err = nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
		}
	}()
	if len(data) > 64<<20 {
		return nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
	}
	defer rows.Close()
	t = &Table{}
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
		}
		if err := t.add(line, cells); err != nil {
			return nil, err
		}
	}
	if rows.Error() != nil {
		return nil, apperr.New(apperr.Invalid, msg.ImportXLSX)
	}
	return t.done()
}

// add keeps a row: the first non-empty one is the header; empty rows are
// skipped (people leave blank lines), and the bounds are checked.
func (t *Table) add(line int, cells []string) error {
	for i := range cells {
		cells[i] = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(cells[i], "\x00", ""), "\uFFFD"))
		if len(cells[i]) > MaxCell {
			return apperr.New(apperr.Invalid, msg.ImportCellTooLong, line, MaxCell)
		}
	}
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return nil
	}
	if len(cells) > MaxColumns {
		return apperr.New(apperr.Invalid, msg.ImportTooWide, MaxColumns)
	}
	if t.Header == nil {
		t.Header = cells
		return nil
	}
	if len(t.Rows) >= MaxRows {
		return apperr.New(apperr.Invalid, msg.ImportTooLong, MaxRows)
	}
	t.Rows = append(t.Rows, Row{Line: line, Cells: cells})
	return nil
}

func (t *Table) done() (*Table, error) {
	if t.Header == nil {
		return nil, apperr.New(apperr.Invalid, msg.ImportEmpty)
	}
	if len(t.Rows) == 0 {
		return nil, apperr.New(apperr.Invalid, msg.ImportNoRows)
	}
	for i, h := range t.Header {
		if h == "" {
			t.Header[i] = "Colonne " + ColumnName(i)
		}
	}
	return t, nil
}

// ColumnName is the spreadsheet's name of column i: A, B, …, Z, AA…
func ColumnName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
