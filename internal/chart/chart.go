// Package chart draws the dashboards' charts as inline SVG on the server:
// no script, readable in print (black text, patterns not needed since every
// bar carries its value), and always paired by the page with a table of the
// same values for screen readers.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Bar is one labelled value.
type Bar struct {
	Label string
	Value float64
}

// Series is a set of bars sharing a colour, for grouped bars (one series
// per indicator, one group per year).
type Series struct {
	Name   string
	Values []float64
}

const (
	barHeight = 22
	gap       = 8
	labelW    = 190
	width     = 640
)

// palette has three colours distinct in hue and lightness, each ≥ 3:1
// against white (WCAG 1.4.11 for graphical objects).
var palette = []string{"#0b5563", "#b3400a", "#5b4a9b", "#1e6b34"}

// HBars draws horizontal bars, one per item, with the value at the end of
// each bar. id must be unique in the page: the SVG points its accessible
// name at the caption the page prints.
func HBars(id, title string, bars []Bar, unit string) template.HTML {
	max := 0.0
	for _, b := range bars {
		max = math.Max(max, b.Value)
	}
	h := len(bars)*(barHeight+gap) + gap
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t" class="chart">`,
		width, h, id)
	fmt.Fprintf(&sb, `<title id="%s-t">%s</title>`, id, esc(title))
	for i, b := range bars {
		y := gap + i*(barHeight+gap)
		w := 0.0
		if max > 0 {
			w = (b.Value / max) * float64(width-labelW-70)
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="13" fill="#1c2529">%s</text>`, labelW-8, y+16, esc(clip(b.Label, 28)))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, labelW, y, w, barHeight, palette[0])
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="13" fill="#1c2529">%s%s</text>`, float64(labelW)+w+6, y+16, Num(b.Value), unit)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// Columns draws grouped vertical bars: one group per label (a year), one
// bar per series (an indicator), with a legend.
func Columns(id, title string, labels []string, series []Series) template.HTML {
	return ColumnsPartial(id, title, labels, series, -1)
}

// ColumnsPartial is Columns with the group at index partial drawn as not
// yet complete (the current year): pale bars with a dashed outline, its
// label starred, and the legend saying what the star means. A partial
// outside the labels marks nothing.
func ColumnsPartial(id, title string, labels []string, series []Series, partial int) template.HTML {
	max := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			max = math.Max(max, v)
		}
	}
	const h, top, bottom, left = 260, 20, 40, 40
	plotH := float64(h - top - bottom)
	groupW := float64(width-left-10) / float64(max1(len(labels)))
	barW := (groupW - 16) / float64(max1(len(series)))
	legendH := 20 * len(series)
	marked := partial >= 0 && partial < len(labels)
	if marked {
		legendH += 20
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t" class="chart">`,
		width, h+legendH, id)
	fmt.Fprintf(&sb, `<title id="%s-t">%s</title>`, id, esc(title))
	fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#4f5d63"/>`, left, h-bottom, width-10, h-bottom)
	for gi, l := range labels {
		gx := float64(left) + float64(gi)*groupW + 8
		for si, s := range series {
			v := 0.0
			if gi < len(s.Values) {
				v = s.Values[gi]
			}
			bh := 0.0
			if max > 0 {
				bh = v / max * plotH
			}
			x := gx + float64(si)*barW
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"%s/>`, x, float64(h-bottom)-bh, barW-2, bh,
				palette[si%len(palette)], partialStyle(gi == partial, palette[si%len(palette)]))
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#1c2529">%s</text>`, x+barW/2-1, float64(h-bottom)-bh-4, Num(v))
		}
		if gi == partial {
			l += "*"
		}
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="13" text-anchor="middle" fill="#1c2529">%s</text>`, gx+groupW/2-8, h-bottom+18, esc(l))
	}
	for si, s := range series {
		y := h + si*20
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="14" height="14" fill="%s"/>`, left, y, palette[si%len(palette)])
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13" fill="#1c2529">%s</text>`, left+20, y+12, esc(s.Name))
	}
	if marked {
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13" fill="#1c2529">%s</text>`, left, h+len(series)*20+12,
			esc("* "+labels[partial]+" : année en cours, incomplète (barres claires)"))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// Num writes a figure the French way: no decimals for counts, a comma for
// scores.
func Num(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 2, 64), ".", ",", 1)
}

func esc(s string) string { return html.EscapeString(s) }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
