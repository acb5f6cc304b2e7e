package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"copilote/internal/apperr"
)

// Tx is a write transaction with a fixed "now" and a known actor. Every
// change made through it writes its audit row in the same transaction, so a
// change without its trace cannot be committed.
type Tx struct {
	tx    *sql.Tx
	conn  *sql.Conn // tx's connection, for COPY (exchange import); nil otherwise
	db    *DB
	ctx   context.Context
	Now   time.Time
	Actor int64 // user id; 0 for the system (migrations, demo, import)
	// dirty is what the writes touched, recounted by settle before commit.
	dirty map[int64]*dirtySpan
	// locked: the CTGs whose row the transaction locked (lockCTG)
	locked map[int64]bool
	// changed: some data changed (every change is audited, a login
	// included: it sets the user's last login), so the data version moves
	// on at commit.
	changed bool
	// audited are the audit entries the transaction wrote, which take
	// their places in the chain before the commit (audit_chain.go).
	audited []int64
	// what the change moves on (version.go): the structure, or only the
	// CTGs named here
	structure bool
	ctgs      map[int64]bool
}

// Write runs fn in a transaction and commits when fn returns nil. Handlers
// never begin transactions themselves.
func (db *DB) Write(ctx context.Context, actor int64, fn func(*Tx) error) (err error) {
	if db.observe != nil {
		defer func(start time.Time) { db.observe(time.Since(start), err == nil) }(time.Now())
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return apperr.Wrap(err, "begin")
	}
	return db.writeIn(ctx, sqlTx, nil, actor, fn)
}

// writeIn is Write in the transaction sqlTx, begun on conn when the
// writer needs its connection (PostgreSQL's COPY).
func (db *DB) writeIn(ctx context.Context, sqlTx *sql.Tx, conn *sql.Conn, actor int64, fn func(*Tx) error) (err error) {
	tx := &Tx{tx: sqlTx, conn: conn, db: db, ctx: ctx, Now: db.now().UTC().Truncate(time.Microsecond), Actor: actor}
	// the tallies are recounted last, once, whatever fn wrote
	if err = fn(tx); err == nil {
		err = tx.settle()
	}
	if err == nil && tx.changed {
		err = bumpVersions(ctx, sqlTx, tx.structure, tx.ctgs)
	}
	// the chain's head is locked last, after the data version: every
	// writer takes the two in that order
	if err == nil {
		err = chainAudit(ctx, sqlTx, db.Engine, tx.audited)
	}
	if err != nil {
		sqlTx.Rollback()
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return apperr.Wrap(err, "commit")
	}
	forgetVersion(ctx)
	return nil
}

// Audit actions.
const (
	ActCreate      = "create"
	ActUpdate      = "update"
	ActDelete      = "delete"
	ActRestore     = "restore"
	ActMerge       = "merge"
	ActLogin       = "login"
	ActLoginFailed = "login_failed" // detail: the email tried and the address, never the password
	ActRecount     = "recount"
	// a year of a CTG closed, or reopened with its reason
	ActCloseYear  = "close_year"
	ActReopenYear = "reopen_year"
	// a departed person's personal data erased (personal.go)
	ActErase = "erase"
)

// audit records who changed what; detail is the new state (or what the
// action needs to be understood), as JSON.
func (tx *Tx) audit(action, entity string, id, ctgID int64, detail any) error {
	return tx.auditAt(tx.Now, action, entity, id, ctgID, detail)
}

// auditAt is audit dated at, for the rows whose exact instant would say
// too much (an anonymous answer, whose instant a proxy's log could tie to
// an address).
func (tx *Tx) auditAt(at time.Time, action, entity string, id, ctgID int64, detail any) error {
	tx.changed = true
	tx.moves(action, entity, ctgID)
	var b []byte
	if detail != nil {
		var err error
		if b, err = json.Marshal(detail); err != nil {
			return apperr.Wrap(err, "audit detail")
		}
	}
	entry, err := tx.insertID(`INSERT INTO audit (at, user_id, action, entity, entity_id, ctg_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, at, nullID(tx.Actor), action, entity, id, nullID(ctgID), string(b))
	tx.audited = append(tx.audited, entry)
	return apperr.Wrap(err, "audit")
}

// insertID runs an INSERT … RETURNING id, which both engines support.
func (tx *Tx) insertID(query string, args ...any) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(tx.ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

func (tx *Tx) exec(query string, args ...any) error {
	_, err := tx.tx.ExecContext(tx.ctx, query, args...)
	return err
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID       int64
	Seq      int64 // its place in the chain (audit_chain.go)
	At       time.Time
	UserID   int64
	UserName string
	Action   string
	Entity   string
	EntityID int64
	CTGID    int64
	Detail   string
}

// AuditOf lists the history of one entity, oldest first.
func (db *DB) AuditOf(ctx context.Context, entity string, id int64) ([]AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.id, a.at, a.user_id, COALESCE(u.name, ''), a.action,
		a.entity, a.entity_id, a.ctg_id, a.detail
		FROM audit a LEFT JOIN app_user u ON u.id = a.user_id
		WHERE a.entity = $1 AND a.entity_id = $2 ORDER BY a.id`, entity, id)
	if err != nil {
		return nil, apperr.Wrap(err, "audit of")
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var uid, ctg sql.NullInt64
		if err := rows.Scan(&e.ID, &e.At, &uid, &e.UserName, &e.Action, &e.Entity, &e.EntityID, &ctg, &e.Detail); err != nil {
			return nil, err
		}
		e.UserID, e.CTGID = idOf(uid), idOf(ctg)
		out = append(out, e)
	}
	return out, rows.Err()
}
