package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// migrate --recount puts back totals changed by hand in SQL: the national
// figures are wrong after the change and equal to the first ones after.
func TestMigrateRecount(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "copilote.db")
	command := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	command("synth", "--db", db, "--scale", "0.001", "--seed", "3")
	figures := func() string {
		return command("indicators", "--db", db, "--all", "--from", "2022-01-01", "--to", "2026-10-31", "--format", "json")
	}
	want := figures()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	n, err := conn.ExecContext(ctx, `DELETE FROM tally WHERE code = 'S12b'`)
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := n.RowsAffected(); rows == 0 {
		t.Fatal("the synthetic base holds no S12b totals")
	}
	conn.Close()
	if figures() == want {
		t.Fatal("the national figures did not change when the S12b totals were deleted")
	}
	out := command("migrate", "--db", db, "--recount", "--steps")
	if !strings.Contains(out, "Totaux recomptés en ") || !strings.Contains(out, "étape mois et années") {
		t.Errorf("migrate --recount printed %q", out)
	}
	if got := figures(); got != want {
		t.Errorf("after the recount the national figures differ from the first ones:\n%s\nwant\n%s", got, want)
	}
}
