package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// On a 360 px wide phone no page scrolls sideways (wide tables scroll in
// their own region), and printing hides navigation and forms of action.
func TestPhoneWidthAndPrint(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	var ctgURL string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	must(t, ctx, emulation.SetDeviceMetricsOverride(360, 740, 2, true))
	pages := []string{"/", ctgURL, ctgURL + "/journal", ctgURL + "/records/new?kind=reunion", ctgURL + "/actions",
		ctgURL + "/indicators", ctgURL + "/partners"}
	for _, p := range pages {
		var overflow int
		must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &overflow))
		if overflow > 0 {
			t.Errorf("%s scrolls sideways by %d px on a phone", p, overflow)
		}
		screenshot(t, ctx, "phone"+p)
	}
	must(t, ctx, emulation.ClearDeviceMetricsOverride(), emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Navigate(baseURL+ctgURL+"/indicators"), chromedp.WaitReady("main", chromedp.ByQuery))
	var hidden []string
	must(t, ctx, chromedp.Evaluate(`["nav.main-nav", "form.filters", ".skip-link", "nav.sub-nav"]
		.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== "none")`, &hidden))
	if len(hidden) > 0 {
		t.Errorf("printed dashboard still shows %v", hidden)
	}
	screenshot(t, ctx, "print"+ctgURL+"/indicators")
}
