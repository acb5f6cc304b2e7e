// Package pdf prints a document.Document as an A4 PDF inside the binary
// (go-pdf/fpdf, pure Go): the same value the web page shows, so that the
// page and the PDF cannot differ. Text goes through cp1252, which holds
// every letter of French (é, è, ç, œ, «, », €).
//
// The printer places every line itself (fpdf's automatic page break is
// off) so that it knows, before drawing, whether a heading keeps company
// at the bottom of a page, a table row fits or its header must be drawn
// again. Every document is laid out twice: a first, silent pass counts
// the pages and finds where each section starts, so that the second can
// print "page 3 / 12" and, for a document of several sections, a table of
// contents with its page numbers; the second pass lays out the same
// lines, so nothing moves.
package pdf

import (
	"context"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"copilote/internal/civil"
	"copilote/internal/document"
)

// Page geometry, in millimetres, and the body's type.
const (
	pageW   = 210.0
	pageH   = 297.0
	left    = 18.0
	right   = 18.0
	top     = 20.0
	bottom  = 277.0 // the lowest line of content; the footer lies below
	width   = pageW - left - right
	lineH   = 5.0
	bodyPt  = 10.0
	fontFam = "Helvetica"
)

// Colours: the site's petrol, its tint and zebra, text and muted grey.
var (
	petrol = rgb{11, 85, 99}
	tint   = rgb{230, 241, 243}
	zebra  = rgb{246, 248, 249}
	rule   = rgb{211, 218, 222}
	ink    = rgb{28, 37, 41}
	muted  = rgb{79, 93, 99}
)

type rgb struct{ r, g, b int }

// Write prints d to w.
func Write(w io.Writer, d document.Document) error {
	return WriteContext(context.Background(), w, d)
}

// WriteContext prints d to w, giving up as soon as ctx is done (the
// client left, the server stops): a long document never outlives its
// request. Nothing is written to w unless the whole document was laid out.
func WriteContext(ctx context.Context, w io.Writer, d document.Document) error {
	first := newPrinter(ctx, d, nil, 0)
	if err := first.print(); err != nil {
		return err
	}
	p := newPrinter(ctx, d, first.pages, first.f.PageNo())
	if err := p.print(); err != nil {
		return err
	}
	return p.f.Output(w)
}

// hasContents tells whether d gets a table of contents: as on the web
// page, when it has more than one entry.
func hasContents(d document.Document) bool { return len(d.Outline()) > 1 }

type printer struct {
	ctx context.Context
	f   *fpdf.Fpdf
	tr  func(string) string
	doc document.Document
	// known are the sections' pages and total the page count, from the
	// first pass (nil and 0 during it); pages are this pass's; links the
	// contents' targets.
	known map[string]int
	total int
	pages map[string]int
	links map[string]int
}

func newPrinter(ctx context.Context, d document.Document, known map[string]int, total int) *printer {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(left, top, right)
	f.SetAutoPageBreak(false, pageH-bottom)
	f.SetCompression(true)
	f.SetCellMargin(0) // the printer pads cells itself
	p := &printer{ctx: ctx, f: f, tr: f.UnicodeTranslatorFromDescriptor("cp1252"), doc: d,
		known: known, total: total, pages: map[string]int{}, links: map[string]int{}}
	f.SetTitle(d.Title, true)
	if d.Subtitle != "" {
		f.SetSubject(d.Subtitle, true)
	}
	f.SetCreator("Copilote", true)
	f.SetLang("fr-FR")
	f.SetHeaderFunc(p.runningHead)
	f.SetFooterFunc(p.footer)
	return p
}

// print lays the whole document out, or stops at the first error.
func (p *printer) print() error {
	p.f.AddPage()
	p.titleBlock()
	if hasContents(p.doc) {
		p.contents()
	}
	for _, s := range p.doc.Sections {
		if p.done() {
			break
		}
		p.section(s, 0)
	}
	if err := p.ctx.Err(); err != nil {
		return err
	}
	return p.f.Error()
}

// done tells whether printing must stop: the request is gone or fpdf
// failed.
func (p *printer) done() bool { return p.ctx.Err() != nil || p.f.Err() }

// runningHead names the document at the top of every page but the first.
func (p *printer) runningHead() {
	if p.f.PageNo() == 1 {
		return
	}
	p.font("", 8, muted)
	p.f.SetXY(left, 10)
	p.f.CellFormat(width, 4, p.text(p.fit(p.doc.Title, width)), "", 0, "L", false, 0, "")
	p.stroke(rule, 0.2)
	p.f.Line(left, 15, pageW-right, 15)
	p.f.SetXY(left, top)
}

// footer numbers the pages: "page 3 / 12".
func (p *printer) footer() {
	p.stroke(rule, 0.2)
	p.f.Line(left, bottom+4, pageW-right, bottom+4)
	p.font("", 8, muted)
	p.f.SetXY(left, bottom+5)
	num := "page " + itoa(p.f.PageNo()) + " / " + itoa(p.total)
	nw := p.width(num) + 2
	p.f.CellFormat(width-nw, 4, p.text(p.fit("Copilote – "+p.doc.Title, width-nw-4)), "", 0, "L", false, 0, "")
	p.f.CellFormat(nw, 4, num, "", 0, "R", false, 0, "")
}

// titleBlock opens the first page: title, subtitle, what the document is
// about, then its notices.
func (p *printer) titleBlock() {
	p.font("B", 8, petrol)
	p.f.SetXY(left, 12)
	p.f.CellFormat(width/2, 4, "COPILOTE", "", 0, "L", false, 0, "")
	p.font("", 8, muted)
	p.f.CellFormat(width/2, 4, p.text("Produit le "+civil.Today().French()), "", 0, "R", false, 0, "")
	p.f.SetY(top)
	p.paragraph(p.doc.Title, 18, "B", petrol, 8)
	if p.doc.Subtitle != "" {
		p.paragraph(p.doc.Subtitle, 12, "", muted, 6)
	}
	p.gap(2)
	p.fill(petrol)
	p.f.Rect(left, p.f.GetY(), width, 0.7, "F")
	p.gap(5)
	if len(p.doc.Meta) > 0 {
		p.fields(p.doc.Meta)
		p.gap(2)
	}
	for _, n := range p.doc.Notices {
		p.notice(n)
	}
}

// notice is a framed paragraph shown first: "figée le …", differences.
func (p *printer) notice(s string) {
	p.font("", bodyPt, ink)
	lines := p.wrap(s, width-9)
	h := float64(len(lines))*lineH + 4
	p.need(h)
	y := p.f.GetY()
	p.fill(tint)
	p.f.Rect(left, y, width, h, "F")
	p.fill(petrol)
	p.f.Rect(left, y, 1.2, h, "F")
	p.font("", bodyPt, ink)
	for i, l := range lines {
		p.f.SetXY(left+5, y+2+float64(i)*lineH)
		p.f.CellFormat(width-9, lineH, p.text(l), "", 0, "L", false, 0, "")
	}
	p.f.SetY(y + h)
	p.gap(3)
}

// section prints a heading kept with what follows it, then its blocks
// and subsections.
func (p *printer) section(s document.Section, depth int) {
	size, before := 14.0, 6.0
	if depth > 0 {
		size, before = 11.5, 3.5
	}
	p.font("B", size, petrol)
	lines := p.wrap(s.Title, width)
	h := float64(len(lines)) * size * 0.5
	if p.f.GetY() > top+1 {
		p.gap(before)
	}
	p.need(h + 1.5 + p.firstHeight(s))
	p.pages[s.ID] = p.f.PageNo()
	if id, ok := p.links[s.ID]; ok {
		p.f.SetLink(id, p.f.GetY(), -1)
	}
	p.f.Bookmark(utf16(s.Title), depth, -1)
	p.font("B", size, petrol)
	for _, l := range lines {
		p.f.SetX(left)
		p.f.CellFormat(width, size*0.5, p.text(l), "", 1, "L", false, 0, "")
	}
	if depth == 0 {
		p.stroke(rule, 0.3)
		p.f.Line(left, p.f.GetY()+0.5, pageW-right, p.f.GetY()+0.5)
	}
	p.gap(2.5)
	for i, b := range s.Blocks {
		if p.done() {
			return
		}
		if i+1 < len(s.Blocks) && introduces(b) { // "Indicateurs :" stays with its list
			p.font("", bodyPt, ink)
			p.need(float64(len(p.wrap(b.Text, width)))*lineH + 2 + p.minHeight(s.Blocks[i+1]))
		}
		p.block(b)
	}
	for _, sub := range s.Sections {
		p.section(sub, depth+1)
	}
}

// introduces tells a block that announces the next: a line of text
// ending with a colon.
func introduces(b document.Block) bool {
	return b.Text != "" && len(b.Text) < 120 && strings.HasSuffix(strings.TrimSpace(b.Text), ":")
}

// firstHeight is the least height that must follow a heading on its
// page: the first lines of its first block, or the next heading with its
// own.
func (p *printer) firstHeight(s document.Section) float64 {
	if len(s.Blocks) > 0 {
		return p.minHeight(s.Blocks[0])
	}
	if len(s.Sections) > 0 {
		return 9 + p.firstHeight(s.Sections[0])
	}
	return 0
}

// block prints one block; exactly one of its fields is set, but a block
// holding several prints them all, in this order.
func (p *printer) block(b document.Block) {
	if b.Text != "" {
		p.paragraph(b.Text, bodyPt, "", ink, lineH)
		p.gap(2)
	}
	if len(b.List) > 0 {
		p.list(b.List)
		p.gap(2)
	}
	if len(b.Fields) > 0 {
		p.fields(b.Fields)
		p.gap(2)
	}
	if len(b.Figures) > 0 {
		p.table(figureGrid(b.Figures))
		p.gap(3)
	}
	if b.Table != nil {
		p.table(tableGrid(b.Table))
		p.gap(3)
	}
	if b.Chart != nil {
		p.chart(b.Chart)
		p.gap(3)
	}
}

// minHeight is how much of b must fit below a heading.
func (p *printer) minHeight(b document.Block) float64 {
	switch {
	case b.Text != "":
		p.font("", bodyPt, ink)
		return float64(min(2, len(p.wrap(b.Text, width)))) * lineH
	case len(b.List) > 0:
		p.font("", bodyPt, ink)
		return float64(min(2, len(p.wrap(b.List[0], width-6)))) * lineH
	case len(b.Fields) > 0:
		return 2 * lineH
	case len(b.Figures) > 0:
		return p.gridStart(figureGrid(b.Figures))
	case b.Table != nil:
		return p.gridStart(tableGrid(b.Table))
	case b.Chart != nil:
		return p.chartStart(b.Chart)
	}
	return 0
}

// paragraph prints s wrapped to the width, line by line, breaking pages
// between lines.
func (p *printer) paragraph(s string, size float64, style string, c rgb, lh float64) {
	p.font(style, size, c)
	for _, l := range p.wrap(s, width) {
		p.need(lh)
		p.font(style, size, c)
		p.f.SetX(left)
		p.f.CellFormat(width, lh, p.text(l), "", 1, "L", false, 0, "")
	}
}

// list prints items with a bullet and a hanging indent; an item's first
// two lines stay together.
func (p *printer) list(items []string) {
	for _, item := range items {
		p.font("", bodyPt, ink)
		lines := p.wrap(item, width-6)
		for i, l := range lines {
			if i == 0 {
				p.need(float64(min(2, len(lines))) * lineH)
				p.font("", bodyPt, ink)
				p.f.SetX(left + 1)
				p.f.CellFormat(5, lineH, p.text("•"), "", 0, "L", false, 0, "")
			} else {
				p.need(lineH)
				p.font("", bodyPt, ink)
			}
			p.f.SetX(left + 6)
			p.f.CellFormat(width-6, lineH, p.text(l), "", 1, "L", false, 0, "")
		}
		p.gap(0.8)
	}
}

// fields prints labels in a column as wide as the widest (up to a third
// of the page), their values beside them; a field never splits.
func (p *printer) fields(fs []document.Field) {
	p.font("B", bodyPt, ink)
	lw := 0.0
	for _, f := range fs {
		lw = max(lw, p.width(f.Label))
	}
	lw = min(lw+5, width/3)
	for _, f := range fs {
		p.font("B", bodyPt, muted)
		labels := p.wrap(f.Label, lw-3)
		p.font("", bodyPt, ink)
		values := p.wrap(f.Value, width-lw)
		n := max(len(labels), len(values), 1)
		p.need(min(float64(n)*lineH, bottom-top))
		y := p.f.GetY()
		p.font("B", bodyPt, muted)
		for i, l := range labels {
			p.f.SetXY(left, y+float64(i)*lineH)
			p.f.CellFormat(lw-3, lineH, p.text(l), "", 0, "L", false, 0, "")
		}
		p.font("", bodyPt, ink)
		for i, l := range values {
			if y+float64(i+1)*lineH > bottom { // a value longer than a page
				p.newPage()
				y = p.f.GetY() - float64(i)*lineH
				p.font("", bodyPt, ink)
			}
			p.f.SetXY(left+lw, y+float64(i)*lineH)
			p.f.CellFormat(width-lw, lineH, p.text(l), "", 0, "L", false, 0, "")
		}
		p.f.SetY(y + float64(n)*lineH + 0.6)
	}
}

// need starts a new page unless h millimetres still fit on this one.
func (p *printer) need(h float64) {
	if p.f.GetY()+h > bottom && p.f.GetY() > top+0.5 {
		p.newPage()
	}
}

func (p *printer) newPage() {
	p.f.AddPage()
	p.f.SetXY(left, top)
}

// gap leaves vertical space, none at the top of a page.
func (p *printer) gap(h float64) {
	y := p.f.GetY()
	if y <= top+0.5 {
		return
	}
	p.f.SetY(min(y+h, bottom))
}

func (p *printer) font(style string, size float64, c rgb) {
	p.f.SetFont(fontFam, style, size)
	p.f.SetTextColor(c.r, c.g, c.b)
}

func (p *printer) fill(c rgb)               { p.f.SetFillColor(c.r, c.g, c.b) }
func (p *printer) stroke(c rgb, lw float64) { p.f.SetDrawColor(c.r, c.g, c.b); p.f.SetLineWidth(lw) }

// text is s in cp1252, as the core fonts print it.
func (p *printer) text(s string) string { return p.tr(printable.Replace(s)) }

// width is s's width in the current font.
func (p *printer) width(s string) float64 { return p.f.GetStringWidth(p.text(s)) }

// printable maps the few characters French text uses that cp1252 lacks
// to their nearest: narrow and thin no-break spaces become the no-break
// space (which cp1252 has, and which wrap never breaks at).
var printable = strings.NewReplacer("\u202f", "\u00a0", "\u2009", "\u00a0", "\u2212", "-", "\u2264", "<=",
	"\u2265", ">=", "\u2011", "-", "\u2010", "-", "\u200b", "")

// wrap cuts s into lines no wider than w in the current font, at spaces
// and line breaks; a word wider than a line is cut where it must. The
// core fonts have no kerning: a line is as wide as its words and spaces,
// each measured once.
func (p *printer) wrap(s string, w float64) []string {
	var out []string
	space := p.width(" ")
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line, lw := "", 0.0
		for _, word := range strings.Fields(strings.ReplaceAll(para, "\t", " ")) {
			ww := p.width(word)
			switch {
			case line == "":
			case lw+space+ww <= w+1e-9:
				line, lw = line+" "+word, lw+space+ww
				continue
			default:
				out = append(out, line)
			}
			line, lw = word, ww
			for lw > w+1e-9 && len([]rune(line)) > 1 {
				cut := p.cut(line, w)
				out = append(out, string([]rune(line)[:cut]))
				line = string([]rune(line)[cut:])
				lw = p.width(line)
			}
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// cut is how many runes of s fit in w (at least one).
func (p *printer) cut(s string, w float64) int {
	r := []rune(s)
	n := 1
	for n < len(r) && p.width(string(r[:n+1])) <= w {
		n++
	}
	return n
}

// fit shortens s with an ellipsis to fit in w.
func (p *printer) fit(s string, w float64) string {
	if p.width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// utf16 is s as a PDF text string in UTF-16BE with its byte order mark,
// for the outline (bookmarks), which fpdf writes as given.
func utf16(s string) string {
	b := []byte{0xfe, 0xff}
	for _, r := range s {
		if r > 0xffff {
			r = '?'
		}
		b = append(b, byte(r>>8), byte(r))
	}
	return string(b)
}
