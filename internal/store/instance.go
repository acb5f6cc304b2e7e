package store

import (
	"context"
	"strconv"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
)

func itoa(n int) string { return strconv.Itoa(n) }

func (tx *Tx) SaveInstance(i *ctg.Instance, n *nomenclature.Set) error {
	if err := i.Validate(n); err != nil {
		return err
	}
	if i.ID == 0 {
		id, err := tx.insertID(`INSERT INTO instance (ctg_id, kind, name, axis) VALUES ($1, $2, $3, $4)`,
			i.CTGID, i.Kind, i.Name, i.Axis)
		if err != nil {
			return apperr.Wrap(err, "create instance")
		}
		i.ID = id
		return tx.audit(ActCreate, "instance", id, i.CTGID, i)
	}
	if err := tx.exec(`UPDATE instance SET kind = $1, name = $2, axis = $3 WHERE id = $4 AND ctg_id = $5`,
		i.Kind, i.Name, i.Axis, i.ID, i.CTGID); err != nil {
		return apperr.Wrap(err, "update instance")
	}
	return tx.audit(ActUpdate, "instance", i.ID, i.CTGID, i)
}

func (db *DB) Instances(ctx context.Context, ctgID int64) ([]ctg.Instance, error) {
	var out []ctg.Instance
	err := each(ctx, db.read, `SELECT id, ctg_id, kind, name, axis FROM instance WHERE ctg_id = $1 ORDER BY kind, name`,
		[]any{ctgID}, func(s scanner) error {
			var i ctg.Instance
			err := s.Scan(&i.ID, &i.CTGID, &i.Kind, &i.Name, &i.Axis)
			out = append(out, i)
			return err
		})
	return out, apperr.Wrap(err, "instances")
}
