package store_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/exchange"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// FuzzExchangeImport feeds the exchange reader documents mutated from a
// small real export: it never panics, and an import that fails leaves the
// database byte for byte as it was (its export before and after). Run by
// scripts/test.sh for a bounded time on SQLite.
func FuzzExchangeImport(f *testing.F) {
	src := storetest.Open(f, store.SQLite)
	err := src.Write(ctx, 0, func(tx *store.Tx) error {
		caf := ctg.Caf{Code: "026", Name: "Caf de la Drôme"}
		if err := tx.CreateCaf(&caf); err != nil {
			return err
		}
		c := ctg.CTG{CafID: caf.ID, Name: "CTG du Diois", Population: 12226, Start: civil.MustParse("2023-01-01"),
			End: civil.MustParse("2026-12-31")}
		if err := tx.CreateCTG(&c, nomenclature.Default); err != nil {
			return err
		}
		p := ctg.Post{CTGID: c.ID, Person: "Agnès Agent", Employer: "CC", ETP: 80, Start: c.Start, Functions: []string{"3.1"}}
		if err := tx.SavePost(&p, nomenclature.Default); err != nil {
			return err
		}
		pa := partner.Partner{CafID: caf.ID, Name: "Centre social Le Lien", Type: "association", SIRET: "73282932000074"}
		if err := tx.SavePartner(&pa, nomenclature.Default); err != nil {
			return err
		}
		r := journal.Record{CTGID: c.ID, PostID: p.ID, Kind: journal.Relais, Date: civil.MustParse("2024-03-10"),
			Nature: "information", PartnerIDs: []int64{pa.ID}}
		return tx.SaveRecord(&r, nomenclature.Default)
	})
	if err != nil {
		f.Fatal(err)
	}
	var doc bytes.Buffer
	if _, err := src.Export(ctx, &doc, exchange.ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(doc.Bytes())
	f.Add([]byte(`{"format":"copilote-exchange","version":1}`))
	f.Add([]byte(`{"format":"copilote-exchange","version":1,"framework":"ctg-cooperation-v1","cafs":[{"id":1}]`))
	f.Add(bytes.Replace(doc.Bytes(), []byte(`"2024-03-10"`), []byte(`"2024-13-45"`), 1))
	dir := f.TempDir()
	var dst *store.DB
	n := 0
	f.Cleanup(func() {
		if dst != nil {
			dst.Close()
		}
	})
	f.Fuzz(func(t *testing.T, in []byte) {
		if dst == nil {
			// an empty database, kept from one input to the next while
			// imports fail; a successful one fills it, and the next input
			// gets a fresh one
			n++
			var err error
			if dst, err = store.Open(ctx, filepath.Join(dir, fmt.Sprintf("fuzz-%d.db", n))); err != nil {
				t.Fatal(err)
			}
			if err := dst.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		before := exportOf(t, dst)
		tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := dst.Import(tctx, bytes.NewReader(in), nil)
		if tctx.Err() != nil {
			t.Fatalf("the import of %d bytes took more than 5 s: %v", len(in), err)
		}
		if err == nil {
			dst.Close()
			dst = nil
			return
		}
		if after := exportOf(t, dst); !bytes.Equal(before, after) {
			t.Fatalf("a failed import (%v) changed the database", err)
		}
	})
}

func exportOf(t *testing.T, db *store.DB) []byte {
	t.Helper()
	var b bytes.Buffer
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := db.Export(tctx, &b, exchange.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
