package store_test

import (
	"fmt"
	"sync"
	"testing"

	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// Writers of one CTG never fail on each other: on PostgreSQL the record's
// foreign key once took a share lock on the CTG row that the recount's
// lock then deadlocked with (issue 9, defect 2: 25 of 28 writes failed
// with three writers). Each of 32 writers records an alert linked to a
// partner, some creating their partner in the same transaction (which
// locks the Caf row the same way).
func TestConcurrentWritersOfOneCTG(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		const writers, each = 32, 4
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					errs <- db.Write(ctx, f.user.ID, func(tx *store.Tx) error {
						pid := f.partners[(w+i)%2].ID
						if w%4 == 0 {
							p := partner.Partner{CafID: f.caf.ID, Name: fmt.Sprintf("Association %d-%d", w, i), Type: "association"}
							if err := tx.SavePartner(&p, nomenclature.Default); err != nil {
								return err
							}
							pid = p.ID
						}
						r := journal.Record{CTGID: f.ctg.ID, PostID: f.chef.ID, Kind: journal.Alerte,
							Date: day("2024-03-01").AddDays(w), Title: fmt.Sprintf("Alerte %d-%d", w, i),
							Nature: "retard", Status: "ouverte", PartnerIDs: []int64{pid}}
						return tx.SaveRecord(&r, nomenclature.Default)
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		failed := 0
		for err := range errs {
			if err != nil {
				if failed++; failed <= 3 {
					t.Errorf("write failed: %v", err)
				}
			}
		}
		if failed > 0 {
			t.Fatalf("%d of %d writes failed", failed, writers*each)
		}
		_, total, err := db.Records(ctx, store.RecordFilter{Scope: store.Scope{All: true}, CTGID: f.ctg.ID, Limit: 1})
		if err != nil || total != writers*each {
			t.Fatalf("records: %d (%v), want %d", total, err, writers*each)
		}
		// the tallies followed every write: the CTG's S12b counts them all
		scope := indicator.Scope{Kind: indicator.ScopeCTG, CTGID: f.ctg.ID}
		res, err := db.Indicator(ctx, scope, indicator.Period{From: f.ctg.Start, To: f.ctg.End}, "S12b")
		if err != nil || res.Value == nil || *res.Value != writers*each {
			t.Fatalf("S12b = %v (%v), want %d", res.Value, err, writers*each)
		}
	})
}
