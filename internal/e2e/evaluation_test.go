package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// demo accounts of the evaluation workflow (internal/demo/evaluations.go:
// the draft is Thomas Reynaud's, in the Diois)
const (
	draftHolderEmail = "thomas.reynaud@demo.copilote.fr"
	advisorEmail     = "julien.marcellin@demo.copilote.fr"
)

// The workflow of an evaluation in Chromium, without JavaScript of ours:
// the officer completes the demo's draft and submits it, the advisor
// returns it, the officer submits again, the advisor validates it (the
// page then says it is frozen and by whom), and the Caf administrator
// reopens it with a reason the history shows.
func TestEvaluationWorkflowInBrowser(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, draftHolderEmail)
	var evalURL string
	must(t, ctx,
		chromedp.Click(`ul.cards a`, chromedp.ByQuery),
		chromedp.Click(`//nav[contains(@class,"sub-nav")]//a[text()="Évaluation"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#postes`, chromedp.ByQuery),
		chromedp.AttributeValue(evaluationLink("Thomas Reynaud"), "href", &evalURL, nil, chromedp.BySearch))
	// the address is read above: an action list is built before it runs
	must(t, ctx, chromedp.Navigate(baseURL+evalURL),
		chromedp.WaitVisible(`#f-level_2\.1`, chromedp.ByQuery),
		chromedp.Click(`#f-level_2\.1`, chromedp.ByQuery), // the first level: atteint
		chromedp.SendKeys(`#f-comment_2\.1`, "Diagnostic partagé mené avec les familles (test e2e)", chromedp.ByQuery),
		chromedp.Click(`input[name="level_2.2"][value="partiel"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-difficulties`, "Un mi-temps pour trois fonctions.", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Soumettre au conseiller territorial"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "soumise")]`, chromedp.BySearch),
	)
	if got := text(t, ctx, "#evaluation-status"); got != "Soumise au conseiller territorial" {
		t.Fatalf("status after submission: %q", got)
	}
	if page := text(t, ctx, "main"); !strings.Contains(page, "Diagnostic partagé mené avec les familles (test e2e)") {
		t.Error("the document does not show the officer's comment")
	}

	must(t, ctx, network.ClearBrowserCookies())
	login(t, ctx, advisorEmail)
	must(t, ctx,
		chromedp.Navigate(baseURL+evalURL),
		chromedp.WaitVisible(`#f-review`, chromedp.ByQuery),
		chromedp.Click(`//button[text()="Renvoyer au chargé(e) de coopération"]`, chromedp.BySearch),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery), // a return says why
		chromedp.SendKeys(`#f-review`, "Précisez les projets facilités en 2.2.", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Renvoyer au chargé(e) de coopération"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "renvoyée")]`, chromedp.BySearch),
	)

	must(t, ctx, network.ClearBrowserCookies())
	login(t, ctx, draftHolderEmail)
	must(t, ctx,
		chromedp.Navigate(baseURL+evalURL),
		chromedp.WaitVisible(`#f-comment_2\.2`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-comment_2\.2`, "Deux projets de l'accueil de loisirs facilités.", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Soumettre au conseiller territorial"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "soumise")]`, chromedp.BySearch),
	)

	must(t, ctx, network.ClearBrowserCookies())
	login(t, ctx, advisorEmail)
	must(t, ctx,
		chromedp.Navigate(baseURL+evalURL),
		chromedp.WaitVisible(`#f-review_level_2\.2`, chromedp.ByQuery),
		chromedp.SetValue(`#f-review_level_2\.2`, "atteint", chromedp.ByQuery),
		chromedp.SendKeys(`#f-review_comment_2\.2`, "Atteint au vu des projets.", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Valider et figer l'évaluation"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "figé")]`, chromedp.BySearch),
	)
	page := text(t, ctx, "main")
	for _, want := range []string{"Validée et figée", "par Julien Marcellin", "identiques à ceux figés", "Atteint au vu des projets."} {
		if !strings.Contains(page, want) {
			t.Errorf("validated page lacks %q", want)
		}
	}

	must(t, ctx, network.ClearBrowserCookies())
	login(t, ctx, adminEmail)
	must(t, ctx,
		chromedp.Navigate(baseURL+evalURL),
		chromedp.WaitVisible(`#f-reason`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-reason`, "Coût du poste à corriger (test e2e)", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Rouvrir l'évaluation"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "rouverte")]`, chromedp.BySearch),
	)
	if got := text(t, ctx, "ol.history"); !strings.Contains(got, "réouverture par l'administration de la Caf (Catherine Brunel) : « Coût du poste à corriger (test e2e) »") {
		t.Errorf("history: %q", got)
	}
	if got := text(t, ctx, "#evaluation-status"); got != "Soumise au conseiller territorial" {
		t.Errorf("status after reopening: %q", got)
	}
}
