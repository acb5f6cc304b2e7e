package web

import (
	"net/http"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/store"
)

// "Mon compte": every signed-in user sees their account and changes their
// password, the current one required; the other sessions of the account
// end, this one stays.

type selfView struct {
	*form
	MinPassword int
}

func (s *Server) accountSelf(w http.ResponseWriter, r *http.Request) error {
	return s.renderSelf(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) renderSelf(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	s.render(w, r, status, "account_self", "Mon compte", &selfView{form: f, MinPassword: minPassword}, crumb{"Accueil", "/"}, crumb{"Mon compte", ""})
	return nil
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	sess, _ := sessionOf(r)
	c := store.PasswordChange{UserID: principalOf(r).User.ID, Current: r.PostFormValue("current"), New: r.PostFormValue("password"),
		Session: sess.Token, Address: clientAddress(r, s.cfg.TrustedProxies)}
	if c.New != r.PostFormValue("confirm") {
		f.Errors.Add("confirm", msg.PasswordConfirm)
	}
	var err error
	if !f.Invalid() {
		err = s.hashing(r.Context(), func() error { return s.db.ChangePassword(r.Context(), c) })
	}
	switch apperr.CodeOf(err) {
	case apperr.TooMany, apperr.Unavailable:
		f.Errors["current"] = apperr.As(err).Message()
		err = nil
	}
	if err = f.merge(err); err != nil {
		return err
	}
	if f.Invalid() {
		f.Values = nil // passwords are never sent back
		return s.renderSelf(w, r, http.StatusUnprocessableEntity, f)
	}
	http.Redirect(w, r, withOK("/account", "password_changed"), http.StatusSeeOther)
	return nil
}
