package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestLoginShowsTheOfficersCTG(t *testing.T) {
	ctx := tab(t)
	must(t, ctx, chromedp.Navigate(baseURL+"/"), chromedp.WaitVisible("#email", chromedp.ByQuery))
	must(t, ctx,
		chromedp.SendKeys("#email", officerEmail, chromedp.ByQuery),
		chromedp.SendKeys("#password", "mauvais mot de passe", chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#login-error", chromedp.ByQuery))
	if got := text(t, ctx, "#login-error"); got != "Adresse électronique ou mot de passe incorrect." {
		t.Errorf("error = %q", got)
	}
	login(t, ctx, officerEmail)
	cards := text(t, ctx, "ul.cards")
	if !strings.Contains(cards, "CTG du Diois") || strings.Contains(cards, "Montélimar") {
		t.Errorf("home shows %q, want the Diois CTG only", cards)
	}
}

// The acceptance scenario: a Copil with two decisions and an alert, on one page.
func TestRecordCopilWithDecisionsAndAlert(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	must(t, ctx,
		chromedp.Click(`ul.cards a`, chromedp.ByQuery),
		chromedp.WaitVisible(`nav.sub-nav`, chromedp.ByQuery),
		chromedp.Click(`//nav[contains(@class,"sub-nav")]//a[text()="Journal"]`, chromedp.BySearch),
		chromedp.Click(`//a[contains(., "Nouvel enregistrement")]`, chromedp.BySearch),
		chromedp.Click(`//a[text()="Réunion"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-title`, chromedp.ByQuery),
		chromedp.SetValue(`#f-date`, "2026-10-14", chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Copil d'automne (test e2e)", chromedp.ByQuery),
		chromedp.SetValue(`#f-nature`, "copil", chromedp.ByQuery),
		chromedp.Click(`input[name^="role_"][value="animation"]`, chromedp.ByQuery),
		chromedp.Click(`input[name^="role_"][value="releve_decisions"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-comment`, "1. Bilan des fiches actions\n2. Programmation 2027", chromedp.ByQuery),
		chromedp.SendKeys(`#dec_title_1`, "Valider le schéma petite enfance", chromedp.ByQuery),
		chromedp.SetValue(`#dec_axis_1`, "petite_enfance", chromedp.ByQuery),
		chromedp.Click(`#dec_facilitated_1`, chromedp.ByQuery),
		chromedp.SendKeys(`#dec_title_2`, "Lancer l'appel à projets parentalité", chromedp.ByQuery),
		chromedp.SendKeys(`#al_title_1`, "Retard de l'ouverture du LAEP", chromedp.ByQuery),
		chromedp.SetValue(`#al_nature_1`, "retard", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#children`, chromedp.ByQuery),
	)
	page := text(t, ctx, "main")
	for _, want := range []string{"Enregistrement effectué.", "Copil d'automne (test e2e)", "Décision : Valider le schéma petite enfance",
		"Décision : Lancer l'appel à projets parentalité", "Alerte : Retard de l'ouverture du LAEP", "facilitée"} {
		if !strings.Contains(page, want) {
			t.Errorf("meeting page lacks %q", want)
		}
	}
	// one more decision from the meeting page, in one step
	must(t, ctx,
		chromedp.SendKeys(`#q-dec-title`, "Réunir le groupe handicap en janvier", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Ajouter la décision"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//li[contains(., "Réunir le groupe handicap en janvier")]`, chromedp.BySearch))
}

func TestFicheActionAndProgressUpdate(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	must(t, ctx,
		chromedp.Click(`ul.cards a`, chromedp.ByQuery),
		chromedp.Click(`//nav[contains(@class,"sub-nav")]//a[text()="Plan d'actions"]`, chromedp.BySearch),
		chromedp.Click(`//a[text()="Nouvelle fiche action"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-code`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-code`, "E2E-1", chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Créer une ludothèque itinérante", chromedp.ByQuery),
		chromedp.SetValue(`#f-axis`, "parentalite", chromedp.ByQuery),
		chromedp.Click(`#f-priority`, chromedp.ByQuery),
		chromedp.SetValue(`#f-start`, "2025-01-01", chromedp.ByQuery),
		chromedp.SetValue(`#f-end`, "2026-06-30", chromedp.ByQuery),
		chromedp.SendKeys(`#milestone_label_1`, "Premier passage dans les villages", chromedp.ByQuery),
		chromedp.SendKeys(`#milestone_year_1`, "2025", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Enregistrer la fiche"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#updates`, chromedp.ByQuery),
		chromedp.SetValue(`#f-status`, "bloquee", chromedp.ByQuery),
		chromedp.SetValue(`#f-percent`, "30", chromedp.ByQuery),
		chromedp.SendKeys(`#f-difficulties`, "Véhicule non livré", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Enregistrer le point"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//td[contains(., "Véhicule non livré")]`, chromedp.BySearch),
	)
	if page := text(t, ctx, "main"); !strings.Contains(page, "Porter une alerte au Copil") || !strings.Contains(page, "30 %") {
		t.Errorf("blocked priority fiche does not offer an alert: %s", page[:min(400, len(page))])
	}
}

func TestFindRecordThroughFiltersAndExport(t *testing.T) {
	ctx := tab(t)
	login(t, ctx, officerEmail)
	must(t, ctx,
		chromedp.Click(`ul.cards a`, chromedp.ByQuery),
		chromedp.Click(`//nav[contains(@class,"sub-nav")]//a[text()="Journal"]`, chromedp.BySearch),
		chromedp.WaitVisible(`form.filters`, chromedp.ByQuery))
	all := text(t, ctx, "p.toolbar strong")
	must(t, ctx,
		chromedp.SetValue(`#f-kind`, "alerte", chromedp.ByQuery),
		chromedp.SetValue(`#f-from`, "2024-01-01", chromedp.ByQuery),
		chromedp.SetValue(`#f-to`, "2024-12-31", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Filtrer"]`, chromedp.BySearch),
		// the unfiltered page's table is still there until the filtered
		// one loads: wait for what only the filtered page has, its export
		// link carrying the filter
		chromedp.WaitVisible(`a[href*="format=csv"][href*="kind=alerte"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.data`, chromedp.ByQuery))
	filtered := text(t, ctx, "p.toolbar strong")
	if filtered == all || filtered == "0" {
		t.Errorf("filter gave %s of %s records", filtered, all)
	}
	var kinds []string
	must(t, ctx, chromedp.Evaluate(`[...document.querySelectorAll("table.data tbody tr td:nth-child(2)")].map(td => td.textContent.trim())`, &kinds))
	for _, k := range kinds {
		if k != "Alerte au Copil" {
			t.Fatalf("filtered list holds a %q", k)
		}
	}
	var csv string
	// the first three bytes, then the text (TextDecoder drops the BOM)
	must(t, ctx, chromedp.Evaluate(`fetch(document.querySelector('a[href*="format=csv"]').href).then(r => r.arrayBuffer())
		.then(b => [...new Uint8Array(b).slice(0, 3)].join(",") + "|" + new TextDecoder().decode(b))`, &csv,
		func(p *runtimeEvaluateParams) *runtimeEvaluateParams { return p.WithAwaitPromise(true) }))
	bom, body, _ := strings.Cut(csv, "|")
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	if bom != "239,187,191" || !strings.HasPrefix(body, "Date;Type;Intitulé") || itoaLen(lines[1:]) != filtered {
		t.Errorf("CSV export has %d rows, the list %s", len(lines)-1, filtered)
	}
}
