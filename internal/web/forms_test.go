package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// The error summary at the top of a form names each field at fault with
// its label, in the order of the page, each a link to its field; it is
// announced (role="alert") and takes the focus (issue 11, item 4).
func TestErrorSummaryNamesEachFieldInPageOrder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + ctgURL(s.mine.ID)
		token := csrfOf(t, c, base+"/records/new?kind=alerte")
		code, body, _ := post(t, c, base+"/records", url.Values{"csrf": {token}, "kind": {"alerte"}, "date": {"31/02/2024"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("empty alert: %d", code)
		}
		box := summaryRe.FindString(body)
		for _, want := range []string{`role="alert"`, `tabindex="-1"`, "autofocus", "5 champs à corriger"} {
			if !strings.Contains(box, want) {
				t.Errorf("the summary lacks %s: %s", want, box)
			}
		}
		var got []string
		for _, m := range regexp.MustCompile(`<li><a href="#([^"]+)">([^<]+)</a></li>`).FindAllStringSubmatch(box, -1) {
			got = append(got, m[1]+" "+m[2])
		}
		want := []string{
			"f-date Date : saisissez une date valide, par exemple 15/03/2025.",
			"f-post Auteur(e) : ce poste n&#39;appartient pas à cette CTG.",
			"f-title Objet de l&#39;alerte : ce champ est obligatoire.",
			"f-nature Nature de l&#39;alerte : ce champ est obligatoire.",
			"f-status Statut : ce champ est obligatoire.",
		}
		if !slices.Equal(got, want) {
			t.Errorf("summary entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if gaps := summaryGaps([]byte(body)); len(gaps) > 0 {
			t.Errorf("entries without their field: %q", gaps)
		}
	})
}

// A required choice starts empty ("— choisir —") or on a sensible default,
// the same in the full record form and in the quick forms of a Copil
// meeting's page: an alert's nature is chosen, its status starts open.
func TestRequiredChoicesStartAlike(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	posts, _ := db.Posts(context.Background(), s.mine.ID)
	meeting := journal.Record{CTGID: s.mine.ID, PostID: posts[0].ID, Kind: journal.Reunion, Date: civil.MustParse("2024-02-01"),
		Title: "Copil n°1", Nature: nomenclature.MeetingCopil, Roles: []journal.Role{{PostID: posts[0].ID, Role: "animation"}}}
	if err := db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.SaveRecord(&meeting, nomenclature.Default) }); err != nil {
		t.Fatal(err)
	}
	c := login(t, s)
	base := s.URL + ctgURL(s.mine.ID)
	form := func(u string, has string) pageForm {
		t.Helper()
		_, body, _ := get(t, c, u)
		p, err := parsePage(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.forms {
			if _, ok := f.fields[has]; ok && f.method == http.MethodPost {
				return f
			}
		}
		t.Fatalf("%s has no form with %s", u, has)
		return pageForm{}
	}
	full := form(base+"/records/new?kind=alerte", "nature")
	quick := form(base+recordURL(s.mine.ID, meeting.ID)[len(ctgURL(s.mine.ID)):], "status")
	rows := form(base+"/records/new?kind=reunion", "al_nature_1")
	for _, c := range []struct {
		where, nature, status string
	}{{"full alert form", full.fields.Get("nature"), full.fields.Get("status")},
		{"quick alert form of the meeting page", quick.fields.Get("nature"), quick.fields.Get("status")},
		{"alert rows of the meeting form", rows.fields.Get("al_nature_1"), rows.fields.Get("al_status_1")}} {
		if c.nature != "" || c.status != "ouverte" {
			t.Errorf("%s starts with nature %q and status %q, want none chosen and « ouverte »", c.where, c.nature, c.status)
		}
	}
	_, body, _ := get(t, c, base+"/records/new?kind=alerte")
	if !strings.Contains(body, `<option value="">— choisir —</option>`) {
		t.Errorf("a required choice does not say « — choisir — »")
	}
}
