package store

import (
	"context"
	"math"

	"copilote/internal/apperr"
	"copilote/internal/civil"
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
	if err := tx.closedTargetsKept(ctgID, targets); err != nil {
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

// closedTargetsKept refuses new targets that change, drop or add one of a
// closed year (a baseline, year 0, is the value at signature: it belongs
// to no year).
func (tx *Tx) closedTargetsKept(ctgID int64, targets []indicator.Target) error {
	type key struct {
		code string
		year int
	}
	was := map[key]float64{}
	err := each(tx.ctx, tx.tx, `SELECT t.indicator, t.year, t.value FROM indicator_target t
		JOIN period_lock l ON l.ctg_id = t.ctg_id AND l.year = t.year WHERE t.ctg_id = $1`, []any{ctgID}, func(s scanner) error {
		var k key
		var v float64
		err := s.Scan(&k.code, &k.year, &v)
		was[k] = v
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "closed targets")
	}
	var days []civil.Date
	for _, t := range targets {
		k := key{t.Indicator, t.Year}
		if v, closed := was[k]; closed {
			if v != t.Value {
				return apperr.New(apperr.Conflict, msg.YearClosed, t.Year)
			}
			delete(was, k)
		} else if t.Year != 0 {
			days = append(days, civil.YearStart(t.Year))
		}
	}
	for k := range was { // a closed year's target dropped
		days = append(days, civil.YearStart(k.year))
	}
	return tx.mustBeOpen(ctgID, days...)
}
