// Package paper prints a survey wave's paper questionnaire, for people
// without internet: one A4 page with the statements and their boxes from 1
// to 5, room for a comment, and the wave's public link with its QR code,
// made inside the binary (go-pdf/fpdf, skip2/go-qrcode: pure Go). The
// answers come back on paper and an officer types them in, marked as such.
package paper

import (
	"bytes"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/survey"
)

// Questionnaire is what the page prints.
type Questionnaire struct {
	CTGName   string
	Audience  string
	KindLabel string // the wave kind as the Caf's list names it
	Opens     civil.Date
	Closes    civil.Date
	Link      string // the wave's public link
	Items     []survey.Item
	Extra     []survey.Question // the Caf's own questions, asked after
}

// QR is the PNG of a QR code holding link, size pixels wide, with the
// medium error correction a printed and folded sheet needs.
func QR(link string, size int) ([]byte, error) {
	return qrcode.Encode(link, qrcode.Medium, size)
}

const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	font         = "Helvetica"
	textW        = 125.0 // the statements' column; five boxes share the rest
	boxCol       = (pageW - 2*margin - textW) / 5
	box          = 5.0
	line         = 4.6
	qrSide       = 34.0
)

// Write prints q on one page: the comment box takes the room left, so
// that up to survey.MaxQuestions questions of the Caf still fit.
func Write(w io.Writer, q Questionnaire) error {
	png, err := QR(q.Link, 512)
	if err != nil {
		return fmt.Errorf("paper: QR code: %w", err)
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, margin)
	tr := f.UnicodeTranslatorFromDescriptor("cp1252")
	f.SetTitle(msg.Text(msg.SurveyTitle), true)
	f.SetCreator("Copilote", true)
	f.AddPage()
	p := &page{f: f, tr: tr}
	p.head(q)
	p.statements(msg.Text(msg.SurveyStatement), texts(q.Items, nil))
	if len(q.Extra) > 0 {
		f.Ln(2)
		p.statements(msg.Text(msg.SurveyCafQuestions), texts(nil, q.Extra))
	}
	f.SetFont(font, "I", 8)
	f.MultiCell(0, 4, tr(msg.Text(msg.SurveyScale)), "", "L", false)
	p.comment()
	if bottom := p.foot(q.Link, png); bottom > pageH-margin/2 {
		return fmt.Errorf("paper: the questionnaire runs %.0f mm past its page", bottom-pageH+margin/2)
	}
	return f.Output(w)
}

func texts(items []survey.Item, extra []survey.Question) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Text)
	}
	for _, q := range extra {
		out = append(out, q.Text)
	}
	return out
}

type page struct {
	f  *fpdf.Fpdf
	tr func(string) string
}

func (p *page) head(q Questionnaire) {
	f, tr := p.f, p.tr
	f.SetFont(font, "B", 14)
	f.MultiCell(0, 7, tr(msg.Text(msg.SurveyTitle)), "", "L", false)
	audience := msg.SurveyForResidents
	if q.Audience == survey.Partners {
		audience = msg.SurveyForPartners
	}
	f.SetFont(font, "B", 12)
	f.MultiCell(0, 6, tr(msg.Text(audience)), "", "L", false)
	f.SetFont(font, "", 10)
	f.MultiCell(0, 5, tr(msg.Text(msg.SurveyDates, q.CTGName, q.KindLabel, q.Opens.French(), q.Closes.French())), "", "L", false)
	f.Ln(2)
	f.SetFont(font, "", 9.5)
	f.MultiCell(0, line, tr(msg.Text(msg.SurveyIntro)), "", "L", false)
	f.Ln(3)
}

// statements prints a table: the heading row, then each statement with
// its five boxes, centred on its lines.
func (p *page) statements(heading string, lines []string) {
	f, tr := p.f, p.tr
	f.SetFont(font, "B", 9.5)
	f.SetFillColor(230, 236, 238)
	f.CellFormat(textW, 6, tr(heading), "B", 0, "L", true, 0, "")
	for s := 1; s <= 5; s++ {
		f.CellFormat(boxCol, 6, fmt.Sprint(s), "B", 0, "C", true, 0, "")
	}
	f.Ln(-1)
	f.SetFont(font, "", 9.5)
	for _, text := range lines {
		split := f.SplitLines([]byte(tr(text)), textW-2)
		h := float64(len(split))*line + 3
		x, y := f.GetX(), f.GetY()
		for i, l := range split {
			f.SetXY(x+1, y+1.5+float64(i)*line)
			f.CellFormat(textW-2, line, string(l), "", 0, "L", false, 0, "")
		}
		for s := range 5 {
			bx := x + textW + float64(s)*boxCol + (boxCol-box)/2
			f.Rect(bx, y+(h-box)/2, box, box, "D")
		}
		f.Line(x, y+h, x+pageW-2*margin, y+h)
		f.SetXY(x, y+h)
	}
	f.Ln(1)
}

// comment draws the comment box over the room the foot leaves.
func (p *page) comment() {
	f, tr := p.f, p.tr
	f.Ln(2)
	f.SetFont(font, "B", 10)
	f.CellFormat(0, 6, tr(msg.Text(msg.SurveyComment)), "", 1, "L", false, 0, "")
	y := f.GetY()
	h := pageH - margin - qrSide - 6 - y
	if h < 15 {
		h = 15
	}
	f.Rect(margin, y, pageW-2*margin, h, "D")
	f.SetY(y + h + 4)
}

// foot prints the QR code and the link beside it, and says where the
// page's content ends.
func (p *page) foot(link string, png []byte) float64 {
	f, tr := p.f, p.tr
	y := f.GetY()
	f.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	f.ImageOptions("qr", margin, y, qrSide, qrSide, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	x := margin + qrSide + 5
	f.SetXY(x, y+3)
	f.SetFont(font, "", 10)
	f.MultiCell(pageW-margin-x, 5, tr(msg.Text(msg.SurveyOnline)), "", "L", false)
	f.SetX(x)
	f.SetFont(font, "B", 11)
	f.MultiCell(pageW-margin-x, 6, tr(link), "", "L", false)
	f.SetX(x)
	f.Ln(2)
	f.SetX(x)
	f.SetFont(font, "", 9.5)
	f.MultiCell(pageW-margin-x, 5, tr(msg.Text(msg.SurveyReturn)), "", "L", false)
	return max(f.GetY(), y+qrSide)
}
