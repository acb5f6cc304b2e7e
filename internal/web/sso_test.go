package web

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	"copilote/internal/config"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// provider is an OpenID Connect provider the test starts itself: go-oidc's
// oidctest serves its discovery and keys; it adds the authorization code
// flow with PKCE, signing in whoever the test says.
type provider struct {
	discovery        *oidctest.Server
	ts               *httptest.Server
	key              *rsa.PrivateKey
	clientID, secret string
	mu               sync.Mutex
	email            string
	verified         bool
	grants           map[string]url.Values // code → what /auth received
}

func newProvider(t *testing.T) *provider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key, clientID: "copilote", secret: "secret-de-test", grants: map[string]url.Values{},
		discovery: &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: oidc.RS256}}}}
	p.ts = httptest.NewServer(http.HandlerFunc(p.serve))
	p.discovery.SetIssuer(p.URL())
	t.Cleanup(p.ts.Close)
	return p
}

func (p *provider) URL() string { return p.ts.URL }

// as makes the next sign-ins those of email.
func (p *provider) as(email string, verified bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.email, p.verified = email, verified
}

func (p *provider) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/auth":
		q := r.URL.Query()
		if q.Get("client_id") != p.clientID || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
			http.Error(w, "bad authorization request", http.StatusBadRequest)
			return
		}
		code := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprint(time.Now().UnixNano())))
		p.mu.Lock()
		p.grants[code] = q
		p.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case "/token":
		p.token(w, r)
	default:
		p.discovery.ServeHTTP(w, r)
	}
}

// token checks the client's secret, the code and its PKCE verifier, and
// answers an ID token for the current user with the request's nonce.
func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	p.mu.Lock()
	g, known := p.grants[r.PostFormValue("code")]
	delete(p.grants, r.PostFormValue("code"))
	email, verified := p.email, p.verified
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if id != p.clientID || secret != p.secret || !known || g.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) {
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
		return
	}
	claims, _ := json.Marshal(map[string]any{"iss": p.URL(), "aud": p.clientID, "sub": email, "email": email,
		"email_verified": verified, "nonce": g.Get("nonce"), "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "a", "token_type": "Bearer", "expires_in": 3600,
		"id_token": oidctest.SignIDToken(p.key, "k1", oidc.RS256, string(claims))})
}

// ssoSite serves the test site with single sign-on through p.
func ssoSite(t *testing.T, db *store.DB, p *provider) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	cfg := config.Default()
	cfg.OIDC = config.OIDC{Issuer: p.URL(), ClientID: p.clientID, ClientSecret: p.secret,
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
		p.as("Agent@Diois.fr", true)
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
			p.as(k.email, k.verified)
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
		p.as("agent@diois.fr", true)
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
