package store

import (
	"context"
	"strings"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Sign-in limits. Each password checked costs 64 MiB of argon2, and an
// account must not be guessed at leisure: after a run of failures, an
// account or an address is refused for a delay that doubles with each
// further failure. A run ends once it has been quiet for loginWindow after
// its last failure and its delay, so a typo a day never locks anyone.
const (
	loginWindow       = 15 * time.Minute
	accountFailures   = 5  // failures of one account before its first delay
	addressFailures   = 20 // of one client address, whatever the accounts
	firstLoginDelay   = time.Minute
	longestLoginDelay = 30 * time.Minute
)

// The kinds of login_attempt rows.
const (
	attemptAccount = "account"
	attemptAddress = "address"
)

// Credentials are what a sign-in sends, with where it comes from.
type Credentials struct {
	Email    string
	Password string
	Address  string // the client's address, for the per-address limit
}

// Login checks the password and opens a session. The same French message
// answers an unknown email and a wrong password, so accounts cannot be
// discovered. The hash is always computed to keep timing alike, except for
// a refused account or address, which is told so before any hashing.
// Every failure is counted and audited, in a transaction of its own that
// commits although the sign-in fails.
func (db *DB) Login(ctx context.Context, c Credentials, ttl time.Duration) (Session, error) {
	email := accountKey(c.Email)
	if err := db.LoginAllowed(ctx, email, c.Address); err != nil {
		return Session{}, err
	}
	u, err := db.UserByEmail(ctx, email)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return Session{}, err
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	ok := account.CheckPassword(hash, c.Password)
	// an account made in the browser has no password until its invitation
	// is used: the stand-in hash checked for it must never let anyone in
	if err != nil || !ok || !u.Active || u.PasswordHash == "" {
		if err := db.loginFailed(ctx, email, c.Address, u.ID); err != nil {
			return Session{}, err
		}
		return Session{}, apperr.New(apperr.Unauthenticated, msg.ErrLogin)
	}
	var s Session
	err = db.Write(ctx, u.ID, func(tx *Tx) error {
		var err error
		s, err = tx.openSession(u.ID, ttl)
		if err != nil {
			return err
		}
		if err := tx.exec(`UPDATE app_user SET last_login_at = $1 WHERE id = $2`, tx.Now, u.ID); err != nil {
			return apperr.Wrap(err, "last login")
		}
		// the account's run of failures ends; the address's does not, or
		// one known password would let its holder guess others freely
		if err := tx.exec(`DELETE FROM login_attempt WHERE kind = $1 AND subject = $2`, attemptAccount, email); err != nil {
			return apperr.Wrap(err, "clear login failures")
		}
		return tx.audit(ActLogin, "user", u.ID, 0, nil)
	})
	return s, err
}

// LoginAllowed refuses, with the French delay to wait, a sign-in for an
// account or from an address that failed too often. It reads only, so
// that a refused attempt costs next to nothing.
func (db *DB) LoginAllowed(ctx context.Context, email, address string) error {
	var until time.Time
	err := each(ctx, db.read, `SELECT locked_until FROM login_attempt
		WHERE ((kind = $1 AND subject = $2) OR (kind = $3 AND subject = $4)) AND locked_until > $5`,
		[]any{attemptAccount, accountKey(email), attemptAddress, address, db.now().UTC()}, func(s scanner) error {
			var t time.Time
			err := s.Scan(&t)
			if t.After(until) {
				until = t
			}
			return err
		})
	if err != nil {
		return apperr.Wrap(err, "login attempts")
	}
	if until.IsZero() {
		return nil
	}
	minutes := int((until.Sub(db.now()) + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return apperr.New(apperr.TooMany, msg.ErrLoginWaitMinute)
	}
	return apperr.New(apperr.TooMany, msg.ErrLoginWait, minutes)
}

// loginFailed counts a failure against the account and the address and
// audits it (the user id when the account exists, never the password).
func (db *DB) loginFailed(ctx context.Context, email, address string, userID int64) error {
	return db.Write(ctx, 0, func(tx *Tx) error {
		// rows whose run has ended, whatever their delay, go: the table
		// holds the last few minutes' failures only
		if err := tx.exec(`DELETE FROM login_attempt WHERE last_at < $1`,
			tx.Now.Add(-loginWindow-longestLoginDelay)); err != nil {
			return apperr.Wrap(err, "purge login attempts")
		}
		detail := map[string]string{"email": email, "address": address}
		for _, k := range []struct {
			kind, subject string
			limit         int
		}{{attemptAccount, email, accountFailures}, {attemptAddress, address, addressFailures}} {
			until, err := tx.countFailure(k.kind, k.subject, k.limit)
			if err != nil {
				return err
			}
			if !until.IsZero() {
				detail["refused_until_"+k.kind] = until.Format(time.RFC3339)
			}
		}
		err := tx.audit(ActLoginFailed, "user", userID, 0, detail)
		// no data a page shows has changed: a flood of wrong passwords must
		// not make every instance drop the figures it keeps
		tx.changed = false
		return err
	})
}

// countFailure adds a failure to the run of (kind, subject), starting a new
// run when the last one is over, and sets the delay once the run reaches
// limit. The upsert counts atomically on both engines: two instances
// failing the same account at once count two failures.
func (tx *Tx) countFailure(kind, subject string, limit int) (time.Time, error) {
	var failures int
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO login_attempt (kind, subject, failures, last_at) VALUES ($1, $2, 1, $3)
		ON CONFLICT (kind, subject) DO UPDATE SET last_at = $3, failures = CASE
			WHEN login_attempt.last_at < $4 AND (login_attempt.locked_until IS NULL OR login_attempt.locked_until < $4) THEN 1
			ELSE login_attempt.failures + 1 END
		RETURNING failures`, kind, subject, tx.Now, tx.Now.Add(-loginWindow)).Scan(&failures)
	if err != nil {
		return time.Time{}, apperr.Wrap(err, "count login failure")
	}
	if failures < limit {
		return time.Time{}, nil
	}
	until := tx.Now.Add(loginDelay(failures - limit))
	err = tx.exec(`UPDATE login_attempt SET locked_until = $1 WHERE kind = $2 AND subject = $3`, until, kind, subject)
	return until, apperr.Wrap(err, "delay logins")
}

// loginDelay is the wait after the run's limit and extra further failures:
// one minute, then twice as long each time, capped.
func loginDelay(extra int) time.Duration {
	if extra >= 10 {
		return longestLoginDelay
	}
	return min(firstLoginDelay<<extra, longestLoginDelay)
}

// accountKey is the account an email typed at sign-in counts against:
// trimmed and lower-case, as accounts are stored, and made storable on
// both engines whatever was sent (valid UTF-8, no NUL, bounded).
func accountKey(email string) string {
	s := strings.ToLower(strings.TrimSpace(email))
	if len(s) > 254 {
		s = s[:254]
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}

var dummyHash, _ = account.HashPassword("copilote-timing-equaliser")
