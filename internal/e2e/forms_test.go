package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// In Chromium, as an officer would meet them (issue 11, item 4): a form
// refused for its fields comes back with a summary that has the focus,
// names each field in the page's order and leads to it; a form posted
// with a stale token, or once the session expired (signed in again
// through the login page it leads to), comes back with everything typed,
// and then saves. axe-core checks the pages met on the way.
func TestFormErrorsAndKeptInput(t *testing.T) {
	ctx := tab(t)
	axe, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core missing (npm ci): %v", err)
	}
	login(t, ctx, officerEmail)
	var ctgURL string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	form := baseURL + ctgURL + "/records/new?kind=alerte"

	// 1. the error summary: focused, in the page's order, each a link; the
	// form starts from the officer's last alert (quick capture), whose
	// nature is put back to « — choisir — »
	must(t, ctx, chromedp.Navigate(form), chromedp.WaitVisible(`#f-title`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Retard du chantier de la micro-crèche", chromedp.ByQuery),
		chromedp.SetValue(`#f-nature`, "", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	var focused string
	var entries []string
	must(t, ctx, chromedp.Evaluate(`document.activeElement.className`, &focused),
		chromedp.Evaluate(`[...document.querySelectorAll(".error-summary li a")].map(a => a.getAttribute("href") + " " + a.textContent)`, &entries))
	if focused != "error-summary" {
		t.Errorf("the focus is on %q, not on the error summary", focused)
	}
	if want := "#f-nature Nature de l'alerte : ce champ est obligatoire."; len(entries) != 1 || entries[0] != want {
		t.Errorf("summary entries = %q, want [%s]", entries, want)
	}
	check(t, ctx, string(axe), "formulaire d'alerte renvoyé avec ses erreurs")
	var field string
	must(t, ctx, chromedp.Click(`.error-summary a`, chromedp.ByQuery), chromedp.Evaluate(`document.activeElement.id`, &field))
	if field != "f-nature" {
		t.Errorf("the summary's link led the focus to %q", field)
	}

	// 2. a stale token: the form again, as typed, with a fresh token
	must(t, ctx, chromedp.Navigate(form), chromedp.WaitVisible(`#f-title`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Blocage du permis de construire", chromedp.ByQuery),
		chromedp.SetValue(`#f-nature`, "blocage", chromedp.ByQuery),
		chromedp.SendKeys(`#f-comment`, "Le maire attend l'avis de la PMI.", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("input[name=csrf]").forEach(i => i.value = "un-jeton-perime")`, nil),
		chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch),
		chromedp.WaitVisible(`.kept-input`, chromedp.ByQuery))
	keptAsTyped(t, ctx, "Blocage du permis de construire", "blocage", "Le maire attend l'avis de la PMI.")
	if notice := text(t, ctx, ".kept-input p"); !strings.HasPrefix(notice, "La page a expiré") {
		t.Errorf("stale token: the notice says %q", notice)
	}
	check(t, ctx, string(axe), "formulaire repris après un jeton périmé")
	must(t, ctx, chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Enregistrement effectué")]`, chromedp.BySearch))

	// 3. an expired session: the login page carries the input, and after
	// signing in the form comes back filled
	must(t, ctx, chromedp.Navigate(form), chromedp.WaitVisible(`#f-title`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Financement non bouclé du LAEP", chromedp.ByQuery),
		chromedp.SetValue(`#f-nature`, "financement", chromedp.ByQuery),
		chromedp.SendKeys(`#f-comment`, "Il manque 12 000 € au plan de financement.", chromedp.ByQuery),
		network.ClearBrowserCookies(),
		chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#password`, chromedp.ByQuery))
	if notice := text(t, ctx, "form .alert"); !strings.HasPrefix(notice, "Votre session a expiré") {
		t.Errorf("expired session: the login page says %q", notice)
	}
	check(t, ctx, string(axe), "connexion après une session expirée")
	must(t, ctx,
		chromedp.SendKeys(`#email`, officerEmail, chromedp.ByQuery),
		chromedp.SendKeys(`#password`, demoPassword, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.kept-input`, chromedp.ByQuery))
	keptAsTyped(t, ctx, "Financement non bouclé du LAEP", "financement", "Il manque 12 000 € au plan de financement.")
	must(t, ctx, chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "Enregistrement effectué")]`, chromedp.BySearch))
	if page := text(t, ctx, "main"); !strings.Contains(page, "Financement non bouclé du LAEP") {
		t.Errorf("the alert saved after sign-in is not the one typed")
	}
}

// keptAsTyped checks the alert form shows what was typed.
func keptAsTyped(t *testing.T, ctx contextT, title, nature, comment string) {
	t.Helper()
	var got []string
	must(t, ctx, chromedp.Evaluate(`["#f-title", "#f-nature", "#f-comment"].map(s => document.querySelector(s).value)`, &got))
	if want := []string{title, nature, comment}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the form came back with %q, want %q", got, want)
	}
}
