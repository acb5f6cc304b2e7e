package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestCafAndNationalDashboards(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	officer := login(t, s)
	if code, _, _ := get(t, officer, s.URL+"/caf/indicators"); code != 403 {
		t.Errorf("an officer opens the Caf dashboard: %d", code)
	}
	admin := adminClient(t, db, s)
	code, body, _ := get(t, admin, s.URL+"/caf/indicators?year=2024")
	if code != 200 || !strings.Contains(body, "CTG du Diois") || !strings.Contains(body, "CTG du Royans-Vercors") || !strings.Contains(body, "<abbr title=") {
		t.Fatalf("Caf dashboard: %d %s", code, snippet(body))
	}
	// S12b (alerts) is 2 for the Diois in 2024, 0 for the other CTG, 2 in all
	if !strings.Contains(body, "/indicators/S12b?from=2024-01-01&amp;to=2024-12-31\">2<span class=\"visually-hidden\"> : S12b, CTG du Diois") {
		t.Errorf("S12b of the Diois not linked to its records")
	}
	if code, _, _ := get(t, admin, s.URL+"/national/indicators"); code != 403 {
		t.Errorf("a Caf admin opens the national dashboard: %d", code)
	}
	db.Write(context.Background(), 0, func(tx *store.Tx) error {
		u := account.User{Email: "national@cnaf.fr", Name: "Nadia National", Role: account.National}
		return tx.CreateUser(&u, password)
	})
	national := client(t)
	post(t, national, s.URL+"/login", url.Values{"email": {"national@cnaf.fr"}, "password": {password}})
	code, body, _ = get(t, national, s.URL+"/national/indicators")
	if code != 200 || !strings.Contains(body, "Caf de la Drôme") || !strings.Contains(body, "France") {
		t.Errorf("national dashboard: %d %s", code, snippet(body))
	}
}
