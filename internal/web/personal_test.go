package web

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/msg"
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

// Every user reads and downloads what Copilote holds on them; the Caf's
// administrator reads an account's, and erases it only once deactivated
// and confirmed (issue 12, item 4). The erased account keeps its records,
// names no one, and cannot come back.
func TestPersonalDataInBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		officer, _ := a.signIn(t, "agent@diois.fr", password)
		code, page, _ := get(t, officer, a.URL+"/account/donnees")
		if code != 200 || !strings.Contains(page, "Agnès Agent") || !strings.Contains(page, "agent@diois.fr") ||
			!strings.Contains(page, "Postes occupés") || !strings.Contains(page, "Durée de conservation") || strings.Contains(page, "/erase") {
			t.Errorf("own personal data: %d %s", code, snippet(page))
		}
		code, body, h := get(t, officer, a.URL+"/account/donnees?format=json")
		var got struct {
			Nom        string                       `json:"nom"`
			Adresse    string                       `json:"adresse_electronique"`
			Postes     []struct{ CTG string }       `json:"postes"`
			Historique []struct{ Operation string } `json:"historique_du_compte"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 || got.Nom != "Agnès Agent" || got.Adresse != "agent@diois.fr" ||
			len(got.Postes) != 1 || got.Postes[0].CTG != a.mine.Name || len(got.Historique) == 0 ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || strings.Contains(body, "argon2") {
			t.Errorf("download: %d %v %+v %s", code, err, got, snippet(body))
		}

		u, _ := db.UserByEmail(context.Background(), "agent@diois.fr")
		account := a.URL + "/caf/accounts/" + itoa(u.ID)
		if code, page, _ := get(t, a.admin, account+"/donnees"); code != 200 || !strings.Contains(page, "Agnès Agent") || !strings.Contains(page, "désactivez-le d'abord") {
			t.Errorf("administrator's view of an active account: %d %s", code, snippet(page))
		}
		if code, page, _ := post(t, a.admin, account+"/erase", url.Values{"csrf": {a.adminTok}, "confirm": {"oui"}}); code != 422 ||
			!strings.Contains(page, html.EscapeString(msg.Text(msg.EraseActive))) {
			t.Errorf("erasure of an active account: %d %s", code, snippet(page))
		}
		post(t, a.admin, account+"/deactivate", url.Values{"csrf": {a.adminTok}})
		if code, page, _ := post(t, a.admin, account+"/erase", url.Values{"csrf": {a.adminTok}}); code != 422 ||
			!strings.Contains(page, html.EscapeString(msg.Text(msg.EraseConfirm))) || !strings.Contains(page, `href="#f-confirm"`) {
			t.Errorf("erasure unconfirmed: %d %s", code, snippet(page))
		}
		if code, _, _ := get(t, a.admin, a.URL+"/caf/accounts/"+itoa(a.stranger.ID)+"/donnees"); code != 404 {
			t.Errorf("another Caf's account: %d", code)
		}
		code, _, h = post(t, a.admin, account+"/erase", url.Values{"csrf": {a.adminTok}, "confirm": {"oui"}})
		if code != 303 || !strings.HasSuffix(h.Get("Location"), "?ok=erased") {
			t.Fatalf("erasure: %d %s", code, h.Get("Location"))
		}
		_, page, _ = get(t, a.admin, account)
		if strings.Contains(page, "Agnès") || !strings.Contains(page, "Personne effacée") || !strings.Contains(page, "ne peut plus être réactivé") {
			t.Errorf("erased account's page: %s", snippet(page))
		}
		if _, page, _ := get(t, a.admin, a.URL+"/ctg/"+itoa(a.mine.ID)); strings.Contains(page, "Agnès") {
			t.Errorf("the CTG's page still names the person")
		}
		if code, _, _ := post(t, a.admin, account+"/reactivate", url.Values{"csrf": {a.adminTok}}); code == 303 {
			t.Errorf("an erased account was reactivated")
		}
		if code, _, _ := post(t, client(t), a.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password}}); code != 401 {
			t.Errorf("erased account signed in: %d", code)
		}
		if _, page, _ := get(t, a.admin, a.URL+"/caf/audit?action=erase"); !strings.Contains(page, "effacement des données personnelles") {
			t.Errorf("audit page lacks the erasure: %s", snippet(page))
		}
	})
}
