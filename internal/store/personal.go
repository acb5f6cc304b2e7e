package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/msg"
)

// What Copilote holds on a person, and the erasure of a departed person's
// data (RGPD: right of access, right to erasure). Records stay after an
// erasure: they are the Caf's activity, not the person's; the account and
// the posts it held are pseudonymised. The audit log keeps its entries,
// which prove what was done (its chain forbids editing them).

// PersonalData is what Copilote holds on one account.
type PersonalData struct {
	Account        AccountRow
	CTGs           []string // the CTGs granted, by name
	Posts          []ctg.Post
	PostCTGs       map[int64]string
	Sessions       int
	RecordsWritten int // records this account created
	RecordsEdited  int // records this account last changed
	RecordsOfPosts int // records authored by its posts
	Evaluations    int // evaluations of its posts
	AuditBy        int // audit entries of its own acts
	AuditAbout     int // audit entries about the account (sign-ins refused, links…)
	FirstAct       time.Time
	LastAct        time.Time
	PendingLinks   int
}

// PersonalData gathers what Copilote holds on account userID of Caf
// cafID (0: the account itself, whatever its Caf).
func (db *DB) PersonalData(ctx context.Context, cafID, userID int64) (PersonalData, error) {
	var d PersonalData
	var err error
	if cafID == 0 {
		d.Account, err = scanAccount(db.read.QueryRowContext(ctx, `SELECT `+prefixed("u.", userColumns)+`, u.last_login_at,
			(SELECT COUNT(*) FROM user_ctg g WHERE g.user_id = u.id), (SELECT COUNT(*) FROM post p WHERE p.user_id = u.id)
			FROM app_user u WHERE u.id = $1`, userID))
		err = notFound(err, msg.NotFoundUser)
	} else {
		d.Account, err = db.Account(ctx, cafID, userID)
	}
	if err != nil {
		return d, err
	}
	err = each(ctx, db.read, `SELECT c.name FROM user_ctg g JOIN ctg c ON c.id = g.ctg_id WHERE g.user_id = $1 ORDER BY c.name`,
		[]any{userID}, func(s scanner) error {
			var n string
			err := s.Scan(&n)
			d.CTGs = append(d.CTGs, n)
			return err
		})
	if err != nil {
		return d, apperr.Wrap(err, "personal grants")
	}
	if d.Posts, err = db.PostsOfUser(ctx, userID); err != nil {
		return d, err
	}
	d.PostCTGs = map[int64]string{}
	for _, p := range d.Posts {
		c, err := db.CTG(ctx, p.CTGID)
		if err != nil {
			return d, err
		}
		d.PostCTGs[p.CTGID] = c.Name
	}
	err = db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM user_session WHERE user_id = $1),
		(SELECT COUNT(*) FROM record WHERE created_by = $1),
		(SELECT COUNT(*) FROM record WHERE updated_by = $1),
		(SELECT COUNT(*) FROM record r JOIN post p ON p.id = r.post_id WHERE p.user_id = $1),
		(SELECT COUNT(*) FROM evaluation e JOIN post p ON p.id = e.post_id WHERE p.user_id = $1),
		(SELECT COUNT(*) FROM audit WHERE user_id = $1),
		(SELECT COUNT(*) FROM audit WHERE entity = 'user' AND entity_id = $1 AND (user_id IS NULL OR user_id <> $1)),
		(SELECT COUNT(*) FROM account_token WHERE user_id = $1 AND used_at IS NULL)`, userID).
		Scan(&d.Sessions, &d.RecordsWritten, &d.RecordsEdited, &d.RecordsOfPosts, &d.Evaluations, &d.AuditBy, &d.AuditAbout,
			&d.PendingLinks)
	if err != nil {
		return d, apperr.Wrap(err, "personal data")
	}
	// one row each way: SQLite gives MIN(at) back as text
	for _, q := range []struct {
		order string
		at    *time.Time
	}{{"", &d.FirstAct}, {" DESC", &d.LastAct}} {
		err := db.read.QueryRowContext(ctx, `SELECT at FROM audit WHERE user_id = $1 ORDER BY id`+q.order+` LIMIT 1`, userID).Scan(q.at)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return d, apperr.Wrap(err, "personal data acts")
		}
	}
	return d, nil
}

// ErasePerson erases the personal data of a departed person: account
// userID of Caf cafID, deactivated beforehand. Its name and e-mail become
// a pseudonym, its password, sessions, links and grants go, and the posts
// it held (and their frozen evaluations) no longer name it.
func (tx *Tx) ErasePerson(cafID, userID int64) error {
	u, err := tx.accountIn(cafID, userID)
	if err != nil {
		return err
	}
	if err := tx.notSelf(userID); err != nil {
		return err
	}
	if u.Active {
		return apperr.New(apperr.Conflict, msg.EraseActive)
	}
	if u.Erased() {
		return nil
	}
	pseudonym := account.ErasedName(userID)
	var posts []ctg.Post
	if posts, err = listPosts(tx.ctx, tx.tx, "user_id = $1", userID); err != nil {
		return err
	}
	for _, p := range posts {
		holder := "Titulaire effacé(e) du poste n° " + strconv.FormatInt(p.ID, 10)
		if err := tx.exec(`UPDATE post SET person = $1 WHERE id = $2`, holder, p.ID); err != nil {
			return apperr.Wrap(err, "erase post holder")
		}
		// a frozen evaluation keeps its figures, not the name
		if p.Person != "" {
			if err := tx.exec(`UPDATE evaluation SET snapshot = REPLACE(snapshot, $1, $2) WHERE post_id = $3`,
				jsonText(p.Person), jsonText(holder), p.ID); err != nil {
				return apperr.Wrap(err, "erase evaluation name")
			}
		}
	}
	// evaluations this person validated as an advisor name them too
	if err := tx.exec(`UPDATE evaluation SET validated_by_name = $1, snapshot = REPLACE(snapshot, $2, $1) WHERE validated_by = $3`,
		pseudonym, jsonText(u.Name), userID); err != nil {
		return apperr.Wrap(err, "erase validator name")
	}
	for _, q := range []string{`DELETE FROM user_session WHERE user_id = $1`, `DELETE FROM account_token WHERE user_id = $1`,
		`DELETE FROM api_token WHERE user_id = $1`, `DELETE FROM user_ctg WHERE user_id = $1`} {
		if err := tx.exec(q, userID); err != nil {
			return apperr.Wrap(err, "erase person")
		}
	}
	if err := tx.exec(`DELETE FROM login_attempt WHERE kind = $1 AND subject = $2`, attemptAccount, u.Email); err != nil {
		return apperr.Wrap(err, "erase login attempts")
	}
	if err := tx.exec(`UPDATE app_user SET name = $1, email = $2, password_hash = '' WHERE id = $3`,
		pseudonym, account.ErasedEmail(userID), userID); err != nil {
		return apperr.Wrap(err, "erase account")
	}
	// the trace names no one: the account's id and what was done
	return tx.audit(ActErase, "user", userID, 0, map[string]int{"posts": len(posts)})
}

// jsonText is s as it stands inside a JSON string (a frozen document).
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
