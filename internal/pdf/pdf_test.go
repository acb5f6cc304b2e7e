package pdf

import (
	"bytes"
	"strings"
	"testing"

	"copilote/internal/document"
	"copilote/internal/pdf/pdftext"
)

// The PDF holds the document's French text, accents included, and its
// figures with their values.
func TestWritePrintsTheDocument(t *testing.T) {
	d := document.Document{Kind: "fiche_poste", Title: "Fiche de poste – Élodie Charvet",
		Meta: []document.Field{{Label: "Employeur", Value: "Communauté de communes du Diois"}},
		Sections: []document.Section{{ID: "missions", Title: "Définition de l'emploi", Blocks: []document.Block{
			{Text: "Développer la coopération entre acteurs « petite enfance » ; coût indicatif 48 000 € par ETP, œuvre commune."},
			{Figures: []document.Figure{{Code: "S11b", Label: "Expertises mobilisées", Value: "7", Target: "8"}}},
		}}}}
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatal(err)
	}
	text := pdftext.Text(t, b.Bytes())
	for _, want := range []string{"Fiche de poste – Élodie Charvet", "Communauté de communes du Diois",
		"« petite enfance »", "48 000 € par ETP, œuvre commune", "S11b Expertises mobilisées : 7 (cible 8)", "page 1 / 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}
