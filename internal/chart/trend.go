package chart

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// TrendPoint is one year of a measure: its value when known, and whether
// it is partial (a sum that misses some of its parts).
type TrendPoint struct {
	Label   string
	Value   float64
	Known   bool
	Partial bool
}

// Trend draws a measure's evolution by year as columns, each with its
// value; a year without a value says "n.d." instead of a bar. The column
// at index baseline (the value at signature) takes the second colour and
// the legend names it; partial years are pale and starred. id must be
// unique in the page.
func Trend(id, title string, points []TrendPoint, baseline int, baselineLabel string) template.HTML {
	max := 0.0
	partial := false
	for _, p := range points {
		if p.Known {
			max = math.Max(max, p.Value)
		}
		partial = partial || p.Partial
	}
	const h, top, bottom, left = 200, 20, 40, 10
	legend := 0
	if baseline >= 0 && baseline < len(points) {
		legend += 20
	}
	if partial {
		legend += 20
	}
	plotH := float64(h - top - bottom)
	stride := float64(width-left-10) / float64(max1(len(points)))
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t" class="chart">`,
		width, h+legend, id)
	fmt.Fprintf(&sb, `<title id="%s-t">%s</title>`, id, esc(title))
	fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#4f5d63"/>`, left, h-bottom, width-10, h-bottom)
	for i, p := range points {
		x := float64(left) + float64(i)*stride + stride*0.2
		w := stride * 0.6
		label := p.Label
		if p.Partial {
			label += "*"
		}
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="13" text-anchor="middle" fill="#1c2529">%s</text>`, x+w/2, h-bottom+18, esc(label))
		if !p.Known {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="#1c2529">n.d.</text>`, x+w/2, h-bottom-6)
			continue
		}
		bh := 0.0
		if max > 0 {
			bh = math.Max(0, p.Value) / max * plotH
		}
		colour := palette[0]
		if i == baseline {
			colour = palette[1]
		}
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"%s/>`, x, float64(h-bottom)-bh, w, bh, colour,
			partialStyle(p.Partial, colour))
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle" fill="#1c2529">%s</text>`, x+w/2, float64(h-bottom)-bh-4, Thousands(p.Value))
	}
	y := h
	if baseline >= 0 && baseline < len(points) {
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="14" height="14" fill="%s"/>`, left, y, palette[1])
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13" fill="#1c2529">%s</text>`, left+20, y+12, esc(baselineLabel))
		y += 20
	}
	if partial {
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="13" fill="#1c2529">%s</text>`, left, y+12,
			esc("* somme partielle : des communes de la CTG n'ont pas de valeur cette année-là (absente ou masquée)"))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// Thousands writes a figure the French way with a narrow space between
// thousands and a decimal comma.
func Thousands(v float64) string {
	s := Num(v)
	whole, frac, _ := strings.Cut(s, ",")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}
