package export

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"copilote/internal/civil"
)

var table = Table{
	Title:   "Journal : CTG du Diois",
	Columns: []string{"Date", "Type", "Titre", "Coût", "Facilité"},
	Rows: [][]any{
		{civil.MustParse("2024-03-05"), "Réunion", "Copil n°2 ; budget", 1250.5, true},
		{civil.MustParse("2024-04-01"), "Alerte", "=HYPERLINK(\"x\")", 0, false},
	},
}

func TestCSVOpensInFrenchExcel(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, table); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffDate;Type;Titre;Coût;Facilité\r\n" +
		"05/03/2024;Réunion;\"Copil n°2 ; budget\";1250,5;oui\r\n" +
		"01/04/2024;Alerte;\"'=HYPERLINK(\"\"x\"\")\";0;non\r\n"
	if b.String() != want {
		t.Errorf("CSV =\n%q\nwant\n%q", b.String(), want)
	}
}

func TestXLSXHasTypedCells(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, table); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	if sheet != "Journal - CTG du Diois" {
		t.Errorf("sheet = %q", sheet)
	}
	rows, _ := f.GetRows(sheet)
	if len(rows) != 3 || rows[0][2] != "Titre" || rows[1][2] != "Copil n°2 ; budget" {
		t.Errorf("rows = %v", rows)
	}
	if !strings.Contains(sheetXML(t, b.Bytes()), `<autoFilter ref="$A$1:$E$3">`) {
		t.Error("no autofilter over the rows")
	}
	typ, _ := f.GetCellType(sheet, "D2")
	v, _ := f.GetCellValue(sheet, "D2", excelize.Options{RawCellValue: true})
	if typ == excelize.CellTypeSharedString || !strings.HasPrefix(v, "1250.5") {
		t.Errorf("cost cell is not a number: %v %q", typ, v)
	}
}

// sheetXML is the first sheet of an XLSX file, as written.
func sheetXML(t *testing.T, file []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
