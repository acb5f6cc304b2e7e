package web

import (
	"bytes"
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/account"
	"copilote/internal/civil"
	"copilote/internal/config"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/mail"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// outbox records the messages the server sends.
type outbox struct {
	mu   sync.Mutex
	sent []mail.Message
	got  chan mail.Message
}

func (o *outbox) Send(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	o.sent = append(o.sent, m)
	o.mu.Unlock()
	o.got <- m
	return nil
}

// accountSite is the test site with its Caf's administrator, another
// Caf's advisor and a national reader; with mail, the server's messages
// go to box. log holds the server's log, at debug level.
type accountSite struct {
	*site
	db       *store.DB
	cafID    int64
	admin    *http.Client
	adminTok string
	stranger account.User
	national account.User
	box      *outbox
	log      *bytes.Buffer
}

func newAccountSite(t *testing.T, db *store.DB, withMail bool) *accountSite {
	t.Helper()
	a := &accountSite{db: db, log: &bytes.Buffer{}}
	a.site = newSiteWith(t, db, config.Default(), func(s *Server) {
		s.log = slog.New(slog.NewTextHandler(a.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
		if withMail {
			a.box = &outbox{got: make(chan mail.Message, 8)}
			s.mailer = a.box
		}
	})
	a.cafID = a.mine.CafID
	err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
		admin := account.User{Email: "admin@caf26.fr", Name: "Anne Admin", Role: account.Admin, CafID: a.cafID}
		if err := tx.CreateUser(&admin, password); err != nil {
			return err
		}
		other := ctg.Caf{Code: "038", Name: "Caf de l'Isère"}
		if err := tx.CreateCaf(&other); err != nil {
			return err
		}
		a.stranger = account.User{Email: "conseil@caf38.fr", Name: "Serge Isère", Role: account.Advisor, CafID: other.ID}
		if err := tx.CreateUser(&a.stranger, password); err != nil {
			return err
		}
		a.national = account.User{Email: "lecture@cnaf.fr", Name: "Nina National", Role: account.National}
		return tx.CreateUser(&a.national, password)
	})
	if err != nil {
		t.Fatal(err)
	}
	a.admin, a.adminTok = a.signIn(t, "admin@caf26.fr", password)
	return a
}

func (a *accountSite) signIn(t *testing.T, email, pw string) (*http.Client, string) {
	t.Helper()
	c := client(t)
	if code, body, _ := post(t, c, a.URL+"/login", url.Values{"email": {email}, "password": {pw}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", email, code, snippet(body))
	}
	return c, csrfOf(t, c, a.URL+"/account")
}

var linkRe = `id="link-url" readonly value="([^"]+)"`

// create makes an account through the form and returns its page.
func (a *accountSite) create(t *testing.T, form url.Values) string {
	t.Helper()
	form.Set("csrf", a.adminTok)
	code, body, _ := post(t, a.admin, a.URL+"/caf/accounts", form)
	if code != http.StatusOK {
		t.Fatalf("create account: %d %s", code, snippet(body))
	}
	return body
}

// The acceptance path without mail: the administrator creates an advisor
// with a CTG, hands over the link shown once; the advisor chooses a
// password through it and signs in; the link then refuses, clearly.
func TestInvitationInTheBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		body := a.create(t, url.Values{"name": {"Inès Nouvelle"}, "email": {"Ines.Nouvelle@caf26.fr"}, "role": {"conseiller"},
			"ctg": {itoa(a.mine.ID)}})
		link := html.UnescapeString(regexp1(t, body, linkRe))
		for _, want := range []string{"Lien d'invitation", "Invitation en attente", html.EscapeString(msg.Text(msg.MailOff)), "CTG du Diois"} {
			if !strings.Contains(body, want) {
				t.Errorf("account page lacks %q", want)
			}
		}
		if !strings.HasPrefix(link, a.URL+"/password/set?token=") {
			t.Fatalf("link %q", link)
		}
		_, list, _ := get(t, a.admin, a.URL+"/caf/accounts?status=invite")
		if !strings.Contains(list, "Inès Nouvelle") || strings.Contains(list, "Agnès Agent") || strings.Contains(list, "Serge") {
			t.Errorf("pending accounts: %s", snippet(list))
		}
		_, csv, h := get(t, a.admin, a.URL+"/caf/accounts?format=csv&role=conseiller")
		if h.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(csv, "Inès Nouvelle;ines.nouvelle@caf26.fr;Conseiller(ère) territorial(e) Caf;Invitation en attente;;1;0;") ||
			strings.Contains(csv, "Agnès") {
			t.Errorf("CSV export: %q", csv)
		}

		ines := client(t)
		code, page, h := get(t, ines, link)
		if code != 200 || !strings.Contains(page, "ines.nouvelle@caf26.fr") || h.Get("Referrer-Policy") != "origin" {
			t.Fatalf("link page: %d %s", code, snippet(page))
		}
		token := regexp1(t, page, `name="token" value="([^"]+)"`)
		form := url.Values{"token": {token}, "password": {"Saoû"}, "confirm": {"Saoû"}}
		if code, page, _ = post(t, ines, a.URL+"/password/set", form); code != 422 || !strings.Contains(page, "au moins 12 caractères") {
			t.Errorf("short password: %d", code)
		}
		form.Set("password", "la forêt de Saoû en automne")
		if code, page, _ = post(t, ines, a.URL+"/password/set", form); code != 422 || !strings.Contains(page, html.EscapeString(msg.Text(msg.PasswordConfirm))) {
			t.Errorf("confirmation differs: %d", code)
		}
		form.Set("confirm", "la forêt de Saoû en automne")
		if code, _, h = post(t, ines, a.URL+"/password/set", form); code != 303 || h.Get("Location") != "/login?ok=password_set" {
			t.Fatalf("set password: %d %s", code, h.Get("Location"))
		}
		if _, page, _ = get(t, ines, a.URL+"/login?ok=password_set"); !strings.Contains(page, "Mot de passe enregistré") {
			t.Errorf("login page after the link: %s", snippet(page))
		}
		c, _ := a.signIn(t, "ines.nouvelle@caf26.fr", "la forêt de Saoû en automne")
		if _, home, _ := get(t, c, a.URL+"/"); !strings.Contains(home, "CTG du Diois") || strings.Contains(home, "Royans") {
			t.Errorf("advisor's home: %s", snippet(home))
		}
		code, page, _ = get(t, client(t), link)
		if code != http.StatusGone || !strings.Contains(page, html.EscapeString(msg.Text(msg.LinkUsed))) || strings.Contains(page, `name="password"`) {
			t.Errorf("used link: %d %s", code, snippet(page))
		}
		if code, _, _ = post(t, client(t), a.URL+"/password/set", form); code != http.StatusGone {
			t.Errorf("used link posted again: %d", code)
		}
		if code, page, _ = get(t, client(t), a.URL+"/password/set?token=abc"); code != http.StatusGone ||
			!strings.Contains(page, html.EscapeString(msg.Text(msg.LinkUnknown))) {
			t.Errorf("unknown link: %d", code)
		}
		if strings.Contains(a.log.String(), token) {
			t.Errorf("the token is in the log:\n%s", a.log.String())
		}
	})
}

// With mail, the invitation goes to its holder with the link shown; a
// forgotten password is answered alike for an unknown address, and only
// a known one receives a link, valid an hour.
func TestLinksByMail(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, true)
		body := a.create(t, url.Values{"name": {"Paul Neuf"}, "email": {"paul.neuf@caf26.fr"}, "role": {"cooperateur"}})
		link := html.UnescapeString(regexp1(t, body, linkRe))
		m := <-a.box.got
		if m.To != "paul.neuf@caf26.fr" || m.Subject != "Votre compte Copilote" || !strings.Contains(m.Body, link+"\n") ||
			!strings.Contains(m.Body, "Bonjour Paul Neuf") {
			t.Errorf("invitation message %+v", m)
		}
		if !strings.Contains(body, html.EscapeString(msg.Text(msg.MailSent, "paul.neuf@caf26.fr"))) {
			t.Errorf("the page does not say the message left")
		}
		answers := map[string]string{}
		for _, email := range []string{"personne@caf26.fr", "Agent@Diois.fr"} {
			code, _, h := post(t, client(t), a.URL+"/password/forgot", url.Values{"email": {email}})
			if code != 303 {
				t.Fatalf("forgot %s: %d", email, code)
			}
			_, page, _ := get(t, client(t), a.URL+h.Get("Location"))
			answers[email] = h.Get("Location") + regexp1(t, page, `(?s)(<main.*</main>)`)
		}
		if answers["personne@caf26.fr"] != answers["Agent@Diois.fr"] || !strings.Contains(answers["Agent@Diois.fr"], "vient d&#39;y être envoyé") {
			t.Errorf("answers differ:\n%s\n%s", answers["personne@caf26.fr"], answers["Agent@Diois.fr"])
		}
		select {
		case m = <-a.box.got:
		case <-time.After(10 * time.Second):
			t.Fatal("no reset message")
		}
		if m.To != "agent@diois.fr" || m.Subject != "Nouveau mot de passe Copilote" {
			t.Errorf("reset message %+v", m)
		}
		select {
		case extra := <-a.box.got:
			t.Errorf("a message for an unknown address: %+v", extra)
		case <-time.After(200 * time.Millisecond):
		}
		reset := regexp1(t, m.Body, `(http://\S+)`)
		code, page, _ := get(t, client(t), reset)
		if code != 200 || !strings.Contains(page, "Choisir un nouveau mot de passe") || !strings.Contains(page, "agent@diois.fr") {
			t.Errorf("reset link page: %d %s", code, snippet(page))
		}
		token, _ := url.ParseQuery(strings.SplitN(reset, "?", 2)[1])
		if strings.Contains(a.log.String(), token.Get("token")) {
			t.Errorf("the token is in the log")
		}
	})
}

// A forgotten password is asked three times an hour per address typed;
// the fourth request is refused, whether the account exists or not.
func TestForgotPasswordRateLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		for _, email := range []string{"agent@diois.fr", "personne@diois.fr"} {
			for i := range 3 {
				if code, _, _ := post(t, client(t), a.URL+"/password/forgot", url.Values{"email": {email}}); code != 303 {
					t.Fatalf("%s, request %d: %d", email, i+1, code)
				}
			}
			code, page, _ := post(t, client(t), a.URL+"/password/forgot", url.Values{"email": {email}})
			if code != http.StatusTooManyRequests || !strings.Contains(page, "Trop de demandes de nouveau mot de passe") {
				t.Errorf("%s, 4th request: %d %s", email, code, snippet(page))
			}
		}
		if code, page, _ := post(t, client(t), a.URL+"/password/forgot", url.Values{"email": {""}}); code != 422 || !strings.Contains(page, "obligatoire") {
			t.Errorf("empty address: %d", code)
		}
	})
}

// An administrator's pages reach the accounts of their Caf only: another
// Caf's account and a national one answer 404, and no national account is
// made from a Caf. Others than administrators are refused.
func TestAdminCannotTouchAnotherCafsAccountsInBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		for _, u := range []account.User{a.stranger, a.national} {
			id := itoa(u.ID)
			if code, _, _ := get(t, a.admin, a.URL+"/caf/accounts/"+id); code != 404 {
				t.Errorf("page of %s: %d", u.Email, code)
			}
			for _, action := range []string{"deactivate", "role", "link", "grants"} {
				form := url.Values{"csrf": {a.adminTok}, "role": {"copil"}, "ctg": {itoa(a.mine.ID)}}
				if code, _, _ := post(t, a.admin, a.URL+"/caf/accounts/"+id+"/"+action, form); code != 404 {
					t.Errorf("%s %s: %d", action, u.Email, code)
				}
			}
		}
		if _, err := db.Login(context.Background(), store.Credentials{Email: a.stranger.Email, Password: password}, time.Hour); err != nil {
			t.Errorf("the other Caf's account changed: %v", err)
		}
		_, list, _ := get(t, a.admin, a.URL+"/caf/accounts")
		if strings.Contains(list, "Serge") || strings.Contains(list, "Nina") || !strings.Contains(list, "Agnès Agent") {
			t.Errorf("list shows other Cafs' accounts: %s", snippet(list))
		}
		code, page, _ := post(t, a.admin, a.URL+"/caf/accounts", url.Values{"csrf": {a.adminTok}, "name": {"N"}, "email": {"n@cnaf.fr"}, "role": {"national"}})
		if code != 422 || !strings.Contains(page, html.EscapeString(msg.Text(msg.AccountNationalCLI))) {
			t.Errorf("national account from a Caf: %d", code)
		}
		officer := login(t, a.site)
		if code, _, _ := get(t, officer, a.URL+"/caf/accounts"); code != 403 {
			t.Errorf("an officer reached the accounts: %d", code)
		}
	})
}

// Deactivated, an account's open session ends at once and it cannot sign
// in; reactivated, it can.
func TestDeactivatedAccountInBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		officer := login(t, a.site)
		u, _ := db.UserByEmail(context.Background(), "agent@diois.fr")
		_, page, _ := get(t, a.admin, a.URL+"/caf/accounts/"+itoa(u.ID))
		if !strings.Contains(page, "Postes occupés") || !strings.Contains(page, "/ctg/"+itoa(a.mine.ID)+"/posts/") {
			t.Errorf("officer's page lacks the posts held: %s", snippet(page))
		}
		code, _, h := post(t, a.admin, a.URL+"/caf/accounts/"+itoa(u.ID)+"/deactivate", url.Values{"csrf": {a.adminTok}})
		if code != 303 || !strings.HasSuffix(h.Get("Location"), "?ok=deactivated") {
			t.Fatalf("deactivate: %d %s", code, h.Get("Location"))
		}
		if code, _, h = get(t, officer, a.URL+"/"); code != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Errorf("deactivated account's session: %d %s", code, h.Get("Location"))
		}
		if code, _, _ = post(t, client(t), a.URL+"/login", url.Values{"email": {"agent@diois.fr"}, "password": {password}}); code != 401 {
			t.Errorf("deactivated account signed in: %d", code)
		}
		if code, _, _ = post(t, a.admin, a.URL+"/caf/accounts/"+itoa(u.ID)+"/reactivate", url.Values{"csrf": {a.adminTok}}); code != 303 {
			t.Errorf("reactivate: %d", code)
		}
		login(t, a.site)
		admin, _ := db.UserByEmail(context.Background(), "admin@caf26.fr")
		if code, _, _ = post(t, a.admin, a.URL+"/caf/accounts/"+itoa(admin.ID)+"/deactivate", url.Values{"csrf": {a.adminTok}}); code != 403 {
			t.Errorf("an administrator deactivated themselves: %d", code)
		}
	})
}

// Changing one's password needs the current one and ends the account's
// other sessions, not the one that asked.
func TestPasswordChangeInBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		mine, tok := a.signIn(t, "agent@diois.fr", password)
		other, _ := a.signIn(t, "agent@diois.fr", password)
		form := url.Values{"csrf": {tok}, "current": {"pas le bon"}, "password": {"une phrase de passe neuve"}, "confirm": {"une phrase de passe neuve"}}
		code, page, _ := post(t, mine, a.URL+"/account/password", form)
		if code != 422 || !strings.Contains(page, "Le mot de passe actuel est incorrect.") || strings.Contains(page, "une phrase de passe neuve") {
			t.Errorf("wrong current password: %d %s", code, snippet(page))
		}
		form.Set("current", password)
		if code, _, h := post(t, mine, a.URL+"/account/password", form); code != 303 || h.Get("Location") != "/account?ok=password_changed" {
			t.Fatalf("change: %d %s", code, h.Get("Location"))
		}
		if code, page, _ = get(t, mine, a.URL+"/account?ok=password_changed"); code != 200 || !strings.Contains(page, "Vos autres sessions ont été fermées") {
			t.Errorf("own session after the change: %d", code)
		}
		if code, _, _ = get(t, other, a.URL+"/"); code != 303 {
			t.Errorf("other session after the change: %d", code)
		}
		a.signIn(t, "agent@diois.fr", "une phrase de passe neuve")
	})
}

// The home page lists the open alerts of the user's CTGs, and only theirs.
func TestHomeListsOpenAlerts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		posts, _ := db.Posts(context.Background(), s.mine.ID)
		err := db.Write(context.Background(), 0, func(tx *store.Tx) error {
			royans := ctg.Post{CTGID: s.other.ID, Person: "Rémi Royans", Employer: "CC", ETP: 100, Start: s.other.Start, Functions: []string{"1.2"}}
			if err := tx.SavePost(&royans, nomenclature.Default); err != nil {
				return err
			}
			for _, r := range []journal.Record{
				{CTGID: s.mine.ID, PostID: posts[0].ID, Title: "Retard du LAEP de Die", Status: "ouverte"},
				{CTGID: s.mine.ID, PostID: posts[0].ID, Title: "Financement levé", Status: "traitee"},
				{CTGID: s.other.ID, PostID: royans.ID, Title: "Alerte du Royans", Status: "ouverte"},
			} {
				r.Kind, r.Date, r.Nature = journal.Alerte, civil.MustParse("2025-05-06"), "retard"
				if err := tx.SaveRecord(&r, nomenclature.Default); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// the cockpit lists each CTG's open alerts under its to-do
		_, home, _ := get(t, login(t, s), s.URL+"/")
		block := regexp1(t, home, `(?s)(<h3>Alertes ouvertes \(\d+\)</h3>.*?</div>)`)
		if !strings.Contains(block, "Retard du LAEP de Die") || strings.Contains(block, "Financement levé") ||
			strings.Contains(home, "Alerte du Royans") {
			t.Errorf("open alerts on the home page: %s", block)
		}
	})
}

// An administrator grants and withdraws CTGs of their Caf to a Copil
// member, who reaches exactly those; a role without grants drops them.
func TestGrantsAndRoleInBrowser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		a := newAccountSite(t, db, false)
		body := a.create(t, url.Values{"name": {"Colette Copil"}, "email": {"colette@caf26.fr"}, "role": {"copil"}})
		link := html.UnescapeString(regexp1(t, body, linkRe))
		id := regexp1(t, body, `action="/caf/accounts/(\d+)/link"`)
		token, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
		if _, err := db.SetPasswordWithLink(context.Background(), token.Get("token"), "le Copil se réunit"); err != nil {
			t.Fatal(err)
		}
		colette, _ := a.signIn(t, "colette@caf26.fr", "le Copil se réunit")
		base := a.URL + "/caf/accounts/" + id
		if code, page, _ := post(t, a.admin, base+"/grants", url.Values{"csrf": {a.adminTok}}); code != 422 || !strings.Contains(page, `<option value="copil" selected>`) {
			t.Errorf("grant without a CTG: %d", code)
		}
		if code, _, _ := post(t, a.admin, base+"/grants", url.Values{"csrf": {a.adminTok}, "ctg": {itoa(a.other.ID)}}); code != 303 {
			t.Fatalf("grant: %d", code)
		}
		if code, _, _ := get(t, colette, a.URL+"/ctg/"+itoa(a.other.ID)); code != 200 {
			t.Errorf("granted CTG: %d", code)
		}
		if code, _, _ := get(t, colette, a.URL+"/ctg/"+itoa(a.mine.ID)); code != 404 {
			t.Errorf("CTG not granted: %d", code)
		}
		if code, _, _ := post(t, a.admin, base+"/grants/withdraw", url.Values{"csrf": {a.adminTok}, "ctg": {itoa(a.other.ID)}}); code != 303 {
			t.Fatalf("withdraw: %d", code)
		}
		if code, _, _ := get(t, colette, a.URL+"/ctg/"+itoa(a.other.ID)); code != 404 {
			t.Errorf("withdrawn CTG: %d", code)
		}
		post(t, a.admin, base+"/grants", url.Values{"csrf": {a.adminTok}, "ctg": {itoa(a.other.ID)}})
		if code, _, _ := post(t, a.admin, base+"/role", url.Values{"csrf": {a.adminTok}, "role": {"cooperateur"}}); code != 303 {
			t.Fatalf("role: %d", code)
		}
		_, page, _ := get(t, a.admin, base)
		for _, want := range []string{"Chargé(e) de coopération", "Ce compte n'occupe encore aucun poste.", "changement de rôle", "accès à une CTG retiré"} {
			if !strings.Contains(page, want) {
				t.Errorf("account page lacks %q", want)
			}
		}
		if code, _, _ := get(t, colette, a.URL+"/ctg/"+itoa(a.other.ID)); code != 404 {
			t.Errorf("officer without a post reaches the CTG once granted: %d", code)
		}
		if code, _, _ := post(t, a.admin, base+"/role", url.Values{"csrf": {a.adminTok}, "role": {"national"}}); code != 422 {
			t.Errorf("national role from a Caf: %d", code)
		}
	})
}
