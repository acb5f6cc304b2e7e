package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/store"
	"copilote/internal/store/storetest"
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
