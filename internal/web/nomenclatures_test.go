package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestCafExtendsANomenclature(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	if code, _, _ := get(t, login(t, s), s.URL+"/caf/nomenclatures"); code != 403 {
		t.Errorf("an officer opens the lists: %d", code)
	}
	admin := adminClient(t, db, s)
	token := csrfOf(t, admin, s.URL+"/caf/nomenclatures")
	if code, _, _ := post(t, admin, s.URL+"/caf/nomenclatures", url.Values{"csrf": {token}, "kind": {"expertise_nature"}, "label": {"Médiation familiale"}}); code != 303 {
		t.Fatalf("add value: %d", code)
	}
	code, body, _ := post(t, admin, s.URL+"/caf/nomenclatures", url.Values{"csrf": {token}, "kind": {"expertise_nature"}, "label": {"Juridique"}})
	if code != 422 || !strings.Contains(body, "Cette valeur existe déjà dans la liste.") {
		t.Errorf("duplicate value: %d", code)
	}
	set, _ := db.Nomenclature(context.Background(), s.mine.CafID)
	if !set.Has(nomenclature.ExpertiseNature, "mediation_familiale") {
		t.Error("the Caf's value is not in its list")
	}
	if other, _ := db.Nomenclature(context.Background(), 0); other.Has(nomenclature.ExpertiseNature, "mediation_familiale") {
		t.Error("a Caf's value leaked into the national list")
	}
}
