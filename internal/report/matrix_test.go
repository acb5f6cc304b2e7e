package report

import (
	"testing"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/nomenclature"
)

// Indicators counted by one list share its columns, every year has the
// same columns, a nature that does not concern an indicator is left
// empty and one it counts nothing of says 0.
func TestMatrixColumns(t *testing.T) {
	fig := func(code string, v float64, by map[string]float64) indicator.Figure {
		f := indicator.Count(code, v)
		f.By = by
		return f
	}
	years := []YearFigures{
		{2023, indicator.Result{Indicators: []indicator.Figure{fig("E11", 3, map[string]float64{"parentalite": 3}),
			fig("S12b", 1, map[string]float64{"retard": 1}), {Code: "E32"}}}},
		{2024, indicator.Result{Indicators: []indicator.Figure{fig("E11", 2, map[string]float64{"petite_enfance": 1, indicator.KeyUnset: 1}),
			fig("S12b", 0, nil), fig("E22", 4, map[string]float64{"parentalite": 4}), {Code: "E32"}}}},
	}
	c := ctg.CTG{Name: "CTG du Diois", Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2024-12-31")}
	d := Matrix(framework.Load(), MatrixInput{CTG: c, Years: years, Nom: nomenclature.Default})
	if len(d.Sections) != 2 {
		t.Fatalf("%d sections, one per year", len(d.Sections))
	}
	want := []string{"Code", "Indicateur", "Valeur", "Axe : Petite enfance", "Axe : Parentalité", "Axe : non renseigné", "Alerte : Retard"}
	for i, s := range d.Sections {
		tb := s.Blocks[0].Table
		if len(tb.Head) != len(want) {
			t.Fatalf("year %d: head %q, want %q", i, tb.Head, want)
		}
		for j := range want {
			if tb.Head[j] != want[j] {
				t.Errorf("year %d: column %d is %q, want %q", i, j, tb.Head[j], want[j])
			}
		}
	}
	rows := d.Sections[1].Blocks[0].Table.Rows
	cells := func(r int) []string {
		var out []string
		for _, c := range rows[r] {
			out = append(out, c.Text)
		}
		return out
	}
	for r, want := range [][]string{
		{"E11", "Décisions facilitées", "2", "1", "0", "1", ""},
		{"S12b", "Alertes au Copil", "0", "", "", "", "0"},
		{"E22", "Projets facilités", "4", "0", "4", "0", ""},
		{"E32", "Visibilité pour les partenaires", "non disponible", "", "", "", ""},
	} {
		got := cells(r)
		for j := range want {
			if j != 1 && got[j] != want[j] {
				t.Errorf("2024 row %d: %q, want %q", r, got, want)
				break
			}
		}
	}
}
