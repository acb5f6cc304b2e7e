package store

import (
	"context"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/journal"
)

// What the reports read besides the figures (package report builds them,
// package web gathers their data): counts of records by kind, records of
// one status, the history of a CTG's fiches actions.

// RecordKinds counts the records f selects by kind, whatever its limit.
func (db *DB) RecordKinds(ctx context.Context, f RecordFilter) (map[journal.Kind]int, error) {
	w := f.where()
	out := map[journal.Kind]int{}
	err := each(ctx, db.read, `SELECT r.kind, COUNT(*) FROM record r WHERE `+w.String()+` GROUP BY r.kind`, w.args,
		func(s scanner) error {
			var k string
			var n int
			err := s.Scan(&k, &n)
			out[journal.Kind(k)] = n
			return err
		})
	return out, apperr.Wrap(err, "record kinds")
}

// RecordsWithStatus lists the records f selects whose status (of an
// alert, of a subject) is status, oldest first, all of them.
func (db *DB) RecordsWithStatus(ctx context.Context, f RecordFilter, status string) ([]journal.Record, error) {
	w := f.where()
	w.add("r.status = ?", status)
	return db.listRecords(ctx, w, "r.day, r.id", 0, 0)
}

// ActionUpdates lists every progress update of a CTG's live fiches dated
// on or before to, oldest first: each fiche's history, from which a
// report reads its state at any date.
func (db *DB) ActionUpdates(ctx context.Context, ctgID int64, to civil.Date) ([]UpdateRow, error) {
	var out []UpdateRow
	err := each(ctx, db.read, `SELECT u.id, u.action_id, u.post_id, u.day, u.status, u.percent, u.difficulties,
		a.ctg_id, a.code, a.title, a.axis FROM action_update u JOIN action a ON a.id = u.action_id
		WHERE a.ctg_id = $1 AND a.deleted_at IS NULL AND u.day <= $2 ORDER BY u.day, u.id`, []any{ctgID, to},
		func(s scanner) error {
			var u UpdateRow
			err := s.Scan(&u.ID, &u.ActionID, &u.PostID, &u.Date, &u.Status, &u.Percent, &u.Difficulties,
				&u.CTGID, &u.ActionCode, &u.Title, &u.Axis)
			out = append(out, u)
			return err
		})
	return out, apperr.Wrap(err, "action updates")
}
