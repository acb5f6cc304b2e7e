// Package pdftext reads a PDF's text for tests, with poppler's pdftotext
// (Debian package poppler-utils), as a reader's copy and paste would.
package pdftext

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Text is the PDF's text with its white space folded to single spaces.
func Text(tb testing.TB, pdf []byte) string {
	tb.Helper()
	in := filepath.Join(tb.TempDir(), "document.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
