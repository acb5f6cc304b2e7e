package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"copilote/internal/document"
)

// A document's tables and figures become sheets, in reading order, their
// figures numbers; two tables of one caption get two sheets.
func TestWriteDocumentMakesOneSheetPerTable(t *testing.T) {
	table := &document.Table{Caption: "Fiches actions prioritaires en retard ou sans nouvelles depuis trois mois",
		Head: []string{"Code", "Avancement", "Budget"}, Numeric: []bool{false, true, true},
		Rows: [][]document.Cell{{{Text: "PE-1"}, {Text: "45 %"}, {Text: "48\u00a0000 €"}}, {{Text: "PA-2"}, {Text: "—"}, {Text: ""}}}}
	d := document.Document{Kind: "pack_copil", Title: "Pack Copil", Sections: []document.Section{
		{ID: "chiffres", Title: "Chiffres depuis le dernier Copil", Blocks: []document.Block{
			{Text: "Du 12/03/2026 au 29/11/2026."},
			{Figures: []document.Figure{{Code: "S11b", Label: "Expertises", Value: "7", Target: "8", Status: "en_cours"},
				{Code: "E32", Label: "Visibilité", Value: "non disponible", Status: "non_disponible"}}}}},
		{ID: "fiches", Title: "Fiches", Blocks: []document.Block{{Table: table}, {Table: table}}},
	}}
	if n := Sheets(d); n != 3 {
		t.Fatalf("%d sheets, want 3", n)
	}
	var b bytes.Buffer
	if err := WriteDocument(&b, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	names := f.GetSheetList()
	want := []string{"Chiffres depuis le dernier Copi", "Fiches actions prioritaires en ", "Fiches actions prioritaires (2)"}
	if len(names) != 3 || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] {
		t.Fatalf("sheets %q, want %q", names, want)
	}
	cells := map[string]string{"A2": "S11b", "D2": "7", "E2": "8", "G2": "en bonne voie", "D3": "non disponible"}
	for cell, v := range cells {
		if got, _ := f.GetCellValue(names[0], cell); got != v {
			t.Errorf("%s!%s = %q, want %q", names[0], cell, got, v)
		}
	}
	if typ, _ := f.GetCellType(names[0], "D2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a figure's value is text, not a number")
	}
	for cell, v := range map[string]string{"B2": "45", "C2": "48000", "B3": "—", "C3": ""} {
		if got, _ := f.GetCellValue(names[2], cell, excelize.Options{RawCellValue: true}); got != v {
			t.Errorf("%s!%s = %q, want %q", names[2], cell, got, v)
		}
	}
}

func TestFrenchNumber(t *testing.T) {
	for s, want := range map[string]float64{"7": 7, "4,50": 4.5, "48\u00a0000 €": 48000, "1\u202f234,5": 1234.5, "45 %": 45, "-3": -3} {
		if v, ok := FrenchNumber(s); !ok || v != want {
			t.Errorf("FrenchNumber(%q) = %v, %v", s, v, ok)
		}
	}
	for _, s := range []string{"", "—", "non disponible", "%"} {
		if _, ok := FrenchNumber(s); ok {
			t.Errorf("FrenchNumber(%q) reads a number", s)
		}
	}
}
