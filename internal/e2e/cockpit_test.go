package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The cockpit and the overviews (issue 11, items 1 and 2) in Chromium:
// every role's home page, the Caf's and the nation's overviews, the
// capture forms, checked by axe-core, on a phone and in print.

// the demo's accounts of each role
var cockpitRoles = []struct{ role, email string }{
	{"officer", officerEmail},
	{"advisor", "julien.marcellin@demo.copilote.fr"},
	{"admin", adminEmail},
	{"copil", "bernard.arnoux@demo.copilote.fr"},
	{"national", "claire.dumontel@demo.copilote.fr"},
}

// cockpitPages are the pages of issue 11 each role checks, besides its
// home page.
var cockpitPages = map[string][]string{
	"officer": {"/ctg/1/records/new?kind=reunion&nature=copil", "/ctg/1/records/new", "/ctg/1/indicators"},
	"admin":   {"/caf/indicators", "/caf/indicators?year=2025&ind=S12b&sort=value", "/caf/indicators?ind=E32"},
	"national": {"/national/indicators", "/national/indicators?ind=S21a&sort=status",
		"/caf/indicators?caf=026-DEMO&year=2024"},
}

// signIn signs in as email, whatever the role's home shows.
func signIn(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	must(t, ctx, network.ClearBrowserCookies(),
		chromedp.Navigate(baseURL+"/login"),
		chromedp.SendKeys("#email", email, chromedp.ByQuery),
		chromedp.SendKeys("#password", demoPassword, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`nav.main-nav`, chromedp.ByQuery))
}

// cafCode is the demo Caf's code, read from the national overview's links.
func cafCode(t *testing.T, ctx context.Context) string {
	t.Helper()
	var href string
	must(t, ctx, chromedp.Navigate(baseURL+"/national/indicators"),
		chromedp.AttributeValue(`#lines tbody a[href^="/caf/indicators?caf="]`, "href", &href, nil, chromedp.ByQuery))
	return strings.TrimPrefix(href, "/caf/indicators?caf=")
}

// checkCockpit runs axe-core on every role's home page and the pages of
// issue 11 (TestAccessibility calls it), and on the duplicate form of
// the officer's first record.
func checkCockpit(t *testing.T, ctx context.Context, axe string) int {
	n := 0
	for _, r := range cockpitRoles {
		signIn(t, ctx, r.email)
		pages := append([]string{"/"}, cockpitPages[r.role]...)
		if r.role == "national" {
			code := cafCode(t, ctx)
			for i, p := range pages {
				pages[i] = strings.Replace(p, "caf=026-DEMO", "caf="+code, 1)
			}
		}
		if r.role == "officer" {
			var dup string
			must(t, ctx, chromedp.Navigate(baseURL+"/"),
				chromedp.AttributeValue(`ul.recent a[href*="records/new?from="]`, "href", &dup, nil, chromedp.ByQuery))
			pages = append(pages, dup)
		}
		for _, p := range pages {
			must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery))
			check(t, ctx, axe, r.role+p)
			n++
		}
	}
	return n
}

// On a 360 px phone no cockpit or overview scrolls sideways; printed,
// the overviews keep their charts and tables and drop forms and links of
// navigation. Each role's home page loads within a second on the demo.
func TestCockpitOnAPhoneAndInPrint(t *testing.T) {
	ctx := tab(t)
	for _, r := range cockpitRoles {
		signIn(t, ctx, r.email)
		start := time.Now()
		must(t, ctx, chromedp.Navigate(baseURL+"/"), chromedp.WaitReady("main h1", chromedp.ByQuery))
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s's home page took %v", r.role, took)
		}
		if r.role == "officer" || r.role == "advisor" || r.role == "copil" {
			if got := text(t, ctx, "main"); !strings.Contains(got, "Alertes ouvertes") {
				t.Errorf("%s's home lists no open alerts", r.role)
			}
		}
		must(t, ctx, emulation.SetDeviceMetricsOverride(360, 740, 2, true))
		pages := append([]string{"/"}, cockpitPages[r.role]...)
		if r.role == "national" {
			pages = pages[:3] // the demo Caf's code is read with the overview's links, at full width
		}
		for _, p := range pages {
			var overflow int
			must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &overflow))
			if overflow > 0 {
				t.Errorf("%s %s scrolls sideways by %d px on a phone", r.role, p, overflow)
			}
			screenshot(t, ctx, "phone/"+r.role+p)
		}
		must(t, ctx, emulation.ClearDeviceMetricsOverride())
	}
	// printed: the admin's overview of one indicator
	signIn(t, ctx, adminEmail)
	must(t, ctx, emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Navigate(baseURL+"/caf/indicators?ind=S12b"), chromedp.WaitReady("main", chromedp.ByQuery))
	defer chromedp.Run(ctx, emulation.SetEmulatedMedia().WithMedia(""))
	var shown []string
	must(t, ctx, chromedp.Evaluate(`["nav.main-nav", "form.filters", ".skip-link", "#detail .no-print", "#detail svg", "#detail table", ".small-multiples svg"]
		.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== "none")`, &shown))
	if strings.Join(shown, " ") != "#detail svg #detail table .small-multiples svg" {
		t.Errorf("printed overview shows %v, want its charts and tables only", shown)
	}
	screenshot(t, ctx, "print/caf/indicators?ind=S12b")
}
