package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
)

// A closed year of a CTG keeps its figures as they were when it was
// closed: no record dated in it (or taken into account in it), no
// progress update, no fiche whose updates fall in it, no target of it may
// change until a Caf administrator reopens it, with a reason the audit
// log keeps. Evaluations can then rely on the years they cover.

// ClosedYear is one closed year of a CTG.
type ClosedYear struct {
	Year     int
	ClosedAt time.Time
	ClosedBy string // the name of who closed it
}

// CloseYear closes a year of the CTG's convention.
func (tx *Tx) CloseYear(ctgID int64, year int) error {
	c, err := tx.CTG(ctgID)
	if err != nil {
		return err
	}
	if !slices.Contains(c.Years(), year) {
		return apperr.New(apperr.Invalid, msg.YearNotInConvention, year)
	}
	err = tx.exec(`INSERT INTO period_lock (ctg_id, year, closed_at, closed_by) VALUES ($1, $2, $3, $4)`,
		ctgID, year, tx.Now, nullID(tx.Actor))
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, msg.YearAlreadyClosed, year)
	}
	if err != nil {
		return apperr.Wrap(err, "close year")
	}
	return tx.audit(ActCloseYear, "ctg", ctgID, ctgID, map[string]int{"year": year})
}

// ReopenYear reopens a closed year; the reason is required and audited.
func (tx *Tx) ReopenYear(ctgID int64, year int, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		f := apperr.Fields{}
		f.Add("reason", msg.Required)
		return f.Err()
	}
	res, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM period_lock WHERE ctg_id = $1 AND year = $2`, ctgID, year)
	if err != nil {
		return apperr.Wrap(err, "reopen year")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, msg.YearNotClosed, year)
	}
	return tx.audit(ActReopenYear, "ctg", ctgID, ctgID, map[string]any{"year": year, "reason": reason})
}

// ClosedYears lists the CTG's closed years, oldest first.
func (db *DB) ClosedYears(ctx context.Context, ctgID int64) ([]ClosedYear, error) {
	var out []ClosedYear
	err := each(ctx, db.read, `SELECT l.year, l.closed_at, COALESCE(u.name, '') FROM period_lock l
		LEFT JOIN app_user u ON u.id = l.closed_by WHERE l.ctg_id = $1 ORDER BY l.year`, []any{ctgID}, func(s scanner) error {
		var y ClosedYear
		err := s.Scan(&y.Year, &y.ClosedAt, &y.ClosedBy)
		out = append(out, y)
		return err
	})
	return out, apperr.Wrap(err, "closed years")
}

// mustBeOpen refuses a change that touches a closed year of the CTG.
func (tx *Tx) mustBeOpen(ctgID int64, days ...civil.Date) error {
	var years []int
	for _, d := range days {
		if !d.IsZero() && !slices.Contains(years, d.Year) {
			years = append(years, d.Year)
		}
	}
	if len(years) == 0 {
		return nil
	}
	var closed int
	w := where{}
	w.add("ctg_id = ?", ctgID)
	w.raw(func(args *[]any) string { return "year IN (" + placeholders(args, years) + ")" })
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MIN(year), 0) FROM period_lock WHERE `+w.String(), w.args...).Scan(&closed)
	if err != nil {
		return apperr.Wrap(err, "period lock")
	}
	if closed != 0 {
		return apperr.New(apperr.Conflict, msg.YearClosed, closed)
	}
	return nil
}

// updateDays are the days of a fiche's progress updates.
func (tx *Tx) updateDays(actionID int64) ([]civil.Date, error) {
	var out []civil.Date
	err := each(tx.ctx, tx.tx, `SELECT day FROM action_update WHERE action_id = $1`, []any{actionID}, func(s scanner) error {
		var d civil.Date
		err := s.Scan(&d)
		out = append(out, d)
		return err
	})
	return out, apperr.Wrap(err, "update days")
}
