package chart

import (
	"strings"
	"testing"
)

func TestTrend(t *testing.T) {
	svg := string(Trend("diag-0", "Enfants couverts", []TrendPoint{{Label: "2022", Value: 2069, Known: true},
		{Label: "2023", Value: 2034, Known: true, Partial: true}, {Label: "2024"}}, 1, "valeur à la signature (2023)"))
	for _, want := range []string{`aria-labelledby="diag-0-t"`, `<title id="diag-0-t">Enfants couverts</title>`, "2\u202f069",
		`fill="` + palette[1] + `" fill-opacity="0.35"`, ">2023*<", ">n.d.<", "valeur à la signature (2023)", "somme partielle"} {
		if !strings.Contains(svg, want) {
			t.Errorf("trend lacks %q:\n%s", want, svg)
		}
	}
	for in, want := range map[float64]string{0: "0", 999: "999", 1234: "1\u202f234", -1234567: "-1\u202f234\u202f567", 1234.5: "1\u202f234,50"} {
		if got := Thousands(in); got != want {
			t.Errorf("Thousands(%v) = %q, want %q", in, got, want)
		}
	}
}
