package store_test

import (
	"copilote/internal/apperr"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/ctg"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// TestTalliesFollowEveryWrite changes a random dataset one write at a time
// the way users do (edit a record's day, author, partners or flags, delete
// and restore, write and edit records without partners, whose counts are
// added instead of recounted, add progress updates, delete a fiche or change its axis,
// merge partners or change their type, move a convention's dates) and checks after each batch that every figure still
// equals the recount, and at the end that the tallies kept up write by
// write are the very rows a recount from scratch gives.
func TestTalliesFollowEveryWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		seeds := 4
		if testing.Short() {
			seeds = 1
		}
		for seed := range seeds {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				db, raw := openIndicatorDB(t, e)
				rng := rand.New(rand.NewPCG(uint64(seed), 77))
				randomDataset(t, db, raw, rng)
				seen := map[string]bool{}
				for batch := range 4 {
					for range 10 {
						mutate(t, db, raw, rng)
					}
					d := readRaw(t, raw)
					periods := []indicator.Period{{From: day("2023-01-01"), To: day("2026-12-31")}, randomPeriod(rng)}
					for _, sc := range d.scopes() {
						for _, p := range periods {
							compareScope(t, db, d, sc, p, rng, seen)
						}
						if conv, ok := d.convention(sc); ok {
							compareScope(t, db, d, sc, conv, rng, seen)
						}
					}
					if t.Failed() {
						t.Fatalf("figures differ from the recount after batch %d", batch)
					}
				}
				before := tallyRows(t, raw)
				if err := db.RecountTallies(ctx); err != nil {
					t.Fatal(err)
				}
				after := tallyRows(t, raw)
				if len(before) == 0 || !slices.Equal(before, after) {
					t.Errorf("tallies kept write by write differ from a recount: %d rows vs %d", len(before), len(after))
					for i := range min(len(before), len(after)) {
						if before[i] != after[i] {
							t.Errorf("first difference: %s vs %s", before[i], after[i])
							break
						}
					}
				}
			})
		}
	})
}

// mutate makes one random change through the store, in its own write.
func mutate(t *testing.T, db *store.DB, raw *sql.DB, r *rand.Rand) {
	t.Helper()
	var err error
	switch r.IntN(11) {
	case 0, 1: // edit a live record
		id, ctgID := pickRow(t, raw, r, `SELECT id, ctg_id FROM record WHERE deleted_at IS NULL ORDER BY id`)
		rec, e := db.Record(ctx, ctgID, id)
		if e != nil {
			t.Fatal(e)
		}
		rec.Date = randomDay(r)
		if !rec.TakenOn.IsZero() {
			rec.TakenOn = rec.Date.AddDays(r.IntN(200))
		}
		posts := ids(t, raw, `SELECT id FROM post WHERE ctg_id = $1 ORDER BY id`, ctgID)
		rec.PostID = pick(r, posts)
		partners := ids(t, raw, `SELECT id FROM partner WHERE merged_into IS NULL
			AND caf_id = (SELECT caf_id FROM ctg WHERE id = $1) ORDER BY id`, ctgID)
		rec.PartnerIDs = nil
		for range 1 + r.IntN(2) {
			rec.PartnerIDs = append(rec.PartnerIDs, pick(r, partners))
		}
		for i := range rec.Roles {
			rec.Roles[i].PostID = pick(r, posts)
		}
		if rec.Kind == journal.Decision || rec.Kind == journal.Projet {
			rec.Facilitated = !rec.Facilitated
		}
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveRecord(rec, nomenclature.Default) })
	case 2: // delete or restore a record
		id, ctgID := pickRow(t, raw, r, `SELECT id, ctg_id FROM record ORDER BY id`)
		err = db.Write(ctx, 0, func(tx *store.Tx) error {
			if e := tx.DeleteRecord(ctgID, id); e == nil {
				return nil
			}
			return tx.RestoreRecord(ctgID, id)
		})
	case 3: // a progress update
		id, ctgID := pickRow(t, raw, r, `SELECT id, ctg_id FROM action WHERE deleted_at IS NULL ORDER BY id`)
		post := pick(r, ids(t, raw, `SELECT id FROM post WHERE ctg_id = $1 ORDER BY id`, ctgID))
		u := actionplan.Update{ActionID: id, PostID: post, Date: randomDay(r), Status: "en_cours", Percent: 20}
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.AddUpdate(ctgID, &u, nomenclature.Default) })
	case 4: // delete or restore a fiche
		id, ctgID := pickRow(t, raw, r, `SELECT id, ctg_id FROM action ORDER BY id`)
		err = db.Write(ctx, 0, func(tx *store.Tx) error {
			if e := tx.DeleteAction(ctgID, id); e == nil {
				return nil
			}
			return tx.RestoreAction(ctgID, id)
		})
	case 5: // change a fiche's axis
		id, ctgID := pickRow(t, raw, r, `SELECT id, ctg_id FROM action WHERE deleted_at IS NULL ORDER BY id`)
		a, e := db.Action(ctx, ctgID, id)
		if e != nil {
			t.Fatal(e)
		}
		a.Axis = pick(r, rndAxes)
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveAction(a, nomenclature.Default) })
	case 6: // merge two partners of a Caf
		caf, _ := pickRow(t, raw, r, `SELECT id, id FROM caf ORDER BY id`)
		ps := ids(t, raw, `SELECT id FROM partner WHERE caf_id = $1 AND merged_into IS NULL ORDER BY id`, caf)
		if len(ps) < 3 {
			return
		}
		keep, dup := ps[r.IntN(len(ps))], ps[r.IntN(len(ps))]
		if keep == dup {
			return
		}
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.MergePartner(keep, dup) })
	case 8: // change a partner's type
		id, caf := pickRow(t, raw, r, `SELECT id, caf_id FROM partner WHERE merged_into IS NULL ORDER BY id`)
		var p partner.Partner
		if e := raw.QueryRowContext(ctx, `SELECT name FROM partner WHERE id = $1`, id).Scan(&p.Name); e != nil {
			t.Fatal(e)
		}
		p.ID, p.CafID, p.Type = id, caf, pick(r, rndPTypes)
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SavePartner(&p, nomenclature.Default) })
	case 9, 10: // edit a record that links no partner, or write a new one like it: its counts are added, not recounted
		id, ctgID := pickRow(t, raw, r, `SELECT id, ctg_id FROM record r WHERE deleted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM record_partner rp WHERE rp.record_id = r.id) ORDER BY id`)
		rec, e := db.Record(ctx, ctgID, id)
		if e != nil {
			t.Fatal(e)
		}
		if r.IntN(2) == 0 {
			rec.ID = 0
		}
		rec.Date = randomDay(r)
		if !rec.TakenOn.IsZero() {
			rec.TakenOn = rec.Date.AddDays(r.IntN(200))
		}
		posts := ids(t, raw, `SELECT id FROM post WHERE ctg_id = $1 ORDER BY id`, ctgID)
		rec.PostID = pick(r, posts)
		for i := range rec.Roles {
			rec.Roles[i].PostID = pick(r, posts)
		}
		rec.Facilitated, rec.Network = !rec.Facilitated, !rec.Network
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveRecord(rec, nomenclature.Default) })
	case 7: // move a convention's dates, keeping every record inside
		id, _ := pickRow(t, raw, r, `SELECT id, id FROM ctg ORDER BY id`)
		c, e := db.CTG(ctx, id)
		if e != nil {
			t.Fatal(e)
		}
		conv := randomConvention(r)
		c.Start, c.End = conv.From, conv.To
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.UpdateCTG(c, nomenclature.Default) })
	}
	if err != nil {
		t.Fatalf("mutation: %v", err)
	}
}

func pickRow(t *testing.T, raw *sql.DB, r *rand.Rand, query string) (int64, int64) {
	t.Helper()
	var rows [][2]int64
	res, err := raw.QueryContext(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	for res.Next() {
		var a, b int64
		if err := res.Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, [2]int64{a, b})
	}
	if len(rows) == 0 {
		t.Fatalf("no row for %s", query)
	}
	row := pick(r, rows)
	return row[0], row[1]
}

func ids(t *testing.T, raw *sql.DB, query string, args ...any) []int64 {
	t.Helper()
	res, err := raw.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var out []int64
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// tallyRows reads every tally row as text, in a fixed order.
func tallyRows(t *testing.T, raw *sql.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT scope, scope_id, bucket, code, dim, key, n FROM tally ORDER BY scope, scope_id, bucket, code, dim, key`,
		`SELECT scope, scope_id, bucket, code, partner_id, 0, n FROM tally_partner ORDER BY scope, scope_id, bucket, code, partner_id`,
		`SELECT 'first', ctg_id, partner_id, record_id, post_id, '', day FROM partner_first ORDER BY ctg_id, partner_id`,
		`SELECT 'mask', caf_id, code, year, partner_id, '', mask FROM partner_mask ORDER BY caf_id, code, year, partner_id`,
	} {
		res, err := raw.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for res.Next() {
			v := make([]any, 7)
			for i := range v {
				v[i] = new(any)
			}
			if err := res.Scan(v...); err != nil {
				t.Fatal(err)
			}
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = fmt.Sprint(*(x.(*any)))
			}
			out = append(out, strings.Join(parts, "|"))
		}
		res.Close()
	}
	return out
}

// TestFiguresFreshAcrossInstances: two app instances on one database; the
// first keeps the figures it computed, the second writes; the first's next
// figures include the write at once.
func TestFiguresFreshAcrossInstances(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		dsn := storetest.DSN(t, e)
		a, b := openAt(t, dsn), openAt(t, dsn)
		if err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var c ctg.CTG
		var p ctg.Post
		err := a.Write(ctx, 0, func(tx *store.Tx) error {
			bl := &indBuilder{tx: tx}
			caf := bl.caf("026")
			c = bl.convention(caf.ID, "CTG")
			p = bl.post(c, "Claire", true, "1.1", "1.2")
			bl.record(alert(p, "2024-03-05"))
			return bl.err
		})
		if err != nil {
			t.Fatal(err)
		}
		scope, period := indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}, indicator.Period{From: c.Start, To: c.End}
		alerts := func() float64 {
			res, err := a.Indicators(ctx, scope, period)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := res.Figure(indicator.S12b)
			return f.Number()
		}
		if n := alerts(); n != 1 {
			t.Fatalf("S12b = %v, want 1", n)
		}
		alerts() // kept by instance a
		var id int64
		err = b.Write(ctx, 0, func(tx *store.Tx) error {
			bl := &indBuilder{tx: tx}
			id = bl.record(alert(p, "2025-06-01"))
			return bl.err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := alerts(); n != 2 {
			t.Errorf("after instance b's alert, instance a shows S12b = %v, want 2", n)
		}
		if err := b.Write(ctx, 0, func(tx *store.Tx) error { return tx.DeleteRecord(c.ID, id) }); err != nil {
			t.Fatal(err)
		}
		if n := alerts(); n != 1 {
			t.Errorf("after instance b's delete, instance a shows S12b = %v, want 1", n)
		}
	})
}

func alert(p ctg.Post, d string) journal.Record {
	r := rec(p, journal.Alerte, d)
	r.Nature, r.Status = "retard", "ouverte"
	return r
}

func openAt(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAddedCountsUnderConcurrentWriters: writers that add their records'
// counts instead of recounting (records without partners) edit, delete,
// restore and copy the same few records of one Caf at once. On PostgreSQL
// each must read what a record counted in after the others committed
// (lockCTG), or two edits of one record would both take away the state
// they read: the kept tallies must be a recount's, row for row.
func TestAddedCountsUnderConcurrentWriters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		db, raw := openIndicatorDB(t, e)
		randomDataset(t, db, raw, rand.New(rand.NewPCG(3, 77)))
		type target struct{ id, ctg int64 }
		var targets []target
		res, err := raw.QueryContext(ctx, `SELECT id, ctg_id FROM record r WHERE deleted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM record_partner rp WHERE rp.record_id = r.id) ORDER BY id LIMIT 6`)
		if err != nil {
			t.Fatal(err)
		}
		for res.Next() {
			var tg target
			if err := res.Scan(&tg.id, &tg.ctg); err != nil {
				t.Fatal(err)
			}
			targets = append(targets, tg)
		}
		res.Close()
		if len(targets) < 3 {
			t.Fatalf("only %d records without partners", len(targets))
		}
		const writers, writes = 8, 12
		var wg sync.WaitGroup
		errs := make(chan error, writers*writes)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 5))
				for range writes {
					tg := targets[r.IntN(len(targets))]
					errs <- db.Write(ctx, 0, func(tx *store.Tx) error {
						if r.IntN(4) == 0 {
							if tx.DeleteRecord(tg.ctg, tg.id) == nil {
								return nil
							}
							return tx.RestoreRecord(tg.ctg, tg.id)
						}
						rec, err := db.Record(ctx, tg.ctg, tg.id)
						if err != nil {
							return err
						}
						if rec.DeletedAt != nil {
							return nil
						}
						if r.IntN(3) == 0 {
							rec.ID = 0
						}
						rec.Date = randomDay(r)
						if !rec.TakenOn.IsZero() {
							rec.TakenOn = rec.Date.AddDays(r.IntN(200))
						}
						rec.Facilitated, rec.Network = !rec.Facilitated, !rec.Network
						return tx.SaveRecord(rec, nomenclature.Default)
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			// a record deleted by another writer between the read and the
			// save is not found: refused, nothing written
			if err != nil && apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("write: %v", err)
			}
		}
		before := tallyRows(t, raw)
		if err := db.RecountTallies(ctx); err != nil {
			t.Fatal(err)
		}
		after := tallyRows(t, raw)
		if !slices.Equal(before, after) {
			t.Errorf("tallies kept by concurrent writers differ from a recount: %d rows vs %d", len(before), len(after))
			for i := range min(len(before), len(after)) {
				if before[i] != after[i] {
					t.Fatalf("first difference: %s vs %s", before[i], after[i])
				}
			}
		}
	})
}

// TestRecountBesideWriters recounts every tally while officers write. On
// PostgreSQL the recount writes new tables on connections of its own and
// puts them in place of the old ones: the writes that wait for it must
// land in the new tables, the tables must keep every key and index they
// had, and the recount's working schema must be gone.
func TestRecountBesideWriters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e store.Engine) {
		db, raw := openIndicatorDB(t, e)
		randomDataset(t, db, raw, rand.New(rand.NewPCG(9, 77)))
		indexes := func() []string {
			return schemaIndexes(t, raw, e, "tally", "tally_partner", "partner_first", "partner_mask")
		}
		before := indexes()
		var ids []int64
		res, err := raw.QueryContext(ctx, `SELECT id FROM record WHERE deleted_at IS NULL ORDER BY id LIMIT 20`)
		if err != nil {
			t.Fatal(err)
		}
		for res.Next() {
			var id int64
			if err := res.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		res.Close()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		written := 0
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 11))
				for {
					select {
					case <-stop:
						return
					default:
					}
					id := ids[r.IntN(len(ids))]
					var ctgID int64
					if err := raw.QueryRowContext(ctx, `SELECT ctg_id FROM record WHERE id = $1`, id).Scan(&ctgID); err != nil {
						t.Error(err)
						return
					}
					err := db.Write(ctx, 0, func(tx *store.Tx) error {
						rec, err := db.Record(ctx, ctgID, id)
						if err != nil {
							return err
						}
						if r.IntN(2) == 0 {
							rec.ID = 0 // a copy: a new record
						}
						rec.Date = randomDay(r)
						return tx.SaveRecord(rec, nomenclature.Default)
					})
					if err != nil {
						t.Errorf("write beside the recount: %v", err)
						return
					}
					mu.Lock()
					written++
					mu.Unlock()
				}
			}()
		}
		var recountErr error
		for range 3 {
			if recountErr = db.RecountTallies(ctx); recountErr != nil {
				break
			}
		}
		close(stop)
		wg.Wait()
		if recountErr != nil {
			t.Fatal(recountErr)
		}
		if written == 0 {
			t.Fatal("no write ran beside the recounts")
		}
		t.Logf("%d writes beside 3 recounts", written)
		kept := tallyRows(t, raw)
		if err := db.RecountTallies(ctx); err != nil {
			t.Fatal(err)
		}
		if recounted := tallyRows(t, raw); !slices.Equal(kept, recounted) {
			t.Errorf("after %d writes beside the recounts, the tallies differ from a recount: %d rows vs %d",
				written, len(kept), len(recounted))
		}
		if after := indexes(); !slices.Equal(before, after) {
			t.Errorf("indexes of the tallies changed by the recount:\nbefore %q\nafter  %q", before, after)
		}
		if len(before) < 5 {
			t.Errorf("only %d indexes read: %q", len(before), before)
		}
		if e == store.Postgres {
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_namespace WHERE nspname = current_schema() || '_recount'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d working schemas left by the recount", n)
			}
		}
		// a load committed, then the process stopped before its recount:
		// the mark it left says so, and the next start makes the recount
		if _, err := raw.ExecContext(ctx, `DELETE FROM tally`); err != nil {
			t.Fatal(err)
		}
		mark := `CREATE TABLE recount_owed (since TEXT)`
		if e == store.Postgres {
			mark = `CREATE SCHEMA "` + schemaOf(t, raw) + `_recount"`
		}
		if _, err := raw.ExecContext(ctx, mark); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if again := tallyRows(t, raw); !slices.Equal(kept, again) {
			t.Errorf("the recount owed was not made at start: %d rows, %d expected", len(again), len(kept))
		}
	})
}

func schemaOf(t *testing.T, raw *sql.DB) string {
	var s string
	if err := raw.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// schemaIndexes lists the indexes of the schema (of the given tables
// only, when some are named) with their definitions.
func schemaIndexes(t *testing.T, raw *sql.DB, e store.Engine, tables ...string) []string {
	t.Helper()
	q := `SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND (? = '' OR instr(?, ',' || tbl_name || ',') > 0) ORDER BY name`
	if e == store.Postgres {
		q = `SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
			AND ($1 = '' OR strpos($2, ',' || tablename || ',') > 0) ORDER BY indexname`
	}
	in := ""
	if len(tables) > 0 {
		in = "," + strings.Join(tables, ",") + ","
	}
	var out []string
	res, err := raw.QueryContext(ctx, q, in, in)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	for res.Next() {
		var s string
		if err := res.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
