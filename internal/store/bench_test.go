package store_test

import (
	"context"
	"os"
	"testing"

	"copilote/internal/civil"

	"copilote/internal/demo"
	"copilote/internal/indicator"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// Benchmarks on the demo dataset (3 CTGs, ~4 450 records); the national
// figures of docs/performance.md come from the synthetic dataset.
// Run: scripts/with-postgres.sh go test -run XXX -bench Indicators ./internal/store/
func BenchmarkIndicators(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			db := storetest.Open(b, e)
			if _, err := demo.Load(context.Background(), db); err != nil {
				b.Fatal(err)
			}
			ctgs, _ := db.CTGs(context.Background(), store.Scope{All: true})
			c := ctgs[0]
			p := indicator.Period{From: c.Start, To: c.End}
			b.Run("ctg", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.ComputeIndicators(context.Background(), indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}, p); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("all", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.ComputeIndicators(context.Background(), indicator.Scope{Kind: indicator.ScopeAll}, p); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkNationalIndicators times the figures on a synthetic national
// dataset (copilote synth) named by COPILOTE_BENCH_DB: one CTG over its
// whole convention, one CTG over one year, every CTG (national scope).
// Run: COPILOTE_BENCH_DB=/tmp/s10.db go test -run XXX -bench National ./internal/store/
func BenchmarkNationalIndicators(b *testing.B) {
	dsn := os.Getenv("COPILOTE_BENCH_DB")
	if dsn == "" {
		b.Skip("COPILOTE_BENCH_DB names no synthetic dataset")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctgs, err := db.CTGs(ctx, store.Scope{All: true})
	if err != nil || len(ctgs) == 0 {
		b.Fatalf("no CTG: %v", err)
	}
	all, err := db.IndicatorPeriod(ctx, indicator.Scope{Kind: indicator.ScopeAll})
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, scope func(i int) indicator.Scope, period func(i int) indicator.Period) {
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := db.ComputeIndicators(ctx, scope(i), period(i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	// a different CTG each time, so that SQLite's and PostgreSQL's page
	// caches do not hold just one CTG's rows
	ctgOf := func(i int) indicator.Scope {
		return indicator.Scope{Kind: indicator.ScopeCTG, CTGID: ctgs[(i*7919)%len(ctgs)].ID}
	}
	run("ctg-convention", ctgOf, func(i int) indicator.Period {
		c := ctgs[(i*7919)%len(ctgs)]
		return indicator.Period{From: c.Start, To: c.End}
	})
	run("ctg-year", ctgOf, func(i int) indicator.Period {
		y := ctgs[(i*7919)%len(ctgs)].Start.Year + 1
		return indicator.Period{From: civil.YearStart(y), To: civil.YearEnd(y)}
	})
	run("national", func(int) indicator.Scope { return indicator.Scope{Kind: indicator.ScopeAll} },
		func(int) indicator.Period { return all })
	// a write recounts its CTG's month, its posts' and its Caf's before
	// the commit: this adds alerts to the benchmark database
	b.Run("write-alert", func(b *testing.B) {
		i := 0
		for b.Loop() {
			c := ctgs[(i*7919)%len(ctgs)]
			posts, err := db.Posts(ctx, c.ID)
			if err != nil || len(posts) == 0 {
				b.Fatalf("posts of CTG %d: %v", c.ID, err)
			}
			r := journal.Record{CTGID: c.ID, PostID: posts[0].ID, Kind: journal.Alerte, Date: c.Start.AddDays(400),
				Title: "Alerte de mesure", Nature: "retard", Status: "ouverte"}
			if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveRecord(&r, nomenclature.Default) }); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
