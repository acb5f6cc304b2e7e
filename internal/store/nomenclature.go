package store

import (
	"context"
	"database/sql"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// seedNomenclatures adds the national values a new version brings, leaving
// existing ones (and any label a deployment changed) alone.
func (db *DB) seedNomenclatures(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, v := range nomenclature.National {
		if _, err := tx.ExecContext(ctx, `INSERT INTO nomenclature (caf_id, kind, code, label, position)
				SELECT NULL, $1, $2, $3, $4 WHERE NOT EXISTS
				(SELECT 1 FROM nomenclature WHERE caf_id IS NULL AND kind = $1 AND code = $2)`,
			string(v.Kind), v.Code, v.Label, i); err != nil {
			return apperr.Wrap(err, "seed nomenclature")
		}
	}
	return tx.Commit()
}

// Nomenclature is the set a Caf sees: national values and its own; cafID 0
// gives the national values alone.
func (db *DB) Nomenclature(ctx context.Context, cafID int64) (*nomenclature.Set, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, code, label FROM nomenclature
		WHERE active AND (caf_id IS NULL OR caf_id = $1) ORDER BY caf_id NULLS FIRST, position, id`, cafID)
	if err != nil {
		return nil, apperr.Wrap(err, "nomenclature")
	}
	defer rows.Close()
	var vs []nomenclature.Value
	for rows.Next() {
		var v nomenclature.Value
		var k string
		if err := rows.Scan(&k, &v.Code, &v.Label); err != nil {
			return nil, err
		}
		v.Kind = nomenclature.Kind(k)
		vs = append(vs, v)
	}
	return nomenclature.NewSet(vs), rows.Err()
}

// AddNomenclature extends a list for one Caf; the code is derived from the
// label so users never type codes.
func (tx *Tx) AddNomenclature(cafID int64, kind nomenclature.Kind, label string) (string, error) {
	f := apperr.Fields{}
	label = strings.TrimSpace(label)
	f.Required("label", label)
	if _, ok := nomenclature.KindLabels[kind]; !ok {
		f.Add("kind", msg.InvalidChoice)
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	code := slug(label)
	var exists int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM nomenclature
		WHERE kind = $1 AND code = $2 AND (caf_id IS NULL OR caf_id = $3)`, string(kind), code, cafID).Scan(&exists)
	if err != nil {
		return "", apperr.Wrap(err, "nomenclature exists")
	}
	if exists > 0 {
		return "", apperr.New(apperr.Conflict, msg.ErrConflict)
	}
	var pos sql.NullInt64
	_ = tx.tx.QueryRowContext(tx.ctx, `SELECT MAX(position) FROM nomenclature WHERE kind = $1`, string(kind)).Scan(&pos)
	id, err := tx.insertID(`INSERT INTO nomenclature (caf_id, kind, code, label, position) VALUES ($1, $2, $3, $4, $5)`,
		cafID, string(kind), code, label, pos.Int64+1)
	if err != nil {
		return "", apperr.Wrap(err, "add nomenclature")
	}
	return code, tx.audit(ActCreate, "nomenclature", id, 0, map[string]string{"kind": string(kind), "code": code, "label": label})
}

// slug turns a French label into a stable ASCII code.
func slug(s string) string {
	folded := []rune{}
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			folded = append(folded, r)
		case strings.ContainsRune("àâä", r):
			folded = append(folded, 'a')
		case strings.ContainsRune("éèêë", r):
			folded = append(folded, 'e')
		case strings.ContainsRune("îï", r):
			folded = append(folded, 'i')
		case strings.ContainsRune("ôö", r):
			folded = append(folded, 'o')
		case strings.ContainsRune("ùûü", r):
			folded = append(folded, 'u')
		case r == 'ç':
			folded = append(folded, 'c')
		case r == 'œ':
			folded = append(folded, 'o', 'e')
		default:
			if n := len(folded); n > 0 && folded[n-1] != '_' {
				folded = append(folded, '_')
			}
		}
	}
	return strings.Trim(string(folded), "_")
}
