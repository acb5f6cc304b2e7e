package config

import (
	"errors"
	"flag"
	"net"
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
}

func init() { Env = append(Env, opsEnv...) }

func (c *Config) opsFromEnv(getenv func(string) string) {
	if v := getenv("COPILOTE_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	if v := getenv("COPILOTE_METRICS_ADDR"); v != "" {
		c.MetricsAddr = v
	}
}

func (c *Config) opsFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "format du journal : text ou json")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "adresse d'écoute des métriques Prometheus (vide : aucune)")
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
	return errors.Join(errs...)
}
