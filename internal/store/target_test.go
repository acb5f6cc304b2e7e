package store_test

import (
	"math"
	"testing"

	"copilote/internal/apperr"
	"copilote/internal/indicator"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestTargetsRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		in := []indicator.Target{{Indicator: "S12b", Year: 0, Value: 2}, {Indicator: "S12b", Year: 2024, Value: 6}, {Indicator: "E32", Year: 2026, Value: 0.4}}
		if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveTargets(f.ctg.ID, in) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.Targets(ctx, f.ctg.ID)
		if err != nil || got["S12b"][2024] != 6 || got["E32"][2026] != 0.4 {
			t.Errorf("targets = %v, %v", got, err)
		}
		if b, ok := got.Baseline("S12b"); !ok || b != 2 {
			t.Errorf("baseline = %v", b)
		}
		bad := []indicator.Target{{Indicator: "X99", Year: 2024, Value: 1}}
		err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveTargets(f.ctg.ID, bad) })
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("unknown indicator accepted: %v", err)
		}
		if got, _ := db.Targets(ctx, f.ctg.ID); len(got) != 2 {
			t.Errorf("a rejected save changed the targets: %v", got)
		}
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			bad := []indicator.Target{{Indicator: "S12b", Year: 2024, Value: v}}
			err = db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveTargets(f.ctg.ID, bad) })
			if apperr.As(err).Fields["value"] != "Saisissez un nombre." {
				t.Errorf("target %v: %v", v, err)
			}
		}
		if got, _ := db.Targets(ctx, f.ctg.ID); got["S12b"][2024] != 6 {
			t.Errorf("a rejected save changed the targets: %v", got)
		}
	})
}
