package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// "Mot de passe oublié" limits, per window: requests for one address typed
// (each may send a message to its holder) and from one client address
// (each costs a write). Past either, the request is refused, whether the
// account exists or not.
const (
	resetWindow     = time.Hour
	resetPerEmail   = 3
	resetPerAddress = 10
)

// RequestReset answers "mot de passe oublié" for the address typed, asked
// from the client address. It counts the request, audits it (the address
// typed and the client's, as a failed sign-in is), and makes a reset link
// only for an active account and only when a message can carry it (mail):
// a link nobody can read would serve no one. Link.Token is "" otherwise,
// and the caller answers the same either way. Nothing a page computes
// changes, so the data version stays.
func (db *DB) RequestReset(ctx context.Context, email, address string, mail bool) (Link, error) {
	key := accountKey(email)
	var l Link
	err := db.Write(ctx, 0, func(tx *Tx) error {
		if err := tx.resetThrottle(key, address); err != nil {
			return err
		}
		u, err := scanUser(tx.tx.QueryRowContext(tx.ctx, `SELECT `+userColumns+` FROM app_user WHERE email = $1`, key))
		if err = notFound(err, msg.NotFoundUser); err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return apperr.Wrap(err, "reset: user")
		}
		detail := map[string]any{"email": key, "address": address}
		var id int64 // the account's, deactivated or not; 0 for an unknown address
		if err == nil {
			id = u.ID
			if mail && u.Active {
				if l, err = tx.newLink(u, Reset, account.MailedResetLifetime, 0); err != nil {
					return err
				}
				detail["expires_at"] = l.ExpiresAt.Format(time.RFC3339)
			}
		}
		err = tx.audit(ActResetRequest, "user", id, 0, detail)
		tx.changed = false
		return err
	})
	return l, err
}

// resetThrottle counts a request in the current window for the address
// typed and for the client's, and refuses it past either limit with the
// minutes left. The upsert counts atomically on both engines; a refused
// request rolls its count back, so the row stays at its limit until the
// window ends. Subjects are digests: the table names nobody.
func (tx *Tx) resetThrottle(email, address string) error {
	window := tx.Now.Truncate(resetWindow)
	if err := tx.exec(`DELETE FROM reset_throttle WHERE window_start < $1`, window.Add(-resetWindow)); err != nil {
		return apperr.Wrap(err, "purge reset throttle")
	}
	for _, s := range []struct {
		subject string
		limit   int
	}{{resetDigest("email", email), resetPerEmail}, {resetDigest("address", address), resetPerAddress}} {
		var n int
		err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO reset_throttle (subject, window_start, n) VALUES ($1, $2, 1)
			ON CONFLICT (subject, window_start) DO UPDATE SET n = reset_throttle.n + 1 RETURNING n`, s.subject, window).Scan(&n)
		if err != nil {
			return apperr.Wrap(err, "reset throttle")
		}
		if n > s.limit {
			minutes := int((window.Add(resetWindow).Sub(tx.Now) + time.Minute - 1) / time.Minute)
			return apperr.New(apperr.TooMany, msg.ResetTooMany, max(minutes, 1))
		}
	}
	return nil
}

func resetDigest(kind, subject string) string {
	h := sha256.Sum256([]byte("copilote-reset\x00" + kind + "\x00" + subject))
	return kind[:1] + ":" + hex.EncodeToString(h[:12])
}
