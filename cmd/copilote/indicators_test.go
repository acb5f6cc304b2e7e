package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// A far period is refused before the database is read: it once cost
// seconds of CPU, then an internal error (issue 9, defect 1).
func TestIndicatorsRefusesFarPeriods(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copilote.db")
	if code := run(context.Background(), []string{"migrate", "--db", db}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("migrate: exit %d", code)
	}
	for _, args := range [][]string{
		{"--from", "9999-01-01", "--to", "9999-12-31"},
		{"--from", "1000-01-01", "--to", "2024-12-31"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"indicators", "--db", db, "--all"}, args...), nil, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "comprise entre 2000 et 2099") || stdout.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}
