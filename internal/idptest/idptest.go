// Package idptest is an OpenID Connect identity provider that tests start
// themselves: go-oidc's oidctest serves its discovery document and keys,
// and this package adds the authorization code flow with PKCE, signing in
// at once whoever the test says (no page of its own). The web tests use it
// in-process, the end-to-end tests beside the real binary.
package idptest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
)

// The client the provider knows.
const (
	ClientID     = "copilote"
	ClientSecret = "secret-de-test"
)

// Provider is a running identity provider.
type Provider struct {
	discovery *oidctest.Server
	ts        *httptest.Server
	key       *rsa.PrivateKey
	mu        sync.Mutex
	email     string
	verified  bool
	grants    map[string]url.Values // code → what /auth received
}

// Start starts a provider on a local port; Close stops it.
func Start() (*Provider, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	p := &Provider{key: key, grants: map[string]url.Values{},
		discovery: &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: oidc.RS256}}}}
	p.ts = httptest.NewServer(http.HandlerFunc(p.serve))
	p.discovery.SetIssuer(p.URL())
	return p, nil
}

// Close stops the provider.
func (p *Provider) Close() { p.ts.Close() }

// URL is the provider's issuer.
func (p *Provider) URL() string { return p.ts.URL }

// As makes the next sign-ins those of email, verified or not.
func (p *Provider) As(email string, verified bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.email, p.verified = email, verified
}

func (p *Provider) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/auth":
		q := r.URL.Query()
		if q.Get("client_id") != ClientID || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
			http.Error(w, "bad authorization request", http.StatusBadRequest)
			return
		}
		code := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprint(time.Now().UnixNano())))
		p.mu.Lock()
		p.grants[code] = q
		p.mu.Unlock()
		back, err := url.Parse(q.Get("redirect_uri"))
		if err != nil {
			http.Error(w, "bad redirect_uri", http.StatusBadRequest)
			return
		}
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
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
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
	if id != ClientID || secret != ClientSecret || !known || g.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) {
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
		return
	}
	claims, _ := json.Marshal(map[string]any{"iss": p.URL(), "aud": ClientID, "sub": email, "email": email,
		"email_verified": verified, "nonce": g.Get("nonce"), "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "a", "token_type": "Bearer", "expires_in": 3600,
		"id_token": oidctest.SignIDToken(p.key, "k1", oidc.RS256, string(claims))})
}
