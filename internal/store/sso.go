package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// A sign-in through the identity provider (OpenID Connect, authorization
// code with PKCE) leaves here its state (hashed), its PKCE verifier and
// nonce, and where to go after: the provider's answer may reach another
// instance. Each is taken once, within ssoWindow.
const ssoWindow = 10 * time.Minute

// SSOStart is a sign-in sent to the provider.
type SSOStart struct {
	State, Verifier, Nonce, Next string
}

// BeginSSO keeps a sign-in's secrets until the provider answers; the
// verifier is made by the caller (oauth2.GenerateVerifier).
func (db *DB) BeginSSO(ctx context.Context, verifier, next string) (SSOStart, error) {
	s := SSOStart{State: randomToken(), Verifier: verifier, Nonce: randomToken(), Next: next}
	err := db.Write(ctx, 0, func(tx *Tx) error {
		if err := tx.exec(`DELETE FROM sso_login WHERE created_at < $1`, tx.Now.Add(-ssoWindow)); err != nil {
			return apperr.Wrap(err, "purge sso")
		}
		return apperr.Wrap(tx.exec(`INSERT INTO sso_login (state_hash, verifier, nonce, next, created_at) VALUES ($1, $2, $3, $4, $5)`,
			hashToken(s.State), s.Verifier, s.Nonce, s.Next, tx.Now), "begin sso")
	})
	return s, err
}

// TakeSSO returns the sign-in a provider's answer names by its state, and
// forgets it: a state answers once.
func (db *DB) TakeSSO(ctx context.Context, state string) (SSOStart, error) {
	s := SSOStart{State: state}
	err := db.Write(ctx, 0, func(tx *Tx) error {
		var created time.Time
		err := tx.tx.QueryRowContext(tx.ctx, `DELETE FROM sso_login WHERE state_hash = $1 RETURNING verifier, nonce, next, created_at`,
			hashToken(state)).Scan(&s.Verifier, &s.Nonce, &s.Next, &created)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && created.Before(tx.Now.Add(-ssoWindow))) {
			return apperr.New(apperr.Unauthenticated, msg.SSOExpired)
		}
		return apperr.Wrap(err, "take sso")
	})
	return s, err
}

// LoginVerified opens a session for the active account of an e-mail the
// identity provider has verified; there is no password to check.
func (db *DB) LoginVerified(ctx context.Context, email string, ttl time.Duration) (Session, error) {
	u, err := db.UserByEmail(ctx, accountKey(email))
	if apperr.CodeOf(err) == apperr.NotFound || (err == nil && !u.Active) {
		return Session{}, apperr.New(apperr.Unauthenticated, msg.SSOUnknownAccount, email)
	}
	if err != nil {
		return Session{}, err
	}
	var s Session
	err = db.Write(ctx, u.ID, func(tx *Tx) error {
		var err error
		if s, err = tx.openSession(u.ID, ttl); err != nil {
			return err
		}
		if err := tx.exec(`UPDATE app_user SET last_login_at = $1 WHERE id = $2`, tx.Now, u.ID); err != nil {
			return apperr.Wrap(err, "last login")
		}
		return tx.audit(ActLogin, "user", u.ID, 0, map[string]string{"method": "oidc"})
	})
	return s, err
}
