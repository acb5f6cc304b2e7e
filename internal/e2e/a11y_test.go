package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeViolation is the part of axe-core's report a reader needs.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// TestAccessibility runs axe-core (WCAG 2.1 A and AA rules) on the main
// pages; a serious or critical violation fails the test.
func TestAccessibility(t *testing.T) {
	ctx := tab(t)
	axe, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core missing (npm ci): %v", err)
	}
	must(t, ctx, chromedp.Navigate(baseURL+"/login"))
	check(t, ctx, string(axe), "/login")
	login(t, ctx, officerEmail)
	var ctgURL string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	pages := []string{"/", ctgURL, ctgURL + "/journal", ctgURL + "/journal?kind=alerte&from=2024-01-01",
		ctgURL + "/records/new?kind=reunion", ctgURL + "/records/new?kind=support", ctgURL + "/records/new?kind=sujet",
		ctgURL + "/actions", ctgURL + "/actions/new", ctgURL + "/partners", ctgURL + "/partners/new",
		ctgURL + "/indicators", ctgURL + "/indicators/S11b", "/journal", "/account", "/account/donnees",
		ctgURL + "/imports"} // the import page itself is checked by TestImportCSVWithErrors
	adminPages := []string{"/caf/indicators", "/caf/audit", "/caf/audit?verify=1", ctgURL + "/targets", ctgURL + "/edit", ctgURL + "/posts/new", "/ctg/new"}
	var firstRecord, firstAction string
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/journal"),
		chromedp.AttributeValue(`table.data tbody a`, "href", &firstRecord, nil, chromedp.ByQuery),
		chromedp.Navigate(baseURL+ctgURL+"/actions"),
		chromedp.AttributeValue(`table.data tbody a`, "href", &firstAction, nil, chromedp.ByQuery))
	pages = append(pages, firstRecord, firstAction)
	// links between things (issue 11, item 5): the journal of one fiche
	pages = append(pages, ctgURL+"/journal?action="+firstAction[strings.LastIndex(firstAction, "/")+1:])
	// reports (issue 10): the pack Copil, the bilan annuel of the CTG and
	// of a post, the matrice de suivi, a fiche de poste
	var firstFiche string
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL),
		chromedp.AttributeValue(`a[href$="/fiche"]`, "href", &firstFiche, nil, chromedp.ByQuery))
	pages = append(pages, ctgURL+"/copil", ctgURL+"/bilan", ctgURL+"/bilan?year=2024&post="+strings.Split(firstFiche, "/")[4],
		ctgURL+"/matrice", firstFiche)
	// visibility surveys (issue 10, item 1): the list, a wave's results, the
	// forms to open a wave and to type a paper answer, the Caf's settings
	var wave, publicLink string
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/surveys"))
	must(t, ctx, chromedp.AttributeValue(`#h-habitants + .table-wrap tbody tr:last-child a`, "href", &wave, nil, chromedp.ByQuery))
	must(t, ctx, chromedp.Navigate(baseURL+wave))
	must(t, ctx, chromedp.AttributeValue(`#wave-link`, "href", &publicLink, nil, chromedp.ByQuery))
	pages = append(pages, ctgURL+"/surveys", ctgURL+"/surveys/new", wave, wave+"/paper")
	adminPages = append(adminPages, "/caf/surveys")
	// the Caf's open data (issue 13, item 3): the import page; the CTG page
	// above shows the demo's diagnostic
	adminPages = append(adminPages, "/caf/opendata")
	// the evaluations (issue 10): the CTG's, the officer's frozen one
	var frozen string
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/evaluations"),
		chromedp.AttributeValue(evaluationLink("Élodie Charvet"), "href", &frozen, nil, chromedp.BySearch))
	pages = append(pages, ctgURL+"/evaluations", frozen)
	for _, p := range pages {
		must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery))
		check(t, ctx, string(axe), p)
	}
	must(t, ctx, network.ClearBrowserCookies())
	login(t, ctx, adminEmail)
	// the evaluations: the Caf's summary, the CTG's with the form that
	// opens one over any period, the reopening form of the frozen one, the
	// advisor's review form of the Royans-Vercors' submitted one
	var submitted string
	must(t, ctx, chromedp.Navigate(baseURL+"/ctg/2/evaluations"),
		chromedp.AttributeValue(evaluationLink("Marion Rochas"), "href", &submitted, nil, chromedp.BySearch))
	adminPages = append(adminPages, "/caf/evaluations", ctgURL+"/evaluations", frozen, submitted)
	// the whole register of the Caf, with its likely duplicates (issue 11, item 5)
	adminPages = append(adminPages, ctgURL+"/partners?scope=caf")
	// accounts (issue 11, item 6): the list, the form, an account's page
	// with a link just made (the Copil member's: a reset link, unused)
	adminPages = append(adminPages, "/caf/accounts", "/caf/accounts/new")
	for _, p := range adminPages {
		must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery))
		check(t, ctx, string(axe), p)
	}
	var resetLink string
	must(t, ctx, chromedp.Navigate(baseURL+"/caf/accounts"),
		chromedp.Click(`//a[text()="Bernard Arnoux"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#h-access`, chromedp.ByQuery),
		chromedp.Click(`//button[text()="Créer un lien de nouveau mot de passe"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#link-url`, chromedp.ByQuery),
		chromedp.Value(`#link-url`, &resetLink, chromedp.ByQuery))
	check(t, ctx, string(axe), "/caf/accounts/ID (lien)")
	// the account's personal data (issue 12, item 4)
	must(t, ctx, chromedp.Click(`//a[starts-with(text(),"Données personnelles")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#h-retention`, chromedp.ByQuery))
	check(t, ctx, string(axe), "/caf/accounts/ID/donnees")
	// the pages of a forgotten password, signed out: asking, a link's form,
	// a link that cannot serve
	must(t, ctx, network.ClearBrowserCookies())
	for _, p := range []string{"/password/forgot", strings.TrimPrefix(resetLink, baseURL), "/password/set?token=perime"} {
		must(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady("main", chromedp.ByQuery))
		check(t, ctx, string(axe), strings.SplitN(p, "?token=", 2)[0]+map[bool]string{true: "?token=…"}[strings.Contains(p, "token=")])
	}
	// the public questionnaire, as a respondent without an account sees it
	must(t, ctx, network.ClearBrowserCookies(), chromedp.Navigate(publicLink), chromedp.WaitReady("main", chromedp.ByQuery))
	check(t, ctx, string(axe), strings.TrimPrefix(publicLink, baseURL))
	// the officer's self-appraisal form, on the demo's draft
	must(t, ctx, network.ClearBrowserCookies())
	login(t, ctx, "thomas.reynaud@demo.copilote.fr")
	var draft string
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/evaluations"),
		chromedp.AttributeValue(evaluationLink("Thomas Reynaud"), "href", &draft, nil, chromedp.BySearch))
	must(t, ctx, chromedp.Navigate(baseURL+draft), chromedp.WaitVisible(`#f-level_2\.1`, chromedp.ByQuery))
	check(t, ctx, string(axe), draft)
	// issue 11 (cockpit_test.go): every role's home page, the overviews, the capture forms
	t.Logf("axe-core checked %d pages of the cockpit", checkCockpit(t, ctx, string(axe)))
	t.Logf("axe-core checked %d pages", len(pages)+len(adminPages)+8)
}

// evaluationLink finds, on a CTG's evaluation page, the link to the
// evaluation of person's post.
func evaluationLink(person string) string {
	return `//tr[td[contains(., "` + person + `")]]//a[contains(@href, "/evaluations/")]`
}

func check(t *testing.T, ctx contextT, axe, page string) {
	t.Helper()
	var raw string
	must(t, ctx, chromedp.Evaluate(axe, nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
			.then(r => JSON.stringify({passes: r.passes.length, violations: r.violations}))`, &raw, awaitPromise))
	var res struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatal(err)
	}
	if res.Passes < 10 {
		t.Errorf("%s: axe passed only %d rules: did it run?", page, res.Passes)
	}
	vs := res.Violations
	screenshot(t, ctx, page)
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			t.Logf("%s: %s (%s), %d node(s)", page, v.ID, v.Impact, len(v.Nodes))
			continue
		}
		var where []string
		for _, n := range v.Nodes[:min(3, len(v.Nodes))] {
			where = append(where, n.HTML)
		}
		t.Errorf("%s: %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
	}
}

// screenshot saves the page when COPILOTE_SCREENSHOTS names a folder, so a
// person can look at what the test saw.
func screenshot(t *testing.T, ctx contextT, page string) {
	dir := os.Getenv("COPILOTE_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	must(t, ctx, chromedp.FullScreenshot(&png, 100))
	name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(strings.Trim(page, "/"))
	if name == "" {
		name = "home"
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Error(err)
	}
}
