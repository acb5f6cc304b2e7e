package config

import (
	"log/slog"
	"testing"
	"time"
)

func TestEnvOverridesDefaults(t *testing.T) {
	c := Default()
	env := map[string]string{"COPILOTE_DB": "postgres://x", "COPILOTE_LOG_LEVEL": "debug", "COPILOTE_SESSION_TTL": "2h"}
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.DB != "postgres://x" || c.LogLevel != slog.LevelDebug || c.SessionTTL != 2*time.Hour || c.Addr != "127.0.0.1:8080" {
		t.Errorf("config = %+v", c)
	}
	if err := c.FromEnv(func(k string) string { return map[string]string{"COPILOTE_SESSION_TTL": "bientôt"}[k] }); err == nil {
		t.Error("bad duration accepted")
	}
	c.SessionTTL = time.Second
	if c.Validate() == nil {
		t.Error("one-second sessions accepted")
	}
}

// The bench page shows a dashboard without a session: only on loopback.
func TestBenchPageOnlyOnLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:8080": true, "[::1]:8080": true, "localhost:9000": true,
		"0.0.0.0:8080": false, "192.168.1.10:8080": false, ":8080": false} {
		c := Default()
		c.Addr, c.BenchPage = addr, true
		if err := c.Validate(); (err == nil) != ok {
			t.Errorf("%s: Validate() = %v, want accepted %v", addr, err, ok)
		}
	}
}
