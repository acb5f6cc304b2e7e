package store

import (
	"context"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/msg"
)

func (tx *Tx) CreateCaf(c *ctg.Caf) error {
	f := apperr.Fields{}
	c.Code, c.Name = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name)
	f.Required("code", c.Code)
	f.Required("name", c.Name)
	if err := f.Err(); err != nil {
		return err
	}
	id, err := tx.insertID(`INSERT INTO caf (code, name, department) VALUES ($1, $2, $3)`, c.Code, c.Name, c.Department)
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, msg.ErrConflict)
	}
	if err != nil {
		return apperr.Wrap(err, "create caf")
	}
	c.ID = id
	return tx.audit(ActCreate, "caf", id, 0, c)
}

func (db *DB) Cafs(ctx context.Context) ([]ctg.Caf, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, code, name, department FROM caf ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "cafs")
	}
	defer rows.Close()
	var out []ctg.Caf
	for rows.Next() {
		var c ctg.Caf
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Department); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (db *DB) CafByCode(ctx context.Context, code string) (ctg.Caf, error) {
	var c ctg.Caf
	err := db.read.QueryRowContext(ctx, `SELECT id, code, name, department FROM caf WHERE code = $1`, code).
		Scan(&c.ID, &c.Code, &c.Name, &c.Department)
	return c, notFound(err, msg.NotFoundCaf)
}

func (db *DB) Caf(ctx context.Context, id int64) (ctg.Caf, error) {
	var c ctg.Caf
	err := db.read.QueryRowContext(ctx, `SELECT id, code, name, department FROM caf WHERE id = $1`, id).
		Scan(&c.ID, &c.Code, &c.Name, &c.Department)
	return c, notFound(err, msg.NotFoundCaf)
}

// IsEmpty tells whether the database holds no Caf yet: the demo loads only
// into an empty database.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM caf`).Scan(&n)
	return n == 0, err
}
