package export

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"copilote/internal/civil"
)

// countingWriter counts what reached it.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// CSV rows leave as they are written, by pieces of 64 KB, not at the end.
func TestCSVWritesAsRowsCome(t *testing.T) {
	var w countingWriter
	c, err := NewCSV(&w, table.Columns)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for w.n == 0 && rows < 10_000 {
		if err := c.Row(table.Rows[rows%2]...); err != nil {
			t.Fatal(err)
		}
		rows++
	}
	if w.n < csvBuffer || rows > 2*csvBuffer/40 {
		t.Errorf("nothing written after %d rows (%d bytes)", rows, w.n)
	}
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
}

// The streamed writers give what WriteCSV and WriteXLSX give, row for row.
func TestWritersMatchTables(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		var streamed, whole bytes.Buffer
		tw, err := New(&streamed, format, table.Title, table.Columns)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range table.Rows {
			if err := tw.Row(r...); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Finish(); err != nil {
			t.Fatal(err)
		}
		tw.Close()
		if format == "csv" {
			err = WriteCSV(&whole, table)
		} else {
			err = WriteXLSX(&whole, table)
		}
		if err != nil || !bytes.Equal(streamed.Bytes(), whole.Bytes()) {
			t.Errorf("%s: streamed and whole files differ (%v)", format, err)
		}
	}
}

// A sheet beyond excelize's 16 MB in memory goes to a temporary file,
// which Close removes, whether the file was finished or not; the workbook
// is written whole.
func TestXLSXRemovesItsTemporaryFile(t *testing.T) {
	for _, finish := range []bool{true, false} {
		dir := t.TempDir()
		t.Setenv("TMPDIR", dir)
		var out bytes.Buffer
		x, err := NewXLSX(&out, "Grand journal", []string{"Date", "Texte", "N"})
		if err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("Compte rendu détaillé de la réunion. ", 110) // 4 KB
		const rows = 4_500
		for i := range rows {
			if err := x.Row(civil.MustParse("2025-01-01").AddDays(i%300), long, i); err != nil {
				t.Fatal(err)
			}
		}
		if temps, _ := filepath.Glob(filepath.Join(dir, "excelize-*")); len(temps) != 1 {
			t.Fatalf("temporary files while writing: %v, want one", temps)
		}
		if finish {
			if err := x.Finish(); err != nil {
				t.Fatal(err)
			}
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("finish %v: %d files left in the temporary folder", finish, len(left))
		}
		if !finish {
			continue
		}
		f, err := excelize.OpenReader(&out)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := f.GetRows("Grand journal")
		if len(n) != rows+1 || n[rows][1] != long {
			t.Errorf("%d rows read back, want %d", len(n), rows+1)
		}
		f.Close()
	}
}
