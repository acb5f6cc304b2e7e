package main

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// `copilote audit verify` says the trail is intact, prints its head to
// note elsewhere, and names an edited entry and a rewritten chain, on
// both engines (issue 12, item 2).
func TestAuditVerifyCommand(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "copilote.db")
			driver := "sqlite"
			if e == store.Postgres {
				dsn, driver = storetest.DSN(t, e), "pgx"
			}
			twoCafs(t, dsn)
			code, out, errs := copilote(t, "", "audit", "verify", "--db", dsn)
			head := regexp.MustCompile(`Tête de chaîne à noter : (\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
			if code != 0 || head == nil || !strings.Contains(out, "Journal d'audit intègre : 4 entrées chaînées") {
				t.Fatalf("intact trail: exit %d, %q %q", code, out, errs)
			}
			if code, out, _ := copilote(t, "", "audit", "verify", "--db", dsn, "--expect", head[1]); code != 0 {
				t.Errorf("anchor of the same chain: exit %d %q", code, out)
			}
			// a chain rewritten whole passes the walk, not the anchor noted
			// before: here the head's place holds another hash
			forged := strings.SplitN(head[1], ":", 2)[0] + ":" + strings.Repeat("ab", 32)
			code, out, _ = copilote(t, "", "audit", "verify", "--db", dsn, "--expect", forged)
			if code != 1 || !strings.Contains(out, "n'a plus l'empreinte notée") {
				t.Errorf("chain against another anchor: exit %d %q", code, out)
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`UPDATE audit SET detail = '{}' WHERE seq = 2`); err != nil {
				t.Fatal(err)
			}
			code, out, _ = copilote(t, "", "audit", "verify", "--db", dsn)
			if code != 1 || !strings.Contains(out, "Journal d'audit altéré") || !strings.Contains(out, "entrée 2 ") {
				t.Errorf("edited entry: exit %d %q", code, out)
			}
		})
	}
}
