package web

import (
	"context"
	"net/http"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// Single sign-on through an OpenID Connect provider (authorization code
// with PKCE, go-oidc and x/oauth2): the agent signs in with the identity
// of their Caf, and is matched to their Copilote account by the e-mail the
// provider has verified. What a sign-in waits with lives in the database
// (store/sso.go), so that the provider's answer may reach any instance.

// ssoClient is the provider's discovery, made at first use and kept: it
// is only a cache of the provider's public metadata.
type ssoClient struct {
	mu       sync.Mutex
	provider *oidc.Provider
}

func (c *ssoClient) get(ctx context.Context, issuer string) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider == nil {
		p, err := oidc.NewProvider(ctx, issuer)
		if err != nil {
			return nil, err
		}
		c.provider = p
	}
	return c.provider, nil
}

func (s *Server) oauth(ctx context.Context) (*oauth2.Config, *oidc.Provider, error) {
	o := s.cfg.OIDC
	p, err := s.sso.get(ctx, o.Issuer)
	if err != nil {
		return nil, nil, err
	}
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}, p, nil
}

// ssoStart sends the browser to the provider.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.OIDC.Enabled() {
		return notFoundPage()
	}
	conf, _, err := s.oauth(r.Context())
	if err != nil {
		s.log.Error("sso: provider discovery", "err", err)
		return s.ssoRefused(w, r, apperr.New(apperr.Unauthenticated, msg.SSOFailed))
	}
	start, err := s.db.BeginSSO(r.Context(), oauth2.GenerateVerifier(), safeNext(r.URL.Query().Get("next")))
	if err != nil {
		return err
	}
	http.Redirect(w, r, conf.AuthCodeURL(start.State, oidc.Nonce(start.Nonce), oauth2.S256ChallengeOption(start.Verifier)),
		http.StatusSeeOther)
	return nil
}

// ssoCallback receives the provider's answer and opens a session for the
// account of the verified e-mail.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.OIDC.Enabled() {
		return notFoundPage()
	}
	q := r.URL.Query()
	start, err := s.db.TakeSSO(r.Context(), q.Get("state"))
	if err != nil {
		return s.ssoRefused(w, r, err)
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		s.log.Info("sso: the provider refused", "error", q.Get("error"))
		return s.ssoRefused(w, r, apperr.New(apperr.Unauthenticated, msg.SSOFailed))
	}
	email, err := s.ssoEmail(r.Context(), q.Get("code"), start)
	if err != nil {
		return s.ssoRefused(w, r, err)
	}
	sess, err := s.db.LoginVerified(r.Context(), email, s.cfg.SessionTTL)
	if err != nil {
		return s.ssoRefused(w, r, err)
	}
	s.setSessionCookie(w, sess)
	http.Redirect(w, r, start.Next, http.StatusSeeOther)
	return nil
}

// ssoEmail exchanges the code (with the PKCE verifier) and returns the
// e-mail of the ID token, checked: signature, issuer, audience, expiry,
// nonce, and verified by the provider.
func (s *Server) ssoEmail(ctx context.Context, code string, start store.SSOStart) (string, error) {
	conf, p, err := s.oauth(ctx)
	if err != nil {
		return "", apperr.Wrap(err, "sso discovery")
	}
	failed := apperr.New(apperr.Unauthenticated, msg.SSOFailed)
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(start.Verifier))
	if err != nil {
		s.log.Info("sso: code exchange", "err", err)
		return "", failed
	}
	raw, _ := tok.Extra("id_token").(string)
	id, err := p.VerifierContext(ctx, &oidc.Config{ClientID: s.cfg.OIDC.ClientID}).Verify(ctx, raw)
	if err != nil || id.Nonce != start.Nonce {
		s.log.Info("sso: ID token refused", "err", err, "nonce", id != nil && id.Nonce == start.Nonce)
		return "", failed
	}
	var claims struct {
		Email    string `json:"email"`
		Verified bool   `json:"email_verified"`
	}
	if err := id.Claims(&claims); err != nil || claims.Email == "" {
		return "", failed
	}
	if !claims.Verified {
		return "", apperr.New(apperr.Unauthenticated, msg.SSOEmailNotVerified)
	}
	return claims.Email, nil
}

// ssoRefused shows the sign-in page with why the provider's way failed.
func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, err error) error {
	e := apperr.As(err)
	if e.Code != apperr.Unauthenticated {
		return err
	}
	s.render(w, r, http.StatusUnauthorized, "login", "Connexion", loginForm{Next: "/", Error: e.Message(), SSO: s.ssoName()})
	return nil
}
