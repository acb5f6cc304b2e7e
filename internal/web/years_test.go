package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A Caf administrator closes a year on the CTG page; an officer's record
// of that year is then refused with a French message, and the reopening
// needs a reason, kept in the CTG's history (issue 12, item 3).
func TestClosedYearInTheBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		officer, admin := login(t, s), adminClient(t, db, s)
		base := s.URL + ctgURL(s.mine.ID)
		if _, page, _ := get(t, officer, base); strings.Contains(page, "/years/2024/close") {
			t.Errorf("an officer is offered to close a year")
		}
		token := csrfOf(t, admin, base)
		if code, _, _ := post(t, admin, base+"/years/2024/close", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("close 2024: %d", code)
		}
		if _, page, _ := get(t, officer, base); !strings.Contains(page, "<strong>2024</strong> : close depuis le") {
			t.Errorf("the CTG page does not say 2024 is closed")
		}
		otoken := csrfOf(t, officer, base+"/records/new?kind=expertise")
		_, form, _ := get(t, officer, base+"/records/new?kind=expertise")
		postID := regexp1(t, form, `<option value="(\d+)" selected>`)
		expertise := func(date string) url.Values {
			return url.Values{"csrf": {otoken}, "kind": {"expertise"}, "date": {date}, "post": {postID},
				"title": {"Juriste de la Caf"}, "nature": {"juridique"}, "instance_kind": {"copil"}}
		}
		code, page, _ := post(t, officer, base+"/records", expertise("2024-05-02"))
		if code != http.StatusConflict || !strings.Contains(page, "L&#39;année 2024 de cette CTG est close") {
			t.Errorf("a 2024 record in a closed year: %d %s", code, snippet(pageMain(page)))
		}
		if code, _, _ := post(t, officer, base+"/records", expertise("2025-05-02")); code != http.StatusSeeOther {
			t.Errorf("a 2025 record: %d", code)
		}
		if code, _, _ := post(t, officer, base+"/years/2024/reopen", url.Values{"csrf": {otoken}, "reason": {"moi"}}); code != http.StatusForbidden {
			t.Errorf("an officer reopens: %d", code)
		}
		code, page, _ = post(t, admin, base+"/years/2024/reopen", url.Values{"csrf": {token}, "reason": {" "}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Indiquez pourquoi") {
			t.Errorf("reopen without a reason: %d %s", code, snippet(pageMain(page)))
		}
		if code, _, _ := post(t, admin, base+"/years/2024/reopen", url.Values{"csrf": {token}, "reason": {"Expertise oubliée"}}); code != http.StatusSeeOther {
			t.Errorf("reopen: %d", code)
		}
		if code, _, _ := post(t, officer, base+"/records", expertise("2024-05-02")); code != http.StatusSeeOther {
			t.Errorf("a 2024 record after reopening: %d", code)
		}
	})
}
