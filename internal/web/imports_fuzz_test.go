package web

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"copilote/internal/authz"
	"copilote/internal/importer"
	"copilote/internal/sheet"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// FuzzImportSpreadsheet runs whatever bytes as a CSV or workbook of each
// kind through the whole import (read, guessed mapping, conversion, the
// forms' store functions, commit): never a panic, and an import that does
// not commit leaves the database byte for byte as it was (its export
// before and after). Run by scripts/test.sh for a bounded time.
func FuzzImportSpreadsheet(f *testing.F) {
	db := storetest.Open(f, store.SQLite)
	s := newSite(f, db)
	f.Add([]byte("Date;Type;Intitulé;Nature;Rôle;Axe\r\n15/03/2024;Réunion;Copil;Copil;Animation;\r\n31/02/2024;Projet;Jardin;;;Petite enfance\r\n"), uint8(0))
	f.Add([]byte("Nom,Type,SIRET\nCentre social,association,73282932000074\ncentre  SOCIAL,Association,\n"), uint8(1))
	f.Add([]byte("Code\tIntitulé\tAxe\tBudget prévu\tDébut\nA-1\tRPE\tpetite_enfance\t12 500,5\t45366\nA-1\tBis\tlogement\tx\t\n"), uint8(2))
	wb := excelize.NewFile()
	wb.SetSheetRow("Sheet1", "A1", &[]any{"Code", "Intitulé", "Axe"})
	wb.SetSheetRow("Sheet1", "A2", &[]any{"B-2", "Halte-garderie", "Petite enfance"})
	var xb bytes.Buffer
	wb.Write(&xb)
	f.Add(xb.Bytes(), uint8(2))
	f.Fuzz(func(t *testing.T, in []byte, k uint8) {
		kind := importer.Kinds[int(k)%len(importer.Kinds)]
		name := "f.csv"
		if bytes.HasPrefix(in, []byte("PK")) {
			name = "f.xlsx"
		}
		tb, err := sheet.Read(name, in)
		if err != nil {
			return
		}
		before := exportOf(t, db)
		committed := fuzzImport(t, db, s, kind, tb)
		if !committed && exportOf(t, db) != before {
			t.Fatalf("an import that did not commit changed the database")
		}
	})
}

// fuzzImport commits tb as the site's officer would, through runImport.
func fuzzImport(t *testing.T, db *store.DB, s *site, kind importer.Kind, tb *sheet.Table) bool {
	ctx := context.Background()
	p, err := authz.Load(ctx, db, 1)
	if err != nil {
		t.Fatal(err)
	}
	e := &ctgEnv{CTG: &s.mine, User: p}
	if e.Posts, err = db.Posts(ctx, s.mine.ID); err != nil {
		t.Fatal(err)
	}
	if e.Nom, err = db.Nomenclature(ctx, s.mine.CafID); err != nil {
		t.Fatal(err)
	}
	m := importer.Guess(kind, tb.Header, nil)
	env := importer.Env{Nom: e.Nom, CTGID: s.mine.ID, CafID: s.mine.CafID, Posts: e.Posts, OwnPost: e.Posts[0].ID,
		Actions: map[string]int64{}, MayRecordAs: func(id int64) bool { return p.CanRecordAs(id, e.target()) }}
	b := &store.ImportBatch{ID: 0, CafID: s.mine.CafID, CTGID: s.mine.ID, Kind: string(kind), FileName: "f", Lines: len(tb.Rows)}
	err = db.Write(ctx, p.User.ID, func(tx *store.Tx) error {
		if err := tx.CreateImport(b); err != nil {
			return err
		}
		_, err := runImport(tx, b, tb, m, env, e, true)
		return err
	})
	if err != nil && !errors.Is(err, errDryRun) {
		t.Fatalf("import: %v", err)
	}
	return err == nil
}
