package store

import (
	"context"

	"copilote/internal/apperr"
	"copilote/internal/journal"
	"copilote/internal/msg"
)

// SaveAttachment stores the file of a support in the database itself, so
// that app instances share it without a shared disk.
func (tx *Tx) SaveAttachment(ctgID int64, a *journal.Attachment) error {
	if err := tx.exec(`DELETE FROM attachment WHERE record_id = $1`, a.RecordID); err != nil {
		return apperr.Wrap(err, "replace attachment")
	}
	id, err := tx.insertID(`INSERT INTO attachment (record_id, name, content_type, size, data) VALUES ($1, $2, $3, $4, $5)`,
		a.RecordID, a.Name, a.ContentType, a.Size, a.Data)
	if err != nil {
		return apperr.Wrap(err, "save attachment")
	}
	a.ID = id
	return tx.audit(ActCreate, "attachment", id, ctgID, map[string]any{"record_id": a.RecordID, "name": a.Name, "size": a.Size})
}

// AttachmentOf returns a record's file without its bytes (data false) or with them.
func (db *DB) AttachmentOf(ctx context.Context, recordID int64, data bool) (*journal.Attachment, error) {
	a := &journal.Attachment{RecordID: recordID}
	cols := `id, name, content_type, size`
	dest := []any{&a.ID, &a.Name, &a.ContentType, &a.Size}
	if data {
		cols += `, data`
		dest = append(dest, &a.Data)
	}
	err := db.read.QueryRowContext(ctx, `SELECT `+cols+` FROM attachment WHERE record_id = $1`, recordID).Scan(dest...)
	if err != nil {
		return nil, notFound(err, msg.ErrNotFound)
	}
	return a, nil
}
