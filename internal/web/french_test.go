package web

import (
	"html"
	"strings"
	"testing"

	"copilote/internal/framework"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// Each indicator's detail page gives its calculation rule in French, never
// the English one the catalogue's data keeps (issue 11, item 4).
func TestDrillShowsTheFrenchRule(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	c := login(t, s)
	for _, in := range framework.Load().Indicators() {
		code, body, _ := get(t, c, s.URL+ctgURL(s.mine.ID)+"/indicators/"+in.Code)
		body = html.UnescapeString(body)
		if code != 200 || !strings.Contains(body, "Règle de calcul : "+in.Regle) {
			t.Errorf("%s: %d, the page lacks its French rule %q", in.Code, code, in.Regle)
		}
		if strings.Contains(body, in.Rule) {
			t.Errorf("%s: the page shows the English rule", in.Code)
		}
	}
}

// englishRule names the indicator whose English rule body shows, if any:
// the crawl checks it on every page it reaches.
func englishRule(body string) string {
	body = html.UnescapeString(body)
	for _, in := range framework.Load().Indicators() {
		if strings.Contains(body, in.Rule) {
			return in.Code
		}
	}
	return ""
}
