package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Personal access tokens of the REST API (/api/v1): a user makes them,
// names them, gives each a scope and revokes them. A token acts as its
// user, never beyond: the user's role and CTGs decide what it reaches,
// its scope whether it may write. The token is shown once, at creation;
// only its SHA-256 is kept.

// TokenScope is what a token may do.
type TokenScope string

const (
	TokenRead  TokenScope = "read"  // GET only
	TokenWrite TokenScope = "write" // reads and writes
)

// Audit actions on tokens; their details name the token and its scope,
// never the secret.
const (
	ActTokenCreate = "token_create"
	ActTokenRevoke = "token_revoke"
)

// TokenPrefix starts every token, so that a secret scanner or a reader of
// a log recognises one.
const TokenPrefix = "cop_"

// tokenTouchEvery is how often the last use of a token is written.
const tokenTouchEvery = time.Minute

// MaxTokenName bounds a token's name.
const MaxTokenName = 100

// APIToken is a token as its owner sees it. Secret is set only when the
// token is made.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	Scope     TokenScope
	Prefix    string // the first characters, to tell tokens apart
	CreatedAt time.Time
	LastUsed  time.Time // zero: never used
	RevokedAt time.Time // zero: live
	Secret    string
}

// Live tells whether the token still opens the API.
func (t APIToken) Live() bool { return t.RevokedAt.IsZero() }

// CanWrite tells whether the token's scope allows writes.
func (t APIToken) CanWrite() bool { return t.Scope == TokenWrite }

// CreateAPIToken makes a token for the transaction's actor.
func (tx *Tx) CreateAPIToken(name string, scope TokenScope) (APIToken, error) {
	name = strings.Join(strings.Fields(name), " ")
	f := apperr.Fields{}
	f.Required("name", name)
	if len([]rune(name)) > MaxTokenName {
		f.Add("name", msg.TooLong, MaxTokenName)
	}
	if scope != TokenRead && scope != TokenWrite {
		f.Add("scope", msg.InvalidChoice)
	}
	if tx.Actor == 0 {
		return APIToken{}, apperr.New(apperr.Unauthenticated, msg.ErrLoginRequired)
	}
	if err := f.Err(); err != nil {
		return APIToken{}, err
	}
	t := APIToken{UserID: tx.Actor, Name: name, Scope: scope, CreatedAt: tx.Now, Secret: TokenPrefix + randomToken()}
	t.Prefix = t.Secret[:len(TokenPrefix)+6]
	var err error
	t.ID, err = tx.insertID(`INSERT INTO api_token (user_id, name, scope, token_hash, prefix, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.UserID, t.Name, string(t.Scope), hashToken(t.Secret), t.Prefix, t.CreatedAt)
	if err != nil {
		return APIToken{}, apperr.Wrap(err, "create token")
	}
	err = tx.audit(ActTokenCreate, "api_token", t.ID, 0, map[string]string{"name": t.Name, "scope": string(t.Scope)})
	tx.changed = false // a token changes nothing that pages compute: the data version stays
	return t, err
}

// RevokeAPIToken ends one of the actor's own tokens at once; another
// user's token, or one already revoked, is not found.
func (tx *Tx) RevokeAPIToken(id int64) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND user_id = $3
		AND revoked_at IS NULL`, tx.Now, id, tx.Actor)
	if err != nil {
		return apperr.Wrap(err, "revoke token")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFoundf(msg.NotFoundToken)
	}
	if err := tx.audit(ActTokenRevoke, "api_token", id, 0, nil); err != nil {
		return err
	}
	tx.changed = false
	return nil
}

const tokenColumns = `id, user_id, name, scope, prefix, created_at, last_used_at, revoked_at`

func scanToken(s scanner) (APIToken, error) {
	var t APIToken
	var scope string
	var used, revoked sql.NullTime
	err := s.Scan(&t.ID, &t.UserID, &t.Name, &scope, &t.Prefix, &t.CreatedAt, &used, &revoked)
	t.Scope = TokenScope(scope)
	if used.Valid {
		t.LastUsed = used.Time
	}
	if revoked.Valid {
		t.RevokedAt = revoked.Time
	}
	return t, err
}

// APITokens lists a user's tokens, the live ones first, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var out []APIToken
	err := each(ctx, db.read, `SELECT `+tokenColumns+` FROM api_token WHERE user_id = $1
		ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC`, []any{userID},
		func(s scanner) error {
			t, err := scanToken(s)
			out = append(out, t)
			return err
		})
	return out, apperr.Wrap(err, "tokens")
}

// APITokenBySecret finds the live token a request presents; an unknown,
// revoked or malformed one is refused alike.
func (db *DB) APITokenBySecret(ctx context.Context, secret string) (APIToken, error) {
	refused := apperr.New(apperr.Unauthenticated, msg.APITokenInvalid)
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return APIToken{}, refused
	}
	t, err := scanToken(db.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_token
		WHERE token_hash = $1 AND revoked_at IS NULL`, hashToken(secret)))
	if err == sql.ErrNoRows {
		return APIToken{}, refused
	}
	return t, apperr.Wrap(err, "token")
}

// TouchAPIToken writes the token's last use, at most once a minute; the
// data version stays, since no page computes from it.
func (db *DB) TouchAPIToken(ctx context.Context, t APIToken) error {
	now := db.now().UTC()
	if !t.LastUsed.IsZero() && now.Sub(t.LastUsed) < tokenTouchEvery {
		return nil
	}
	return db.Write(ctx, t.UserID, func(tx *Tx) error {
		return apperr.Wrap(tx.exec(`UPDATE api_token SET last_used_at = $1 WHERE id = $2`, tx.Now, t.ID), "token use")
	})
}
