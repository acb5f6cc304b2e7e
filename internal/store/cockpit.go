package store

import (
	"context"

	"copilote/internal/apperr"
	"copilote/internal/indicator"
)

// What the home pages (web/home*.go) and the Caf and national overviews
// read besides the figures: a few grouped statements each, whatever the
// number of CTGs in scope.

// TargetsOf reads the targets of every CTG in scope in one statement:
// CTG id → its targets (a CTG without any is absent).
func (db *DB) TargetsOf(ctx context.Context, s Scope) (map[int64]indicator.Targets, error) {
	var args []any
	out := map[int64]indicator.Targets{}
	err := each(ctx, db.read, `SELECT ctg_id, indicator, year, value FROM indicator_target WHERE `+s.where("ctg_id", &args),
		args, func(sc scanner) error {
			var id int64
			var t indicator.Target
			err := sc.Scan(&id, &t.Indicator, &t.Year, &t.Value)
			if out[id] == nil {
				out[id] = indicator.Targets{}
			}
			out[id].Add(t)
			return err
		})
	return out, apperr.Wrap(err, "targets of scope")
}
