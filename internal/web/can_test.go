package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A record's page offers "Modifier" and "Supprimer" exactly to those whose
// requests for them are accepted: the officer who wrote it, the advisor and
// the administrator; not the colleague of the same CTG, nor the readers.
// The quick forms of a Copil meeting post as a post the user may record
// as: the colleague's own when the meeting is the officer's.
func TestRecordPageOffersWhatItsRoutesAccept(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		s := m.sites[own]
		meeting := journal.Record{CTGID: s.ctg.ID, PostID: s.post, Kind: journal.Reunion, Date: civil.MustParse("2024-02-01"),
			Title: "Copil n°1", Nature: nomenclature.MeetingCopil, Roles: []journal.Role{{PostID: s.post, Role: "animation"}}}
		if err := db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.SaveRecord(&meeting, nomenclature.Default) }); err != nil {
			t.Fatal(err)
		}
		colleaguePost := int64(0)
		posts, _ := db.Posts(context.Background(), s.ctg.ID)
		for _, p := range posts {
			if p.UserID == m.users[colleague].ID {
				colleaguePost = p.ID
			}
		}
		for _, id := range []int64{s.record, meeting.ID} {
			page := m.URL + recordURL(s.ctg.ID, id)
			for _, u := range []who{officer, colleague, advisor, cafAdmin, copilMbr, national} {
				c := m.clients[u]
				_, body, _ := get(t, c, page)
				offered := strings.Contains(body, `/edit">Modifier<`) && strings.Contains(body, `/delete">Supprimer<`)
				code, _, _ := get(t, c, page+"/edit")
				if offered != (code == http.StatusOK) {
					t.Errorf("%s on record %d: Modifier offered %v, the edit page answers %d", u, id, offered, code)
				}
				if want := u != colleague && u != copilMbr && u != national; offered != want {
					t.Errorf("%s on record %d: Modifier offered %v, want %v", u, id, offered, want)
				}
				if id != meeting.ID {
					continue
				}
				quick := strings.Contains(body, "Ajouter une décision")
				if want := u != copilMbr && u != national; quick != want {
					t.Errorf("%s: quick forms offered %v, want %v", u, quick, want)
				}
				if u == colleague && !strings.Contains(body, `name="post" value="`+strconv.FormatInt(colleaguePost, 10)+`"`) {
					t.Errorf("the colleague's quick forms do not post as the colleague's post")
				}
			}
		}
	})
}

// A closed year changes no more: a record dated in it offers neither
// "Modifier" nor "Supprimer" nor a meeting's quick forms, says why, and its
// edit page answers 409 with the reason, for everyone who could change it
// before; once the year is reopened, they come back.
func TestClosedYearOffersNoChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		s := m.sites[own]
		meeting := journal.Record{CTGID: s.ctg.ID, PostID: s.post, Kind: journal.Reunion, Date: civil.MustParse("2024-02-01"),
			Title: "Copil n°1", Nature: nomenclature.MeetingCopil, Roles: []journal.Role{{PostID: s.post, Role: "animation"}}}
		lock := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := db.Write(context.Background(), m.users[cafAdmin].ID, fn); err != nil {
				t.Fatal(err)
			}
		}
		lock(func(tx *store.Tx) error { return tx.SaveRecord(&meeting, nomenclature.Default) })
		lock(func(tx *store.Tx) error { return tx.CloseYear(s.ctg.ID, 2024) })
		page := m.URL + recordURL(s.ctg.ID, meeting.ID)
		for _, u := range []who{officer, advisor, cafAdmin} {
			_, body, _ := get(t, m.clients[u], page)
			if strings.Contains(body, `/edit">Modifier<`) || strings.Contains(body, "Ajouter une décision") {
				t.Errorf("%s is offered to change a record of a closed year", u)
			}
			if !strings.Contains(body, "L&#39;année 2024 de cette CTG est close") {
				t.Errorf("%s is not told why the record of 2024 changes no more", u)
			}
			if code, body, _ := get(t, m.clients[u], page+"/edit"); code != http.StatusConflict || !strings.Contains(body, "est close") {
				t.Errorf("%s: the edit page of a closed year's record answers %d", u, code)
			}
		}
		lock(func(tx *store.Tx) error { return tx.ReopenYear(s.ctg.ID, 2024, "Saisie oubliée") })
		if _, body, _ := get(t, m.clients[officer], page); !strings.Contains(body, `/edit">Modifier<`) {
			t.Error("the reopened year's record offers no change")
		}
	})
}
