package store

import (
	"copilote/internal/apperr"
	"copilote/internal/msg"
)

// Lockable names what LockRow may lock: each object with the column of
// its owner (the CTG, or the Caf for a partner) and its not-found message.
var lockable = map[string]struct {
	owner    string
	notFound msg.Key
}{
	"record":  {"ctg_id", msg.NotFoundRecord},
	"action":  {"ctg_id", msg.NotFoundAction},
	"post":    {"ctg_id", msg.NotFoundPost},
	"partner": {"caf_id", msg.NotFoundPartner},
}

// LockRow holds the row of one object until the transaction ends, so that
// what a writer compares before it writes (the API's If-Match) cannot be
// changed by another writer in between: on PostgreSQL a row lock, on
// SQLite the single writer that every transaction already waits for.
func (tx *Tx) LockRow(entity string, ownerID, id int64) error {
	l, ok := lockable[entity]
	if !ok {
		return apperr.New(apperr.Internal, msg.ErrInternal)
	}
	q := `SELECT id FROM ` + entity + ` WHERE id = $1 AND ` + l.owner + ` = $2`
	if tx.db.Engine == Postgres {
		q += ` FOR UPDATE`
	}
	var got int64
	if err := tx.tx.QueryRowContext(tx.ctx, q, id, ownerID).Scan(&got); err != nil {
		return notFound(err, l.notFound)
	}
	return nil
}
