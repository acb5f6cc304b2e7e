package pdf

import "strings"

// contents prints the table of contents: each section's title, dot
// leaders and the page it starts on (known from the first pass), each
// line a link to its section.
func (p *printer) contents() {
	p.gap(3)
	p.need(7 + 3*lineH)
	p.font("B", 14, petrol)
	p.f.SetX(left)
	p.f.CellFormat(width, 7, "Sommaire", "", 1, "L", false, 0, "")
	p.gap(1.5)
	const numW = 12.0
	for _, e := range p.doc.Outline() {
		indent, style := 0.0, "B"
		if e.Depth > 0 {
			indent, style = 6, ""
		}
		p.font(style, bodyPt, ink)
		tw := width - indent - numW - 4
		lines := p.wrap(e.Title, tw)
		h := float64(len(lines)) * lineH
		p.need(h)
		y := p.f.GetY()
		for i, l := range lines {
			p.f.SetXY(left+indent, y+float64(i)*lineH)
			p.f.CellFormat(tw, lineH, p.text(l), "", 0, "L", false, 0, "")
		}
		x := left + indent + p.width(lines[len(lines)-1]) + 1.5
		end := pageW - right - numW - 1
		p.font("", bodyPt, muted)
		if n := int((end - x) / p.width(" .")); n > 0 {
			dots := strings.Repeat(" .", n)
			p.f.SetXY(end-p.width(dots), y+h-lineH)
			p.f.CellFormat(p.width(dots), lineH, dots, "", 0, "L", false, 0, "")
		}
		page := ""
		if n := p.known[e.ID]; n > 0 {
			page = itoa(n)
		}
		p.font(style, bodyPt, ink)
		p.f.SetXY(pageW-right-numW, y+h-lineH)
		p.f.CellFormat(numW, lineH, page, "", 0, "R", false, 0, "")
		link := p.f.AddLink()
		p.links[e.ID] = link
		p.f.Link(left, y, width, h, link)
		p.f.SetXY(left, y+h+0.8)
	}
	p.gap(4)
}
