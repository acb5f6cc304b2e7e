package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/account"
	"copilote/internal/actionplan"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/survey"
)

// The links of a list keep its filters, and only its filters: page 2's
// export link downloads everything the filter selects (not page 2, and
// not a query escaped twice), and no link repeats a flash message.
func TestListLinksKeepFiltersOnly(t *testing.T) {
	q := url.Values{"kind": {"alerte"}, "page": {"2"}, "ok": {"saved"}, "q": {"a&b"}}
	for _, tc := range []struct{ key, value, want string }{
		{"format", "csv", "/journal?format=csv&kind=alerte&q=a%26b"},
		{"page", "3", "/journal?kind=alerte&page=3&q=a%26b"},
		{"page", "1", "/journal?kind=alerte&q=a%26b"},
	} {
		if got := listURL("/journal", q, tc.key, tc.value); got != tc.want {
			t.Errorf("listURL(%s=%s) = %s, want %s", tc.key, tc.value, got, tc.want)
		}
	}
	if got := listURL("/journal", url.Values{"page": {"2"}}, "page", "1"); got != "/journal" {
		t.Errorf("first page of an unfiltered list = %s", got)
	}
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	admin := adminClient(t, db, s)
	for path, want := range map[string]string{
		"/journal?kind=alerte&page=2": `href="/journal?format=csv&amp;kind=alerte"`,
		"/journal?page=2":             `href="/journal?format=xlsx"`,
		"/ctg/" + itoa(s.mine.ID) + "/journal?kind=alerte&page=2": `href="/ctg/` + itoa(s.mine.ID) + `/journal?format=csv&amp;kind=alerte"`,
	} {
		code, body, _ := get(t, admin, s.URL+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, export link %s missing: %s", path, code, want, regexp1(t, body, `Exporter : [^\n]*`))
		}
	}
}

// The page shown is marked in the main navigation and in a CTG's tabs
// (aria-current), the tab of a page within it too.
func TestCurrentTabIsMarked(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db)
	seedJournal(t, db, s)
	admin := adminClient(t, db, s)
	ctg := "/ctg/" + itoa(s.mine.ID)
	for path, want := range map[string]string{
		"/":                           `<a href="/" aria-current="page">Accueil</a>`,
		"/journal":                    `<a href="/journal" aria-current="page">Journal</a>`,
		"/caf/indicators":             `<a href="/caf/indicators" aria-current="page">Indicateurs`,
		"/caf/evaluations":            `<a href="/caf/evaluations" aria-current="page">Évaluations`,
		ctg:                           `<a href="` + ctg + `" aria-current="page">Présentation</a>`,
		ctg + "/journal?kind=alerte":  `<a href="` + ctg + `/journal?kind=alerte" aria-current="page">Alertes</a>`,
		ctg + "/journal?q=x":          `<a href="` + ctg + `/journal" aria-current="page">Journal</a>`,
		ctg + "/indicators":           `<a href="` + ctg + `/indicators" aria-current="page">Indicateurs</a>`,
		ctg + "/indicators?year=2024": `<a href="` + ctg + `/indicators" aria-current="page">Indicateurs</a>`,
	} {
		code, body, _ := get(t, admin, s.URL+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, lacks %s", path, code, want)
		}
		if n := strings.Count(body, "aria-current="); n > 3 { // main nav, tab, breadcrumb
			t.Errorf("%s marks %d links as current", path, n)
		}
	}
}

func TestCTGTabOfEveryPage(t *testing.T) {
	for _, tc := range []struct {
		target, tab string
		exact       bool
	}{
		{"/ctg/7", "overview", true},
		{"/ctg/7/journal?page=2", "journal", true},
		{"/ctg/7/journal?kind=decision", "decisions", true},
		{"/ctg/7/records/12", "journal", false},
		{"/ctg/7/records/new?kind=alerte", "alerts", false},
		{"/ctg/7/indicators/S11a", "indicators", false},
		{"/ctg/7/actions/3/edit", "actions", false},
		{"/ctg/7/surveys/2", "surveys", false},
		{"/ctg/7/evaluations", "evaluations", true},
		{"/ctg/7/copil", "", false},
	} {
		r := httptest.NewRequest("GET", tc.target, nil)
		r.SetPathValue("ctg", "7")
		if tab, exact := ctgTab(r); tab != tc.tab || exact != tc.exact {
			t.Errorf("%s: tab %q exact %v, want %q %v", tc.target, tab, exact, tc.tab, tc.exact)
		}
	}
}

// cockpitSite is a CTG of the site's Caf whose convention runs today,
// with the site's officer (Agnès Agent) and a colleague posted there, a
// Copil held three weeks ago with a decision, one planned in two weeks,
// an open alert of each, a priority fiche without news and a survey
// wave taking answers.
type cockpitSite struct {
	*site
	ctg           ctg.CTG
	agnes, carla  int64
	held, planned journal.Record
	instance      ctg.Instance
	lien          partner.Partner
}

func newCockpitSite(t *testing.T, db *store.DB) *cockpitSite {
	t.Helper()
	s := &cockpitSite{site: newSite(t, db)}
	today := civil.Today()
	s.lien = addPartner(t, db, s.mine.CafID, "Centre social Le Lien")
	n := nomenclature.Default
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		s.ctg = ctg.CTG{CafID: s.mine.CafID, Name: "CTG du Cockpit", Population: 5000, Start: today.AddDays(-400), End: today.AddDays(300)}
		if err := tx.CreateCTG(&s.ctg, n); err != nil {
			return err
		}
		s.instance = ctg.Instance{CTGID: s.ctg.ID, Kind: "copil", Name: "Comité de pilotage du Cockpit"}
		if err := tx.SaveInstance(&s.instance, n); err != nil {
			return err
		}
		u, err := db.UserByEmail(context.Background(), "agent@diois.fr")
		if err != nil {
			return err
		}
		for _, p := range []*ctg.Post{{CTGID: s.ctg.ID, UserID: u.ID, Person: "Agnès Agent", Employer: "CC", ETP: 50, Start: s.ctg.Start,
			ChefDeProjet: true, Functions: []string{"1.1", "1.2"}},
			{CTGID: s.ctg.ID, Person: "Carla Collègue", Employer: "CC", ETP: 50, Start: s.ctg.Start, Functions: []string{"1.2"}}} {
			if err := tx.SavePost(p, n); err != nil {
				return err
			}
			if p.UserID != 0 {
				s.agnes = p.ID
			} else {
				s.carla = p.ID
			}
		}
		s.held = journal.Record{CTGID: s.ctg.ID, PostID: s.agnes, Kind: journal.Reunion, Nature: "copil", Title: "Copil de printemps",
			Date: today.AddDays(-20), InstanceID: s.instance.ID, PartnerIDs: []int64{s.lien.ID},
			Roles: []journal.Role{{PostID: s.agnes, Role: "animation"}, {PostID: s.carla, Role: "participation"}}}
		s.planned = journal.Record{CTGID: s.ctg.ID, PostID: s.agnes, Kind: journal.Reunion, Nature: "copil", Title: "Copil d'hiver",
			Date: today.AddDays(15), InstanceID: s.instance.ID, Roles: []journal.Role{{PostID: s.agnes, Role: "preparation"}}}
		records := []*journal.Record{&s.held, &s.planned,
			{CTGID: s.ctg.ID, PostID: s.agnes, Kind: journal.Alerte, Title: "Retard du RPE", Nature: "retard", Status: "ouverte", Date: today.AddDays(-5)},
			{CTGID: s.ctg.ID, PostID: s.carla, Kind: journal.Alerte, Title: "Financement du LAEP", Nature: "financement", Status: "ouverte", Date: today.AddDays(-3)}}
		for _, r := range records {
			if err := tx.SaveRecord(r, n); err != nil {
				return err
			}
		}
		d := journal.Record{CTGID: s.ctg.ID, PostID: s.agnes, Kind: journal.Decision, Title: "Ouvrir un LAEP", Date: s.held.Date, MeetingID: s.held.ID}
		if err := tx.SaveRecord(&d, n); err != nil {
			return err
		}
		a := actionplan.Action{CTGID: s.ctg.ID, Code: "PE-1", Title: "Micro-crèche de Menglon", Axis: "petite_enfance", Priority: true,
			Status: actionplan.Ongoing, Start: s.ctg.Start}
		if err := tx.SaveAction(&a, n); err != nil {
			return err
		}
		w := survey.Wave{CTGID: s.ctg.ID, Audience: survey.Partners, Kind: nomenclature.WaveInitial, Date: db.Today(), Closes: db.Today().AddDays(30)}
		if err := tx.CreateWave(&w, n); err != nil {
			return err
		}
		for _, sc := range []int{3, 4} {
			if err := tx.AddResponse(w, &survey.Response{Scores: map[string]int{"moyens": sc}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// userOf signs in a new user of role, granted the cockpit's CTG.
func (s *cockpitSite) userOf(t *testing.T, db *store.DB, role account.Role, email string) *http.Client {
	t.Helper()
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		u := account.User{Email: email, Name: "Test " + string(role), Role: role, CafID: s.mine.CafID}
		if role == account.National {
			u.CafID = 0
		}
		if err := tx.CreateUser(&u, password); err != nil || role == account.National {
			return err
		}
		return tx.GrantCTG(u.ID, s.ctg.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t)
	if code, _, _ := post(t, c, s.URL+"/login", url.Values{"email": {email}, "password": {password}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, code)
	}
	return c
}

func hasAll(t *testing.T, who, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s's home lacks %q", who, w)
		}
	}
}

// The home page is each role's cockpit, and lists the open alerts of the
// user's CTGs with their titles.
func TestHomeIsACockpitPerRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newCockpitSite(t, db)
		c := "/ctg/" + itoa(s.ctg.ID)
		alerts := []string{"Retard du RPE", "Financement du LAEP"}
		officer := login(t, s.site)
		code, body, _ := get(t, officer, s.URL+"/")
		if code != 200 {
			t.Fatalf("officer's home: %d", code)
		}
		hasAll(t, "the officer", body, append(alerts, "Saisir en un clic", `href="`+c+`/records/new?kind=reunion&amp;nature=copil"`,
			"Copil d&#39;hiver", `href="`+c+`/copil"`, "portée par vous", "PE-1 : Micro-crèche de Menglon", "aucun point d&#39;avancement",
			"Décisions du dernier Copil", "Ouvrir un LAEP", "<strong>2</strong> réponses", "Mon activité", "Dupliquer", `<ul class="cards">`)...)
		// the officer's own alert first
		if strings.Index(body, "Retard du RPE") > strings.Index(body, "Financement du LAEP") {
			t.Errorf("the officer's own alert is not listed first")
		}
		advisor := s.userOf(t, db, account.Advisor, "conseil@caf.fr")
		_, body, _ = get(t, advisor, s.URL+"/")
		hasAll(t, "the advisor", body, append(alerts, "Points de vigilance", "Copil d&#39;hiver", "Activité de vos CTG", "CTG du Cockpit")...)
		if strings.Index(body, "Points de vigilance") > strings.Index(body, "Copil d&#39;hiver") {
			t.Errorf("the advisor's data-quality warnings do not come first")
		}
		member := s.userOf(t, db, account.Copil, "copil@mairie.fr")
		_, body, _ = get(t, member, s.URL+"/")
		hasAll(t, "the Copil member", body, append(alerts, "En un coup d'œil – CTG du Cockpit", "Indicateurs face aux cibles", `href="`+c+`/copil"`)...)
		if strings.Contains(body, "Saisir") {
			t.Errorf("a Copil member is offered to record")
		}
		admin := adminClient(t, db, s.site)
		_, body, _ = get(t, admin, s.URL+"/")
		hasAll(t, "the administrator", body, append(alerts, "Les CTG par statut", "CTG du Cockpit", "Évaluations à mener",
			"Agnès Agent (aucune ouverte)", "Carla Collègue (aucune ouverte)", "Nouvelle CTG")...)
		national := s.userOf(t, db, account.National, "national@cnaf.fr")
		_, body, _ = get(t, national, s.URL+"/")
		hasAll(t, "the national reader", body, "Les Caf qui remontent des données", "Où les chiffres manquent", "Caf de la Drôme",
			monthName(civil.New(civil.Today().Year, civil.Today().Month, 1))+" (en cours)")
		if strings.Contains(body, "Retard du RPE") {
			t.Errorf("the national home lists alerts one by one")
		}
	})
}

// A new record's form starts from what the user recorded last of its kind
// (a meeting: of its type), or from the record duplicated.
func TestRecordFormPrefill(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newCockpitSite(t, db)
	officer := login(t, s.site)
	c := s.URL + "/ctg/" + itoa(s.ctg.ID)
	role := func(post int64, r string) string { return `id="role_` + itoa(post) + `_` + r + `" checked` }
	_, body, _ := get(t, officer, c+"/records/new?kind=reunion&nature=copil")
	// the last Copil entered is the planned one
	hasAll(t, "the Copil form", body, "Prérempli d'après", "Copil d&#39;hiver", role(s.agnes, "preparation"),
		`<option value="`+itoa(s.instance.ID)+`" selected>`, "autofocus", `href="/ctg/`+itoa(s.ctg.ID)+`/records/new?kind=reunion&amp;nature=copil&amp;vide=1"`)
	if strings.Contains(body, role(s.agnes, "animation")) {
		t.Errorf("the form holds the roles of another Copil than the last")
	}
	for _, q := range []string{"?kind=reunion&nature=copil&vide=1", "?kind=reunion"} {
		_, body, _ = get(t, officer, c+"/records/new"+q)
		if strings.Contains(body, "Prérempli") || strings.Contains(body, " checked") {
			t.Errorf("%s: the form is filled in", q)
		}
	}
	_, body, _ = get(t, officer, c+"/records/new?from="+itoa(s.held.ID))
	hasAll(t, "the duplicate", body, "Dupliquer : Réunion", `value="Copil de printemps"`, `value="`+civil.Today().String()+`"`,
		role(s.agnes, "animation"), role(s.carla, "participation"), `id="p-`+itoa(s.lien.ID)+`" checked`)
	// a copy is saved as a new record, the original unchanged
	token := csrfOf(t, officer, c+"/records/new?from="+itoa(s.held.ID))
	code, _, h := post(t, officer, c+"/records", url.Values{"csrf": {token}, "kind": {"reunion"}, "date": {civil.Today().String()},
		"post": {itoa(s.agnes)}, "title": {"Copil d'été"}, "nature": {"copil"}, "role_" + itoa(s.agnes): {"animation"},
		"partner_id": {itoa(s.lien.ID)}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "/records/") {
		t.Fatalf("save the copy: %d", code)
	}
	for _, bad := range []string{"?from=999999", "?from=abc"} {
		if code, _, _ := get(t, officer, c+"/records/new"+bad); code != http.StatusNotFound {
			t.Errorf("%s: %d", bad, code)
		}
	}
	// a record of another CTG is not copied here
	if code, _, _ := get(t, officer, s.URL+"/ctg/"+itoa(s.mine.ID)+"/records/new?from="+itoa(s.held.ID)); code != http.StatusNotFound {
		t.Errorf("a record copied into another CTG: %d", code)
	}
}
