package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// CreateUser stores an account with the argon2id hash of password.
func (tx *Tx) CreateUser(u *account.User, password string) error {
	if err := u.Validate(password); err != nil {
		return err
	}
	if password == "" {
		return apperr.Fields{"password": msg.Text(msg.Required)}.Err()
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return apperr.Wrap(err, "hash")
	}
	u.Active = true
	id, err := tx.insertID(`INSERT INTO app_user (email, name, role, caf_id, password_hash, active, created_at)
		VALUES ($1, $2, $3, $4, $5, TRUE, $6)`, u.Email, u.Name, string(u.Role), nullID(u.CafID), hash, tx.Now)
	if isUniqueViolation(err) {
		return apperr.Fields{"email": msg.Text(msg.EmailTaken)}.Err()
	}
	if err != nil {
		return apperr.Wrap(err, "create user")
	}
	u.ID, u.PasswordHash, u.CreatedAt = id, hash, tx.Now
	return tx.audit(ActCreate, "user", id, 0, u)
}

// GrantCTG gives an advisor or a Copil member access to a CTG of their
// own Caf: a grant across Cafs would open a CTG its Caf never shared. The
// refusals are field errors on "ctg", the option that named it.
func (tx *Tx) GrantCTG(userID, ctgID int64) error {
	var ctgCaf, userCaf sql.NullInt64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT caf_id FROM ctg WHERE id = $1`, ctgID).Scan(&ctgCaf)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Fields{"ctg": msg.Text(msg.GrantUnknownCTG, ctgID)}.Err()
	}
	if err == nil {
		err = tx.tx.QueryRowContext(tx.ctx, `SELECT caf_id FROM app_user WHERE id = $1`, userID).Scan(&userCaf)
	}
	if err != nil {
		return apperr.Wrap(notFound(err, msg.NotFoundUser), "grant: caf")
	}
	if !userCaf.Valid || userCaf.Int64 != ctgCaf.Int64 {
		return apperr.Fields{"ctg": msg.Text(msg.GrantOtherCaf, ctgID)}.Err()
	}
	if err := tx.exec(`INSERT INTO user_ctg (user_id, ctg_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, userID, ctgID); err != nil {
		return apperr.Wrap(err, "grant ctg")
	}
	return tx.audit(ActCreate, "user_ctg", userID, ctgID, map[string]int64{"ctg_id": ctgID})
}

const userColumns = `id, email, name, role, caf_id, password_hash, active, created_at`

func scanUser(s scanner) (account.User, error) {
	var u account.User
	var caf sql.NullInt64
	var role string
	err := s.Scan(&u.ID, &u.Email, &u.Name, &role, &caf, &u.PasswordHash, &u.Active, &u.CreatedAt)
	u.Role, u.CafID = account.Role(role), idOf(caf)
	return u, err
}

func (db *DB) User(ctx context.Context, id int64) (account.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM app_user WHERE id = $1`, id))
	return u, notFound(err, msg.NotFoundUser)
}

func (db *DB) UserByEmail(ctx context.Context, email string) (account.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM app_user WHERE email = lower($1)`, email))
	return u, notFound(err, msg.NotFoundUser)
}

// Users lists the accounts of a Caf (0: all).
func (db *DB) Users(ctx context.Context, cafID int64) ([]account.User, error) {
	var out []account.User
	err := each(ctx, db.read, `SELECT `+userColumns+` FROM app_user WHERE $1 = 0 OR caf_id = $1 ORDER BY name`,
		[]any{cafID}, func(s scanner) error {
			u, err := scanUser(s)
			out = append(out, u)
			return err
		})
	return out, apperr.Wrap(err, "users")
}

// GrantedCTGs lists the CTGs explicitly granted to a user.
func (db *DB) GrantedCTGs(ctx context.Context, userID int64) ([]int64, error) {
	var out []int64
	err := each(ctx, db.read, `SELECT ctg_id FROM user_ctg WHERE user_id = $1
		UNION SELECT ctg_id FROM post WHERE user_id = $1 ORDER BY 1`, []any{userID}, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, apperr.Wrap(err, "granted ctgs")
}

// Session is a signed-in browser. Only the token's hash is stored, so a
// leaked database cannot be replayed as cookies.
type Session struct {
	Token     string // the cookie value, known only at creation
	UserID    int64
	CSRF      string
	ExpiresAt time.Time
}

func (tx *Tx) openSession(userID int64, ttl time.Duration) (Session, error) {
	s := Session{Token: randomToken(), UserID: userID, CSRF: randomToken(), ExpiresAt: tx.Now.Add(ttl)}
	err := tx.exec(`INSERT INTO user_session (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hashToken(s.Token), userID, s.CSRF, tx.Now, s.ExpiresAt)
	return s, apperr.Wrap(err, "open session")
}

// SessionByToken finds a live session; any instance can answer since the
// session lives in the database.
func (db *DB) SessionByToken(ctx context.Context, token string) (Session, error) {
	s := Session{Token: token}
	err := db.read.QueryRowContext(ctx, `SELECT user_id, csrf, expires_at FROM user_session
		WHERE token_hash = $1 AND expires_at > $2`, hashToken(token), db.now().UTC()).Scan(&s.UserID, &s.CSRF, &s.ExpiresAt)
	if err != nil {
		return Session{}, notFound(err, msg.ErrLoginRequired)
	}
	return s, nil
}

// Logout ends a session and purges expired ones.
func (db *DB) Logout(ctx context.Context, token string) error {
	return db.Write(ctx, 0, func(tx *Tx) error {
		return apperr.Wrap(tx.exec(`DELETE FROM user_session WHERE token_hash = $1 OR expires_at < $2`,
			hashToken(token), tx.Now), "logout")
	})
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux; if it does, nothing is safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}
