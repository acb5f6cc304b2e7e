package store

import (
	"context"
	"database/sql"
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
	if active && u.Erased() {
		return apperr.New(apperr.Conflict, msg.ErasedAccount)
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
