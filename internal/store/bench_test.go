package store_test

import (
	"context"
	"testing"

	"copilote/internal/demo"
	"copilote/internal/indicator"
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
					if _, err := db.Indicators(context.Background(), indicator.Scope{Kind: indicator.ScopeCTG, CTGID: c.ID}, p); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("all", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.Indicators(context.Background(), indicator.Scope{Kind: indicator.ScopeAll}, p); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
