package sheet

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

func TestReadCSVEncodingsAndSeparators(t *testing.T) {
	latin, _ := charmap.Windows1252.NewEncoder().Bytes([]byte("Nom;Rôle\r\nCrèche « Les Lutins »;Animation\r\n"))
	cases := []struct {
		name, enc, sep, cell string
		data                 []byte
	}{
		{"windows-1252", "Windows-1252", "point-virgule", "Crèche « Les Lutins »", latin},
		{"utf-8 with BOM, commas", "UTF-8", "virgule", "Crèche, Les Lutins", []byte("\ufeffNom,Rôle\n\"Crèche, Les Lutins\",Animation\n")},
		{"tabs", "UTF-8", "tabulation", "Crèche; Les Lutins", []byte("Nom\tRôle\n\nCrèche; Les Lutins\tAnimation\n")},
	}
	for _, c := range cases {
		tb, err := ReadCSV(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if tb.Encoding != c.enc || tb.Separator != c.sep || tb.Header[1] != "Rôle" || tb.Rows[0].Cells[0] != c.cell {
			t.Errorf("%s: %+v", c.name, tb)
		}
	}
	tb, _ := ReadCSV([]byte("a;b\n\n\nx;y\n"))
	if tb.Rows[0].Line != 4 {
		t.Errorf("line of a row after blank lines: %d", tb.Rows[0].Line)
	}
}

func TestFrenchValues(t *testing.T) {
	for in, want := range map[string]string{"15/03/2025": "2025-03-15", "5/3/25": "2025-03-05", "2025-03-15": "2025-03-15",
		"15.03.2025": "2025-03-15", "45731": "2025-03-15"} {
		if d, ok := Date(in); !ok || d.String() != want {
			t.Errorf("Date(%q) = %v %v", in, d, ok)
		}
	}
	for _, bad := range []string{"31/02/2024", "15/13/2024", "mars 2024", "1/1/1999", ""} {
		if _, ok := Date(bad); ok {
			t.Errorf("Date(%q) accepted", bad)
		}
	}
	for in, want := range map[string]float64{"12 500,50": 12500.5, "0,8": 0.8, "1.234,5": 1234.5, "1,234.5": 1234.5, "48 000 €": 48000} {
		if v, ok := Number(in); !ok || v != want {
			t.Errorf("Number(%q) = %v %v", in, v, ok)
		}
	}
	for _, bad := range []string{"NaN", "inf", "1e400", "douze"} {
		if _, ok := Number(bad); ok {
			t.Errorf("Number(%q) accepted", bad)
		}
	}
	if ColumnName(0) != "A" || ColumnName(25) != "Z" || ColumnName(26) != "AA" {
		t.Errorf("column names: %s %s %s", ColumnName(0), ColumnName(25), ColumnName(26))
	}
}

func seedWorkbook(tb testing.TB) []byte {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Date", "Intitulé"})
	f.SetSheetRow("Sheet1", "A3", &[]any{45366, "Copil"})
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestReadXLSX(t *testing.T) {
	tb, err := Read("journal.XLSX", seedWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	if tb.Header[1] != "Intitulé" || tb.Rows[0].Line != 3 || tb.Rows[0].Cells[0] != "45366" {
		t.Errorf("workbook: %+v", tb)
	}
	if _, err := Read("a.xlsx", []byte("PK\x03\x04 not a zip")); err == nil {
		t.Error("a broken workbook was read")
	}
}

// checkTable holds for whatever a reader returns.
func checkTable(t *testing.T, tb *Table, err error) {
	if err != nil {
		return
	}
	if tb.Header == nil || len(tb.Rows) == 0 || len(tb.Rows) > MaxRows || len(tb.Header) > MaxColumns {
		t.Fatalf("table out of bounds: %d columns, %d rows", len(tb.Header), len(tb.Rows))
	}
	last := 0
	for _, r := range tb.Rows {
		if r.Line <= last {
			t.Fatalf("lines out of order: %d after %d", r.Line, last)
		}
		last = r.Line
	}
}

// FuzzReadCSV: any bytes read as CSV give a bounded table or a French
// error, never a panic.
func FuzzReadCSV(f *testing.F) {
	latin, _ := charmap.Windows1252.NewEncoder().Bytes([]byte("Date;Intitulé\r\n15/03/2024;Réunion « Copil »\r\n"))
	for _, s := range [][]byte{latin, []byte("\ufeffa,b\n1,\"2\n3\"\n"), []byte("a\tb\n\"x\ty"), []byte("\"\"\"\n;;\n")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		tb, err := ReadCSV(in)
		checkTable(t, tb, err)
	})
}

// FuzzReadXLSX: any bytes read as a workbook, never a panic.
func FuzzReadXLSX(f *testing.F) {
	f.Add(seedWorkbook(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, in []byte) {
		tb, err := ReadXLSX(in)
		checkTable(t, tb, err)
	})
}
