package chart

import (
	"encoding/xml"
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
