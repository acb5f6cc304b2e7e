package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
)

// The audit trail proves itself: every entry written through the store
// is chained, concurrent writers included, and an entry edited, deleted
// or slipped in afterwards is named by VerifyAudit (issue 12, item 2).
func TestAuditChainDetectsTampering(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		d := mustRawDB(t, e)
		f := mustFixture(t, d.DB)
		// writers of one CTG at once: the chain follows their commits
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 3 {
					err := d.Write(ctx, f.user.ID, func(tx *store.Tx) error {
						r := journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Alerte, Date: day("2024-03-01").AddDays(w),
							Title: fmt.Sprintf("Alerte %d-%d", w, i), Nature: "retard", Status: "ouverte"}
						return tx.SaveRecord(&r, nomenclature.Default)
					})
					if err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		// a failed sign-in audits without changing data: chained too
		d.Login(ctx, store.Credentials{Email: f.user.Email, Password: "faux", Address: "192.0.2.1"}, 0)
		c, err := d.VerifyAudit(ctx)
		total := d.int(t, `SELECT COUNT(*) FROM audit`)
		if err != nil || len(c.Problems) > 0 || c.Entries != total || c.HeadSeq != total || len(c.HeadHash) != 64 {
			t.Fatalf("untouched trail: %+v (%v), %d entries", c, err, total)
		}
		// an entry edited: named by its place
		d.exec(t, `UPDATE audit SET detail = '{"title":"Alerte effacée"}' WHERE seq = 5`)
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "entrée 5 ", "modifiée") {
			t.Errorf("edited entry 5: %q", c.Problems)
		}
		// taken out of the chain: a hole, and an entry outside it
		d.exec(t, `UPDATE audit SET seq = NULL, hash = NULL WHERE seq = 5`)
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "entrées 5 à 5 absentes", "hors de la chaîne") {
			t.Errorf("unchained entry 5: %q", c.Problems)
		}
		d.exec(t, `DELETE FROM audit WHERE seq IS NULL`)
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "entrées 5 à 5 absentes") || mentions(c.Problems, "hors de la chaîne") {
			t.Errorf("deleted entry 5: %q", c.Problems)
		}
		// the last entries removed: the head no longer matches
		d.exec(t, `DELETE FROM audit WHERE seq = $1`, total)
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "tête de chaîne") {
			t.Errorf("deleted last entry: %q", c.Problems)
		}
		// an entry added by hand, outside the store
		d.exec(t, `INSERT INTO audit (at, action, entity, entity_id, detail) VALUES ($1, 'update', 'record', 1, '')`, f.ctg.CreatedAt)
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "1 entrée(s) hors de la chaîne") {
			t.Errorf("entry slipped in: %q", c.Problems)
		}
		// the next write chains its own entries, not the one slipped in,
		// and a restart (migrate) does not absorb it either
		if err := d.Write(ctx, f.user.ID, func(tx *store.Tx) error {
			r := journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Alerte, Date: day("2024-06-01"),
				Title: "Alerte suivante", Nature: "retard", Status: "ouverte"}
			return tx.SaveRecord(&r, nomenclature.Default)
		}); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "1 entrée(s) hors de la chaîne") {
			t.Errorf("entry slipped in, after a write and a restart: %q", c.Problems)
		}
	})
}

// The history written before the chain existed is chained once, by the
// upgrade that brings it.
func TestAuditHistoryChainedOnUpgrade(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		d := mustRawDB(t, e)
		mustFixture(t, d.DB)
		// as the database stood before migration 0012 had chained it
		d.exec(t, `UPDATE audit SET seq = NULL, hash = NULL`)
		d.exec(t, `UPDATE audit_head SET seq = 0, hash = ''`)
		if c, _ := d.VerifyAudit(ctx); !mentions(c.Problems, "hors de la chaîne") {
			t.Fatalf("unchained history: %q", c.Problems)
		}
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := d.VerifyAudit(ctx)
		if total := d.int(t, `SELECT COUNT(*) FROM audit`); err != nil || len(c.Problems) > 0 || c.Entries != total || total == 0 {
			t.Errorf("history after the upgrade: %+v (%v), %d entries", c, err, total)
		}
	})
}

// mentions tells whether every part appears in one of the problems.
func mentions(problems []string, parts ...string) bool {
	for _, part := range parts {
		found := false
		for _, p := range problems {
			found = found || strings.Contains(p, part)
		}
		if !found {
			return false
		}
	}
	return true
}
