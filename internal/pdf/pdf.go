// Package pdf prints a document.Document as an A4 PDF inside the binary
// (go-pdf/fpdf, pure Go): the same value the web page shows, so that the
// page and the PDF cannot differ. Text goes through cp1252, which holds
// every letter of French (é, è, ç, œ, «, », €).
package pdf

import (
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"copilote/internal/document"
)

const (
	margin  = 15.0
	lineH   = 5.0
	bodyPt  = 10.0
	fontFam = "Helvetica"
)

// Write prints d to w.
func Write(w io.Writer, d document.Document) error {
	p := newPrinter(d)
	p.header(d)
	for _, s := range d.Sections {
		p.section(s, 0)
	}
	return p.f.Output(w)
}

type printer struct {
	f  *fpdf.Fpdf
	tr func(string) string
}

func newPrinter(d document.Document) *printer {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin+5)
	p := &printer{f: f, tr: f.UnicodeTranslatorFromDescriptor("cp1252")}
	f.SetTitle(d.Title, true)
	f.SetCreator("Copilote", true)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-margin)
		f.SetFont(fontFam, "", 8)
		f.CellFormat(0, lineH, p.tr(d.Title+" – page ")+itoa(f.PageNo())+" / {nb}", "", 0, "C", false, 0, "")
	})
	f.AddPage()
	return p
}

func (p *printer) header(d document.Document) {
	p.f.SetFont(fontFam, "B", 16)
	p.f.MultiCell(0, 8, p.tr(d.Title), "", "L", false)
	if d.Subtitle != "" {
		p.f.SetFont(fontFam, "", 11)
		p.f.MultiCell(0, 6, p.tr(d.Subtitle), "", "L", false)
	}
	p.f.Ln(2)
	p.fields(d.Meta)
	for _, n := range d.Notices {
		p.f.SetFont(fontFam, "I", bodyPt)
		p.f.MultiCell(0, lineH, p.tr(n), "1", "L", false)
		p.f.Ln(2)
	}
}

func (p *printer) section(s document.Section, depth int) {
	p.f.Ln(3)
	size := 13.0
	if depth > 0 {
		size = 11
	}
	p.f.SetFont(fontFam, "B", size)
	p.f.MultiCell(0, 7, p.tr(s.Title), "", "L", false)
	for _, b := range s.Blocks {
		p.block(b)
	}
	for _, sub := range s.Sections {
		p.section(sub, depth+1)
	}
}

func (p *printer) block(b document.Block) {
	p.f.SetFont(fontFam, "", bodyPt)
	if b.Text != "" {
		p.f.MultiCell(0, lineH, p.tr(b.Text), "", "L", false)
		p.f.Ln(1)
	}
	for _, item := range b.List {
		p.f.MultiCell(0, lineH, p.tr("• "+item), "", "L", false)
	}
	p.fields(b.Fields)
	for _, fig := range b.Figures {
		line := fig.Code + " " + fig.Label + " : " + fig.Value
		if fig.Target != "" {
			line += " (cible " + fig.Target + ")"
		}
		if fig.Detail != "" {
			line += " – " + fig.Detail
		}
		p.f.MultiCell(0, lineH, p.tr(line), "", "L", false)
	}
	if t := b.Table; t != nil {
		p.f.SetFont(fontFam, "B", bodyPt)
		p.f.MultiCell(0, lineH, p.tr(t.Caption), "", "L", false)
		p.f.SetFont(fontFam, "", bodyPt)
		p.f.MultiCell(0, lineH, p.tr(strings.Join(t.Head, " | ")), "B", "L", false)
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = c.Text
			}
			p.f.MultiCell(0, lineH, p.tr(strings.Join(cells, " | ")), "", "L", false)
		}
	}
	if c := b.Chart; c != nil {
		p.f.SetFont(fontFam, "B", bodyPt)
		p.f.MultiCell(0, lineH, p.tr(c.Title), "", "L", false)
		p.f.SetFont(fontFam, "", bodyPt)
		for _, s := range c.Series {
			var parts []string
			for i, l := range c.Labels {
				if i < len(s.Values) {
					parts = append(parts, l+" : "+num(s.Values[i]))
				}
			}
			p.f.MultiCell(0, lineH, p.tr(s.Name+" – "+strings.Join(parts, ", ")), "", "L", false)
		}
	}
}

func (p *printer) fields(fs []document.Field) {
	for _, f := range fs {
		p.f.SetFont(fontFam, "B", bodyPt)
		p.f.CellFormat(50, lineH, p.tr(f.Label), "", 0, "L", false, 0, "")
		p.f.SetFont(fontFam, "", bodyPt)
		p.f.MultiCell(0, lineH, p.tr(f.Value), "", "L", false)
	}
}
