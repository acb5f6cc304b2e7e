package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A Caf administrator browses the audit log, filters it, exports it and
// checks its chain in the browser (issue 12, item 2); nobody else reads it.
func TestAuditLogInTheBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		seedJournal(t, db, s)
		officer, admin := login(t, s), adminClient(t, db, s)
		if code, _, _ := get(t, officer, s.URL+"/caf/audit"); code != http.StatusForbidden {
			t.Errorf("an officer opens the audit log: %d", code)
		}
		code, page, _ := get(t, admin, s.URL+"/caf/audit?action=create&ctg="+itoa(s.mine.ID))
		if code != 200 || !strings.Contains(page, "Retard RPE") || strings.Contains(page, "<td>connexion</td>") {
			t.Errorf("filtered log: %d %s", code, snippet(pageMain(page)))
		}
		// the officer's and the admin's sign-ins, not another Caf's
		_, page, _ = get(t, admin, s.URL+"/caf/audit?action=login")
		if !strings.Contains(page, "Agnès Agent") || !strings.Contains(page, "Adèle Admin") {
			t.Errorf("sign-ins: %s", snippet(pageMain(page)))
		}
		_, page, _ = get(t, admin, s.URL+"/caf/audit?verify=1")
		if !strings.Contains(page, "Journal intègre") {
			t.Errorf("chain check: %s", snippet(pageMain(page)))
		}
		res, err := admin.Get(s.URL + "/caf/audit?" + url.Values{"action": {"create"}, "format": {"csv"}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		csv := string(b)
		if res.StatusCode != 200 || !strings.Contains(csv, "N° dans la chaîne;Date et heure;Compte;Action") ||
			!strings.Contains(csv, "Retard RPE") || strings.Contains(csv, "connexion;") {
			t.Errorf("CSV export: %d %s", res.StatusCode, snippet(csv))
		}
	})
}
