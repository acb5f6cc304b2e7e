// Package config gathers every setting of the server in one struct: defaults,
// then environment variables, then flags, then Validate.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

type Config struct {
	Addr          string
	DB            string
	Demo          bool
	LogLevel      slog.Level
	SessionTTL    time.Duration
	SecureCookies bool
	MaxUpload     int64
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client: sign-in limits count per client address, and behind a
	// proxy every client would otherwise share the proxy's. None by
	// default: a client can write any header.
	TrustedProxies Prefixes
	// BenchPage serves /bench/dashboard for load tests (loopback only).
	BenchPage bool
	// OIDC is the optional single sign-on (oidc.go).
	OIDC OIDC
	// PublicURL is the site's address as users reach it, for the links
	// that messages carry (mail.go); SMTP the optional mail relay.
	PublicURL string
	SMTP      SMTP
	// LogFormat is text or json; MetricsAddr serves /metrics (ops.go).
	LogFormat   string
	MetricsAddr string
	// NationalLag is how long national figures may be served after they
	// were computed (store.SetNationalLag).
	NationalLag time.Duration
}

// Default is what a newcomer's laptop needs.
func Default() Config {
	return Config{
		Addr:        "127.0.0.1:8080",
		DB:          "data/copilote.db",
		LogLevel:    slog.LevelInfo,
		SessionTTL:  12 * time.Hour,
		MaxUpload:   10 << 20,
		SMTP:        SMTP{Port: 587},
		NationalLag: DefaultNationalLag,
	}
}

// Env documents the environment variables, for --help.
var Env = [][2]string{
	{"COPILOTE_ADDR", "adresse d'écoute (défaut 127.0.0.1:8080)"},
	{"COPILOTE_DB", "chemin du fichier SQLite ou URL postgres:// (défaut data/copilote.db)"},
	{"COPILOTE_LOG_LEVEL", "debug, info, warn ou error (défaut info)"},
	{"COPILOTE_SESSION_TTL", "durée d'une session, par ex. 12h (défaut 12h)"},
	{"COPILOTE_SECURE_COOKIES", "true derrière HTTPS : cookies marqués Secure (défaut false)"},
	{"COPILOTE_MAX_UPLOAD", "taille maximale d'un fichier joint en octets (défaut 10485760)"},
	{"COPILOTE_TRUSTED_PROXIES", "proxys inverses dont l'en-tête X-Forwarded-For est cru, adresses ou réseaux séparés par des virgules (défaut aucun)"},
}

func init() { Env = append(Env, oidcEnv...) }

// FromEnv overrides the defaults with the environment.
func (c *Config) FromEnv(getenv func(string) string) error {
	var errs []error
	if v := getenv("COPILOTE_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("COPILOTE_DB"); v != "" {
		c.DB = v
	}
	if v := getenv("COPILOTE_LOG_LEVEL"); v != "" {
		errs = append(errs, c.LogLevel.UnmarshalText([]byte(v)))
	}
	if v := getenv("COPILOTE_SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		c.SessionTTL = d
		errs = append(errs, err)
	}
	if v := getenv("COPILOTE_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		c.SecureCookies = b
		errs = append(errs, err)
	}
	if v := getenv("COPILOTE_MAX_UPLOAD"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		c.MaxUpload = n
		errs = append(errs, err)
	}
	if v := getenv("COPILOTE_TRUSTED_PROXIES"); v != "" {
		errs = append(errs, c.TrustedProxies.Set(v))
	}
	c.OIDC.fromEnv(getenv)
	errs = append(errs, c.opsFromEnv(getenv))
	errs = append(errs, c.mailFromEnv(getenv))
	return errors.Join(errs...)
}

// DBFlag adds --db, shared by every subcommand that opens the database.
func (c *Config) DBFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "chemin du fichier SQLite (créé s'il manque) ou URL postgres://")
}

// ServeFlags adds the server's flags.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.DBFlag(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "adresse d'écoute host:port")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "charger les données de démonstration dans une base vide et afficher les comptes")
	fs.DurationVar(&c.SessionTTL, "session-ttl", c.SessionTTL, "durée d'une session")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "marquer les cookies Secure (derrière HTTPS)")
	fs.Var(&c.TrustedProxies, "trusted-proxies",
		"proxys inverses dont l'en-tête X-Forwarded-For est cru : adresses ou réseaux séparés par des virgules")
	fs.BoolVar(&c.BenchPage, "bench-page", c.BenchPage,
		"mesures de charge : servir /bench/dashboard, le dernier tableau de bord rendu, sans base (adresse de bouclage seulement)")
	c.mailFlags(fs)
	c.opsFlags(fs)
}

func (c *Config) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, errors.New("--db est vide"))
	}
	if c.Addr == "" {
		errs = append(errs, errors.New("--addr est vide"))
	}
	if c.SessionTTL < time.Minute {
		errs = append(errs, fmt.Errorf("durée de session trop courte : %s", c.SessionTTL))
	}
	if host, _, err := net.SplitHostPort(c.Addr); c.BenchPage && (err != nil || !isLoopback(host)) {
		errs = append(errs, errors.New("--bench-page n'est permis que sur une adresse de bouclage (127.0.0.1, ::1, localhost)"))
	}
	if c.MaxUpload <= 0 {
		errs = append(errs, errors.New("COPILOTE_MAX_UPLOAD doit être positif"))
	}
	errs = append(errs, c.OIDC.validate())
	errs = append(errs, c.validateMail())
	errs = append(errs, c.validateOps())
	return errors.Join(errs...)
}

// Prefixes are addresses and networks, read from a comma-separated list
// such as "10.0.0.1, 192.168.0.0/16"; it is a flag.Value.
type Prefixes []netip.Prefix

func (p *Prefixes) Set(s string) error {
	var out Prefixes
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if n, err := netip.ParsePrefix(f); err == nil {
			out = append(out, n.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return fmt.Errorf("proxy de confiance %q : ni une adresse IP ni un réseau", f)
		}
		a = a.Unmap().WithZone("")
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	*p = out
	return nil
}

func (p Prefixes) String() string {
	s := make([]string, len(p))
	for i, n := range p {
		s[i] = n.String()
	}
	return strings.Join(s, ",")
}

// Contains tells whether a falls in one of the prefixes.
func (p Prefixes) Contains(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, n := range p {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Load is Default + environment.
func Load() (Config, error) {
	c := Default()
	return c, c.FromEnv(os.Getenv)
}
