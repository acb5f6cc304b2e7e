package store

import (
	"context"
	"math"

	"copilote/internal/apperr"
	"copilote/internal/framework"
	"copilote/internal/indicator"
	"copilote/internal/msg"
)

// SaveTargets replaces every target of a CTG.
func (tx *Tx) SaveTargets(ctgID int64, targets []indicator.Target) error {
	known := map[string]bool{}
	for _, c := range indicatorCodes() {
		known[c] = true
	}
	f := apperr.Fields{}
	for _, t := range targets {
		if !known[t.Indicator] {
			f.Add("indicator", msg.InvalidChoice)
		}
		if t.Year != 0 && (t.Year < 2000 || t.Year > 2100) {
			f.Add("year", msg.Range, 2000, 2100)
		}
		// SQLite stores NaN as NULL, PostgreSQL keeps it: neither is a target
		if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			f.Add("value", msg.InvalidNumber)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := tx.exec(`DELETE FROM indicator_target WHERE ctg_id = $1`, ctgID); err != nil {
		return apperr.Wrap(err, "clear targets")
	}
	for _, t := range targets {
		if err := tx.exec(`INSERT INTO indicator_target (ctg_id, indicator, year, value) VALUES ($1, $2, $3, $4)`,
			ctgID, t.Indicator, t.Year, t.Value); err != nil {
			return apperr.Wrap(err, "save target")
		}
	}
	return tx.audit(ActUpdate, "indicator_target", ctgID, ctgID, targets)
}

// Targets returns a CTG's targets and baselines.
func (db *DB) Targets(ctx context.Context, ctgID int64) (indicator.Targets, error) {
	out := indicator.Targets{}
	err := each(ctx, db.read, `SELECT indicator, year, value FROM indicator_target WHERE ctg_id = $1`, []any{ctgID},
		func(s scanner) error {
			var t indicator.Target
			err := s.Scan(&t.Indicator, &t.Year, &t.Value)
			out.Add(t)
			return err
		})
	return out, apperr.Wrap(err, "targets")
}

func indicatorCodes() []string {
	var out []string
	for _, i := range framework.Load().Indicators() {
		out = append(out, i.Code)
	}
	return out
}
