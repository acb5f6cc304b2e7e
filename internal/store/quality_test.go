package store_test

import (
	"testing"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/quality"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestQualityFacts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		m := meeting(f) // a Copil on 2024-03-05
		if err := db.Write(ctx, 0, func(tx *store.Tx) error { return tx.SaveRecord(&m, nomenclature.Default) }); err != nil {
			t.Fatal(err)
		}
		facts, err := db.QualityFacts(ctx, store.Scope{All: true}, civil.MustParse("2024-11-27"))
		if err != nil || len(facts) != 1 {
			t.Fatalf("facts = %+v, %v", facts, err)
		}
		got := facts[0]
		if got.LastCopil.String() != "2024-03-05" || got.HasActions || len(got.PostsLastAt) != 2 {
			t.Errorf("facts = %+v", got)
		}
		// the chef authored the Copil; the other post only took part
		for _, p := range got.PostsLastAt {
			if (p.PostID == f.chef.ID) != (p.Last.String() == "2024-03-05") {
				t.Errorf("post %s last record %v", p.Person, p.Last)
			}
		}
		w := quality.Check(got, civil.MustParse("2024-11-27"))
		if len(w) != 2 || w[0].Kind != quality.SilentPost {
			t.Errorf("warnings = %+v", w)
		}
	})
}
