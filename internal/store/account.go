package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Audit actions on accounts. Their details name the purpose and the
// dates of a link, never the link itself: a token appears nowhere but in
// the page or message that hands it over.
const (
	ActInvite         = "invite"          // an administrator made an invitation link
	ActResetLink      = "reset_link"      // an administrator made a reset link for a user
	ActResetRequest   = "reset_request"   // someone asked "mot de passe oublié" (entity 0: unknown address)
	ActPasswordSet    = "password_set"    // a password chosen through a link
	ActPasswordChange = "password_change" // a user changed their password
	ActDeactivate     = "deactivate"
	ActReactivate     = "reactivate"
	ActRole           = "role"
)

// Purpose is what a one-time link does.
type Purpose string

const (
	Invitation Purpose = "invitation" // the first password of an account made in the browser
	Reset      Purpose = "reset"      // a new password for a forgotten one
)

// Link is a one-time link as it is made: Token is known only then, and
// only its hash is stored.
type Link struct {
	Token     string
	Purpose   Purpose
	ExpiresAt time.Time
	User      account.User
}

// AccountRow is an account as the administration pages show it.
type AccountRow struct {
	account.User
	LastLogin time.Time // zero: never signed in
	Grants    int       // CTGs granted (advisors, Copil members)
	Posts     int       // posts held (officers)
}

// AccountFilter selects the accounts of a Caf.
type AccountFilter struct {
	CafID  int64
	Role   account.Role   // "" for every role
	Status account.Status // "" for every status
}

// Accounts lists the accounts of one Caf, by name. A Caf is always
// named: national accounts belong to none and are listed by no Caf.
func (db *DB) Accounts(ctx context.Context, f AccountFilter) ([]AccountRow, error) {
	w := &where{}
	w.add("u.caf_id = ?", f.CafID)
	if f.Role != "" {
		w.add("u.role = ?", string(f.Role))
	}
	switch f.Status {
	case account.StatusActive:
		w.add("u.active AND u.password_hash <> ''")
	case account.StatusPending:
		w.add("u.active AND u.password_hash = ''")
	case account.StatusInactive:
		w.add("NOT u.active")
	}
	var out []AccountRow
	err := each(ctx, db.read, `SELECT `+prefixed("u.", userColumns)+`, u.last_login_at,
		(SELECT COUNT(*) FROM user_ctg g WHERE g.user_id = u.id), (SELECT COUNT(*) FROM post p WHERE p.user_id = u.id)
		FROM app_user u WHERE `+w.String()+` ORDER BY u.id`, w.args, func(s scanner) error {
		a, err := scanAccount(s)
		out = append(out, a)
		return err
	})
	// by name as a French reader sorts (« Élodie » before « Thomas »),
	// which neither engine's byte order does
	c := collate.New(language.French, collate.IgnoreCase)
	slices.SortStableFunc(out, func(a, b AccountRow) int { return c.CompareString(a.Name, b.Name) })
	return out, apperr.Wrap(err, "accounts")
}

// Account is one account of Caf cafID; an account of another Caf, or a
// national one, does not exist for that Caf's administrators.
func (db *DB) Account(ctx context.Context, cafID, userID int64) (AccountRow, error) {
	a, err := scanAccount(db.read.QueryRowContext(ctx, `SELECT `+prefixed("u.", userColumns)+`, u.last_login_at,
		(SELECT COUNT(*) FROM user_ctg g WHERE g.user_id = u.id), (SELECT COUNT(*) FROM post p WHERE p.user_id = u.id)
		FROM app_user u WHERE u.id = $1 AND u.caf_id = $2`, userID, cafID))
	return a, notFound(err, msg.NotFoundUser)
}

func scanAccount(s scanner) (AccountRow, error) {
	var a AccountRow
	var caf sql.NullInt64
	var last sql.NullTime
	var role string
	err := s.Scan(&a.ID, &a.Email, &a.Name, &role, &caf, &a.PasswordHash, &a.Active, &a.CreatedAt, &last, &a.Grants, &a.Posts)
	a.Role, a.CafID, a.LastLogin = account.Role(role), idOf(caf), last.Time
	return a, err
}

// UserGrants lists the CTGs granted to a user explicitly, without the
// CTGs of their posts (GrantedCTGs adds those).
func (db *DB) UserGrants(ctx context.Context, userID int64) ([]int64, error) {
	var out []int64
	err := each(ctx, db.read, `SELECT ctg_id FROM user_ctg WHERE user_id = $1 ORDER BY ctg_id`, []any{userID}, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, apperr.Wrap(err, "user grants")
}

// PendingLink is a link not used yet, as the account page lists it.
type PendingLink struct {
	Purpose   Purpose
	CreatedAt time.Time
	ExpiresAt time.Time
	ByAdmin   bool
}

// PendingLinks lists the account's links still valid, newest first.
func (db *DB) PendingLinks(ctx context.Context, userID int64) ([]PendingLink, error) {
	var out []PendingLink
	err := each(ctx, db.read, `SELECT purpose, created_at, expires_at, created_by IS NOT NULL FROM account_token
		WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC`,
		[]any{userID, db.now().UTC()}, func(s scanner) error {
			var l PendingLink
			err := s.Scan(&l.Purpose, &l.CreatedAt, &l.ExpiresAt, &l.ByAdmin)
			out = append(out, l)
			return err
		})
	return out, apperr.Wrap(err, "pending links")
}

// AccountHistory is the newest audit of an account: its changes, links,
// grants and sign-ins, at most n lines.
func (db *DB) AccountHistory(ctx context.Context, userID int64, n int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := each(ctx, db.read, `SELECT a.id, a.at, a.user_id, COALESCE(u.name, ''), a.action, a.entity, a.entity_id, a.ctg_id, a.detail
		FROM audit a LEFT JOIN app_user u ON u.id = a.user_id
		WHERE a.entity IN ('user', 'user_ctg') AND a.entity_id = $1 ORDER BY a.id DESC`+limit(n, 0), []any{userID},
		func(s scanner) error {
			var e AuditEntry
			var uid, ctg sql.NullInt64
			err := s.Scan(&e.ID, &e.At, &uid, &e.UserName, &e.Action, &e.Entity, &e.EntityID, &ctg, &e.Detail)
			e.UserID, e.CTGID = idOf(uid), idOf(ctg)
			out = append(out, e)
			return err
		})
	return out, apperr.Wrap(err, "account history")
}

// CreateAccount stores an account of Caf cafID made by its administrator:
// no password yet (IssueLink makes its invitation), any role but
// national, which only an operator creates (`copilote user add`).
func (tx *Tx) CreateAccount(u *account.User, cafID int64) error {
	u.CafID = cafID
	f := apperr.Fields{}
	if u.Role == account.National {
		f.Add("role", msg.AccountNationalCLI)
	}
	if err := u.Validate(""); err != nil {
		for k, v := range apperr.As(err).Fields {
			if _, ok := f[k]; !ok {
				f[k] = v
			}
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	u.Active, u.PasswordHash = true, ""
	id, err := tx.insertID(`INSERT INTO app_user (email, name, role, caf_id, password_hash, active, created_at)
		VALUES ($1, $2, $3, $4, '', TRUE, $5)`, u.Email, u.Name, string(u.Role), cafID, tx.Now)
	if isUniqueViolation(err) {
		return apperr.Fields{"email": msg.Text(msg.EmailTaken)}.Err()
	}
	if err != nil {
		return apperr.Wrap(err, "create account")
	}
	u.ID, u.CreatedAt = id, tx.Now
	return tx.audit(ActCreate, "user", id, 0, u)
}

// accountIn reads, for an administrator of Caf cafID, an account of that
// Caf; any other answers "not found", like a CTG of another Caf.
func (tx *Tx) accountIn(cafID, userID int64) (account.User, error) {
	u, err := scanUser(tx.tx.QueryRowContext(tx.ctx, `SELECT `+userColumns+` FROM app_user WHERE id = $1 AND caf_id = $2`, userID, cafID))
	return u, notFound(err, msg.NotFoundUser)
}

// notSelf refuses an administrator's change to their own role or
// activation: a Caf must not lose its administrator by a slip.
func (tx *Tx) notSelf(userID int64) error {
	if userID == tx.Actor {
		return apperr.New(apperr.Forbidden, msg.AccountSelf)
	}
	return nil
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

// SetActive deactivates or reactivates an account of Caf cafID. A
// deactivated account is refused at sign-in, its sessions end at once on
// every instance and its links are voided; reactivated, it signs in with
// its password as before.
func (tx *Tx) SetActive(cafID, userID int64, active bool) error {
	u, err := tx.accountIn(cafID, userID)
	if err != nil {
		return err
	}
	if err := tx.notSelf(userID); err != nil {
		return err
	}
	if u.Active == active {
		return nil
	}
	if err := tx.exec(`UPDATE app_user SET active = $1 WHERE id = $2`, active, userID); err != nil {
		return apperr.Wrap(err, "set active")
	}
	if active {
		return tx.audit(ActReactivate, "user", userID, 0, nil)
	}
	if err := tx.exec(`DELETE FROM user_session WHERE user_id = $1`, userID); err != nil {
		return apperr.Wrap(err, "end sessions")
	}
	if err := tx.exec(`UPDATE account_token SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, tx.Now, userID); err != nil {
		return apperr.Wrap(err, "void links")
	}
	return tx.audit(ActDeactivate, "user", userID, 0, nil)
}

// SetRole changes the role of an account of Caf cafID to any role but
// national. A role that reaches CTGs otherwise than by grants (officer,
// administrator) loses the account's grants, which would otherwise widen
// what it reaches; the audit row lists them.
func (tx *Tx) SetRole(cafID, userID int64, role account.Role) error {
	if !role.CafRole() {
		if role == account.National {
			return apperr.Fields{"role": msg.Text(msg.AccountNationalCLI)}.Err()
		}
		return apperr.Fields{"role": msg.Text(msg.InvalidChoice)}.Err()
	}
	u, err := tx.accountIn(cafID, userID)
	if err != nil {
		return err
	}
	if err := tx.notSelf(userID); err != nil {
		return err
	}
	if u.Role == role {
		return nil
	}
	detail := map[string]any{"from": u.Role, "to": role}
	if !role.UsesGrants() {
		var withdrawn []int64
		err := each(tx.ctx, tx.tx, `DELETE FROM user_ctg WHERE user_id = $1 RETURNING ctg_id`, []any{userID}, func(s scanner) error {
			var id int64
			err := s.Scan(&id)
			withdrawn = append(withdrawn, id)
			return err
		})
		if err != nil {
			return apperr.Wrap(err, "withdraw grants")
		}
		if len(withdrawn) > 0 {
			detail["withdrawn_ctgs"] = withdrawn
		}
	}
	if err := tx.exec(`UPDATE app_user SET role = $1 WHERE id = $2`, string(role), userID); err != nil {
		return apperr.Wrap(err, "set role")
	}
	return tx.audit(ActRole, "user", userID, 0, detail)
}

// AssignCTG grants a CTG of Caf cafID to an advisor or Copil member of
// that Caf (GrantCTG checks the CTG's Caf).
func (tx *Tx) AssignCTG(cafID, userID, ctgID int64) error {
	u, err := tx.accountIn(cafID, userID)
	if err != nil {
		return err
	}
	if !u.Role.UsesGrants() {
		return apperr.Fields{"ctg": msg.Text(msg.AccountNoGrants)}.Err()
	}
	var granted bool
	err = tx.tx.QueryRowContext(tx.ctx, `SELECT EXISTS (SELECT 1 FROM user_ctg WHERE user_id = $1 AND ctg_id = $2)`,
		userID, ctgID).Scan(&granted)
	if err != nil || granted {
		return apperr.Wrap(err, "grant")
	}
	return tx.GrantCTG(userID, ctgID)
}

// WithdrawCTG takes back a CTG granted to an account of Caf cafID.
func (tx *Tx) WithdrawCTG(cafID, userID, ctgID int64) error {
	if _, err := tx.accountIn(cafID, userID); err != nil {
		return err
	}
	res, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM user_ctg WHERE user_id = $1 AND ctg_id = $2`, userID, ctgID)
	if err != nil {
		return apperr.Wrap(err, "withdraw ctg")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return tx.audit(ActDelete, "user_ctg", userID, ctgID, map[string]int64{"ctg_id": ctgID})
}
