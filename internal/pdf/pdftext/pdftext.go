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
	return strings.Join(strings.Fields(Layout(tb, pdf)), " ")
}

// Layout is the PDF's text laid out as on the page (pdftotext -layout):
// a table's row stays on one line, its cells apart; pages end with a
// form feed.
func Layout(tb testing.TB, pdf []byte) string {
	tb.Helper()
	in := filepath.Join(tb.TempDir(), "document.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	return string(out)
}

// Pages is the layout text of each page.
func Pages(tb testing.TB, pdf []byte) []string {
	tb.Helper()
	pages := strings.Split(Layout(tb, pdf), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}
