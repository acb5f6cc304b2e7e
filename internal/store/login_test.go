package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// Sign-in limits live in the database, so that every instance refuses
// the guesses the others counted.
func TestLoginLimits(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		wrong := store.Credentials{Email: "Chef@diois.fr", Password: "mauvais", Address: "192.0.2.1"}
		right := store.Credentials{Email: "chef@diois.fr", Password: "mot de passe solide", Address: "192.0.2.1"}
		version, _ := db.DataVersion(ctx)
		for range 3 {
			if _, err := db.Login(ctx, wrong, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Fatalf("wrong password: %v", err)
			}
		}
		if err := db.LoginAllowed(ctx, "chef@diois.fr", "192.0.2.1"); err != nil {
			t.Errorf("refused after 3 failures: %v", err)
		}
		// two instances failing at once count two failures
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { db.Login(ctx, wrong, time.Hour) })
		}
		wg.Wait()
		err := db.LoginAllowed(ctx, " CHEF@diois.fr", "192.0.2.9")
		if apperr.CodeOf(err) != apperr.TooMany || apperr.As(err).Message() != "Trop de tentatives de connexion. Réessayez dans une minute." {
			t.Fatalf("after 5 failures: %v", err)
		}
		if _, err := db.Login(ctx, right, time.Hour); apperr.CodeOf(err) != apperr.TooMany {
			t.Errorf("right password during the delay: %v", err)
		}
		if v, _ := db.DataVersion(ctx); v != version {
			t.Errorf("failed sign-ins moved the data version from %d to %d", version, v)
		}
		now = now.Add(time.Minute)
		if _, err := db.Login(ctx, wrong, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("wrong password after the delay: %v", err)
		}
		if err := db.LoginAllowed(ctx, "chef@diois.fr", ""); apperr.As(err).Message() != "Trop de tentatives de connexion. Réessayez dans 2 minutes." {
			t.Errorf("after a 6th failure: %v", err)
		}
		now = now.Add(2 * time.Minute)
		if _, err := db.Login(ctx, right, time.Hour); err != nil {
			t.Fatalf("right password after the delay: %v", err)
		}
		if err := db.LoginAllowed(ctx, "chef@diois.fr", ""); err != nil {
			t.Errorf("a success left the account refused: %v", err)
		}
		audit, _ := db.AuditOf(ctx, "user", f.user.ID)
		failed := 0
		for _, a := range audit {
			if a.Action == store.ActLoginFailed {
				failed++
				if !strings.Contains(a.Detail, `"email":"chef@diois.fr"`) || !strings.Contains(a.Detail, `"address":"192.0.2.1"`) ||
					strings.Contains(a.Detail, "mauvais") || a.UserID != 0 {
					t.Errorf("audit of a failure: %+v", a)
				}
			}
		}
		if failed != 6 {
			t.Errorf("%d failures audited, want 6 (refusals are not failures)", failed)
		}
	})
}

func TestLoginLimitPerAddress(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		mustFixture(t, db)
		now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		for i := range 20 {
			c := store.Credentials{Email: "inconnu" + strings.Repeat("x", i) + "@diois.fr", Password: "p", Address: "192.0.2.2"}
			if _, err := db.Login(ctx, c, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		if err := db.LoginAllowed(ctx, "chef@diois.fr", "192.0.2.2"); apperr.CodeOf(err) != apperr.TooMany {
			t.Errorf("21st attempt from the address: %v", err)
		}
		if _, err := db.Login(ctx, store.Credentials{Email: "chef@diois.fr", Password: "mot de passe solide", Address: "192.0.2.3"}, time.Hour); err != nil {
			t.Errorf("another address: %v", err)
		}
		if audit, _ := db.AuditOf(ctx, "user", 0); len(audit) != 20 || !strings.Contains(audit[0].Detail, "inconnu@diois.fr") {
			t.Errorf("failures of unknown accounts audited: %d", len(audit))
		}
		// a run is over after a quiet quarter of an hour past its delay
		now = now.Add(16 * time.Minute)
		if err := db.LoginAllowed(ctx, "chef@diois.fr", "192.0.2.2"); err != nil {
			t.Errorf("address still refused: %v", err)
		}
		if _, err := db.Login(ctx, store.Credentials{Email: "a@b.fr", Password: "p", Address: "192.0.2.2"}, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("a new run starts with a failure: %v", err)
		}
		// odd bytes in the email typed are stored as text on both engines
		if _, err := db.Login(ctx, store.Credentials{Email: "a\x00\xff@b.fr", Password: "p", Address: "192.0.2.4"}, time.Hour); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("email with NUL and invalid UTF-8: %v", err)
		}
	})
}
