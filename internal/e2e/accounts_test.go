package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The acceptance scenario of issue 11, item 6: the demo's administrator
// invites an advisor with the Diois CTG; an alert is raised on that CTG;
// the advisor opens the link handed over (this Copilote sends no mail),
// chooses a password, signs in and lands on a home page that lists the
// alert. The link then refuses a second use.
func TestInvitationToFirstHomePage(t *testing.T) {
	ctx := tab(t)
	const (
		name     = "Inès Nouvelle"
		email    = "ines.nouvelle@demo.copilote.fr"
		password = "la forêt de Saoû en automne"
		alert    = "Fermeture estivale du LAEP de Die non compensée (test e2e)"
	)
	login(t, ctx, adminEmail)
	diois := `//div[contains(@class,"checkbox")][label[contains(., "Diois")]]/input`
	var ctgID, link string
	must(t, ctx,
		chromedp.Click(`//nav[contains(@class,"main-nav")]//a[text()="Comptes"]`, chromedp.BySearch),
		chromedp.Click(`//a[text()="Nouveau compte"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-name`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-name`, name, chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, email, chromedp.ByQuery),
		chromedp.SetValue(`#f-role`, "conseiller", chromedp.ByQuery),
		chromedp.Click(diois, chromedp.BySearch),
		chromedp.AttributeValue(diois, "value", &ctgID, nil, chromedp.BySearch),
		chromedp.Click(`//button[text()="Créer le compte et son invitation"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#link-url`, chromedp.ByQuery),
		chromedp.Value(`#link-url`, &link, chromedp.ByQuery),
	)
	page := text(t, ctx, "main")
	for _, want := range []string{"Lien d'invitation", "Invitation en attente", "remettez ce lien vous-même", "CTG du Diois 2023-2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	if !strings.HasPrefix(link, baseURL+"/password/set?token=") {
		t.Fatalf("link %q", link)
	}
	// the alert, raised by the administrator on behalf of the Diois chef de
	// projet, dated the convention's last day: the newest of the CTG
	must(t, ctx, chromedp.Navigate(baseURL+"/ctg/"+ctgID+"/records/new?kind=alerte"))
	must(t, ctx,
		chromedp.WaitVisible(`#f-title`, chromedp.ByQuery),
		chromedp.SetValue(`#f-date`, "2026-12-31", chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, alert, chromedp.ByQuery),
		chromedp.SetValue(`#f-nature`, "financement", chromedp.ByQuery),
		chromedp.SetValue(`#f-status`, "ouverte", chromedp.ByQuery),
		chromedp.Click(`//button[text()="Enregistrer"]`, chromedp.BySearch))
	if got := pageHeading(t, ctx, "Fermeture estivale"); !strings.Contains(got, "Fermeture estivale") {
		t.Fatalf("alert not recorded: %s", got)
	}

	// the invited advisor, in a browser of their own
	must(t, ctx, network.ClearBrowserCookies(),
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#f-password`, chromedp.ByQuery))
	if got := text(t, ctx, "h1"); got != "Choisir votre mot de passe" {
		t.Errorf("link page titled %q", got)
	}
	must(t, ctx,
		chromedp.SendKeys(`#f-password`, password, chromedp.ByQuery),
		chromedp.SendKeys(`#f-confirm`, password, chromedp.ByQuery),
		chromedp.Click(`//button[text()="Enregistrer le mot de passe"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery),
	)
	if flash := text(t, ctx, ".alert-success"); !strings.HasPrefix(flash, "Mot de passe enregistré") {
		t.Errorf("login page says %q", flash)
	}
	must(t, ctx,
		chromedp.SendKeys(`#email`, email, chromedp.ByQuery),
		chromedp.SendKeys(`#password`, password, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#alerts-`+ctgID, chromedp.ByQuery),
	)
	var at string
	must(t, ctx, chromedp.Location(&at))
	if at != baseURL+"/" {
		t.Errorf("landed on %s", at)
	}
	if cards := text(t, ctx, "ul.cards"); !strings.Contains(cards, "CTG du Diois") || strings.Contains(cards, "Montélimar") {
		t.Errorf("the advisor's CTGs: %q", cards)
	}
	if alerts := text(t, ctx, "#alerts-"+ctgID); !strings.Contains(alerts, alert) {
		t.Errorf("home page's open alerts lack the alert raised:\n%s", alerts)
	}
	if user := text(t, ctx, ".user-menu"); !strings.Contains(user, name) {
		t.Errorf("signed in as %q", user)
	}

	// the link has served
	must(t, ctx, network.ClearBrowserCookies(), chromedp.Navigate(link), chromedp.WaitVisible(`#link-refused`, chromedp.ByQuery))
	if got := text(t, ctx, "#link-refused"); !strings.Contains(got, "il a déjà été utilisé") {
		t.Errorf("used link says %q", got)
	}
}

// pageHeading waits, for a few seconds at most, for the page's h1 to hold
// want, and returns it, or the page's error summary if one comes instead.
// It reads through JavaScript: after the record form's submission the
// DOM-node queries of chromedp did not see the new page.
func pageHeading(t *testing.T, ctx contextT, want string) string {
	t.Helper()
	var got string
	for range 50 {
		must(t, ctx, chromedp.Evaluate(`(document.querySelector(".error-summary") || document.querySelector("h1") || {innerText: ""}).innerText`, &got))
		if strings.Contains(got, want) || strings.Contains(got, "Le formulaire n'a pas été enregistré") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return got
}

// An agent signs in with their identity provider (issue 12, item 1): the
// sign-in page offers it, the provider answers for the demo officer and
// Chromium lands on her home page; an address with no account is refused
// with whom to ask, and nothing is signed in.
func TestSignInThroughProviderInBrowser(t *testing.T) {
	ctx := tab(t)
	idp.As(officerEmail, true)
	must(t, ctx, chromedp.Navigate(baseURL+"/login"), chromedp.WaitVisible(`#sso`, chromedp.ByQuery))
	if got := text(t, ctx, "#sso"); got != "Se connecter avec ProConnect" {
		t.Errorf("the sign-in page offers %q", got)
	}
	must(t, ctx, chromedp.Click(`#sso`, chromedp.ByQuery), chromedp.WaitVisible(`.user-menu`, chromedp.ByQuery))
	var at string
	must(t, ctx, chromedp.Location(&at))
	if at != baseURL+"/" {
		t.Errorf("landed on %s", at)
	}
	if user := text(t, ctx, ".user-menu"); !strings.Contains(user, "Élodie Charvet") {
		t.Errorf("signed in as %q", user)
	}

	idp.As("agent.inconnu@caf26.fr", true)
	must(t, ctx, network.ClearBrowserCookies(), chromedp.Navigate(baseURL+"/login"),
		chromedp.Click(`#sso`, chromedp.ByQuery), chromedp.WaitVisible(`.alert`, chromedp.ByQuery))
	if got := text(t, ctx, "main"); !strings.Contains(got, "Aucun compte Copilote actif n'est ouvert à l'adresse agent.inconnu@caf26.fr : demandez à l'administrateur") {
		t.Errorf("unknown agent's page: %s", got)
	}
	must(t, ctx, chromedp.Navigate(baseURL+"/journal"), chromedp.WaitVisible(`#email`, chromedp.ByQuery))
}
