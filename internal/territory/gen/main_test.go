package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The package source lives in node_modules at the module root, three levels up.
var src = filepath.Join("..", "..", "..", "node_modules", "@etalab", "decoupage-administratif", "data")

func needSource(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(src, "epci.json")); err != nil {
		t.Skip("node_modules/@etalab/decoupage-administratif is absent (run npm ci at the module root); the generator needs it as input")
	}
}

// Two runs must write the same bytes, so a regeneration with unchanged input
// leaves nothing to commit.
func TestDeterministic(t *testing.T) {
	needSource(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := run(src, dir); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"communes.tsv.gz", "epci.tsv.gz", "SOURCE.txt"} {
		if !bytes.Equal(read(t, filepath.Join(a, name)), read(t, filepath.Join(b, name))) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// The committed data must be what the installed package yields, or someone
// bumped the package without regenerating. Contents are compared unzipped,
// so a change in Go's compressor alone does not fail the test.
func TestCommittedDataUpToDate(t *testing.T) {
	needSource(t)
	fresh := t.TempDir()
	if err := run(src, fresh); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "data")
	for _, name := range []string{"communes.tsv.gz", "epci.tsv.gz"} {
		if !bytes.Equal(gunzip(t, filepath.Join(fresh, name)), gunzip(t, filepath.Join(committed, name))) {
			t.Errorf("internal/territory/data/%s is stale: run npm run territories", name)
		}
	}
	if !bytes.Equal(read(t, filepath.Join(fresh, "SOURCE.txt")), read(t, filepath.Join(committed, "SOURCE.txt"))) {
		t.Error("internal/territory/data/SOURCE.txt is stale: run npm run territories")
	}
}

func TestRejectsBadCodes(t *testing.T) {
	for _, code := range []string{"", "26 113", "26,113", "26\t113", "2a004"} {
		if checkCode(code) == nil {
			t.Errorf("checkCode(%q) accepted", code)
		}
	}
	if checkName("a\tb") == nil || checkName("") == nil {
		t.Error("checkName accepted a tab or an empty name")
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(read(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
