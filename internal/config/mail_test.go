package config

import (
	"strings"
	"testing"
)

// Mail is optional; once a relay is named, the links need the site's
// public address and the messages a sender.
func TestMailSettings(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil || c.SMTP.Enabled() {
		t.Fatalf("default: %v, mail on %v", err, c.SMTP.Enabled())
	}
	env := map[string]string{"COPILOTE_SMTP_HOST": "smtp.caf26.fr", "COPILOTE_SMTP_USER": "copilote"}
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	err := c.Validate()
	for _, want := range []string{"COPILOTE_PUBLIC_URL", "COPILOTE_SMTP_FROM", "COPILOTE_SMTP_PASSWORD"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
	env = map[string]string{"COPILOTE_PUBLIC_URL": "https://copilote.caf26.fr/", "COPILOTE_SMTP_FROM": "copilote@caf26.fr",
		"COPILOTE_SMTP_PASSWORD": "secret", "COPILOTE_SMTP_PORT": "2525"}
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil || c.PublicURL != "https://copilote.caf26.fr" || c.SMTP.Port != 2525 {
		t.Errorf("complete settings: %v, %+v", err, c)
	}
	c.PublicURL = "copilote.caf26.fr"
	if c.Validate() == nil {
		t.Error("a public address without scheme accepted")
	}
	if err := c.FromEnv(func(k string) string { return map[string]string{"COPILOTE_SMTP_PORT": "smtp"}[k] }); err == nil {
		t.Error("a port that is no number accepted")
	}
}
