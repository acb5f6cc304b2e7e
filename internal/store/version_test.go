package store_test

import (
	"sync"
	"testing"
	"time"

	"copilote/internal/ctg"
	"copilote/internal/indicator"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// TestWriteMovesOnlyItsScopes: a record written in one CTG moves that
// CTG's version and its Caf's, and leaves another CTG's and another
// Caf's where they were, so that what instances keep for them stays; a
// partner, which every page of its Caf may name, moves them all.
func TestWriteMovesOnlyItsScopes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		db := storetest.Open(t, e)
		var a, b, c ctg.CTG
		var pa, pc ctg.Post
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			bl := &indBuilder{tx: tx}
			drome, ardeche := bl.caf("026"), bl.caf("007")
			a, b = bl.convention(drome.ID, "Diois"), bl.convention(drome.ID, "Vercors")
			c = bl.convention(ardeche.ID, "Ardèche verte")
			pa, pc = bl.post(a, "Claire", true, "1.1"), bl.post(c, "Paul", true, "1.1")
			bl.post(b, "Léa", true, "1.1")
			return bl.err
		})
		if err != nil {
			t.Fatal(err)
		}
		versions := func() map[string]int64 {
			t.Helper()
			out := map[string]int64{}
			for name, s := range map[string]indicator.Scope{
				"a": {Kind: indicator.ScopeCTG, CTGID: a.ID}, "b": {Kind: indicator.ScopeCTG, CTGID: b.ID},
				"c": {Kind: indicator.ScopeCTG, CTGID: c.ID}, "post a": {Kind: indicator.ScopePost, PostID: pa.ID},
				"post c": {Kind: indicator.ScopePost, PostID: pc.ID},
				"026":    {Kind: indicator.ScopeCaf, CafCode: "026"}, "007": {Kind: indicator.ScopeCaf, CafCode: "007"},
				"all": {Kind: indicator.ScopeAll},
			} {
				n, err := db.ScopeVersion(ctx, s) // a fresh context: read from the database each time
				if err != nil {
					t.Fatal(err)
				}
				out[name] = n
			}
			n, err := db.StructureVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out["structure"] = n
			return out
		}
		before := versions()
		err = db.Write(ctx, 0, func(tx *store.Tx) error {
			bl := &indBuilder{tx: tx}
			bl.record(alert(pa, "2024-03-05"))
			return bl.err
		})
		if err != nil {
			t.Fatal(err)
		}
		after := versions()
		for _, moved := range []string{"a", "post a", "026", "all"} {
			if after[moved] <= before[moved] {
				t.Errorf("an alert in the Diois left the version of %s at %d", moved, after[moved])
			}
		}
		for _, kept := range []string{"b", "c", "post c", "007", "structure"} {
			if after[kept] != before[kept] {
				t.Errorf("an alert in the Diois moved the version of %s from %d to %d", kept, before[kept], after[kept])
			}
		}

		before = after
		err = db.Write(ctx, 0, func(tx *store.Tx) error {
			bl := &indBuilder{tx: tx}
			bl.partner(c.CafID, "Centre social de Privas", "association")
			return bl.err
		})
		if err != nil {
			t.Fatal(err)
		}
		after = versions()
		for name := range after {
			if after[name] <= before[name] {
				t.Errorf("a new partner left the version of %s at %d", name, after[name])
			}
		}
	})
}

// TestNationalFiguresLag: with a lag, the national figures are counted
// at most once in it and say when they were; the CTG's stay exact.
func TestNationalFiguresLag(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		db := storetest.Open(t, e)
		var c ctg.CTG
		var p ctg.Post
		err := db.Write(ctx, 0, func(tx *store.Tx) error {
			bl := &indBuilder{tx: tx}
			c = bl.convention(bl.caf("026").ID, "Diois")
			p = bl.post(c, "Claire", true, "1.1")
			bl.record(alert(p, "2024-03-05"))
			return bl.err
		})
		if err != nil {
			t.Fatal(err)
		}
		period := indicator.Period{From: c.Start, To: c.End}
		alerts := func(s indicator.Scope) (float64, time.Time) {
			t.Helper()
			res, err := db.Indicators(ctx, s, period)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := res.Figure(indicator.S12b)
			return f.Number(), res.ComputedAt
		}
		national, local := indicator.Scope{Kind: indicator.ScopeAll}, indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}
		db.SetNationalLag(time.Hour)
		n, at := alerts(national)
		if n != 1 || at.IsZero() {
			t.Fatalf("national S12b = %v computed at %v, want 1 and a time", n, at)
		}
		add := func() {
			t.Helper()
			err := db.Write(ctx, 0, func(tx *store.Tx) error {
				bl := &indBuilder{tx: tx}
				bl.record(alert(p, "2025-06-01"))
				return bl.err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		add()
		if n, again := alerts(national); n != 1 || !again.Equal(at) {
			t.Errorf("within the lag, national S12b = %v computed at %v, want the kept 1 of %v", n, again, at)
		}
		if n, _ := alerts(local); n != 2 {
			t.Errorf("the CTG's S12b = %v after the second alert, want 2 at once", n)
		}
		db.SetNationalLag(0)
		if n, _ := alerts(national); n != 2 {
			t.Errorf("without lag, national S12b = %v, want 2", n)
		}
	})
}

// TestOneRequestReadsVersionsAtOnce: a page may compute its parts in
// several goroutines, each reading its scope's version into the request's
// memo (the national page reads every Caf's at once); under -race this
// failed with concurrent writes to the memo.
func TestOneRequestReadsVersionsAtOnce(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	var cafs []string
	err := db.Write(ctx, 0, func(tx *store.Tx) error {
		bl := &indBuilder{tx: tx}
		for _, code := range []string{"026", "007", "038", "073"} {
			bl.convention(bl.caf(code).ID, "CTG "+code)
			cafs = append(cafs, code)
		}
		return bl.err
	})
	if err != nil {
		t.Fatal(err)
	}
	request := store.AtDataVersion(ctx)
	var wg sync.WaitGroup
	for range 4 {
		for _, code := range cafs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.ScopeVersion(request, indicator.Scope{Kind: indicator.ScopeCaf, CafCode: code}); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
}
