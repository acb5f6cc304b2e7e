package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"copilote/internal/config"
	"copilote/internal/document"
	"copilote/internal/pdf/pdftext"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
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
		`<a href="/ctg/1/indicators/S11b?year=2024">7<span class="visually-hidden"> : enregistrements de S11b`, `en bonne voie`, `aria-labelledby="chart-fonction-1-1-1-t"`,
		`<td class="num">4,50</td>`, `<td class="num">48 000 €</td>`} {
		if !strings.Contains(html, want) {
			t.Errorf("document lacks %s", want)
		}
	}
}

// A post's fiche de poste, as a page and as a PDF with the same words:
// Tableau 1 and the functions delegated to the post.
func TestJobDescription(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		officer := login(t, s)
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		u := s.URL + ctgURL(s.mine.ID) + "/posts/" + strconv.FormatInt(posts[0].ID, 10) + "/fiche"
		code, page, _ := get(t, officer, u)
		wants := []string{"Fiche de poste", "Agnès Agent", "CC du Diois", "0,8 ETP", "Fonctions et thématiques déléguées",
			"1.1 ", "1.2 ", "Définition de l'emploi", "Savoirs", "Cadre d'emploi"}
		for _, want := range wants {
			if code != 200 || !strings.Contains(page, template.HTMLEscapeString(want)) {
				t.Errorf("fiche de poste page (%d) lacks %q", code, want)
			}
		}
		if strings.Contains(page, `id="fonction-2.1"`) || !strings.Contains(page, `id="fonction-1.2"`) {
			t.Errorf("the page lists a function the post was not delegated")
		}
		res, err := officer.Get(u + "?format=pdf")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		text := pdftext.Text(t, b)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("fiche de poste PDF lacks %q", want)
			}
		}
		// the version sent to candidates names no holder
		if !strings.Contains(page, `href="`+strings.TrimPrefix(u, s.URL)+`?recrutement=1"`) {
			t.Errorf("the fiche offers no recruitment version")
		}
		code, typ, b := fetch(t, officer, u+"?recrutement=1&format=pdf")
		if text := pdftext.Text(t, b); code != 200 || typ != "application/pdf" || strings.Contains(text, "Agnès Agent") ||
			!strings.Contains(text, "Poste à pourvoir – CTG du Diois") {
			t.Errorf("recruitment PDF (%d %s) names the holder or lacks its subtitle", code, typ)
		}
	})
}

// sendDocument, which every report's handler may call, offers a PDF, and
// a workbook when the document has tables, and answers each.
func TestSendDocumentOffersItsFormats(t *testing.T) {
	var srv *Server
	newSiteWith(t, storetest.Open(t, store.SQLite), config.Default(), func(x *Server) { srv = x })
	d := document.Document{Kind: "essai", Title: "Évaluation d'essai", Sections: []document.Section{{ID: "a", Title: "Chiffres",
		Blocks: []document.Block{{Figures: []document.Figure{{Code: "S11b", Label: "Expertises", Value: "7"}}}}}}}
	for _, c := range []struct{ query, typ, body string }{
		{"", "text/html; charset=utf-8", `?format=xlsx" download>Télécharger en Excel`},
		{"?format=pdf", "application/pdf", "%PDF"},
		{"?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
	} {
		w := httptest.NewRecorder()
		if err := srv.sendDocument(w, httptest.NewRequest("GET", "/essai"+c.query, nil), d); err != nil {
			t.Fatal(err)
		}
		if w.Code != 200 || w.Header().Get("Content-Type") != c.typ || !strings.Contains(w.Body.String(), c.body) {
			t.Errorf("%q: %d %s", c.query, w.Code, w.Header().Get("Content-Type"))
		}
	}
}
