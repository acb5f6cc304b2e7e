package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"copilote/internal/apperr"
)

type loginForm struct {
	Email string
	Next  string
	Error string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if principalOf(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", "Connexion", loginForm{Next: safeNext(r.URL.Query().Get("next"))})
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	f := loginForm{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	sess, err := s.db.Login(r.Context(), f.Email, r.PostFormValue("password"), s.cfg.SessionTTL)
	if apperr.CodeOf(err) == apperr.Unauthenticated {
		f.Error = apperr.As(err).Message()
		s.render(w, r, http.StatusUnauthorized, "login", "Connexion", f)
		return nil
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, sess)
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
