package opendata

import "testing"

func val(l Level, code, m string, year int, v float64, known bool) Value {
	return Value{Level: l, Code: code, Measure: m, Year: year, Value: v, Known: known}
}

func TestBuild(t *testing.T) {
	t.Run("baseline is the signature year's, or the last before", func(t *testing.T) {
		terr := Territory{EPCI: "242600534", SignatureYear: 2023}
		d := Build(terr, []Value{val(EPCI, "242600534", "NB_Enfants", 2021, 100, true),
			val(EPCI, "242600534", "NB_Enfants", 2022, 0, false), // masked: not the baseline
			val(EPCI, "242600534", "NB_Enfants", 2024, 90, true),
			val(EPCI, "200040459", "NB_Enfants", 2023, 5000, true)}) // another EPCI: left out
		s := d.Series[0]
		if len(d.Years) != 3 || s.Baseline.Year != 2021 || s.Latest.Year != 2024 || s.Change != -10 || s.ChangePct != -10 {
			t.Errorf("years %v, series %+v", d.Years, s)
		}
	})
	t.Run("no value at or before signature: no baseline", func(t *testing.T) {
		d := Build(Territory{EPCI: "242600534", SignatureYear: 2019}, []Value{val(EPCI, "242600534", "X", 2020, 1, true)})
		if s := d.Series[0]; s.Baseline != nil || s.HasChange || s.Latest.Year != 2020 {
			t.Errorf("series %+v", s)
		}
	})
	t.Run("communes: counts summed, partial when one is masked, rates not summed", func(t *testing.T) {
		terr := Territory{SignatureYear: 2023, Communes: []Place{{"26113", "Die"}, {"26012", "Arnayon"}}}
		d := Build(terr, []Value{val(Commune, "26113", "NB_Enfants", 2023, 842, true), val(Commune, "26012", "NB_Enfants", 2023, 0, false),
			val(Commune, "26113", "NB_Pers", 2023, 1975, true), val(Commune, "26012", "NB_Pers", 2023, 11, true),
			val(Commune, "26113", "TX_COUV", 2023, 41.5, true), val(Commune, "26198", "NB_Pers", 2023, 20000, true)})
		byName := map[string]Series{}
		for _, s := range d.Series {
			byName[s.Measure] = s
		}
		if p := byName["NB_Enfants"].Points[0]; p.Value != 842 || !p.Partial {
			t.Errorf("masked commune: %+v", p)
		}
		if p := byName["NB_Pers"].Points[0]; p.Value != 1986 || p.Partial {
			t.Errorf("sum of the CTG's communes only: %+v", p)
		}
		if s := byName["TX_COUV"]; s.Numeric || len(d.Details) != 3 || d.Details[2].Rows[0].Points[0].Value != 41.5 {
			t.Errorf("rate summed: %+v, details %+v", s, d.Details)
		}
	})
}
