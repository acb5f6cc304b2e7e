package config

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// SMTP is the optional mail relay through which Copilote sends the
// invitation and password links. Without a host nothing is sent: the
// administrator's page shows each link to hand over. The password comes
// from the environment only, never from a flag that `ps` would show.
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string // the sender's address, e.g. copilote@caf26.fr
}

// Enabled tells whether messages are sent.
func (s SMTP) Enabled() bool { return s.Host != "" }

// mailEnv documents the mail settings, for --help.
var mailEnv = [][2]string{
	{"COPILOTE_PUBLIC_URL", "adresse publique de Copilote, par ex. https://copilote.caf26.fr, pour les liens des messages (obligatoire avec SMTP)"},
	{"COPILOTE_SMTP_HOST", "serveur SMTP des messages d'invitation et de mot de passe (défaut aucun : rien n'est envoyé, l'administrateur remet les liens)"},
	{"COPILOTE_SMTP_PORT", "port du serveur SMTP, avec STARTTLS (défaut 587)"},
	{"COPILOTE_SMTP_USER", "identifiant SMTP (défaut aucun : pas d'authentification)"},
	{"COPILOTE_SMTP_PASSWORD", "mot de passe SMTP (variable d'environnement seulement)"},
	{"COPILOTE_SMTP_FROM", "adresse d'expédition des messages, par ex. copilote@caf26.fr"},
}

func init() { Env = append(Env, mailEnv...) }

func (c *Config) mailFromEnv(getenv func(string) string) error {
	var err error
	if v := getenv("COPILOTE_PUBLIC_URL"); v != "" {
		c.PublicURL = v
	}
	if v := getenv("COPILOTE_SMTP_HOST"); v != "" {
		c.SMTP.Host = v
	}
	if v := getenv("COPILOTE_SMTP_PORT"); v != "" {
		c.SMTP.Port, err = strconv.Atoi(v)
		if err != nil {
			err = fmt.Errorf("COPILOTE_SMTP_PORT : %q n'est pas un numéro de port", v)
		}
	}
	if v := getenv("COPILOTE_SMTP_USER"); v != "" {
		c.SMTP.User = v
	}
	if v := getenv("COPILOTE_SMTP_PASSWORD"); v != "" {
		c.SMTP.Password = v
	}
	if v := getenv("COPILOTE_SMTP_FROM"); v != "" {
		c.SMTP.From = v
	}
	return err
}

func (c *Config) mailFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "adresse publique de Copilote (liens des messages), par ex. https://copilote.caf26.fr")
	fs.StringVar(&c.SMTP.Host, "smtp-host", c.SMTP.Host, "serveur SMTP (vide : aucun message envoyé)")
	fs.IntVar(&c.SMTP.Port, "smtp-port", c.SMTP.Port, "port SMTP (STARTTLS)")
	fs.StringVar(&c.SMTP.User, "smtp-user", c.SMTP.User, "identifiant SMTP (le mot de passe : COPILOTE_SMTP_PASSWORD)")
	fs.StringVar(&c.SMTP.From, "smtp-from", c.SMTP.From, "adresse d'expédition des messages")
}

// validateMail: a message's link must name the site as configured, never
// the Host a request sent (whoever asks a reset for someone else would
// otherwise choose where the link points).
func (c *Config) validateMail() error {
	var errs []error
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("adresse publique %q : attendu par exemple https://copilote.caf26.fr", c.PublicURL))
		}
		c.PublicURL = strings.TrimSuffix(c.PublicURL, "/")
	}
	if !c.SMTP.Enabled() {
		return errors.Join(errs...)
	}
	if c.PublicURL == "" {
		errs = append(errs, errors.New("COPILOTE_PUBLIC_URL (--public-url) est obligatoire avec un serveur SMTP : les messages portent des liens"))
	}
	if !strings.Contains(c.SMTP.From, "@") {
		errs = append(errs, errors.New("COPILOTE_SMTP_FROM (--smtp-from) est obligatoire avec un serveur SMTP : une adresse d'expédition"))
	}
	if c.SMTP.Port <= 0 || c.SMTP.Port > 65535 {
		errs = append(errs, fmt.Errorf("port SMTP %d hors limites", c.SMTP.Port))
	}
	if c.SMTP.User != "" && c.SMTP.Password == "" {
		errs = append(errs, errors.New("COPILOTE_SMTP_PASSWORD manque pour l'identifiant SMTP"))
	}
	return errors.Join(errs...)
}
