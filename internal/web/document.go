package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/document"
	"copilote/internal/pdf"
)

// The web rendering of a document.Document: the "document" template of
// document.html, shared by every page that shows a report, with its
// charts drawn by package chart. The PDF and the workbook render the same
// value elsewhere.

// docBlockView is a block with an id unique in its page (its section's
// and its rank), which its chart's SVG names its title by.
type docBlockView struct {
	ID string
	document.Block
}

func docBlock(section string, i int, b document.Block) docBlockView {
	return docBlockView{ID: section + "-" + strconv.Itoa(i), Block: b}
}

// docChart draws a document's chart as inline SVG.
func docChart(id string, c *document.Chart) template.HTML {
	id = "chart-" + id
	if c.Kind == "bars" && len(c.Series) == 1 {
		bars := make([]chart.Bar, len(c.Labels))
		for i, l := range c.Labels {
			bars[i] = chart.Bar{Label: l, Value: at(c.Series[0].Values, i)}
		}
		return chart.HBars(id, c.Title, bars, c.Unit)
	}
	series := make([]chart.Series, len(c.Series))
	for i, s := range c.Series {
		series[i] = chart.Series{Name: s.Name, Values: s.Values}
	}
	return chart.Columns(id, c.Title, c.Labels, series)
}

func at(vs []float64, i int) float64 {
	if i < len(vs) {
		return vs[i]
	}
	return 0
}

// docNumber is a figure of a chart's table, written the French way.
func docNumber(vs []float64, i int) string { return chart.Num(at(vs, i)) }

// docNumeric tells whether column i of t holds figures.
func docNumeric(t *document.Table, i int) bool { return i < len(t.Numeric) && t.Numeric[i] }

// documentView is the page of one report.
type documentView struct {
	Doc document.Document
	// Formats are the other renderings offered, e.g. "pdf".
	Formats []string
}

// FormatURL is the request's own address asking for format.
func (v documentView) FormatURL(r *http.Request, format string) string {
	q := r.URL.Query()
	q.Set("format", format)
	return r.URL.Path + "?" + q.Encode()
}

// sendDocument answers a report as a page, or as a PDF when ?format=pdf:
// one value, two renderings.
func (s *Server) sendDocument(w http.ResponseWriter, r *http.Request, doc document.Document, crumbs ...crumb) error {
	if r.URL.Query().Get("format") == "pdf" {
		var b bytes.Buffer
		if err := pdf.Write(&b, doc); err != nil {
			return apperr.Wrap(err, "pdf "+doc.Kind)
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+doc.Kind+"-"+civil.Today().String()+`.pdf"`)
		_, err := w.Write(b.Bytes())
		return err
	}
	s.render(w, r, http.StatusOK, "document", doc.Title, documentView{Doc: doc, Formats: []string{"pdf"}}, crumbs...)
	return nil
}
