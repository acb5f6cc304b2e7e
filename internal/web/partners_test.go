package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestPartnerRegisterAndMerge(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		seedJournal(t, db, s) // links "Centre social Le Lien" to a relais
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/partners"
		token := csrfOf(t, c, base+"/new")
		code, body, _ := post(t, c, base, url.Values{"csrf": {token}, "name": {"CENTRE SOCIAL LE LIEN"}, "type": {"association"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Ce partenaire existe déjà dans le registre : Centre social Le Lien.") {
			t.Errorf("duplicate accepted: %d", code)
		}
		code, body, _ = post(t, c, base, url.Values{"csrf": {token}, "name": {"Crèche Les Lutins"}, "type": {""}, "siret": {"123"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Le SIRET compte 14 chiffres") || !strings.Contains(body, `value="Crèche Les Lutins"`) {
			t.Errorf("invalid partner: %d", code)
		}
		code, _, h := post(t, c, base, url.Values{"csrf": {token}, "name": {"Centre social le Lien (asso)"}, "type": {"association"}, "siret": {"73282932000074"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("near-duplicate name accepted: %d %s", code, h.Get("Location"))
		}
		_, list, _ := get(t, c, base)
		if !strings.Contains(list, "Centre social Le Lien") || !strings.Contains(list, "10/03/2024") {
			t.Errorf("register lacks the partner's first involvement: %s", snippet(list))
		}
		_, csv, _ := get(t, c, base+"?scope=caf&format=csv")
		if !strings.HasPrefix(csv, "\ufeffNom;Type;SIRET") || !strings.Contains(csv, "Centre social Le Lien;Association;;1;10/03/2024") {
			t.Errorf("partner CSV = %q", csv)
		}
	})
}

func TestMergeNeedsManageAndKeepsLinks(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	lien, _, _ := db.Partners(context.Background(), store.PartnerFilter{CafID: s.mine.CafID, Q: "lien"})
	dup := addPartner(t, db, s.mine.CafID, "CENTRE SOCIAL LE LIEN")
	pair := url.Values{"keep": {itoa(dup.ID)}, "pair": {itoa(lien[0].ID) + "," + itoa(dup.ID)}}
	officer := login(t, s)
	base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/partners"
	pair.Set("csrf", csrfOf(t, officer, base))
	if code, _, _ := post(t, officer, base+"/merge", pair); code != http.StatusForbidden {
		t.Errorf("an officer merged partners: %d", code)
	}
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		u := account.User{Email: "admin@caf.fr", Name: "Adèle Admin", Role: account.Admin, CafID: s.mine.CafID}
		return tx.CreateUser(&u, password)
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := client(t)
	post(t, admin, s.URL+"/login", url.Values{"email": {"admin@caf.fr"}, "password": {password}})
	_, page, _ := get(t, admin, base)
	if !strings.Contains(page, "Doublons probables") {
		t.Fatal("duplicates not offered to the admin")
	}
	pair.Set("csrf", csrfRe.FindStringSubmatch(page)[1])
	if code, _, _ := post(t, admin, base+"/merge", pair); code != http.StatusSeeOther {
		t.Fatalf("merge: %d", code)
	}
	_, n, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, PartnerID: dup.ID})
	if n != 1 {
		t.Errorf("kept partner has %d records, want the relais of the merged one", n)
	}
}

func TestPartnerEdit(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	p := addPartner(t, db, s.mine.CafID, "Mairie de Die")
	addPartner(t, db, s.mine.CafID, "Crèche Les Lutins")
	c := login(t, s)
	u := s.URL + "/ctg/" + itoa(s.mine.ID) + "/partners/" + itoa(p.ID)
	_, form, _ := get(t, c, u+"/edit")
	if !strings.Contains(form, `value="Mairie de Die"`) {
		t.Fatal("edit form not filled")
	}
	token := csrfRe.FindStringSubmatch(form)[1]
	if code, body, _ := post(t, c, u, url.Values{"csrf": {token}, "name": {"Crèche les lutins"}, "type": {"commune"}}); code != 422 ||
		!strings.Contains(body, "existe déjà") {
		t.Errorf("renaming onto another partner: %d", code)
	}
	if code, _, _ := post(t, c, u, url.Values{"csrf": {token}, "name": {"Commune de Die"}, "type": {"commune"}, "siret": {"73282932000074"}}); code != 303 {
		t.Fatalf("edit: %d", code)
	}
	got, _ := db.Partner(context.Background(), p.ID)
	if got.Name != "Commune de Die" || got.Type != "commune" || got.SIRET != "73282932000074" {
		t.Errorf("partner = %+v", got)
	}
}
