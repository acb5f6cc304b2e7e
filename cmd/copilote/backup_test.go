package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/exchange"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A backup taken while users write is a consistent snapshot (issue 14,
// item 4): restored into a new database, it holds every write
// acknowledged before the backup began and none begun after it ended, its
// audit chain verifies and its tallies equal a recount; taken with no one
// writing, its restore exports exactly as the original. SQLite goes
// through `copilote backup` and `copilote restore`; PostgreSQL through the
// pg_dump and pg_restore commands docs/operations.md gives.
func TestBackupWhileUsersWrite(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, e)
			db, err := openMigrated(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			site := backupSite(t, db)
			backup, restore := sqliteBackup, sqliteRestore
			if e == store.Postgres {
				backup, restore = pgBackup, pgRestore
			}

			// eight writers record alerts until told to stop
			var mu sync.Mutex
			type write struct {
				title        string
				began, acked time.Time
				acknowledged bool
			}
			var writes []write
			stop := make(chan struct{})
			var stopOnce sync.Once
			var wg sync.WaitGroup
			// writers stop before the test ends, whatever ends it
			t.Cleanup(func() { stopOnce.Do(func() { close(stop) }); wg.Wait() })
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						wr := write{title: fmt.Sprintf("Écriture %d-%d", w, i), began: time.Now()}
						err := db.Write(ctx, site.userID, func(tx *store.Tx) error {
							r := journal.Record{CTGID: site.ctgID, PostID: site.postID, Kind: journal.Alerte, Date: civil.MustParse("2024-03-01"),
								Title: wr.title, Nature: "retard", Status: "ouverte"}
							return tx.SaveRecord(&r, nomenclature.Default)
						})
						wr.acked, wr.acknowledged = time.Now(), err == nil
						mu.Lock()
						writes = append(writes, wr)
						mu.Unlock()
						if err != nil {
							t.Errorf("write %s: %v", wr.title, err)
							return
						}
					}
				}()
			}
			waitForWrites := func(n int) {
				deadline := time.Now().Add(2 * time.Minute)
				for time.Now().Before(deadline) {
					mu.Lock()
					got := len(writes)
					mu.Unlock()
					if got >= n {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				t.Fatalf("the writers did not reach %d writes in two minutes", n)
			}
			waitForWrites(80)
			dir := t.TempDir()
			began := time.Now()
			file := backup(t, dsn, filepath.Join(dir, "sauvegarde"))
			ended := time.Now()
			mu.Lock()
			soFar := len(writes)
			mu.Unlock()
			waitForWrites(soFar + 40) // writes go on after the backup
			stopOnce.Do(func() { close(stop) })
			wg.Wait()

			restored, restoredDSN := restore(t, file, dsn, filepath.Join(dir, "restauree.db"))
			present := titlesIn(t, restored)
			var before, after, kept int
			for _, w := range writes {
				switch {
				case w.acknowledged && w.acked.Before(began):
					before++
					if !present[w.title] {
						t.Errorf("%s, acknowledged before the backup, is missing", w.title)
					}
				case w.began.After(ended):
					after++
					if present[w.title] {
						t.Errorf("%s, begun after the backup, is in it", w.title)
					}
				}
				if present[w.title] {
					kept++
				}
			}
			t.Logf("%d writes: %d acknowledged before the backup, %d begun after it; the restored base holds %d", len(writes), before, after, kept)
			checkRestored(t, restored, restoredDSN)

			// no one writing: the restored base exports as the original
			quiet := backup(t, dsn, filepath.Join(dir, "sauvegarde-calme"))
			again, _ := restore(t, quiet, dsn, filepath.Join(dir, "restauree-calme.db"))
			if a, b := exportOf(t, db), exportOf(t, again); !bytes.Equal(a, b) || len(a) < 1000 {
				t.Errorf("the restored base exports %d bytes, the original %d, not the same", len(b), len(a))
			}
		})
	}
}

type backupFixture struct{ userID, ctgID, postID int64 }

func backupSite(t *testing.T, db *store.DB) backupFixture {
	t.Helper()
	var f backupFixture
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		caf := ctg.Caf{Code: "026", Name: "Caf de la Drôme", Department: "26"}
		if err := tx.CreateCaf(&caf); err != nil {
			return err
		}
		c := ctg.CTG{CafID: caf.ID, Name: "CTG du Diois", Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
		if err := tx.CreateCTG(&c, nomenclature.Default); err != nil {
			return err
		}
		u := account.User{Email: "agent@diois.fr", Name: "Agnès Agent", Role: account.Officer, CafID: caf.ID}
		if err := tx.CreateUser(&u, "mot de passe solide"); err != nil {
			return err
		}
		p := ctg.Post{CTGID: c.ID, UserID: u.ID, Person: u.Name, Employer: "CC du Diois", ETP: 100, Start: c.Start,
			ChefDeProjet: true, Functions: []string{"1.1"}}
		if err := tx.SavePost(&p, nomenclature.Default); err != nil {
			return err
		}
		f = backupFixture{u.ID, c.ID, p.ID}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sqliteBackup(t *testing.T, dsn, out string) string {
	t.Helper()
	// PostgreSQL is pg_dump's: the command says how
	if code, _, stderr := copilote(t, "", "backup", "--db", "postgres://copilote:secret@db.caf26.fr/copilote", "--out", out); code != 1 ||
		!strings.Contains(stderr, "pg_dump --format=custom") || strings.Contains(stderr, "secret") {
		t.Errorf("backup of PostgreSQL: exit %d %q", code, stderr)
	}
	if code, stdout, stderr := copilote(t, "", "backup", "--db", dsn, "--out", out); code != 0 || !strings.Contains(stdout, "intégrité vérifiée") {
		t.Fatalf("backup: exit %d %q %q", code, stdout, stderr)
	}
	if code, _, stderr := copilote(t, "", "backup", "--db", dsn, "--out", out); code != 1 || !strings.Contains(stderr, "existe déjà") {
		t.Errorf("a second backup over the first: exit %d %q", code, stderr)
	}
	return out
}

func sqliteRestore(t *testing.T, file, _, target string) (*store.DB, string) {
	t.Helper()
	if code, stdout, stderr := copilote(t, "", "restore", "--in", file, "--db", target); code != 0 || !strings.Contains(stdout, "Base restaurée") {
		t.Fatalf("restore: exit %d %q %q", code, stdout, stderr)
	}
	if code, _, stderr := copilote(t, "", "restore", "--in", file, "--db", target); code != 1 || !strings.Contains(stderr, "existe déjà") {
		t.Errorf("a restore over a base: exit %d %q", code, stderr)
	}
	db, err := openExisting(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, target
}

// pgTool finds a PostgreSQL client program beside the server's.
func pgTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(found) == 0 {
		t.Fatalf("%s not found: it comes with PostgreSQL (apt-get install postgresql)", name)
	}
	return found[len(found)-1]
}

// libpq is the test URL as pg_dump reads it: its schema, which the test
// database keeps in pgx's search_path parameter, apart.
func libpq(t *testing.T, dsn string) (string, string) {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema
}

func pgBackup(t *testing.T, dsn, out string) string {
	t.Helper()
	conn, schema := libpq(t, dsn)
	cmd := exec.Command(pgTool(t, "pg_dump"), "--format=custom", "--file="+out, "--schema="+schema, conn)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v %s", err, b)
	}
	return out
}

// pgRestore restores into a new database of the test server, dropped at
// the end.
func pgRestore(t *testing.T, file, dsn, _ string) (*store.DB, string) {
	t.Helper()
	conn, schema := libpq(t, dsn)
	admin, err := sql.Open("pgx", conn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("restore_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, _ := sql.Open("pgx", conn)
		a.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
		a.Close()
	})
	u, _ := url.Parse(conn)
	u.Path = "/" + name
	cmd := exec.Command(pgTool(t, "pg_restore"), "--no-owner", "--dbname="+u.String(), file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v %s", err, b)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := openExisting(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, u.String()
}

func titlesIn(t *testing.T, db *store.DB) map[string]bool {
	t.Helper()
	rs, _, err := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rs {
		out[r.Title] = true
	}
	return out
}

// checkRestored: the audit chain verifies, and the tallies are the
// recount of the records.
func checkRestored(t *testing.T, db *store.DB, dsn string) {
	t.Helper()
	ctx := context.Background()
	check, err := db.VerifyAudit(ctx)
	if err != nil || len(check.Problems) > 0 {
		t.Errorf("audit chain of the restored base: %+v %v", check, err)
	}
	before := storetest.NationalFigures(t, db)
	if err := db.RecountTallies(ctx); err != nil {
		t.Fatal(err)
	}
	// a handle of its own: the first keeps its figures per data version
	fresh, err := openExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if after := storetest.NationalFigures(t, fresh); after != before || !strings.Contains(before, "S12b=") {
		t.Errorf("restored tallies differ from a recount:\n%s\n%s", before, after)
	}
}

func exportOf(t *testing.T, db *store.DB) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := db.Export(context.Background(), &b, exchange.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
