package config

import (
	"log/slog"
	"net/netip"
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

// A reverse proxy's forwarded-for header is trusted only from the proxies
// named, as addresses or networks.
func TestTrustedProxies(t *testing.T) {
	c := Default()
	env := map[string]string{"COPILOTE_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16,::1"}
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if got := c.TrustedProxies.String(); got != "10.0.0.1/32,192.168.0.0/16,::1/128" {
		t.Errorf("trusted proxies = %s", got)
	}
	for ip, want := range map[string]bool{"10.0.0.1": true, "10.0.0.2": false, "192.168.3.4": true, "::1": true, "::ffff:10.0.0.1": true} {
		if got := c.TrustedProxies.Contains(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Contains(%s) = %v", ip, got)
		}
	}
	if err := c.FromEnv(func(k string) string { return map[string]string{"COPILOTE_TRUSTED_PROXIES": "proxy.local"}[k] }); err == nil {
		t.Error("a host name accepted as a trusted proxy")
	}
	if Default().TrustedProxies.Contains(netip.MustParseAddr("127.0.0.1")) {
		t.Error("a proxy trusted by default")
	}
}
