package opendata

import (
	"strings"
	"testing"
	"unicode/utf8"

	"copilote/internal/apperr"
)

func mustRead(t *testing.T, name string) *File {
	t.Helper()
	b, err := Sample(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(b)
	if err != nil {
		t.Fatalf("%s: %v", name, apperr.As(err).Message())
	}
	return f
}

func TestReadSamples(t *testing.T) {
	f := mustRead(t, "foyers_epci_2019-2024.csv")
	if f.Level != EPCI || f.Skipped != 2 || len(f.Rows) != 30 {
		t.Fatalf("epci file: level %s, %d skipped, %d rows", f.Level, f.Skipped, len(f.Rows))
	}
	if got := strings.Join(f.Measures, ","); got != "NB_Pers_par_Foyer_Alloc,NB_Enfants,NB_Allocataires" {
		t.Errorf("measures %s: DEPSEPCI is identity, the unknown NB_Allocataires is kept", got)
	}
	r := f.Rows[0]
	if r.Code != "242600534" || r.Name != "CC du Diois" || r.Year != 2019 || r.Cells[0] != (Cell{"5012", 5012, true}) {
		t.Errorf("first row %+v", r)
	}

	w := mustRead(t, "autres_epci_2023_windows1252.csv")
	if len(w.Rows) != 3 || w.Rows[0].Name != "CA Haut-Bugey Agglomération" {
		t.Fatalf("windows-1252 file: %+v", w.Rows)
	}
	if c := w.Rows[0].Cells; c[0].Value != 27114 || c[2].Value != 42.4 || !c[2].Known {
		t.Errorf("non-breaking spaces and decimal comma: %+v", c)
	}
	if c := w.Rows[2].Cells; c[0].Known || c[1].Known || c[1].Raw != "s" || c[2].Known {
		t.Errorf("blank and masked cells are kept unknown: %+v", c)
	}

	c := mustRead(t, "foyers_communes_2022-2024.csv")
	if c.Level != Commune || c.Skipped != 6 || len(c.Rows) != 18 || c.Rows[0].Code != "26001" || c.Rows[0].Year != 2022 {
		t.Fatalf("commune file: %s, %d skipped, %d rows, first %+v", c.Level, c.Skipped, len(c.Rows), c.Rows[0])
	}
}

func TestReadTolerates(t *testing.T) {
	for name, in := range map[string]string{
		"lower-case portal names":    "numepci;nomepci;annee;nb_enfants\n242600534;Diois;2023;12\n",
		"tab separated":              "NUMEPCI\tDTREF\tNB_Enfants\n242600534\t31/12/2023\t12\n",
		"SAS date, trailing ;":       "NUMEPCI;DTREF;NB_Enfants;\n242600534;31DEC2023;12;\n",
		"date with a time":           "NUMEPCI;DTREF;NB_Enfants\n242600534;2023-12-31T00:00:00;12\n",
		"short line":                 "NUMEPCI;DTREF;NB_Enfants;NB_Pers\n242600534;202312;12\n",
		"quoted cells, CRLF":         "\"NUMEPCI\";\"DTREF\";\"NB_Enfants\"\r\n\"242600534\";\"31/12/2023\";\"1 234,5\"\r\n",
		"commune without its 0":      "NUMCOM;DTREF;NB_Enfants\n1001;2023;7\n",
		"commune file naming a EPCI": "NUMEPCI;NUMCOM;DTREF;NB_Enfants\n242600534;26113;2023;7\n",
	} {
		f, err := Read([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, apperr.As(err).Message())
			continue
		}
		if len(f.Rows) != 1 || f.Rows[0].Year != 2023 {
			t.Errorf("%s: %+v", name, f.Rows)
		}
	}
	f, _ := Read([]byte("NUMEPCI;NUMCOM;DTREF;NB_Enfants\n242600534;1001;2023;7\n"))
	if f.Level != Commune || f.Rows[0].Code != "01001" {
		t.Errorf("commune code padded: %+v", f)
	}
}

func TestReadRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"":                                      "vide",
		"NOM;DTREF;X\na;2023;1\n":               "NUMEPCI",
		"NUMEPCI;X\n242600534;1\n":              "DTREF",
		"NUMEPCI;DTREF\n242600534;2023\n":       "aucune mesure",
		"NUMEPCI;DTREF;X;x\n":                   "deux fois",
		"NUMEPCI;DTREF;X\n242600534;13/2023;1":  "Ligne 2, colonne DTREF",
		"NUMEPCI;DTREF;X\n242600534;1999;1\n":   "entre 2000 et 2099",
		"NUMEPCI;DTREF;X\n242600534;2023;1;9\n": "Ligne 2 : 4 valeurs pour 3 colonnes",
		"NUMEPCI;DTREF;X\x00\n":                 "lisible",
	} {
		_, err := Read([]byte(in))
		if err == nil || !strings.Contains(apperr.As(err).Message(), want) {
			t.Errorf("%q: got %v, want a message with %q", in, err, want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{"1234": 1234, "1 234": 1234, "12,5": 12.5, "12.5": 12.5,
		"1.234,5": 1234.5, "1,234.5": 1234.5, "42,4 %": 42.4, "-3": -3, "1.234.567": 1234567} {
		if got, ok := parseNumber(in); !ok || got != want {
			t.Errorf("parseNumber(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "s", "nd", "NaN", "Inf", "1e9", "<5", "secret", "-"} {
		if _, ok := parseNumber(in); ok {
			t.Errorf("parseNumber(%q) should not be a number", in)
		}
	}
}

// FuzzRead: whatever the bytes, Read does not panic, and what it accepts
// keeps its promises: valid codes, years in the calendar, one cell per
// measure, finite numbers, texts within bounds. scripts/test.sh runs it
// for a bounded time.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"foyers_epci_2019-2024.csv", "autres_epci_2023_windows1252.csv", "foyers_communes_2022-2024.csv"} {
		b, err := Sample(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("numcom;annee;tx\n2A004;2023;12,5\n"))
	f.Add([]byte("\xff\xfeN\x00U\x00M\x00E\x00P\x00C\x00I\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(data)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Message() == "" {
				t.Fatalf("an unreadable file is the user's error, said in French: %v", err)
			}
			return
		}
		if len(file.Measures) == 0 || len(file.Measures) > MaxColumns {
			t.Fatalf("%d measures", len(file.Measures))
		}
		for _, m := range file.Measures {
			if m == "" || utf8.RuneCountInString(m) > MaxNameLen || !utf8.ValidString(m) {
				t.Fatalf("measure name %q", m)
			}
		}
		for _, r := range file.Rows {
			if _, ok := territoryCode(file.Level, r.Code); !ok || r.Year < MinYear || r.Year > MaxYear {
				t.Fatalf("row %+v", r)
			}
			if len(r.Cells) != len(file.Measures) || !utf8.ValidString(r.Name) {
				t.Fatalf("row %+v", r)
			}
			for _, c := range r.Cells {
				if utf8.RuneCountInString(c.Raw) > MaxCellLen || !utf8.ValidString(c.Raw) || (!c.Known && c.Value != 0) {
					t.Fatalf("cell %+v", c)
				}
			}
		}
	})
}
