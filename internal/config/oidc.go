package config

import (
	"errors"
	"net/url"
)

// OIDC is the single sign-on of a Caf's agents through an OpenID Connect
// provider (ProConnect, the Caf's own identity provider): authorization
// code with PKCE. Empty Issuer: no single sign-on, passwords only.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string // from the environment only, never a flag
	// RedirectURL is this site's callback as the provider knows it:
	// https://copilote.example.fr/login/sso/callback.
	RedirectURL string
	// Name is the provider as the sign-in button names it.
	Name string
}

// Enabled tells whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

var oidcEnv = [][2]string{
	{"COPILOTE_OIDC_ISSUER", "fournisseur d'identité OpenID Connect (URL de l'émetteur) ; vide : pas d'authentification unique"},
	{"COPILOTE_OIDC_CLIENT_ID", "identifiant de Copilote auprès du fournisseur"},
	{"COPILOTE_OIDC_CLIENT_SECRET", "secret de Copilote auprès du fournisseur"},
	{"COPILOTE_OIDC_REDIRECT_URL", "adresse de retour déclarée au fournisseur : https://…/login/sso/callback"},
	{"COPILOTE_OIDC_NAME", "nom du fournisseur sur le bouton de connexion (défaut « votre compte professionnel »)"},
}

func (o *OIDC) fromEnv(getenv func(string) string) {
	o.Issuer = getenv("COPILOTE_OIDC_ISSUER")
	o.ClientID = getenv("COPILOTE_OIDC_CLIENT_ID")
	o.ClientSecret = getenv("COPILOTE_OIDC_CLIENT_SECRET")
	o.RedirectURL = getenv("COPILOTE_OIDC_REDIRECT_URL")
	o.Name = getenv("COPILOTE_OIDC_NAME")
	if o.Name == "" {
		o.Name = "votre compte professionnel"
	}
}

func (o OIDC) validate() error {
	if !o.Enabled() {
		return nil
	}
	var errs []error
	if u, err := url.Parse(o.Issuer); err != nil || u.Host == "" {
		errs = append(errs, errors.New("COPILOTE_OIDC_ISSUER doit être une URL"))
	}
	if o.ClientID == "" || o.ClientSecret == "" {
		errs = append(errs, errors.New("COPILOTE_OIDC_CLIENT_ID et COPILOTE_OIDC_CLIENT_SECRET sont requis avec COPILOTE_OIDC_ISSUER"))
	}
	if u, err := url.Parse(o.RedirectURL); err != nil || u.Host == "" || u.Path != "/login/sso/callback" {
		errs = append(errs, errors.New("COPILOTE_OIDC_REDIRECT_URL doit être l'adresse publique de /login/sso/callback"))
	}
	return errors.Join(errs...)
}
