package store

import (
	"context"
	"database/sql"

	"copilote/internal/apperr"
	"copilote/internal/civil"
)

// AuditFilter selects entries of the audit log as an administrator
// browses it: a Caf's (entries about its CTGs, its accounts or itself),
// narrowed by CTG, account, action, kind of object and days.
type AuditFilter struct {
	CafID         int64
	CTGID, UserID int64
	Action        string
	Entity        string
	From, To      civil.Date
	Limit, Offset int
}

func (f AuditFilter) where() *where {
	var w where
	w.add(`(a.ctg_id IN (SELECT id FROM ctg WHERE caf_id = ?) OR a.user_id IN (SELECT id FROM app_user WHERE caf_id = ?)
		OR (a.entity = 'caf' AND a.entity_id = ?))`, f.CafID, f.CafID, f.CafID)
	if f.CTGID != 0 {
		w.add("a.ctg_id = ?", f.CTGID)
	}
	if f.UserID != 0 {
		w.add("a.user_id = ?", f.UserID)
	}
	if f.Action != "" {
		w.add("a.action = ?", f.Action)
	}
	if f.Entity != "" {
		w.add("a.entity = ?", f.Entity)
	}
	// entries keep an instant; days are those of Paris, where Cafs work
	if !f.From.IsZero() {
		w.add("a.at >= ?", f.From.Start().UTC())
	}
	if !f.To.IsZero() {
		w.add("a.at < ?", f.To.AddDays(1).Start().UTC())
	}
	return &w
}

// AuditEntries lists one page of the filtered entries, newest first, and
// how many the filter selects.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	w := f.where()
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit a WHERE `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "audit count")
	}
	page := where{conds: w.conds, args: append([]any{}, w.args...)}
	limit := page.param(f.Limit)
	offset := page.param(f.Offset)
	out, err := db.auditRows(ctx, `WHERE `+page.String()+` ORDER BY a.id DESC LIMIT `+limit+` OFFSET `+offset, page.args)
	return out, total, err
}

// StreamAudit hands fn the filtered entries, newest first, a thousand at
// a time: an export of a long history keeps its memory bounded.
func (db *DB) StreamAudit(ctx context.Context, f AuditFilter, fn func([]AuditEntry) error) error {
	var before int64
	for {
		w := f.where()
		if before != 0 {
			w.add("a.id < ?", before)
		}
		batch, err := db.auditRows(ctx, `WHERE `+w.String()+` ORDER BY a.id DESC LIMIT 1000`, w.args)
		if err != nil || len(batch) == 0 {
			return err
		}
		if err := fn(batch); err != nil {
			return err
		}
		before = batch[len(batch)-1].ID
	}
}

func (db *DB) auditRows(ctx context.Context, tail string, args []any) ([]AuditEntry, error) {
	var out []AuditEntry
	err := each(ctx, db.read, `SELECT a.id, a.seq, a.at, a.user_id, COALESCE(u.name, ''), a.action, a.entity, a.entity_id,
		a.ctg_id, a.detail FROM audit a LEFT JOIN app_user u ON u.id = a.user_id `+tail, args, func(s scanner) error {
		var e AuditEntry
		var uid, ctg, seq sql.NullInt64
		err := s.Scan(&e.ID, &seq, &e.At, &uid, &e.UserName, &e.Action, &e.Entity, &e.EntityID, &ctg, &e.Detail)
		e.UserID, e.CTGID, e.Seq = idOf(uid), idOf(ctg), seq.Int64
		out = append(out, e)
		return err
	})
	return out, apperr.Wrap(err, "audit entries")
}
