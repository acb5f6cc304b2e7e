package pdf

import (
	"math"

	"copilote/internal/document"
)

// palette is the web charts' colours (package chart), then two more, each
// at least 3:1 against white.
var palette = []rgb{{11, 85, 99}, {179, 64, 10}, {91, 74, 155}, {30, 107, 52}, {138, 109, 0}, {79, 93, 99}}

// Chart geometry, in millimetres.
const (
	plotH   = 55.0 // columns: the plot's height
	axisW   = 12.0 // columns: the scale's labels
	chartPt = 8.0
)

// chart draws c with fpdf's lines and rectangles: horizontal bars carry
// their value at their end; grouped columns are followed by a legend and
// the table of their values.
func (p *printer) chart(c *document.Chart) {
	if len(c.Labels) == 0 || len(c.Series) == 0 {
		return
	}
	if c.Kind == "bars" && len(c.Series) == 1 {
		p.bars(c)
		return
	}
	p.columnChart(c)
}

// chartStart is the height a chart needs on the page it starts on.
func (p *printer) chartStart(c *document.Chart) float64 {
	h := p.chartTitleHeight(c)
	if c.Kind == "bars" && len(c.Series) == 1 { // whole, if it fits on a page
		return math.Min(h+sum(p.barLayout(c).rows), bottom-top)
	}
	return h + plotH + 14 + p.legendHeight(c)
}

func (p *printer) chartTitleHeight(c *document.Chart) float64 {
	p.font("B", bodyPt, ink)
	return float64(len(p.wrap(c.Title, width)))*lineH + 1.5
}

func (p *printer) chartTitle(c *document.Chart) {
	p.font("B", bodyPt, ink)
	for _, l := range p.wrap(c.Title, width) {
		p.f.SetX(left)
		p.f.CellFormat(width, lineH, p.text(l), "", 1, "L", false, 0, "")
	}
	p.gap(1.5)
}

// barLayout is where bars go: the labels' column, wrapped on two lines
// at most, the values' column, the bars' room and each row's height.
type barLayout struct {
	labelW, valueW, plotW, top float64
	labels                     [][]string
	rows                       []float64
}

func (p *printer) barLayout(c *document.Chart) barLayout {
	values := c.Series[0].Values
	var l barLayout
	p.font("", chartPt, ink)
	for i, label := range c.Labels {
		l.labelW = max(l.labelW, p.width(label))
		v := at(values, i)
		l.valueW = max(l.valueW, p.width(num(v)+c.Unit))
		l.top = max(l.top, v)
	}
	l.labelW = min(l.labelW+3, 62)
	l.plotW = width - l.labelW - l.valueW - 3
	for _, label := range c.Labels {
		lines := p.wrap(label, l.labelW-3)
		if len(lines) > 2 {
			lines = append(lines[:1], p.fit(lines[1]+" "+lines[2], l.labelW-3))
		}
		l.labels = append(l.labels, lines)
		l.rows = append(l.rows, math.Max(7, float64(len(lines))*3.6+2))
	}
	return l
}

// bars draws one horizontal bar per label, scaled to the largest value,
// the value written after it.
func (p *printer) bars(c *document.Chart) {
	p.need(p.chartStart(c))
	p.chartTitle(c)
	l := p.barLayout(c)
	for i, lines := range l.labels {
		rowH := l.rows[i]
		p.need(rowH)
		y := p.f.GetY()
		p.font("", chartPt, ink)
		for j, t := range lines {
			p.f.SetXY(left, y+(rowH-float64(len(lines))*3.6)/2+float64(j)*3.6)
			p.f.CellFormat(l.labelW-3, 3.6, p.text(t), "", 0, "R", false, 0, "")
		}
		v := at(c.Series[0].Values, i)
		w := 0.0
		if l.top > 0 && v > 0 {
			w = v / l.top * l.plotW
		}
		p.fill(palette[0])
		if w > 0 {
			p.f.Rect(left+l.labelW, y+1.2, w, rowH-2.4, "F")
		}
		p.stroke(muted, 0.2)
		p.f.Line(left+l.labelW, y, left+l.labelW, y+rowH)
		p.font("B", chartPt, ink)
		p.f.SetXY(left+l.labelW+w+1.5, y+(rowH-3.6)/2)
		p.f.CellFormat(l.valueW+1, 3.6, p.text(num(v)+c.Unit), "", 0, "L", false, 0, "")
		p.f.SetXY(left, y+rowH)
	}
}

// columnChart draws grouped columns over a scale of round steps, one
// group per label and one colour per series, then the legend, then the
// values as a table.
func (p *printer) columnChart(c *document.Chart) {
	p.need(p.chartStart(c))
	p.chartTitle(c)
	step, top := scale(c)
	y0 := p.f.GetY() + 2
	base := y0 + plotH
	plotX, plotW := left+axisW, width-axisW
	// the scale: round steps, light lines across
	p.font("", 7, muted)
	for v := 0.0; v <= top+step/2; v += step {
		y := base - v/top*plotH
		p.stroke(rule, 0.15)
		p.f.Line(plotX, y, plotX+plotW, y)
		p.f.SetXY(left, y-1.5)
		p.f.CellFormat(axisW-2, 3, p.text(num(v)), "", 0, "R", false, 0, "")
	}
	groupW := plotW / float64(len(c.Labels))
	colW := groupW * 0.78 / float64(len(c.Series))
	for i, l := range c.Labels {
		gx := plotX + float64(i)*groupW + groupW*0.11
		for s, ser := range c.Series {
			v := at(ser.Values, i)
			h := math.Max(0, v) / top * plotH
			x := gx + float64(s)*colW
			p.fill(palette[s%len(palette)])
			if h > 0 {
				p.f.Rect(x, base-h, colW*0.92, h, "F")
			}
			if colW >= 4.5 {
				p.font("", 6.5, ink)
				p.f.SetXY(x-1, base-h-3.2)
				p.f.CellFormat(colW*0.92+2, 3, p.text(num(v)), "", 0, "C", false, 0, "")
			}
		}
		p.font("", chartPt, ink)
		for j, t := range p.wrap(l, groupW-1) {
			if j == 2 {
				break
			}
			p.f.SetXY(plotX+float64(i)*groupW, base+1.5+float64(j)*3.4)
			p.f.CellFormat(groupW, 3.4, p.text(t), "", 0, "C", false, 0, "")
		}
	}
	p.stroke(muted, 0.3)
	p.f.Line(plotX, base, plotX+plotW, base)
	p.f.SetXY(left, base+9)
	p.legend(c)
	p.gap(2)
	p.table(valuesGrid(c))
}

// legend names each series beside a square of its colour, flowing on as
// many lines as needed.
func (p *printer) legend(c *document.Chart) {
	p.font("", chartPt, ink)
	x, y := left, p.f.GetY()
	for s, ser := range c.Series {
		w := 5 + p.width(p.fit(ser.Name, width-6)) + 6
		if x > left && x+w > left+width {
			x, y = left, y+4.5
		}
		p.fill(palette[s%len(palette)])
		p.f.Rect(x, y+0.6, 3, 3, "F")
		p.f.SetXY(x+4.5, y)
		p.f.CellFormat(w-5, 4.2, p.text(p.fit(ser.Name, width-6)), "", 0, "L", false, 0, "")
		x += w
	}
	p.f.SetXY(left, y+5)
}

func (p *printer) legendHeight(c *document.Chart) float64 {
	p.font("", chartPt, ink)
	x, lines := left, 1
	for _, ser := range c.Series {
		w := 5 + p.width(p.fit(ser.Name, width-6)) + 6
		if x > left && x+w > left+width {
			x, lines = left, lines+1
		}
		x += w
	}
	return float64(lines)*4.5 + 1
}

// valuesGrid is a chart's values as a table: one row per series, one
// column per label, as the web page prints them under the chart.
func valuesGrid(c *document.Chart) grid {
	if len(c.Labels) > 6 {
		return labelRows(c)
	}
	g := grid{caption: c.Title + " : valeurs", head: append([]string{""}, c.Labels...), strong: 0}
	g.numeric = make([]bool, len(g.head))
	for i := 1; i < len(g.head); i++ {
		g.numeric[i] = true
	}
	for _, s := range c.Series {
		row := []string{s.Name}
		for i := range c.Labels {
			row = append(row, num(at(s.Values, i)))
		}
		g.rows = append(g.rows, row)
	}
	return g
}

// labelRows is a chart's values with one row per label, one column per
// series: for charts of many labels, which would not fit across.
func labelRows(c *document.Chart) grid {
	g := grid{caption: c.Title + " : valeurs", head: []string{""}, strong: 0}
	g.numeric = []bool{false}
	for _, s := range c.Series {
		g.head = append(g.head, s.Name)
		g.numeric = append(g.numeric, true)
	}
	for i, l := range c.Labels {
		row := []string{l}
		for _, s := range c.Series {
			row = append(row, num(at(s.Values, i)))
		}
		g.rows = append(g.rows, row)
	}
	return g
}

// scale is a round step and the top of the scale (four steps or fewer)
// above the chart's largest value.
func scale(c *document.Chart) (step, top float64) {
	high := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			high = max(high, v)
		}
	}
	if high <= 0 {
		return 1, 4
	}
	raw := high / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if step = f * mag; step >= raw {
			break
		}
	}
	if high >= 1 && step < 1 {
		step = 1
	}
	return step, step * math.Ceil(high/step)
}

func at(vs []float64, i int) float64 {
	if i < len(vs) {
		return vs[i]
	}
	return 0
}
