package e2e

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"copilote/internal/chart"
)

// The survey loop in Chromium (issue 10, item 1): the officer of the Diois
// opens a final wave of the inhabitants' questionnaire, two browsers
// answer it through its public link without an account (the first one is
// then told it already answered), the officer closes it, and the CTG's
// E42 becomes the new wave's mean minus the initial wave's, as the
// answers imply. Both answers also score the Caf's own question 1, which
// must not count.
func TestSurveyInTheBrowser(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	var ctgURL string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	before := figure(t, ctx, ctgURL, "E42")

	// the initial wave's answers by score, from its results page
	var initialURL string
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/surveys"),
		chromedp.AttributeValue(`#h-habitants + .table-wrap tbody tr:first-child a`, "href", &initialURL, nil, chromedp.ByQuery))
	initial := distribution(t, ctx, initialURL)

	// open the wave: today, or the convention's last day once it is over
	closes := time.Now().AddDate(0, 0, 30).Format("2006-01-02")
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/surveys/new"),
		chromedp.Click(`#f-audience-habitants`, chromedp.ByQuery),
		chromedp.SetValue(`#f-kind`, "finale", chromedp.ByQuery),
		chromedp.SetValue(`#f-closes`, closes, chromedp.ByQuery),
		chromedp.Click(`form.stack button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#wave-link`, chromedp.ByQuery))
	var waveURL string
	must(t, ctx, chromedp.Location(&waveURL))
	waveURL, _, _ = strings.Cut(waveURL, "?")
	link := text(t, ctx, `#wave-link`)
	if !strings.HasPrefix(link, baseURL+"/s/") {
		t.Fatalf("public link %q", link)
	}

	answers := []map[string]string{
		{"services": "5", "institutions": "4", "aides": "5", "participation": "4"},
		{"services": "3", "institutions": "2", "participation": "4"}, // "aides" left to "Je ne sais pas"
	}
	// the respondents use a phone, with JavaScript off
	must(t, ctx, emulation.SetDeviceMetricsOverride(360, 740, 2, true), emulation.SetScriptExecutionDisabled(true))
	for i, a := range answers {
		// another browser: no session, no cookie of the first answer
		must(t, ctx, network.ClearBrowserCookies(), chromedp.Navigate(link), chromedp.WaitVisible(`#f-i_services-1`, chromedp.ByQuery))
		var overflow int
		must(t, ctx, chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &overflow))
		if overflow > 0 {
			t.Errorf("the questionnaire scrolls sideways by %d px on a phone", overflow)
		}
		for item, score := range a {
			must(t, ctx, chromedp.Click(`#f-i_`+item+`-`+score, chromedp.ByQuery))
		}
		must(t, ctx, chromedp.Click(`fieldset[id^="f-q"] input[value="1"]`, chromedp.ByQuery),
			chromedp.SendKeys(`#f-comment`, "Réponse "+strconv.Itoa(i+1)+" depuis le navigateur", chromedp.ByQuery),
			chromedp.Click(`form.stack button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`.alert-success`, chromedp.ByQuery))
		// the same browser again: told it answered, no form
		must(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(`#survey-message`, chromedp.ByQuery))
		if msg := text(t, ctx, `#survey-message`); !strings.Contains(msg, "Vous avez déjà répondu") {
			t.Errorf("answer %d, same browser again: %q", i+1, msg)
		}
	}

	must(t, ctx, emulation.ClearDeviceMetricsOverride(), emulation.SetScriptExecutionDisabled(false), network.ClearBrowserCookies())
	login(t, ctx, officerEmail)
	must(t, ctx, chromedp.Navigate(waveURL), chromedp.WaitVisible(`#wave-responses`, chromedp.ByQuery))
	if n := text(t, ctx, `#wave-responses`); n != "2" {
		t.Errorf("the wave shows %s responses, want 2", n)
	}
	must(t, ctx, chromedp.Click(`form[action$="/close"] button`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action$="/close"]`, chromedp.ByQuery))
	if state := text(t, ctx, `#wave-state`); !strings.HasPrefix(state, "close") {
		t.Errorf("after closing, the wave is %q", state)
	}

	// what the answers imply: the new wave's mean over the national
	// statements, minus the initial wave's, rounded as figures are
	sum, n := 0, 0
	for _, a := range answers {
		for _, s := range a {
			v, _ := strconv.Atoi(s)
			sum, n = sum+v, n+1
		}
	}
	initSum, initN := 0, 0
	for s, c := range initial {
		initSum, initN = initSum+s*c, initN+c
	}
	want := math.Round((float64(sum)/float64(n)-float64(initSum)/float64(initN))*100) / 100
	after := figure(t, ctx, ctgURL, "E42")
	if after != chart.Num(want) {
		t.Errorf("E42 after the wave = %s, want %s (%d/%d − %d/%d); it was %s", after, chart.Num(want), sum, n, initSum, initN, before)
	}
	t.Logf("E42: %s → %s (new final wave %d/%d, initial wave %d/%d)", before, after, sum, n, initSum, initN)

	// the closed link refuses, with a clear page
	must(t, ctx, network.ClearBrowserCookies(), chromedp.Navigate(link), chromedp.WaitVisible(`#survey-message`, chromedp.ByQuery))
	if msg := text(t, ctx, `#survey-message`); !strings.Contains(msg, "Ce questionnaire est clos depuis le") {
		t.Errorf("the closed link says %q", msg)
	}
}

// figure reads an indicator's value on the CTG's dashboard.
func figure(t *testing.T, ctx contextT, ctgURL, code string) string {
	t.Helper()
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/indicators"), chromedp.WaitVisible(`table.indicators`, chromedp.ByQuery))
	return text(t, ctx, `tr#ind-`+code+` a.figure`)
}

// distribution reads a wave's answers by score on its results page.
func distribution(t *testing.T, ctx contextT, waveURL string) map[int]int {
	t.Helper()
	var rows [][]string
	must(t, ctx, chromedp.Navigate(baseURL+waveURL), chromedp.WaitVisible(`#distribution`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("#distribution tbody tr")].map(tr => [tr.dataset.score, tr.cells[2].textContent])`, &rows))
	out := map[int]int{}
	for _, r := range rows {
		s, _ := strconv.Atoi(r[0])
		c, _ := strconv.Atoi(strings.TrimSpace(r[1]))
		out[s] = c
	}
	if len(out) != 5 {
		t.Fatalf("distribution of %s: %v", waveURL, rows)
	}
	return out
}
