package web

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"copilote/internal/config"
	"copilote/internal/idptest"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// newProvider starts the test's identity provider.
func newProvider(t *testing.T) *idptest.Provider {
	p, err := idptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// ssoSite serves the test site with single sign-on through p.
func ssoSite(t *testing.T, db *store.DB, p *idptest.Provider) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	cfg := config.Default()
	cfg.OIDC = config.OIDC{Issuer: p.URL(), ClientID: idptest.ClientID, ClientSecret: idptest.ClientSecret,
		RedirectURL: base + "/login/sso/callback", Name: "ProConnect"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := New(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Handler()}}
	ts.Start()
	t.Cleanup(ts.Close)
	return base
}

// signInThrough follows the redirects of a sign-in by the provider, as a
// browser would, and returns the last answer.
func signInThrough(t *testing.T, c *http.Client, start string) (int, string, string) {
	t.Helper()
	u := start
	for range 5 {
		res, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		loc := res.Header.Get("Location")
		// the callback's answer is the sign-in's
		if res.StatusCode/100 != 3 || strings.Contains(u, "/login/sso/callback") {
			return res.StatusCode, loc, string(b)
		}
		next, _ := res.Request.URL.Parse(loc)
		u = next.String()
	}
	t.Fatalf("too many redirects from %s", start)
	return 0, "", ""
}

// Agents sign in with their Caf's identity provider; the account is the
// one of the verified e-mail; an unknown account is refused with whom to
// ask, an unverified e-mail refused, a state answers once (issue 12, item 1).
func TestSignInThroughOpenIDConnect(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		p := newProvider(t)
		base := ssoSite(t, db, p)
		c := client(t)
		if _, page, _ := get(t, c, base+"/login"); !strings.Contains(page, "Se connecter avec ProConnect") {
			t.Fatalf("the sign-in page does not offer the provider")
		}
		p.As("Agent@Diois.fr", true)
		code, loc, _ := signInThrough(t, c, base+"/login/sso?next=/journal")
		if code != http.StatusSeeOther || loc != "/journal" {
			t.Fatalf("sign-in through the provider: %d → %q", code, loc)
		}
		if code, page, _ := get(t, c, base+"/"); code != 200 || !strings.Contains(page, "Agnès Agent") || !strings.Contains(page, s.mine.Name) {
			t.Errorf("home after the provider's sign-in: %d %s", code, snippet(pageMain(page)))
		}
		cases := []struct {
			email    string
			verified bool
			says     string
		}{
			{"inconnu@caf.fr", true, "Aucun compte Copilote actif n&#39;est ouvert à l&#39;adresse inconnu@caf.fr : demandez à l&#39;administrateur"},
			{"agent@diois.fr", false, "n&#39;a pas vérifié votre adresse électronique"},
		}
		for _, k := range cases {
			p.As(k.email, k.verified)
			other := client(t)
			code, _, page := signInThrough(t, other, base+"/login/sso")
			if code != http.StatusUnauthorized || !strings.Contains(page, k.says) {
				t.Errorf("%s (verified %v): %d %s", k.email, k.verified, code, snippet(pageMain(page)))
			}
			if code, _, _ := get(t, other, base+"/journal"); code != http.StatusSeeOther {
				t.Errorf("%s is signed in anyway: %d", k.email, code)
			}
		}
		// an answer replayed: its state was taken
		p.As("agent@diois.fr", true)
		res, err := client(t).Get(base + "/login/sso")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		auth, _ := url.Parse(res.Header.Get("Location"))
		res, err = client(t).Get(auth.String())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		callback := res.Header.Get("Location")
		for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			if code, _, _ := get(t, client(t), callback); code != want {
				t.Errorf("callback answer %d: %d, want %d", i+1, code, want)
			}
		}
	})
}
