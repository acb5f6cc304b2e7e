package web

import (
	"net/http"

	"copilote/internal/store"
)

// "Mon compte → Jetons d'accès": each user makes the personal access
// tokens their programs use with the API (/api/v1), names them, chooses
// read or read-write, sees when each was last used and revokes it. A
// token is shown once, on the page that answers its creation; only its
// digest is kept.

type tokensView struct {
	*form
	Tokens []store.APIToken
	// Made is the token just created, shown this once.
	Made *store.APIToken
}

func (s *Server) tokenList(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, http.StatusOK, newForm(nil), nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, f *form, made *store.APIToken) error {
	tokens, err := s.db.APITokens(r.Context(), principalOf(r).User.ID)
	if err != nil {
		return err
	}
	if f.Values == nil || f.Values.Get("scope") == "" {
		if f.Values == nil {
			f.Values = map[string][]string{}
		}
		f.Values.Set("scope", string(store.TokenRead))
	}
	s.render(w, r, status, "account_tokens", "Jetons d'accès à l'API", &tokensView{form: f, Tokens: tokens, Made: made},
		crumb{"Accueil", "/"}, crumb{"Mon compte", "/account"}, crumb{"Jetons d'accès", ""})
	return nil
}

// tokenCreate answers with the page itself, not a redirect: the token
// must not travel in an address, and is shown this once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r.PostForm)
	var made store.APIToken
	var err error
	if !f.Invalid() {
		err = s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
			made, err = tx.CreateAPIToken(f.str("name"), store.TokenScope(f.str("scope")))
			return err
		})
	}
	if err = f.merge(err); err != nil {
		return err
	}
	if f.Invalid() {
		return s.renderTokens(w, r, http.StatusUnprocessableEntity, f, nil)
	}
	return s.renderTokens(w, r, http.StatusOK, newForm(nil), &made)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	err := s.db.Write(r.Context(), principalOf(r).User.ID, func(tx *store.Tx) error {
		return tx.RevokeAPIToken(toID(r.PathValue("id")))
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK("/account/tokens", "token_revoked"), http.StatusSeeOther)
	return nil
}
