package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The reports read on a phone without scrolling sideways (their wide
// tables and the matrice scroll in their own region), and print without
// their forms and download buttons.
func TestReportsOnPhoneAndInPrint(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	var ctgURL, fiche string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL), chromedp.WaitReady("main", chromedp.ByQuery), chromedp.AttributeValue(`a[href$="/fiche"]`, "href", &fiche, nil, chromedp.ByQuery))
	post := strings.Split(fiche, "/")[4]
	must(t, ctx, emulation.SetDeviceMetricsOverride(360, 740, 2, true))
	pages := []string{ctgURL + "/copil", ctgURL + "/bilan", ctgURL + "/bilan?year=2024&post=" + post, ctgURL + "/matrice",
		ctgURL + "/matrice?post=" + post, fiche, fiche + "?recrutement=1"}
	for _, p := range pages {
		var overflow int
		must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &overflow))
		if overflow > 0 {
			t.Errorf("%s scrolls sideways by %d px on a phone", p, overflow)
		}
		screenshot(t, ctx, "phone"+p)
	}
	must(t, ctx, emulation.ClearDeviceMetricsOverride(), emulation.SetEmulatedMedia().WithMedia("print"))
	for _, p := range []string{ctgURL + "/copil", ctgURL + "/bilan"} {
		var shown []string
		must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery),
			chromedp.Evaluate(`["nav.main-nav", "main form", "main .toolbar", "nav.sub-nav"]
				.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== "none")`, &shown))
		if len(shown) > 0 {
			t.Errorf("printed %s still shows %v", p, shown)
		}
		screenshot(t, ctx, "print"+p)
	}
}
