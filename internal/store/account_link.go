package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// One-time links and passwords: the links an administrator hands over or
// a holder asks for, taken once; the password a link or its holder sets.

// Link is a one-time link as it is made: Token is known only then, and
// only its hash is stored.
type Link struct {
	Token     string
	Purpose   Purpose
	ExpiresAt time.Time
	User      account.User
}

// IssueLink makes a one-time link for an account of Caf cafID, to hand
// over or mail: an invitation while the account has no password, a reset
// link once it has one. Earlier links stay valid until used or expired:
// the first one used voids the others.
func (tx *Tx) IssueLink(cafID, userID int64) (Link, error) {
	u, err := tx.accountIn(cafID, userID)
	if err != nil {
		return Link{}, err
	}
	if !u.Active {
		return Link{}, apperr.New(apperr.Invalid, msg.AccountInactiveLink)
	}
	purpose, ttl, action := Reset, account.HandedResetLifetime, ActResetLink
	if u.PasswordHash == "" {
		purpose, ttl, action = Invitation, account.InvitationLifetime, ActInvite
	}
	l, err := tx.newLink(u, purpose, ttl, tx.Actor)
	if err != nil {
		return l, err
	}
	return l, tx.audit(action, "user", u.ID, 0, linkDetail(l))
}

// NewLink is IssueLink on its own: a link changes nothing that pages
// compute and keep, so the data version stays (the audit row is written).
func (db *DB) NewLink(ctx context.Context, actor, cafID, userID int64) (Link, error) {
	var l Link
	err := db.Write(ctx, actor, func(tx *Tx) error {
		var err error
		l, err = tx.IssueLink(cafID, userID)
		tx.changed = false
		return err
	})
	return l, err
}

func linkDetail(l Link) map[string]string {
	return map[string]string{"purpose": string(l.Purpose), "expires_at": l.ExpiresAt.Format(time.RFC3339)}
}

// newLink stores the hash of a fresh token, and purges links long dead.
func (tx *Tx) newLink(u account.User, purpose Purpose, ttl time.Duration, by int64) (Link, error) {
	if err := tx.exec(`DELETE FROM account_token WHERE expires_at < $1`, tx.Now.Add(-30*24*time.Hour)); err != nil {
		return Link{}, apperr.Wrap(err, "purge links")
	}
	l := Link{Token: randomToken(), Purpose: purpose, ExpiresAt: tx.Now.Add(ttl), User: u}
	err := tx.exec(`INSERT INTO account_token (token_hash, user_id, purpose, created_at, created_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, hashToken(l.Token), u.ID, string(purpose), tx.Now, nullID(by), l.ExpiresAt)
	return l, apperr.Wrap(err, "new link")
}

// LinkInfo is what a link's page needs before the password is chosen.
type LinkInfo struct {
	Purpose   Purpose
	ExpiresAt time.Time
	User      account.User
}

// LinkOf reads a link without using it, and refuses one that cannot serve
// any more with the French reason: unknown, used (or voided), expired.
// All three answer NotFound.
func (db *DB) LinkOf(ctx context.Context, token string) (LinkInfo, error) {
	var l LinkInfo
	var used sql.NullTime
	var userID int64
	err := db.read.QueryRowContext(ctx, `SELECT purpose, expires_at, used_at, user_id FROM account_token WHERE token_hash = $1`,
		hashToken(token)).Scan(&l.Purpose, &l.ExpiresAt, &used, &userID)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return l, apperr.NotFoundf(msg.LinkUnknown)
	}
	if err != nil {
		return l, apperr.Wrap(err, "link")
	}
	if l.User, err = db.User(ctx, userID); err != nil {
		return l, err
	}
	return l, linkUsable(l, used.Valid, db.now())
}

func linkUsable(l LinkInfo, used bool, now time.Time) error {
	switch {
	case used || !l.User.Active:
		return apperr.NotFoundf(msg.LinkUsed)
	case !l.ExpiresAt.After(now):
		return apperr.NotFoundf(msg.LinkExpired, l.ExpiresAt.In(paris).Format("02/01/2006 à 15:04"))
	}
	return nil
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// SetPasswordWithLink uses a link: it sets the password of its account
// (the same length rule as everywhere), voids the account's other links,
// ends every session of the account and its run of failed sign-ins. The
// link is taken by one UPDATE that only an unused, unexpired link
// matches, so that two instances given the same link at once set one
// password. The password is hashed before the transaction, once the link
// is known to be usable.
func (db *DB) SetPasswordWithLink(ctx context.Context, token, password string) (account.User, error) {
	if !account.PasswordLongEnough(password) {
		return account.User{}, apperr.Fields{"password": msg.Text(msg.PasswordShort, account.MinPassword)}.Err()
	}
	l, err := db.LinkOf(ctx, token)
	if err != nil {
		return account.User{}, err
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return account.User{}, apperr.Wrap(err, "hash")
	}
	err = db.Write(ctx, l.User.ID, func(tx *Tx) error {
		var purpose string
		err := tx.tx.QueryRowContext(tx.ctx, `UPDATE account_token SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING purpose`, tx.Now, hashToken(token)).Scan(&purpose)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFoundf(msg.LinkUsed) // used or expired since LinkOf read it
		}
		if err != nil {
			return apperr.Wrap(err, "use link")
		}
		if err := tx.setPassword(l.User, hash, ""); err != nil {
			return err
		}
		return tx.audit(ActPasswordSet, "user", l.User.ID, 0, map[string]string{"purpose": purpose})
	})
	return l.User, err
}

// setPassword stores a new hash for an account still active (one
// deactivated since its link was read is refused), voids its links, ends
// its sessions but keep (a session token, or "") and clears its run of
// failed sign-ins.
func (tx *Tx) setPassword(u account.User, hash, keep string) error {
	var active bool
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT active FROM app_user WHERE id = $1`, u.ID).Scan(&active); err != nil {
		return apperr.Wrap(notFound(err, msg.NotFoundUser), "set password")
	}
	if !active {
		return apperr.NotFoundf(msg.LinkUsed)
	}
	steps := []struct {
		query string
		args  []any
	}{
		{`UPDATE app_user SET password_hash = $1 WHERE id = $2`, []any{hash, u.ID}},
		{`UPDATE account_token SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, []any{tx.Now, u.ID}},
		{`DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2`, []any{u.ID, keepHash(keep)}},
		{`DELETE FROM login_attempt WHERE kind = $1 AND subject = $2`, []any{attemptAccount, u.Email}},
	}
	for _, s := range steps {
		if err := tx.exec(s.query, s.args...); err != nil {
			return apperr.Wrap(err, "set password")
		}
	}
	return nil
}

// keepHash is the hash of the session to keep, or one no session has.
func keepHash(token string) string {
	if token == "" {
		return ""
	}
	return hashToken(token)
}

// PasswordChange is a signed-in user changing their password.
type PasswordChange struct {
	UserID  int64
	Current string
	New     string
	Session string // the session that asks, which stays open
	Address string // the client's, for the sign-in limits
}

// ChangePassword checks the current password under the sign-in limits (a
// wrong one counts as a failed sign-in, so a session left open cannot be
// used to guess it), then sets the new one and ends the account's other
// sessions. Field errors: current, password.
func (db *DB) ChangePassword(ctx context.Context, c PasswordChange) error {
	f := apperr.Fields{}
	f.Required("current", c.Current)
	if !account.PasswordLongEnough(c.New) {
		f.Add("password", msg.PasswordShort, account.MinPassword)
	} else if c.New == c.Current {
		f.Add("password", msg.PasswordSame)
	}
	if err := f.Err(); err != nil {
		return err
	}
	u, err := db.User(ctx, c.UserID)
	if err != nil {
		return err
	}
	if err := db.LoginAllowed(ctx, u.Email, c.Address); err != nil {
		return err
	}
	if !account.CheckPassword(u.PasswordHash, c.Current) {
		if err := db.loginFailed(ctx, u.Email, c.Address, u.ID); err != nil {
			return err
		}
		return apperr.Fields{"current": msg.Text(msg.PasswordCurrentWrong)}.Err()
	}
	hash, err := account.HashPassword(c.New)
	if err != nil {
		return apperr.Wrap(err, "hash")
	}
	return db.Write(ctx, u.ID, func(tx *Tx) error {
		if err := tx.setPassword(u, hash, c.Session); err != nil {
			return err
		}
		return tx.audit(ActPasswordChange, "user", u.ID, 0, nil)
	})
}
