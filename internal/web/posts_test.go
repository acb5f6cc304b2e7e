package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// loginAs signs in the account of email (password: the tests' own).
func loginAs(t *testing.T, s *site, email string) *http.Client {
	t.Helper()
	c := client(t)
	if code, _, _ := post(t, c, s.URL+"/login", url.Values{"email": {email}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, code)
	}
	return c
}

// An advisor's post form must not hand a CTG to anyone but an officer of
// its Caf: the demo's attack gave a post of the Diois to an officer of
// another Caf (user=9), who then read its whole journal and wrote in it;
// an unknown id answered 500.
func TestPostHolderMustBeAnOfficerOfTheCaf(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		var foreign, advisor account.User
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			caf := ctg.Caf{Code: "038", Name: "Caf de l'Isère"}
			if err := tx.CreateCaf(&caf); err != nil {
				return err
			}
			c := ctg.CTG{CafID: caf.ID, Name: "CTG du Trièves", Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
			if err := tx.CreateCTG(&c, nomenclature.Default); err != nil {
				return err
			}
			foreign = account.User{Email: "agent@trieves.fr", Name: "Ernest Étranger", Role: account.Officer, CafID: caf.ID}
			if err := tx.CreateUser(&foreign, password); err != nil {
				return err
			}
			advisor = account.User{Email: "conseil@caf.fr", Name: "Constance Conseil", Role: account.Advisor, CafID: s.mine.CafID}
			if err := tx.CreateUser(&advisor, password); err != nil {
				return err
			}
			return tx.GrantCTG(advisor.ID, s.mine.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		adv := loginAs(t, s, advisor.Email)
		posts := s.URL + "/ctg/" + itoa(s.mine.ID) + "/posts"
		token := csrfOf(t, adv, posts+"/new")
		existing, err := db.Posts(context.Background(), s.mine.ID)
		if err != nil || len(existing) != 1 {
			t.Fatalf("posts: %v %v", existing, err)
		}
		for _, target := range []string{posts, posts + "/" + itoa(existing[0].ID)} {
			for _, user := range []int64{foreign.ID, advisor.ID, 9999} {
				code, body, _ := post(t, adv, target, url.Values{"csrf": {token}, "person": {"Ernest Étranger"}, "employer": {"CC"},
					"etp": {"1"}, "start": {"2023-01-01"}, "function": {"1.1"}, "user": {itoa(user)}})
				if code != http.StatusUnprocessableEntity ||
					!strings.Contains(body, "Le compte doit être celui d&#39;un(e) chargé(e) de coopération actif(ve) de la Caf de cette CTG.") ||
					!strings.Contains(body, `id="e-user"`) {
					t.Errorf("POST %s user=%d: %d %s", target, user, code, snippet(body))
				}
			}
		}
		if code, _, _ := get(t, loginAs(t, s, foreign.Email), s.URL+"/ctg/"+itoa(s.mine.ID)+"/journal"); code != http.StatusNotFound {
			t.Errorf("the other Caf's officer reads the journal: %d", code)
		}
	})
}
