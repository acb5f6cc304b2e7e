package export

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"copilote/internal/document"
)

// A document's tables as a workbook: each table of a report, and each
// block of its indicator figures, becomes a sheet, in reading order, with
// its figures as numbers Excel can sum.

// sheet is one table of a document, ready to write.
type sheet struct {
	title   string
	head    []string
	numeric []bool
	rows    [][]string
}

// Sheets lists the tables of d as sheets would hold them; a document
// without any has no workbook.
func Sheets(d document.Document) int { return len(sheets(d)) }

func sheets(d document.Document) []sheet {
	var out []sheet
	var walk func([]document.Section)
	walk = func(ss []document.Section) {
		for _, s := range ss {
			for _, b := range s.Blocks {
				if len(b.Figures) > 0 {
					out = append(out, figureSheet(s.Title, b.Figures))
				}
				if t := b.Table; t != nil && len(t.Head) > 0 {
					out = append(out, tableSheet(s.Title, t))
				}
			}
			walk(s.Sections)
		}
	}
	walk(d.Sections)
	return out
}

func tableSheet(section string, t *document.Table) sheet {
	title := t.Caption
	if title == "" {
		title = section
	}
	sh := sheet{title: title, head: t.Head, numeric: t.Numeric}
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = c.Text
		}
		sh.rows = append(sh.rows, cells)
	}
	return sh
}

func figureSheet(section string, fs []document.Figure) sheet {
	sh := sheet{title: section, head: []string{"Code", "Indicateur", "Période", "Valeur", "Cible", "Référence", "Statut", "Détail"},
		numeric: []bool{false, false, false, true, true, true, false, false}}
	for _, f := range fs {
		sh.rows = append(sh.rows, []string{f.Code, f.Label, f.Period, f.Value, f.Target, f.Baseline, document.StatusText(f.Status), f.Detail})
	}
	return sh
}

// WriteDocument writes d's tables to w as an XLSX workbook, one sheet
// each.
func WriteDocument(w io.Writer, d document.Document) (err error) {
	b := NewWorkbook(w)
	defer func() {
		if cerr := b.Close(); err == nil {
			err = cerr
		}
	}()
	for _, sh := range sheets(d) {
		if err := b.AddSheet(sh.title, sh.head, widths(sh)); err != nil {
			return err
		}
		cells := make([]any, len(sh.head))
		for _, r := range sh.rows {
			cells = cells[:0]
			for i, c := range r {
				cells = append(cells, cellOf(c, i < len(sh.numeric) && sh.numeric[i]))
			}
			if err := b.Row(cells...); err != nil {
				return err
			}
		}
	}
	return b.Finish()
}

// cellOf is a document cell as a workbook cell: a number when its column
// holds figures and the text reads as one ("1 234,5", "48 000 €",
// "45 %"), the text otherwise; an empty cell stays empty.
func cellOf(text string, numeric bool) any {
	if text == "" {
		return nil
	}
	if numeric {
		if v, ok := FrenchNumber(text); ok {
			return v
		}
	}
	return text
}

// FrenchNumber reads a number written the French way: spaces (narrow,
// no-break) between thousands, a decimal comma, an optional unit (€, %).
func FrenchNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "€"), "%")
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		case ',':
			return '.'
		}
		return r
	}, s)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && s != ""
}

// widths are a sheet's column widths in characters: its longest cell,
// between 8 and 60.
func widths(sh sheet) []float64 {
	w := make([]float64, len(sh.head))
	for i, h := range sh.head {
		w[i] = float64(utf8.RuneCountInString(h))
	}
	for _, r := range sh.rows {
		for i, c := range r {
			if i < len(w) {
				w[i] = max(w[i], float64(utf8.RuneCountInString(c)))
			}
		}
	}
	for i := range w {
		w[i] = min(max(w[i]+2, 8), 60)
	}
	return w
}
