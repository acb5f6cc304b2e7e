package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// The national reader reads what the nation needs, not what a named post
// costs (issue 12, item 4): neither on the CTG page nor in a fiche de
// poste; a Caf's advisor sees both.
func TestNationalReaderSeesNoCostOfANamedPost(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		if err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			u := account.User{Email: "national@cnaf.fr", Name: "Nadia National", Role: account.National}
			return tx.CreateUser(&u, password)
		}); err != nil {
			t.Fatal(err)
		}
		national := client(t)
		post(t, national, s.URL+"/login", url.Values{"email": {"national@cnaf.fr"}, "password": {password}})
		officer := login(t, s)
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		fiche := s.URL + ctgURL(s.mine.ID) + "/posts/" + strconv.FormatInt(posts[0].ID, 10) + "/fiche"
		_, page, _ := get(t, national, s.URL+ctgURL(s.mine.ID))
		if strings.Contains(page, "Cofinancement Caf") || !strings.Contains(page, "Agnès Agent") {
			t.Errorf("the national reader's CTG page shows the post's cost, or not its holder")
		}
		_, page, _ = get(t, officer, s.URL+ctgURL(s.mine.ID))
		if !strings.Contains(page, "Cofinancement Caf") {
			t.Errorf("the officer's CTG page lacks the post's cost")
		}
		_, page, _ = get(t, national, fiche)
		if strings.Contains(page, "Coût annuel du poste") || !strings.Contains(page, "Coût indicatif") {
			t.Errorf("the national reader's fiche de poste shows the post's cost")
		}
		_, page, _ = get(t, officer, fiche)
		if !strings.Contains(page, "Coût annuel du poste") {
			t.Errorf("the officer's fiche de poste lacks the post's cost")
		}
	})
}
