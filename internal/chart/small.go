package chart

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
)

// Point is one unit of a distribution (a CTG, a Caf) with its value and
// the status of that value against its target ("atteint", "en_cours",
// "en_retard", or anything else for none).
type Point struct {
	Label  string
	Value  float64
	Status string
}

// StatusColours colour a distribution's bars by status; each is at least
// 3:1 against white (WCAG 1.4.11), and the page's table says the status
// in words beside the chart.
var StatusColours = map[string]string{
	"atteint":   "#1e6b34", // green
	"en_cours":  "#7a5c00", // ochre
	"en_retard": "#b3400a", // orange
}

func statusColour(s string) string {
	if c, ok := StatusColours[s]; ok {
		return c
	}
	return palette[0]
}

// Small-multiple geometry: two panels side by side in one viewBox.
const (
	smW, smH     = 320, 128
	panelW       = 146
	panelTop     = 16
	panelBottom  = 20
	trendLeft    = 174
	smallFont    = 11
	minBarStride = 1.0
)

// SmallMultiple draws one indicator as a small multiple: on the left the
// distribution of its value across units (one bar per unit, highest
// first, coloured by status), on the right its trend by year (the group at
// index partial drawn pale and starred: the current year, incomplete).
// Both panels start at zero; each names its highest value. A year whose
// value is not available is NaN in trend: no bar. id must be unique in
// the page.
func SmallMultiple(id, title string, dist []Point, years []string, trend []float64, partial int) template.HTML {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t" class="chart small-multiple">`,
		smW, smH, id)
	fmt.Fprintf(&sb, `<title id="%s-t">%s</title>`, id, esc(title))
	distribution(&sb, dist)
	trendPanel(&sb, years, trend, partial)
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func distribution(sb *strings.Builder, dist []Point) {
	pts := append([]Point(nil), dist...)
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Value > pts[j].Value })
	max := 0.0
	for _, p := range pts {
		max = math.Max(max, p.Value)
	}
	plotH := float64(smH - panelTop - panelBottom)
	base := float64(smH - panelBottom)
	fmt.Fprintf(sb, `<text x="0" y="11" font-size="%d" fill="#4f5d63">Répartition</text>`, smallFont)
	fmt.Fprintf(sb, `<line x1="0" y1="%.1f" x2="%d" y2="%.1f" stroke="#4f5d63"/>`, base, panelW, base)
	if len(pts) == 0 {
		fmt.Fprintf(sb, `<text x="0" y="%.1f" font-size="%d" fill="#1c2529">aucune valeur</text>`, base-8, smallFont)
		return
	}
	stride := math.Max(minBarStride, float64(panelW)/float64(len(pts)))
	w := math.Max(minBarStride, stride*0.8)
	if stride < 3 {
		w = stride
	}
	for i, p := range pts {
		bh := 0.0
		if max > 0 {
			bh = p.Value / max * plotH
		}
		fmt.Fprintf(sb, `<rect x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s"/>`, float64(i)*stride, base-bh, w, bh, statusColour(p.Status))
	}
	fmt.Fprintf(sb, `<text x="0" y="%.1f" font-size="%d" fill="#1c2529">max %s · min %s</text>`, base+14, smallFont,
		Num(pts[0].Value), Num(pts[len(pts)-1].Value))
}

func trendPanel(sb *strings.Builder, years []string, trend []float64, partial int) {
	max, some := 0.0, false
	for _, v := range trend {
		if !math.IsNaN(v) {
			max, some = math.Max(max, v), true
		}
	}
	plotH := float64(smH - panelTop - panelBottom - 10)
	base := float64(smH - panelBottom)
	width := float64(smW - trendLeft)
	fmt.Fprintf(sb, `<text x="%d" y="11" font-size="%d" fill="#4f5d63">Par année</text>`, trendLeft, smallFont)
	fmt.Fprintf(sb, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#4f5d63"/>`, trendLeft, base, smW, base)
	if len(years) == 0 {
		return
	}
	if !some {
		fmt.Fprintf(sb, `<text x="%d" y="%.1f" font-size="%d" fill="#1c2529">non disponible par année</text>`, trendLeft, base-8, smallFont)
	}
	stride := width / float64(len(years))
	for i, y := range years {
		v := math.NaN()
		if i < len(trend) {
			v = trend[i]
		}
		bh := 0.0
		if max > 0 && !math.IsNaN(v) {
			bh = v / max * plotH
		}
		x := float64(trendLeft) + float64(i)*stride + stride*0.15
		if !math.IsNaN(v) {
			fmt.Fprintf(sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"%s/>`, x, base-bh, stride*0.7, bh, palette[0],
				partialStyle(i == partial, palette[0]))
		}
		label := y
		if len(years) > 4 && len(label) == 4 {
			label = "’" + label[2:]
		}
		if i == partial {
			label += "*"
		}
		fmt.Fprintf(sb, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="middle" fill="#1c2529">%s</text>`, x+stride*0.35, base+13, smallFont, esc(label))
		if v == max && max > 0 {
			fmt.Fprintf(sb, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="middle" fill="#1c2529">%s</text>`, x+stride*0.35, base-bh-3, smallFont, Num(v))
		}
	}
}

// partialStyle draws a bar of an incomplete period pale, with a dashed
// outline of its colour.
func partialStyle(partial bool, colour string) string {
	if !partial {
		return ""
	}
	return fmt.Sprintf(` fill-opacity="0.35" stroke="%s" stroke-dasharray="3 2"`, colour)
}
