package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"

	"copilote/internal/apperr"
	"copilote/internal/authz"
	"copilote/internal/msg"
	"copilote/internal/store"
)

const sessionCookie = "copilote_session"

// authenticate attaches the signed-in user, if any; sessions live in the
// database so that any instance can serve any request.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	// one data version for the whole request (package versioned)
	r = r.WithContext(store.AtDataVersion(r.Context()))
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return r, nil
	}
	sess, err := s.db.SessionByToken(r.Context(), c.Value)
	if apperr.CodeOf(err) == apperr.NotFound {
		s.clearSessionCookie(w)
		return r, nil
	}
	if err != nil {
		return r, err
	}
	p, err := s.principal(r.Context(), sess.UserID)
	if err != nil {
		return r, err
	}
	if !p.User.Active {
		return r, nil
	}
	ctx := context.WithValue(r.Context(), principalKey, p)
	ctx = context.WithValue(ctx, sessionKey, sess)
	return r.WithContext(ctx), nil
}

// principal loads a user's roles and grants, kept per structure version:
// every change to an account, a grant or a post moves it on.
func (s *Server) principal(ctx context.Context, userID int64) (*authz.Principal, error) {
	version, err := s.db.StructureVersion(ctx)
	if err != nil {
		return nil, err
	}
	return s.principals.Load(version, userID, func() (*authz.Principal, error) { return authz.Load(ctx, s.db, userID) })
}

func sessionOf(r *http.Request) (store.Session, bool) {
	sess, ok := r.Context().Value(sessionKey).(store.Session)
	return sess, ok
}

func (s *Server) setSessionCookie(w http.ResponseWriter, sess store.Session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// checkCSRF guards every state-changing request: with a session, the form
// must carry the session's token; without one (the login form), the
// request must come from this site's own pages. "null" is the Origin of a
// sandboxed frame or a data: page, which could sign a victim in to the
// attacker's account: it is refused like a foreign site.
func (s *Server) checkCSRF(r *http.Request) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	if sess, ok := sessionOf(r); ok {
		token := r.PostFormValue("csrf")
		if token == "" {
			token = r.Header.Get("X-CSRF-Token")
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
			return apperr.New(apperr.Forbidden, msg.ErrCSRF)
		}
		return nil
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if u, err := url.Parse(origin); err != nil || u.Host != r.Host {
			return apperr.New(apperr.Forbidden, msg.ErrCSRF)
		}
	}
	return nil
}
