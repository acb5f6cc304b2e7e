package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

type figureLink struct {
	Code  string `json:"code"`
	Value string `json:"value"`
	Href  string `json:"href"`
}

// Every figure of the CTG dashboard opens onto the list of its records, and
// that list counts exactly the figure (scores excepted: they open onto the
// survey waves they come from). A breakdown key does the same.
func TestDashboardFiguresOpenOntoTheirRecords(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	var ctgURL string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	for _, query := range []string{"", "?year=2024"} {
		var links []figureLink
		must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/indicators"+query),
			chromedp.WaitVisible(`table.indicators`, chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll("tr[id^=ind-]")].map(tr => {
				const a = tr.querySelector("a.figure"), part = tr.querySelector("td:last-child a");
				return [{code: tr.id.slice(4), value: a.textContent.trim(), href: a.href},
					...(part ? [{code: tr.id.slice(4) + " " + part.textContent.split(" : ")[0], value: part.textContent.split(" : ")[1], href: part.href}] : [])];
			}).flat()`, &links))
		if len(links) < 20 {
			t.Fatalf("dashboard%s shows %d figure links, want the 20 indicators and their breakdowns", query, len(links))
		}
		for _, l := range links {
			var count, value string
			must(t, ctx, chromedp.Navigate(l.Href), chromedp.WaitVisible(`#drill-count`, chromedp.ByQuery),
				chromedp.Text(`#drill-count`, &count, chromedp.ByQuery), chromedp.Text(`#drill-value`, &value, chromedp.ByQuery))
			if value != l.Value {
				t.Errorf("%s%s: the detail page says %s, the dashboard %s", l.Code, query, value, l.Value)
			}
			if strings.Contains(l.Value, ",") || strings.HasPrefix(l.Code, "E32") || strings.HasPrefix(l.Code, "E42") {
				continue // a survey score opens onto its waves
			}
			if count != l.Value {
				t.Errorf("%s%s: %s listed behind a figure of %s", l.Code, query, count, l.Value)
			}
		}
		t.Logf("dashboard%s: %d figures checked against their lists", query, len(links))
	}
}
