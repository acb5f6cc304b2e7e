package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// A fiche action's page lists the alerts, decisions, meetings and other
// records linked to it; the journal filters and exports by fiche; the
// links name what they open (issue 11, item 5).
func TestFicheListsWhatIsLinkedToIt(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		post := posts[0].ID
		a := actionplan.Action{CTGID: s.mine.ID, Code: "PE-1", Title: "Ouvrir une micro-crèche à Menglon", Axis: "petite_enfance"}
		var meeting journal.Record
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			if err := tx.SaveAction(&a, nomenclature.Default); err != nil {
				return err
			}
			meeting = journal.Record{Kind: journal.Reunion, Title: "Copil n°2", Nature: "copil", ActionID: a.ID,
				Roles: []journal.Role{{PostID: post, Role: "animation"}}}
			recs := []*journal.Record{&meeting,
				{Kind: journal.Decision, Title: "Lancer l'étude de besoins", ActionID: a.ID},
				{Kind: journal.Alerte, Title: "Retard du permis de construire", Nature: "retard", Status: "ouverte", ActionID: a.ID},
				{Kind: journal.Projet, Title: "Crèche parentale", Axis: "petite_enfance", ActionID: a.ID},
				{Kind: journal.Projet, Title: "Projet sans fiche", Axis: "parentalite"}}
			for i, r := range recs {
				r.CTGID, r.PostID, r.Date = s.mine.ID, post, civil.MustParse("2024-04-01").AddDays(i)
				if i == 1 {
					r.MeetingID = meeting.ID
				}
				if err := tx.SaveRecord(r, nomenclature.Default); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := login(t, s)
		base := s.URL + ctgURL(s.mine.ID)
		_, page, _ := get(t, c, base+"/actions/"+itoa(a.ID))
		for _, want := range []string{"Ce qui est lié à cette fiche", "Alertes au Copil (1)", "Décisions du Copil (1)", "Réunions (1)",
			"Autres enregistrements (1)", "Alerte au Copil : Retard du permis de construire", "Décision du Copil : Lancer l&#39;étude de besoins",
			"Réunion : Copil n°2", "Projet : Crèche parentale", `href="/ctg/` + itoa(s.mine.ID) + `/journal?action=` + itoa(a.ID) + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the fiche's page lacks %s", want)
			}
		}
		if strings.Contains(page, "Projet sans fiche") {
			t.Errorf("the fiche's page lists a record not linked to it")
		}
		_, list, _ := get(t, c, base+"/journal?action="+itoa(a.ID))
		if !strings.Contains(list, "<strong>4</strong>") || strings.Contains(list, "Projet sans fiche") ||
			!strings.Contains(list, "Fiche PE-1 : Ouvrir une micro-crèche à Menglon") {
			t.Errorf("the journal filtered by fiche: %s", snippet(list))
		}
		_, csv, _ := get(t, c, base+"/journal?action="+itoa(a.ID)+"&format=csv")
		if n := strings.Count(csv, "\r\n"); n != 5 || !strings.Contains(csv, ";Identifiant;Fiche action\r\n") ||
			!strings.Contains(csv, ";PE-1 – Ouvrir une micro-crèche à Menglon\r\n") {
			t.Errorf("the journal's export by fiche (%d lines): %q", n, csv)
		}
		// a decision's page names its fiche and its meeting
		dec, _, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, Kind: journal.Decision})
		_, rec, _ := get(t, c, base+"/records/"+itoa(dec[0].ID))
		for _, want := range []string{">Fiche PE-1 : Ouvrir une micro-crèche à Menglon</a>", ">Réunion du 01/04/2024 : Copil n°2</a>"} {
			if !strings.Contains(rec, want) {
				t.Errorf("the decision's page lacks the link %s", want)
			}
		}
		if strings.Contains(rec, "voir la fiche") || strings.Contains(rec, "voir la réunion") {
			t.Errorf("the decision's page still says « voir »")
		}
	})
}

// The partner pickers and filters of a CTG show its own partners first.
func TestPartnerPickersShowTheCTGsPartnersFirst(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	addPartner(t, db, s.mine.CafID, "Association Aaa du plateau")
	mine := addPartner(t, db, s.mine.CafID, "Zzz centre social")
	posts, _ := db.Posts(context.Background(), s.mine.ID)
	r := journal.Record{CTGID: s.mine.ID, PostID: posts[0].ID, Kind: journal.Relais, Date: civil.MustParse("2024-02-01"),
		Nature: "information", PartnerIDs: []int64{mine.ID}}
	if err := db.Write(context.Background(), 0, func(tx *store.Tx) error { return tx.SaveRecord(&r, nomenclature.Default) }); err != nil {
		t.Fatal(err)
	}
	c := login(t, s)
	base := s.URL + ctgURL(s.mine.ID)
	_, form, _ := get(t, c, base+"/records/new?kind=relais")
	if i, j := strings.Index(form, `<option value="Zzz centre social">`), strings.Index(form, `<option value="Association Aaa du plateau">`); i < 0 || j < 0 || i > j {
		t.Errorf("the record form's partner list does not start with the CTG's partner")
	}
	_, journalPage, _ := get(t, c, base+"/journal")
	m := regexp.MustCompile(`(?s)<optgroup label="Partenaires de la CTG">(.*?)</optgroup><optgroup label="Autres partenaires de la Caf">(.*?)</optgroup>`).FindStringSubmatch(journalPage)
	if m == nil || !strings.Contains(m[1], "Zzz centre social") || !strings.Contains(m[2], "Association Aaa du plateau") {
		t.Errorf("the journal's partner filter does not group the CTG's partners first")
	}
	// the filter's options are written apart from the template
	// (PartnerOptions): names escaped, the filtered partner selected
	odd := addPartner(t, db, s.mine.CafID, `L'Atelier <b>Tous</b> & "Cie"`)
	_, journalPage, _ = get(t, c, base+"/journal?partner="+itoa(odd.ID))
	want := `<option value="` + itoa(odd.ID) + `" selected>L&#39;Atelier &lt;b&gt;Tous&lt;/b&gt; &amp; &#34;Cie&#34;</option>`
	if !strings.Contains(journalPage, want) || strings.Count(journalPage, " selected>") != 1 {
		t.Errorf("the journal filtered by a partner does not show it selected and escaped: want %s", want)
	}
}

// Likely duplicates are flagged to an officer, who proposes a merge; an
// administrator confirms it or rejects another.
func TestOfficerProposesMergeAdministratorDecides(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		lien := addPartner(t, db, s.mine.CafID, "Centre social Le Lien")
		dup := addPartner(t, db, s.mine.CafID, "CENTRE SOCIAL LE LIEN")
		mairie := addPartner(t, db, s.mine.CafID, "Mairie de Die")
		mairie2 := addPartner(t, db, s.mine.CafID, "Mairie  de  Die")
		officer := login(t, s)
		base := s.URL + ctgURL(s.mine.ID) + "/partners"
		_, page, _ := get(t, officer, base+"?scope=caf")
		if !strings.Contains(page, "Doublons probables") || strings.Count(page, ">Proposer la fusion</button>") != 2 ||
			strings.Contains(page, ">Fusionner</button>") {
			t.Fatalf("the officer is not offered to propose the merges: %s", snippet(page))
		}
		token := csrfRe.FindStringSubmatch(page)[1]
		pair := func(a, b int64) string { return itoa(a) + "," + itoa(b) }
		code, _, h := post(t, officer, base+"/proposals", url.Values{"csrf": {token}, "keep": {itoa(lien.ID)}, "pair": {pair(lien.ID, dup.ID)}})
		if code != http.StatusSeeOther {
			t.Fatalf("proposal: %d", code)
		}
		_, page, _ = get(t, officer, s.URL+h.Get("Location"))
		if !strings.Contains(page, "Fusion proposée : un administrateur") || !strings.Contains(page, "en attente de la décision") {
			t.Errorf("the officer does not see the proposal pending")
		}
		if code, _, _ := post(t, officer, base+"/merge", url.Values{"csrf": {token}, "keep": {itoa(lien.ID)}, "pair": {pair(lien.ID, dup.ID)}}); code != http.StatusForbidden {
			t.Errorf("the officer merged: %d", code)
		}
		post(t, officer, base+"/proposals", url.Values{"csrf": {token}, "keep": {itoa(mairie.ID)}, "pair": {pair(mairie.ID, mairie2.ID)}})
		admin := adminClient(t, db, s)
		_, page, _ = get(t, admin, base+"?scope=caf")
		if strings.Count(page, ">Confirmer la fusion</button>") != 2 || !strings.Contains(page, "par Agnès Agent") {
			t.Fatalf("the administrator does not see the two proposals: %s", snippet(page))
		}
		atoken := csrfRe.FindStringSubmatch(page)[1]
		if code, _, _ := post(t, admin, base+"/merge", url.Values{"csrf": {atoken}, "keep": {itoa(lien.ID)}, "pair": {pair(lien.ID, dup.ID)}}); code != http.StatusSeeOther {
			t.Fatalf("confirm: %d", code)
		}
		open, _ := db.MergeProposals(context.Background(), s.mine.CafID)
		if len(open) != 1 || open[0].KeepID != mairie.ID {
			t.Fatalf("after the merge, open proposals = %+v", open)
		}
		if code, _, _ := post(t, officer, base+"/proposals/"+itoa(open[0].ID)+"/reject", url.Values{"csrf": {token}}); code != http.StatusForbidden {
			t.Errorf("the officer rejected a proposal: %d", code)
		}
		if code, _, _ := post(t, admin, base+"/proposals/"+itoa(open[0].ID)+"/reject", url.Values{"csrf": {atoken}}); code != http.StatusSeeOther {
			t.Errorf("reject: %d", code)
		}
		if open, _ := db.MergeProposals(context.Background(), s.mine.CafID); len(open) != 0 {
			t.Errorf("proposals still open: %+v", open)
		}
		if p, _ := db.Partner(context.Background(), dup.ID); p.MergedInto != lien.ID {
			t.Errorf("the duplicate was not merged: %+v", p)
		}
	})
}
