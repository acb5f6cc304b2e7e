package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/journal"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

func TestFicheActionUpdatesAndAlert(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		addPartner(t, db, s.mine.CafID, "Mairie de Die")
		c := login(t, s)
		base := s.URL + "/ctg/" + itoa(s.mine.ID) + "/actions"
		_, form, _ := get(t, c, base+"/new")
		token := csrfRe.FindStringSubmatch(form)[1]
		if !strings.Contains(form, `name="partner_name_2"`) || !strings.Contains(form, `name="indicator_achieved_1"`) {
			t.Fatalf("fiche form lacks its list rows")
		}
		code, body, _ := post(t, c, base, url.Values{"csrf": {token}, "code": {""}, "title": {"Créer un RPE"}, "axis": {"petite_enfance"},
			"budget_planned": {"douze"}, "partner_name_1": {"mairie"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Ce champ est obligatoire.") ||
			!strings.Contains(body, "Saisissez un nombre.") || !strings.Contains(body, `value="Créer un RPE"`) || !strings.Contains(body, `value="mairie"`) {
			t.Errorf("invalid fiche: %d %s", code, body[strings.Index(body, "<main"):])
		}
		code, _, h := post(t, c, base, url.Values{"csrf": {token}, "code": {"PE-1"}, "title": {"Créer un RPE"}, "axis": {"petite_enfance"},
			"priority": {"on"}, "start": {"2023-03-01"}, "end": {"2024-06-30"}, "budget_planned": {"12 500"},
			"partner_name_1": {"mairie"}, "partner_role_1": {"Pilote"}, "milestone_year_1": {"2024"}, "milestone_label_1": {"Ouverture"},
			"cofunder_name_1": {"Département"}, "cofunder_amount_1": {"5000"},
			"indicator_label_1": {"Familles accueillies"}, "indicator_target_1": {"120"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create fiche: %d", code)
		}
		fiche := s.URL + strings.Split(h.Get("Location"), "?")[0]
		_, page, _ := get(t, c, fiche)
		for _, want := range []string{"Mairie de Die – Pilote", "2024 : Ouverture", "Département : 5\u202f000 €", "prévu 12\u202f500 €", "Familles accueillies"} {
			if !strings.Contains(page, want) {
				t.Errorf("fiche page lacks %q", want)
			}
		}
		code, _, _ = post(t, c, fiche+"/updates", url.Values{"csrf": {token}, "date": {"2024-05-02"}, "status": {"bloquee"},
			"percent": {"40"}, "difficulties": {"Local non disponible"}})
		if code != http.StatusSeeOther {
			t.Fatalf("update: %d", code)
		}
		_, page, _ = get(t, c, fiche)
		if !strings.Contains(page, "Porter une alerte au Copil") || !strings.Contains(page, "Local non disponible") {
			t.Fatalf("blocked priority action offers no alert")
		}
		code, _, h = post(t, c, fiche+"/alert", url.Values{"csrf": {token}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "/records/") {
			t.Fatalf("alert: %d %s", code, h.Get("Location"))
		}
		alerts, _, _ := db.Records(context.Background(), store.RecordFilter{Scope: store.Scope{All: true}, Kind: journal.Alerte})
		if len(alerts) != 1 || alerts[0].Nature != "blocage" || alerts[0].ActionID == 0 {
			t.Errorf("alert = %+v", alerts)
		}
		_, page, _ = get(t, c, fiche)
		if !strings.Contains(page, ">Alerte au Copil : Action prioritaire bloquée : PE-1") {
			t.Error("update not linked to its alert")
		}
		_, list, _ := get(t, c, base+"?priority=on")
		if !strings.Contains(list, "Fiche PE-1 : Créer un RPE") || !strings.Contains(list, "Ouverture") || !strings.Contains(list, "Bloquée") {
			t.Errorf("timeline lacks the fiche: %s", list[strings.Index(list, "<main"):])
		}
	})
}
