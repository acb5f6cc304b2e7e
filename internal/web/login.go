package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"copilote/internal/apperr"
	"copilote/internal/config"
	"copilote/internal/msg"
	"copilote/internal/store"
)

type loginForm struct {
	Email string
	Next  string
	Error string
	// SSO names the identity provider offered beside the password, if any.
	SSO string

	resumeFields // a form posted after the session expired (keep.go)
}

// ssoName is the provider the sign-in page offers, "" without one.
func (s *Server) ssoName() string {
	if s.cfg.OIDC.Enabled() {
		return s.cfg.OIDC.Name
	}
	return ""
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if principalOf(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", "Connexion", loginForm{Next: safeNext(r.URL.Query().Get("next")), SSO: s.ssoName()})
	return nil
}

// login refuses an account or address that failed too often before it
// waits for a hashing slot, and a slot before it checks the password.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	f := loginForm{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next")), SSO: s.ssoName(),
		resumeFields: resumeOf(r)}
	c := store.Credentials{Email: f.Email, Password: r.PostFormValue("password"), Address: clientAddress(r, s.cfg.TrustedProxies)}
	var sess store.Session
	err := s.db.LoginAllowed(r.Context(), c.Email, c.Address)
	if err == nil {
		err = s.hashing(r.Context(), func() (err error) {
			sess, err = s.db.Login(r.Context(), c, s.cfg.SessionTTL)
			return err
		})
	}
	switch code := apperr.CodeOf(err); code {
	case apperr.Unauthenticated, apperr.TooMany, apperr.Unavailable:
		f.Error = apperr.As(err).Message()
		s.render(w, r, apperr.HTTPStatus(code), "login", "Connexion", f)
		return nil
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, sess)
	w.Header().Set("Cache-Control", "no-store") // it carries the session
	// the form posted when the session had expired, shown again (keep.go)
	if f.Resume != "" {
		s.resumeAfterLogin(w, r, sess, f.resumeFields)
		return nil
	}
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if sess, ok := sessionOf(r); ok {
		if err := s.db.Logout(r.Context(), sess.Token); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// safeNext keeps redirects after login on this site: a path, with its
// query. Browsers drop tabs and newlines from a Location and read "\\" as
// "/", so "/\t/evil.example" would lead to another host; any control
// character or backslash is refused, as is whatever names a scheme or a
// host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || !utf8.ValidString(next) ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || unicode.IsControl(r) }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// hashing runs fn, which checks a password, once one of the process's
// hashing slots is free: each check holds 64 MiB of argon2, and unbounded
// parallel attempts took a 3 GiB server down. A request that gets no slot
// within hashWait is told the service is busy, without hashing.
func (s *Server) hashing(ctx context.Context, fn func() error) error {
	wait := time.NewTimer(s.hashWait)
	defer wait.Stop()
	select {
	case s.hashSlots <- struct{}{}:
		defer func() { <-s.hashSlots }()
		return fn()
	case <-wait.C:
		return apperr.New(apperr.Unavailable, msg.ErrBusy)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// clientAddress is the address sign-in attempts count against: the peer's
// own, since a forwarded-for header is whatever the client wrote, unless
// the peer is a proxy the configuration trusts; then the last address
// X-Forwarded-For names before the trusted proxies. An IPv6 client
// commonly holds a whole /64, which counts as one address.
func clientAddress(r *http.Request, trusted config.Prefixes) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if trusted.Contains(a) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			if a = hop; !trusted.Contains(hop) {
				break
			}
		}
	}
	if a = a.Unmap().WithZone(""); a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
