package config

import (
	"errors"
	"flag"
	"net"
	"time"
)

// What an operator watches (issue 14, item 5): logs as text or JSON, and
// Prometheus metrics on an address of their own, kept off the public one.

// Log formats.
const (
	LogText = "text"
	LogJSON = "json"
)

var opsEnv = [][2]string{
	{"COPILOTE_LOG_FORMAT", "format du journal du serveur : text ou json (défaut text)"},
	{"COPILOTE_METRICS_ADDR", "adresse d'écoute des métriques Prometheus (/metrics), par ex. 127.0.0.1:9090 ; vide : pas de métriques"},
	{"COPILOTE_NATIONAL_LAG", "retard permis aux chiffres nationaux, recalculés au plus une fois dans ce délai, par ex. 10s ; 0 : toujours exacts (défaut 10s)"},
}

// DefaultNationalLag: the national consolidation costs about half a second
// at 10 M records and officers write every few seconds; ten seconds of
// lag, shown on the page, keep it from being recomputed at each request.
const DefaultNationalLag = 10 * time.Second

func init() { Env = append(Env, opsEnv...) }

func (c *Config) opsFromEnv(getenv func(string) string) error {
	var err error
	if v := getenv("COPILOTE_NATIONAL_LAG"); v != "" {
		c.NationalLag, err = time.ParseDuration(v)
		if err != nil {
			err = errors.New("COPILOTE_NATIONAL_LAG : durée attendue, par ex. 10s")
		}
	}
	if v := getenv("COPILOTE_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	if v := getenv("COPILOTE_METRICS_ADDR"); v != "" {
		c.MetricsAddr = v
	}
	return err
}

func (c *Config) opsFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "format du journal : text ou json")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "adresse d'écoute des métriques Prometheus (vide : aucune)")
	fs.DurationVar(&c.NationalLag, "national-lag", c.NationalLag, "retard permis aux chiffres nationaux (0 : toujours exacts)")
}

func (c *Config) validateOps() error {
	var errs []error
	if c.LogFormat != "" && c.LogFormat != LogText && c.LogFormat != LogJSON {
		errs = append(errs, errors.New("COPILOTE_LOG_FORMAT doit valoir text ou json"))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, errors.New("COPILOTE_METRICS_ADDR doit être de la forme hôte:port"))
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, errors.New("les métriques s'écoutent sur une autre adresse que le site"))
		}
	}
	if c.NationalLag < 0 || c.NationalLag > 5*time.Minute {
		errs = append(errs, errors.New("COPILOTE_NATIONAL_LAG doit être compris entre 0 et 5m"))
	}
	return errors.Join(errs...)
}
