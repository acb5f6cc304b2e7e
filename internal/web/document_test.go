package web

import (
	"bytes"
	"strings"
	"testing"

	"copilote/internal/document"
)

// Every page can show a report: its table of contents, its figures with
// their links and statuses, its tables and its charts with their values.
func TestDocumentRendersAsHTML(t *testing.T) {
	pages, err := parsePages((&Server{assets: &assets{}}).funcs())
	if err != nil {
		t.Fatal(err)
	}
	d := document.Document{Kind: "evaluation_poste", Title: "Évaluation", Notices: []string{"Figée le 02/12/2026."},
		Meta: []document.Field{{Label: "Poste", Value: "Élodie Charvet"}},
		Sections: []document.Section{
			{ID: "fonction-1-1", Title: "1.1 Pilotage", Blocks: []document.Block{
				{Figures: []document.Figure{{Code: "S11b", Label: "Expertises mobilisées", Value: "7", Target: "8",
					Status: "en_cours", Link: "/ctg/1/indicators/S11b?year=2024"}}},
				{Chart: &document.Chart{Kind: "columns", Title: "S11b par année", Labels: []string{"2023", "2024"},
					Series: []document.Series{{Name: "S11b", Values: []float64{3, 4.5}}}}},
			}},
			{ID: "cout", Title: "Coût du poste", Blocks: []document.Block{{Table: &document.Table{Caption: "Coût par année",
				Head: []string{"Année", "Coût"}, Numeric: []bool{false, true}, Rows: [][]document.Cell{{{Text: "2024"}, {Text: "48 000 €"}}}}}}},
		}}
	var b bytes.Buffer
	if err := pages["home"].ExecuteTemplate(&b, "document", d); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`<a href="#fonction-1-1">1.1 Pilotage</a>`, `Figée le 02/12/2026.`, `<dd>Élodie Charvet</dd>`,
		`<a href="/ctg/1/indicators/S11b?year=2024">7</a>`, `en bonne voie`, `aria-labelledby="chart-fonction-1-1-1-t"`,
		`<td class="num">4,50</td>`, `<td class="num">48 000 €</td>`} {
		if !strings.Contains(html, want) {
			t.Errorf("document lacks %s", want)
		}
	}
}
