package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The acceptance scenario of issue 13, item 2: the demo officer imports a
// CSV of meetings kept in French Excel (Windows-1252, ;) with mistakes,
// reads them by line and column, corrects the mapping (a column Copilote
// did not recognise, a value it only suggested), and commits.
func TestImportCSVWithErrors(t *testing.T) {
	ctx := tab(t)
	axe, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core missing (npm ci): %v", err)
	}
	// « Quoi » is no header Copilote knows; « Copil élargi » no meeting kind
	csv := "Date;Type;Quoi;Nature;Rôle\r\n" +
		"12/03/2025;Réunion;Copil de printemps (import e2e);Copil;Animation\r\n" +
		"02/04/2025;Réunion;Copil élargi aux habitants (import e2e);Copil élargi;Préparation\r\n"
	latin := strings.NewReplacer("ô", "\xf4", "é", "\xe9").Replace(csv)
	file := filepath.Join(t.TempDir(), "reunions.csv")
	if err := os.WriteFile(file, []byte(latin), 0o600); err != nil {
		t.Fatal(err)
	}
	login(t, ctx, officerEmail)
	var ctgURL string
	must(t, ctx, chromedp.AttributeValue(`ul.cards a`, "href", &ctgURL, nil, chromedp.ByQuery))
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/imports"), chromedp.WaitReady("main", chromedp.ByQuery))
	if h := text(t, ctx, "h1"); h != "Importer depuis un tableur" {
		var loc string
		must(t, ctx, chromedp.Location(&loc))
		t.Fatalf("%s (%s/imports): %q", loc, ctgURL, text(t, ctx, "main"))
	}
	check(t, ctx, string(axe), ctgURL+"/imports")
	must(t, ctx,
		chromedp.Click(`#k-records`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#f-file`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`//button[text()="Envoyer le fichier"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#import-errors`, chromedp.ByQuery))
	head := text(t, ctx, "main > p")
	if !strings.Contains(head, "lu en Windows-1252, séparateur point-virgule") {
		t.Errorf("the page says %q", head)
	}
	var lines []string
	must(t, ctx, chromedp.Evaluate(`[...document.querySelectorAll("#import-errors tbody tr")].map(r =>
		[...r.cells].map(c => c.innerText.trim()).join(" | "))`, &lines))
	t.Logf("errors shown:\n%s", strings.Join(lines, "\n"))
	for _, want := range []string{
		"2 | — (Intitulé, aucune colonne) | (vide) | Ce champ est obligatoire.",
		"3 | D « Nature » | Copil élargi | « Copil élargi » n'est pas une valeur connue de la liste « Types de réunions » : associez-la à une valeur dans l'étape « Valeurs ».",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("errors lack %q", want)
		}
	}
	check(t, ctx, string(axe), "import page with errors")
	// the correction: « Quoi » is the title; « Copil élargi » is the Copil,
	// which Copilote suggested (preselected) and which counts once saved
	var suggested string
	must(t, ctx, chromedp.Value(`select[name="val|meeting_kind|copil elargi"]`, &suggested, chromedp.ByQuery))
	if suggested != "copil" {
		t.Errorf("suggestion for « Copil élargi »: %q", suggested)
	}
	must(t, ctx,
		chromedp.SetValue(`#col-2`, "title", chromedp.ByQuery),
		chromedp.Click(`#save-mapping`, chromedp.ByQuery),
		chromedp.WaitVisible(`#import-summary.alert-success`, chromedp.ByQuery))
	if got := text(t, ctx, "#import-summary"); !strings.Contains(got, "Les 2 lignes peuvent être importées : 2 éléments à créer.") {
		t.Fatalf("after the correction: %q", got)
	}
	must(t, ctx, chromedp.Click(`#commit`, chromedp.ByQuery), chromedp.WaitVisible(`#imports`, chromedp.ByQuery))
	if flash := text(t, ctx, ".alert-success"); !strings.HasPrefix(flash, "Import effectué") {
		t.Errorf("after the commit: %q", flash)
	}
	if row := text(t, ctx, "#imports tbody tr:first-child"); !strings.Contains(row, "reunions.csv") || !strings.Contains(row, "2 éléments créés") ||
		!strings.Contains(row, "Annuler cet import") {
		t.Errorf("imports list: %q", row)
	}
	must(t, ctx, chromedp.Navigate(baseURL+ctgURL+"/journal?q=import+e2e"), chromedp.WaitReady("main", chromedp.ByQuery))
	if j := text(t, ctx, "main"); !strings.Contains(j, "Copil élargi aux habitants (import e2e)") {
		t.Errorf("journal lacks the imported meeting")
	}
}
