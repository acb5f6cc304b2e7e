package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func adminClient(t *testing.T, db *store.DB, s *site) *http.Client {
	t.Helper()
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		u := account.User{Email: "admin@caf.fr", Name: "Adèle Admin", Role: account.Admin, CafID: s.mine.CafID}
		return tx.CreateUser(&u, password)
	})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t)
	if code, _, _ := post(t, c, s.URL+"/login", url.Values{"email": {"admin@caf.fr"}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d", code)
	}
	return c
}

// Picking an EPCI fills in its communes and population.
func TestCreateCTGFromEPCIAndAddPost(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		officer := login(t, s)
		if code, _, _ := get(t, officer, s.URL+"/ctg/new"); code != http.StatusForbidden {
			t.Errorf("an officer may open the CTG creation form: %d", code)
		}
		admin := adminClient(t, db, s)
		token := csrfOf(t, admin, s.URL+"/ctg/new")
		code, body, _ := post(t, admin, s.URL+"/ctg", url.Values{"csrf": {token}, "name": {"CTG du Royans"},
			"epci": {"nulle part"}, "start": {"2025-01-01"}, "end": {"2024-12-31"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "EPCI introuvable") || !strings.Contains(body, "La date de fin doit suivre") {
			t.Errorf("invalid CTG: %d", code)
		}
		code, _, h := post(t, admin, s.URL+"/ctg", url.Values{"csrf": {token}, "name": {"CTG du Royans-Vercors"},
			"epci": {"200067767"}, "start": {"2025-01-01"}, "end": {"2029-12-31"}, "axis": {"petite_enfance", "handicap"},
			"signatory_1": {"Caf de la Drôme"}, "objective_label_1": {"Un RPE"}, "objective_kind_1": {"nouveau_service"}, "objective_target_1": {"1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create CTG: %d", code)
		}
		page := s.URL + strings.Split(h.Get("Location"), "?")[0]
		_, body, _ = get(t, admin, page)
		for _, want := range []string{"CC du Royans-Vercors – SIREN 200067767", "18 communes", "9\u202f827 habitants", "Un RPE", "Handicap"} {
			if !strings.Contains(body, want) {
				t.Errorf("CTG page lacks %q", want)
			}
		}
		code, _, _ = post(t, admin, page+"/posts", url.Values{"csrf": {token}, "person": {"Rémi Royans"}, "employer": {"CC du Royans-Vercors"},
			"etp": {"0,6"}, "start": {"2025-01-01"}, "function": {"2.1", "3.2"}})
		if code != http.StatusSeeOther {
			t.Fatalf("add post: %d", code)
		}
		_, body, _ = get(t, admin, page)
		if !strings.Contains(body, "Rémi Royans") || !strings.Contains(body, "28\u202f800 €") {
			t.Errorf("post not listed with its default cost (0,6 × 48 000 €)")
		}
		code, body, _ = post(t, admin, page+"/posts", url.Values{"csrf": {token}, "person": {"X"}, "employer": {"Y"}, "etp": {"deux"}, "start": {"2025-01-01"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Déléguez au moins une fonction") || !strings.Contains(body, "Saisissez un nombre.") {
			t.Errorf("invalid post: %d", code)
		}
	})
}
