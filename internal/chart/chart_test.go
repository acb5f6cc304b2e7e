package chart

import (
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() == "EOF" {
				return
			}
			t.Fatalf("SVG not well-formed: %v\n%s", err, svg)
		}
	}
}

func TestHBars(t *testing.T) {
	svg := string(HBars("c1", "Alertes par nature", []Bar{{"Retard", 4}, {"Financement & <budget>", 2}}, ""))
	wellFormed(t, svg)
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-t"`, `<title id="c1-t">Alertes par nature</title>`,
		"Financement &amp; &lt;budget&gt;", ">4</text>", ">2</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestColumns(t *testing.T) {
	svg := string(Columns("c2", "Tendance", []string{"2023", "2024"}, []Series{{"S11b", []float64{3, 5}}, {"S12b", []float64{1, 0}}}))
	wellFormed(t, svg)
	if strings.Count(svg, "<rect") != 6 || !strings.Contains(svg, ">2024</text>") || !strings.Contains(svg, ">S12b</text>") {
		t.Errorf("unexpected SVG: %s", svg)
	}
	if Num(0.35) != "0,35" || Num(12) != "12" {
		t.Errorf("Num: %s %s", Num(0.35), Num(12))
	}
}

func TestColumnsPartialMarksTheCurrentYear(t *testing.T) {
	svg := string(ColumnsPartial("c3", "Tendance", []string{"2025", "2026"}, []Series{{"S11b", []float64{3, 5}}}, 1))
	wellFormed(t, svg)
	if strings.Count(svg, `fill-opacity="0.35"`) != 1 || !strings.Contains(svg, ">2026*</text>") ||
		!strings.Contains(svg, "* 2026 : année en cours, incomplète") {
		t.Errorf("current year not marked: %s", svg)
	}
	if svg := string(Columns("c4", "T", []string{"2025"}, []Series{{"S", []float64{1}}})); strings.Contains(svg, "*") {
		t.Errorf("Columns marks a year: %s", svg)
	}
}

func TestSmallMultiple(t *testing.T) {
	dist := []Point{{"CTG B", 2, "en_retard"}, {"CTG A & co", 7, "atteint"}, {"CTG C", 0, ""}}
	svg := string(SmallMultiple("sm-S12b", "S12b – Alertes", dist, []string{"2025", "2026"}, []float64{4, math.NaN()}, 1))
	wellFormed(t, svg)
	for _, want := range []string{`aria-labelledby="sm-S12b-t"`, "Répartition", "Par année", "max 7 · min 0", ">2026*</text>",
		`fill="#1e6b34"`, `fill="#b3400a"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("small multiple lacks %q", want)
		}
	}
	// highest first: the green bar (7) before the orange one (2)
	if strings.Index(svg, `fill="#1e6b34"`) > strings.Index(svg, `fill="#b3400a"`) {
		t.Errorf("distribution not sorted")
	}
	// a year without value has no bar: 3 distribution bars and 1 year bar
	if n := strings.Count(svg, "<rect"); n != 4 {
		t.Errorf("%d bars, want 4 (one per unit, one per year with a value)", n)
	}
	if svg := string(SmallMultiple("x", "t", nil, []string{"2025"}, []float64{math.NaN()}, -1)); !strings.Contains(svg, "aucune valeur") ||
		!strings.Contains(svg, "non disponible par année") {
		t.Errorf("empty small multiple: %s", svg)
	}
}
