package store_test

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/opendata"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func mustSample(t testing.TB, name string) *opendata.File {
	t.Helper()
	b, err := opendata.Sample(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := opendata.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func importOpenData(t testing.TB, db *store.DB, cafID int64, name string) *store.OpenDataImport {
	t.Helper()
	var got *store.OpenDataImport
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		var err error
		got, err = tx.ImportOpenData(cafID, name, mustSample(t, name))
		return err
	})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return got
}

// addCTG adds to the fixture's Caf a CTG of another EPCI, sharing no
// commune with the first.
func addCTG(t *testing.T, db *store.DB, cafID int64) ctg.CTG {
	t.Helper()
	c := ctg.CTG{CafID: cafID, Name: "CTG de Montélimar", EPCISIREN: "200040459", Population: 69275,
		Start: civil.MustParse("2021-07-01"), End: civil.MustParse("2025-12-31"),
		Communes: []ctg.Commune{{INSEE: "26198", Name: "Montélimar", Population: 40595}}}
	if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.CreateCTG(&c, nomenclature.Default) }); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOpenDataImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		other := addCTG(t, db, f.caf.ID)
		got := importOpenData(t, db, f.caf.ID, "foyers_epci_2019-2024.csv")
		if got.Rows != 30 || got.Skipped != 2 || got.Unmatched != 18 || len(got.CTGs) != 2 ||
			got.CTGs[0].Values != 18 || fmt.Sprint(got.CTGs[0].Years) != "[2019 2020 2021 2022 2023 2024]" {
			t.Fatalf("import = %+v", got)
		}
		vs, err := db.OpenData(ctx, f.ctg.ID)
		if err != nil || len(vs) != 18 {
			t.Fatalf("values = %d, %v", len(vs), err)
		}
		if v := vs[0]; v.Level != opendata.EPCI || v.Code != "242600534" || v.Measure != "NB_Allocataires" || v.Year != 2019 ||
			v.Value != 2310 || !v.Known || v.Source != "foyers_epci_2019-2024.csv" {
			t.Errorf("first value %+v", v)
		}
		// a file of other EPCIs changes nothing for these CTGs
		before := mustOpenData(t, db, f.ctg.ID, other.ID)
		if got := importOpenData(t, db, f.caf.ID, "autres_epci_2023_windows1252.csv"); len(got.CTGs) != 0 || got.Unmatched != 3 {
			t.Errorf("other EPCIs wrote %+v", got)
		}
		if after := mustOpenData(t, db, f.ctg.ID, other.ID); after != before {
			t.Error("a file for other EPCIs changed a CTG's values")
		}
		// per commune: each CTG keeps its own communes only; masked cells are unknown
		got = importOpenData(t, db, f.caf.ID, "foyers_communes_2022-2024.csv")
		if len(got.CTGs) != 2 || got.CTGs[0].Values != 6 || got.CTGs[1].Values != 6 {
			t.Fatalf("commune import = %+v", got)
		}
		vs, _ = db.OpenData(ctx, other.ID)
		for _, v := range vs {
			if v.Level == opendata.Commune && v.Code != "26198" {
				t.Errorf("Montélimar keeps another commune: %+v", v)
			}
		}
		// a new file replaces the same territory, measure and year
		file := &opendata.File{Level: opendata.EPCI, Measures: []string{"NB_Enfants"},
			Rows: []opendata.Row{{Line: 2, Code: "242600534", Year: 2023, Cells: []opendata.Cell{{Raw: ""}}}}}
		if err := db.Write(ctx, 0, func(tx *store.Tx) error { _, err := tx.ImportOpenData(f.caf.ID, "corr.csv", file); return err }); err != nil {
			t.Fatal(err)
		}
		vs, _ = db.OpenData(ctx, f.ctg.ID)
		for _, v := range vs {
			if v.Level == opendata.EPCI && v.Measure == "NB_Enfants" && v.Year == 2023 && (v.Known || v.Source != "corr.csv") {
				t.Errorf("replaced value %+v", v)
			}
		}
		if len(vs) != 24 {
			t.Errorf("%d values after the replacement, want 24", len(vs))
		}
		cov, err := db.OpenDataCoverages(ctx, f.caf.ID)
		if err != nil || len(cov) != 2 || cov[0].Name != "CTG de Montélimar" || len(cov[1].Levels) != 2 || cov[1].Levels[1].Masked != 1 {
			t.Errorf("coverage = %+v, %v", cov, err)
		}
	})
}

func mustOpenData(t *testing.T, db *store.DB, ids ...int64) string {
	t.Helper()
	var sb strings.Builder
	for _, id := range ids {
		vs, err := db.OpenData(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%v\n", vs)
	}
	return sb.String()
}

// A failed import leaves the database byte for byte as it was: the
// reader refuses before any write, and a failure after the values were
// written (here the caller's, once they are) rolls the whole file back,
// audit and data version included.
func TestFailedOpenDataImportChangesNothing(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) { failedImport(t, e) })
	}
}

func failedImport(t *testing.T, e store.Engine) {
	{
		db, raw := openRaw(t, e)
		f := mustFixture(t, db)
		empty := dump(t, raw, e)
		importOpenData(t, db, f.caf.ID, "foyers_epci_2019-2024.csv")
		before := dump(t, raw, e)
		if before == empty {
			t.Fatal("the digest does not see an import")
		}
		_, err := opendata.Read([]byte("NUMEPCI;DTREF;NB_Enfants\n242600534;31/13/2023;12\n"))
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("bad date read: %v", err)
		}
		late := errors.New("late failure")
		err = db.Write(ctx, 0, func(tx *store.Tx) error {
			got, err := tx.ImportOpenData(f.caf.ID, "communes.csv", mustSample(t, "foyers_communes_2022-2024.csv"))
			if err != nil || len(got.CTGs) != 1 {
				t.Errorf("import in the transaction: %+v, %v", got, err)
			}
			return late
		})
		if !errors.Is(err, late) {
			t.Fatalf("write = %v", err)
		}
		if after := dump(t, raw, e); after != before {
			t.Error("a failed import changed the database")
		}
	}
}

// openRaw opens a fresh database of engine e with a plain connection
// beside the store, to read every table.
func openRaw(tb testing.TB, e store.Engine) (*store.DB, *sql.DB) {
	tb.Helper()
	dsn := storetest.DSN(tb, e)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	driver := map[store.Engine]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[e]
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return db, raw
}

// dump is a digest of every row of every table, each table read in the
// order of all its columns: equal digests, equal contents.
func dump(t testing.TB, raw *sql.DB, e store.Engine) string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if e == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	var tables []string
	rows, err := raw.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	h := sha256.New()
	for _, table := range tables {
		dumpTable(t, raw, table, h)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func dumpTable(t testing.TB, raw *sql.DB, table string, w interface{ Write([]byte) (int, error) }) {
	t.Helper()
	probe, err := raw.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := probe.Columns()
	probe.Close()
	order := make([]string, len(cols))
	for i := range cols {
		order[i] = fmt.Sprint(i + 1)
	}
	rows, err := raw.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+strings.Join(order, ", "))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	fmt.Fprintf(w, "table %s %v\n", table, cols)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "%#v\n", vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// FuzzOpenDataImport: whatever file an administrator uploads, the import
// does not panic, and when it fails (the reader refuses the file, or the
// transaction fails after the writes) the database is byte for byte what
// it was. SQLite only, one database for the whole run; scripts/test.sh
// runs it for a bounded time.
func FuzzOpenDataImport(f *testing.F) {
	for _, name := range []string{"foyers_epci_2019-2024.csv", "autres_epci_2023_windows1252.csv", "foyers_communes_2022-2024.csv"} {
		b, err := opendata.Sample(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	db, raw := openRaw(f, store.SQLite)
	var cafID int64
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		caf := ctg.Caf{Code: "026", Name: "Caf de la Drôme", Department: "26"}
		if err := tx.CreateCaf(&caf); err != nil {
			return err
		}
		cafID = caf.ID
		c := ctg.CTG{CafID: caf.ID, Name: "CTG du Diois", EPCISIREN: "242600534", Population: 12226,
			Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31"),
			Communes: []ctg.Commune{{INSEE: "26113", Name: "Die", Population: 4844}, {INSEE: "26012", Name: "Arnayon", Population: 27}}}
		return tx.CreateCTG(&c, nomenclature.Default)
	})
	if err != nil {
		f.Fatal(err)
	}
	importOpenData(f, db, cafID, "foyers_epci_2019-2024.csv")
	abort := errors.New("abort")
	f.Fuzz(func(t *testing.T, data []byte) {
		before := dump(t, raw, store.SQLite)
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			file, err := opendata.Read(data)
			if err != nil {
				return err
			}
			if _, err := tx.ImportOpenData(cafID, "fuzz.csv", file); err != nil {
				return err
			}
			return abort
		})
		if err == nil {
			t.Fatal("the write was to fail")
		}
		if c := apperr.CodeOf(err); !errors.Is(err, abort) && c != apperr.Invalid {
			t.Fatalf("import failed other than as the user's error: %v", err)
		}
		if after := dump(t, raw, store.SQLite); after != before {
			t.Fatal("a failed import changed the database")
		}
	})
}
