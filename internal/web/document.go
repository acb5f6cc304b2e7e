package web

import (
	"html/template"
	"strconv"

	"copilote/internal/chart"
	"copilote/internal/document"
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
