package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func csrfOf(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	_, body, _ := get(t, c, u)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", u)
	}
	return m[1]
}

func addPartner(t *testing.T, db *store.DB, cafID int64, name string) partner.Partner {
	t.Helper()
	p := partner.Partner{CafID: cafID, Name: name, Type: "association"}
	if err := db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.SavePartner(&p, nomenclature.Default) }); err != nil {
		t.Fatal(err)
	}
	return p
}

// A Copil with two decisions and an alert is one form, one request.
func TestCopilWithDecisionsAndAlertInOnePost(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		addPartner(t, db, s.mine.CafID, "Centre social Le Lien")
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID)
		code, body, _ := get(t, c, base+"/records/new?kind=reunion")
		if code != 200 || !strings.Contains(body, "Décisions prises (réunion de Copil)") || !strings.Contains(body, `name="role_`) {
			t.Fatalf("meeting form: %d %s", code, snippet(body))
		}
		token := csrfRe.FindStringSubmatch(body)[1]
		postID := regexp1(t, body, `<option value="(\d+)" selected>Agnès Agent</option>`)
		form := url.Values{"csrf": {token}, "kind": {"reunion"}, "date": {"2024-03-05"}, "post": {postID},
			"title": {"Copil n°3"}, "nature": {"copil"}, "role_" + postID: {"animation", "releve_decisions"},
			"partner_name": {"le lien"}, "comment": {"1. Bilan 2023\n2. Programmation 2024"},
			"dec_title_1": {"Ouvrir un lieu d'accueil enfants-parents"}, "dec_axis_1": {"parentalite"}, "dec_facilitated_1": {"on"},
			"dec_title_2": {"Étendre le RPE à trois communes"}, "dec_axis_2": {"petite_enfance"},
			"al_title_1": {"Retard du diagnostic jeunesse"}, "al_nature_1": {"retard"}, "al_status_1": {"ouverte"}}
		code, _, h := post(t, c, base+"/records", form)
		if code != http.StatusSeeOther {
			t.Fatalf("create meeting: %d", code)
		}
		code, page, _ := get(t, c, s.URL+h.Get("Location"))
		for _, want := range []string{"Copil n°3", "Centre social Le Lien", "Décision : Ouvrir un lieu d&#39;accueil enfants-parents",
			"Décision : Étendre le RPE à trois communes", "Alerte : Retard du diagnostic jeunesse", "Enregistrement effectué."} {
			if !strings.Contains(page, want) {
				t.Errorf("meeting page lacks %q", want)
			}
		}
		_, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}})
		if code != 200 || n != 4 {
			t.Errorf("records written = %d, want 4 (meeting, 2 decisions, alert)", n)
		}
		dec, _, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, Kind: journal.Decision, Q: "lieu"})
		if len(dec) != 1 || !dec[0].Facilitated || dec[0].Axis != "parentalite" || dec[0].MeetingID == 0 {
			t.Errorf("decision = %+v", dec)
		}
	})
}

// A rejected form keeps every value typed and writes nothing.
func TestInvalidFormKeepsInputAndWritesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID)
		token := csrfOf(t, c, base+"/records/new?kind=reunion")
		form := url.Values{"csrf": {token}, "kind": {"reunion"}, "date": {"31/02/2024"}, "title": {"Réunion de veille du mardi"},
			"nature": {"veille"}, "comment": {"Texte long à ne pas perdre"}, "partner_name": {"Inconnu au bataillon"},
			"dec_title_1": {"Une décision"}}
		code, body, _ := post(t, c, base+"/records", form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", code)
		}
		for _, want := range []string{"Saisissez une date valide", `value="31/02/2024"`, `value="Réunion de veille du mardi"`,
			"Texte long à ne pas perdre", "Partenaire introuvable ou ambigu : Inconnu au bataillon", `value="Inconnu au bataillon"`,
			"Les décisions et alertes se rattachent à une réunion de Copil", `aria-invalid="true"`, `class="error-summary"`} {
			if !strings.Contains(body, want) {
				t.Errorf("re-rendered form lacks %q", want)
			}
		}
		if _, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}}); n != 0 {
			t.Errorf("%d records written by a rejected form", n)
		}
	})
}

func TestEditDeleteRestore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID)
		token := csrfOf(t, c, base+"/records/new?kind=expertise")
		_, body, _ := get(t, c, base+"/records/new?kind=expertise")
		postID := regexp1(t, body, `<option value="(\d+)" selected>`)
		_, _, h := post(t, c, base+"/records", url.Values{"csrf": {token}, "kind": {"expertise"}, "date": {"2024-05-02"},
			"post": {postID}, "title": {"Juriste de la Caf"}, "nature": {"juridique"}, "instance_kind": {"copil"}})
		loc := h.Get("Location")
		if !strings.Contains(loc, "/records/") {
			t.Fatalf("create: %s", loc)
		}
		recURL := s.URL + strings.Split(loc, "?")[0]
		_, edit, _ := get(t, c, recURL+"/edit")
		if !strings.Contains(edit, `value="Juriste de la Caf"`) {
			t.Errorf("edit form not filled")
		}
		code, _, _ := post(t, c, recURL, url.Values{"csrf": {token}, "date": {"2024-05-02"}, "post": {postID},
			"title": {"Juriste de la Caf (bail)"}, "nature": {"juridique"}, "instance_kind": {"groupe_travail"}})
		if code != http.StatusSeeOther {
			t.Fatalf("update: %d", code)
		}
		if code, _, _ := post(t, c, recURL+"/delete", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("delete: %d", code)
		}
		// a deleted record is for those who may restore it (security probe, defect 8c)
		if code, _, _ := get(t, c, recURL); code != http.StatusNotFound {
			t.Errorf("an officer opens a deleted record: %d, want 404", code)
		}
		if code, _, _ := post(t, c, recURL+"/restore", url.Values{"csrf": {token}}); code != http.StatusForbidden {
			t.Errorf("officer restored a record: %d", code)
		}
		_, page, _ := get(t, adminClient(t, db, s), recURL)
		if !strings.Contains(page, "Cet enregistrement a été supprimé") || !strings.Contains(page, ">Restaurer<") {
			t.Errorf("an administrator sees no restore button or no deletion notice")
		}
		for _, want := range []string{"création par Agnès Agent", "modification par Agnès Agent", "suppression par Agnès Agent"} {
			if !strings.Contains(page, want) {
				t.Errorf("history lacks %q", want)
			}
		}
	})
}

func TestSupportUploadChecksType(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	c := login(t, s)
	base := s.URL + "/ctg/" + itoa(s.mine.ID)
	_, body, _ := get(t, c, base+"/records/new?kind=support")
	token := csrfRe.FindStringSubmatch(body)[1]
	postID := regexp1(t, body, `<option value="(\d+)" selected>`)
	send := func(name string, content []byte) (int, string, http.Header) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, v := range map[string]string{"csrf": token, "kind": "support", "date": "2024-06-01", "post": postID,
			"title": "Plaquette RPE", "nature": "plaquette", "audience": "habitants"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(content)
		mw.Close()
		res, err := c.Post(base+"/records", mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out bytes.Buffer
		out.ReadFrom(res.Body)
		return res.StatusCode, out.String(), res.Header
	}
	code, page, _ := send("virus.pdf", []byte("MZ\x90\x00 not a pdf"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Type de fichier non accepté") {
		t.Errorf("fake PDF: %d", code)
	}
	code, _, h := send("plaquette.pdf", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n"))
	if code != http.StatusSeeOther {
		t.Fatalf("real PDF: %d", code)
	}
	rec := s.URL + strings.Split(h.Get("Location"), "?")[0]
	_, page, _ = get(t, c, rec)
	if !strings.Contains(page, "plaquette.pdf") {
		t.Errorf("record page does not link its file")
	}
	code, pdf, hdr := get(t, c, rec+"/file")
	if code != 200 || !strings.HasPrefix(pdf, "%PDF") || hdr.Get("Content-Type") != "application/pdf" {
		t.Errorf("download: %d %q", code, hdr.Get("Content-Type"))
	}
}
