package pdf

import (
	"math"
	"strings"

	"copilote/internal/document"
)

// grid is a table as the printer lays it out: the document's tables, its
// figures and its charts' values all print through it.
type grid struct {
	caption string
	head    []string
	numeric []bool
	rows    [][]string
	// strong is the column printed in bold (the figures' codes), or -1.
	strong int
}

// Table type: smaller than the body, with room around each cell.
const (
	cellPt = 8.5
	cellLH = 4.0
	padX   = 1.6
	padY   = 1.3
	slack  = 0.5 // so that rounding never wraps a word measured to fit
)

func tableGrid(t *document.Table) grid {
	g := grid{caption: t.Caption, head: t.Head, numeric: t.Numeric, strong: -1}
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = c.Text
		}
		g.rows = append(g.rows, cells)
	}
	return g
}

// figureGrid lays indicator figures out as the web page does, leaving out
// the optional columns no figure fills: code, label, period, value,
// target, baseline, status in words, detail.
func figureGrid(fs []document.Figure) grid {
	has := func(get func(document.Figure) string) bool {
		for _, f := range fs {
			if get(f) != "" {
				return true
			}
		}
		return false
	}
	type column struct {
		head    string
		numeric bool
		get     func(document.Figure) string
	}
	cols := []column{{"Code", false, func(f document.Figure) string { return f.Code }},
		{"Indicateur", false, func(f document.Figure) string { return f.Label }}}
	optional := []column{
		{"Période", false, func(f document.Figure) string { return f.Period }},
		{"Valeur", true, func(f document.Figure) string { return f.Value }},
		{"Cible", true, func(f document.Figure) string { return f.Target }},
		{"Référence", true, func(f document.Figure) string { return f.Baseline }},
		{"Statut", false, func(f document.Figure) string {
			if f.Status == "" {
				return ""
			}
			return document.StatusText(f.Status)
		}},
		{"Détail", false, func(f document.Figure) string { return f.Detail }},
	}
	for _, c := range optional {
		if c.head == "Valeur" || has(c.get) {
			if c.head == "Statut" { // a figure without target says so
				c.get = func(f document.Figure) string { return document.StatusText(f.Status) }
			}
			cols = append(cols, c)
		}
	}
	g := grid{strong: 0}
	for _, c := range cols {
		g.head = append(g.head, c.head)
		g.numeric = append(g.numeric, c.numeric)
	}
	for _, f := range fs {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.get(f)
		}
		g.rows = append(g.rows, row)
	}
	return g
}

func (g grid) isNumeric(i int) bool { return i < len(g.numeric) && g.numeric[i] }

// style is column i's font style in a row of style base.
func (g grid) style(i int, base string) string {
	if i == g.strong {
		return "B"
	}
	return base
}

// columns sizes each column from its content: as wide as its widest cell
// when the table fits the page, otherwise every column keeps its longest
// word and the room left goes to the columns that would wrap most.
func (p *printer) columns(g grid) []float64 {
	n := len(g.head)
	for _, r := range g.rows {
		n = max(n, len(r))
	}
	// natural: the widest cell; least: the longest word, and for figures
	// the widest value (a number never wraps)
	natural, least, values := make([]float64, n), make([]float64, n), make([]float64, n)
	measure := func(i int, s string) float64 {
		w := math.Min(p.width(s), 110) + 2*padX + slack
		natural[i] = max(natural[i], w)
		for _, word := range strings.Fields(s) {
			least[i] = max(least[i], math.Min(p.width(word), 40)+2*padX+slack)
		}
		return w
	}
	p.font("B", cellPt, ink)
	for i, h := range g.head {
		measure(i, h)
	}
	for _, r := range g.rows {
		for i, c := range r {
			p.font(g.style(i, ""), cellPt, ink)
			values[i] = max(values[i], measure(i, c))
		}
	}
	for i := range least {
		least[i] = max(least[i], 8)
		if g.isNumeric(i) {
			least[i] = max(least[i], min(values[i], 30))
		}
	}
	return share(natural, least, width)
}

// share spreads total over columns wanting natural and needing least.
func share(natural, least []float64, total float64) []float64 {
	sumN, sumL := sum(natural), sum(least)
	out := make([]float64, len(natural))
	switch {
	case sumN <= total: // everything fits: spread the spare room alike
		for i, w := range natural {
			out[i] = w * total / sumN
		}
	case sumL >= total: // not even the words fit: they will be cut
		for i, w := range least {
			out[i] = w * total / sumL
		}
	default:
		spare := total - sumL
		for i := range out {
			out[i] = least[i] + spare*(natural[i]-least[i])/(sumN-sumL)
		}
	}
	return out
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// cells wraps a row's cells to their columns.
func (p *printer) cells(g grid, row []string, ws []float64, style string) [][]string {
	out := make([][]string, len(ws))
	for i := range ws {
		p.font(g.style(i, style), cellPt, ink)
		text := ""
		if i < len(row) {
			text = row[i]
		}
		out[i] = p.wrap(text, ws[i]-2*padX)
	}
	return out
}

func tallest(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

// captionLines are the table's caption wrapped to the page.
func (p *printer) captionLines(g grid) []string {
	if g.caption == "" {
		return nil
	}
	p.font("B", bodyPt, ink)
	return p.wrap(g.caption, width)
}

// gridStart is the height a table needs on the page it starts on: its
// caption, its header and its first row.
func (p *printer) gridStart(g grid) float64 {
	ws := p.columns(g)
	h := float64(len(p.captionLines(g)))*lineH + p.rowHeight(tallest(p.cells(g, g.head, ws, "B")))
	if len(g.rows) > 0 {
		h += p.rowHeight(min(3, tallest(p.cells(g, g.rows[0], ws, ""))))
	}
	return h + 1
}

func (p *printer) rowHeight(lines int) float64 { return float64(lines)*cellLH + 2*padY }

// table prints g: caption, header, rows. A row that does not fit goes to
// the next page under the header drawn again; a row taller than a page
// is split between pages, its lines never cut.
func (p *printer) table(g grid) {
	ws := p.columns(g)
	p.need(p.gridStart(g))
	p.font("B", bodyPt, ink)
	for _, l := range p.captionLines(g) {
		p.f.SetX(left)
		p.f.CellFormat(width, lineH, p.text(l), "", 1, "L", false, 0, "")
	}
	p.gap(0.8)
	head := p.cells(g, g.head, ws, "B")
	headH := p.rowHeight(tallest(head))
	if len(g.head) == 0 {
		head, headH = nil, 0
	}
	drawHead := func() {
		if head == nil {
			return
		}
		p.drawRow(g, ws, head, 0, tallest(head), "B", &tint)
		p.stroke(petrol, 0.4)
		p.f.Line(left, p.f.GetY(), left+width, p.f.GetY())
	}
	drawHead()
	for i, r := range g.rows {
		if i%50 == 49 && p.done() {
			return
		}
		cells := p.cells(g, r, ws, "")
		n, from := tallest(cells), 0
		var fill *rgb
		if i%2 == 1 {
			fill = &zebra
		}
		for from < n {
			fits := int((bottom - p.f.GetY() - 2*padY) / cellLH)
			whole := p.rowHeight(n) <= bottom-top-headH
			if fits < min(n-from, 2) || (from == 0 && fits < n && whole) {
				p.newPage()
				drawHead()
				continue
			}
			k := min(fits, n-from)
			p.drawRow(g, ws, cells, from, k, "", fill)
			p.stroke(rule, 0.2)
			p.f.Line(left, p.f.GetY(), left+width, p.f.GetY())
			from += k
		}
	}
}

// drawRow prints lines [from, from+n) of each cell at the current height
// and moves below them.
func (p *printer) drawRow(g grid, ws []float64, cells [][]string, from, n int, style string, fill *rgb) {
	y := p.f.GetY()
	h := p.rowHeight(n)
	if fill != nil {
		p.fill(*fill)
		p.f.Rect(left, y, width, h, "F")
	}
	x := left
	for i, w := range ws {
		p.font(g.style(i, style), cellPt, ink)
		align := "L"
		if g.isNumeric(i) {
			align = "R"
		}
		for j := from; j < from+n && j < len(cells[i]); j++ {
			p.f.SetXY(x+padX, y+padY+float64(j-from)*cellLH)
			p.f.CellFormat(w-2*padX, cellLH, p.text(cells[i][j]), "", 0, align, false, 0, "")
		}
		x += w
	}
	p.f.SetXY(left, y+h)
}
