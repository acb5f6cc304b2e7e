package synth

import (
	"context"
	"testing"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// BenchmarkSynthSQLite loads 100 000 records into a SQLite file per
// iteration and reports the rate.
func BenchmarkSynthSQLite(b *testing.B) {
	for b.Loop() {
		db := storetest.Open(b, store.SQLite)
		s, err := Run(context.Background(), db, Options{Scale: 0.01, Seed: 1, Years: 5})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(s.RecordsPerSecond(), "records/s")
	}
}
