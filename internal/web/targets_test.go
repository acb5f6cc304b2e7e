package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestTargetsShowAgainstFigures(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s) // two alerts in 2024
	admin := adminClient(t, db, s)
	base := s.URL + "/ctg/" + itoa(s.mine.ID)
	token := csrfOf(t, admin, base+"/targets")
	code, body, _ := post(t, admin, base+"/targets", url.Values{"csrf": {token}, "t_S12b_2024": {"dix"}, "t_S31_2024": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="dix"`) {
		t.Fatalf("bad target accepted: %d", code)
	}
	code, _, _ = post(t, admin, base+"/targets", url.Values{"csrf": {token}, "t_S12b_0": {"1"}, "t_S12b_2024": {"10"}, "t_S31_2024": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("save targets: %d", code)
	}
	_, body, _ = get(t, admin, base+"/indicators?year=2024")
	s12b := body[strings.Index(body, `id="ind-S12b"`):]
	s12b = s12b[:strings.Index(s12b, "</tr>")]
	if !strings.Contains(s12b, ">2</a>") || !strings.Contains(s12b, "en retard sur la cible") || !strings.Contains(s12b, ">10<") {
		t.Errorf("S12b row = %s", s12b)
	}
	s31 := body[strings.Index(body, `id="ind-S31"`):]
	if s31 = s31[:strings.Index(s31, "</tr>")]; !strings.Contains(s31, "cible atteinte") {
		t.Errorf("S31 row = %s", s31)
	}
	officer := login(t, s)
	if code, _, _ := get(t, officer, base+"/targets"); code != http.StatusForbidden {
		t.Errorf("an officer edits targets: %d", code)
	}
}
