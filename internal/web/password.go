package web

import (
	"context"
	"net/http"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// "Mot de passe oublié" and the one-time links. Anyone may ask for a link
// with an address: the answer is the same whether an account has it or
// not, and the requests are limited in the database (store.RequestReset).
// A link, mailed or handed over by an administrator, sets a new password
// once, before it expires, and ends every session of its account. The
// token travels in the query of the link and in the body of the form,
// never in a path: the request log writes paths only.

const minPassword = account.MinPassword

type forgotView struct {
	*form
	Mail bool
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "password_forgot", "Mot de passe oublié", &forgotView{form: newForm(r.URL.Query()), Mail: s.mailer != nil},
		crumb{"Connexion", "/login"}, crumb{"Mot de passe oublié", ""})
	return nil
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	email := f.str("email")
	f.Errors.Required("email", email)
	var l store.Link
	var err error
	if !f.Invalid() {
		l, err = s.db.RequestReset(r.Context(), email, clientAddress(r, s.cfg.TrustedProxies), s.mailer != nil)
	}
	if apperr.CodeOf(err) == apperr.TooMany {
		f.Errors["email"] = apperr.As(err).Message()
		err = nil
	}
	if err != nil {
		return err
	}
	if f.Invalid() {
		status := http.StatusUnprocessableEntity
		if f.Err("email") != msg.Text(msg.Required) {
			status = http.StatusTooManyRequests
		}
		s.render(w, r, status, "password_forgot", "Mot de passe oublié", &forgotView{form: f, Mail: s.mailer != nil},
			crumb{"Connexion", "/login"}, crumb{"Mot de passe oublié", ""})
		return nil
	}
	if l.Token != "" {
		// sent after the answer, so that its time says nothing of whether
		// the account exists
		link := s.linkURL(r, l.Token)
		go s.mailLink(l, link)
	}
	key := "reset_nomail"
	if s.mailer != nil {
		key = "reset_mail"
	}
	http.Redirect(w, r, withOK("/password/forgot", key), http.StatusSeeOther)
	return nil
}

// mailLink sends a link requested by its holder; a failure is logged
// (never the link) and the holder asks again or asks their administrator.
func (s *Server) mailLink(l store.Link, link string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.mailer.Send(ctx, linkMessage(l, link)); err != nil {
		s.log.Error("reset message not sent", "user", l.User.ID, "err", err)
	}
}

// setView is the page of a link: its form, or why it cannot serve.
type setView struct {
	*form
	Token       string
	Info        store.LinkInfo
	Refused     string // why the link cannot serve; the page then has no form
	MinPassword int
}

func (s *Server) setForm(w http.ResponseWriter, r *http.Request) error {
	// the address holds the token: the page's own requests (its stylesheet)
	// name the site only. Not no-referrer, which would make the browser
	// send "Origin: null" with the form, refused as cross-site.
	w.Header().Set("Referrer-Policy", "origin")
	return s.renderSet(w, r, http.StatusOK, r.URL.Query().Get("token"), newForm(nil))
}

func (s *Server) renderSet(w http.ResponseWriter, r *http.Request, status int, token string, f *form) error {
	v := &setView{form: f, Token: token, MinPassword: minPassword}
	var err error
	v.Info, err = s.db.LinkOf(r.Context(), token)
	if apperr.CodeOf(err) == apperr.NotFound {
		v.Refused, status = apperr.As(err).Message(), http.StatusGone
	} else if err != nil {
		return err
	}
	title := "Choisir un nouveau mot de passe"
	switch {
	case v.Refused != "":
		title = "Lien inutilisable"
	case v.Info.Purpose == store.Invitation:
		title = "Choisir votre mot de passe"
	}
	s.render(w, r, status, "password_set", title, v)
	return nil
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	token, password := r.PostFormValue("token"), r.PostFormValue("password")
	if password != r.PostFormValue("confirm") {
		f.Errors.Add("confirm", msg.PasswordConfirm)
	}
	var err error
	if !f.Invalid() {
		err = s.hashing(r.Context(), func() error {
			_, err := s.db.SetPasswordWithLink(r.Context(), token, password)
			return err
		})
	}
	switch apperr.CodeOf(err) {
	case apperr.NotFound:
		return s.renderSet(w, r, http.StatusGone, token, f) // used or expired meanwhile: says which
	case apperr.Unavailable:
		f.Errors["password"] = apperr.As(err).Message()
		err = nil
	}
	if err = f.merge(err); err != nil {
		return err
	}
	if f.Invalid() {
		f.Values = nil
		return s.renderSet(w, r, http.StatusUnprocessableEntity, token, f)
	}
	http.Redirect(w, r, withOK("/login", "password_set"), http.StatusSeeOther)
	return nil
}
