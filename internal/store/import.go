package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/msg"
	"copilote/internal/partner"
)

// Imports from spreadsheets (issue 13, item 2). The store keeps the file
// between the steps (several stateless instances serve them), what the
// Caf chose for its columns and values, and what a committed import
// created, so that it can be undone for a day. The lines themselves are
// written by the forms' own functions (SaveRecord, SavePartner,
// SaveAction), each in a savepoint of the one transaction.

// Import statuses.
const (
	ImportDraft     = "brouillon"
	ImportDone      = "importe"
	ImportUndone    = "annule"
	ImportAbandoned = "abandonne"
)

// ActUndoImport is the audit action of an undone import; a committed
// one is ActImport, like an exchange document's, with entity "import".
const ActUndoImport = "undo_import"

// UndoWindow is how long after its commit an import can be undone.
const UndoWindow = 24 * time.Hour

// ImportBatch is one upload and what became of it.
type ImportBatch struct {
	ID          int64
	CafID       int64
	CTGID       int64
	Kind        string
	FileName    string
	Sheet       []byte // the parsed file, as JSON; nil once committed or given up
	Mapping     string // JSON
	Status      string
	Lines       int
	Created     int
	CreatedAt   time.Time
	CreatedBy   int64
	AuthorName  string
	CommittedAt *time.Time
	UndoneAt    *time.Time
}

// Undoable tells whether the import may still be undone at now.
func (b *ImportBatch) Undoable(now time.Time) bool {
	return b.Status == ImportDone && b.CommittedAt != nil && now.Sub(*b.CommittedAt) < UndoWindow
}

// CreateImport keeps an uploaded file as a draft.
func (tx *Tx) CreateImport(b *ImportBatch) error {
	b.Status, b.CreatedAt, b.CreatedBy = ImportDraft, tx.Now, tx.Actor
	id, err := tx.insertID(`INSERT INTO import_batch (caf_id, ctg_id, kind, file_name, sheet, mapping, status, lines,
		created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, b.CafID, b.CTGID, b.Kind, b.FileName,
		b.Sheet, b.Mapping, b.Status, b.Lines, tx.Now, nullID(tx.Actor))
	if err != nil {
		return apperr.Wrap(err, "create import")
	}
	b.ID = id
	return tx.audit(ActCreate, "import", id, b.CTGID, map[string]any{"kind": b.Kind, "file": b.FileName, "lines": b.Lines})
}

// SaveImportMapping keeps the mapping of a draft, and what it teaches for
// the Caf's next files: memory maps scope, then source, to target.
func (tx *Tx) SaveImportMapping(b *ImportBatch, mapping string, memory map[string]map[string]string) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE import_batch SET mapping = $1 WHERE id = $2 AND ctg_id = $3 AND status = $4`,
		mapping, b.ID, b.CTGID, ImportDraft)
	if err != nil {
		return apperr.Wrap(err, "import mapping")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, msg.ImportNotDraft)
	}
	for scope, m := range memory {
		for source, target := range m {
			if source == "" || len(source) > 200 {
				continue
			}
			err := tx.exec(`INSERT INTO import_memory (caf_id, scope, source, target) VALUES ($1, $2, $3, $4)
				ON CONFLICT (caf_id, scope, source) DO UPDATE SET target = excluded.target`, b.CafID, scope, source, target)
			if err != nil {
				return apperr.Wrap(err, "import memory")
			}
		}
	}
	b.Mapping = mapping
	return tx.audit(ActUpdate, "import", b.ID, b.CTGID, map[string]any{"mapping": mapping})
}

// Savepoint runs fn so that its writes are undone, alone, when it fails:
// a dry run tries every line in one transaction and reports each line's
// error. The caller commits only when no savepoint failed.
func (tx *Tx) Savepoint(fn func() error) error {
	if err := tx.exec(`SAVEPOINT line`); err != nil {
		return apperr.Wrap(err, "savepoint")
	}
	audited, changed := len(tx.audited), tx.changed
	if err := fn(); err != nil {
		if rerr := tx.exec(`ROLLBACK TO SAVEPOINT line`); rerr != nil {
			return apperr.Wrap(rerr, "rollback to savepoint")
		}
		tx.audited, tx.changed = tx.audited[:audited], changed
		return err
	}
	return apperr.Wrap(tx.exec(`RELEASE SAVEPOINT line`), "release savepoint")
}

// AddImportItem notes a row an import created.
func (tx *Tx) AddImportItem(importID int64, entity string, id int64) error {
	return apperr.Wrap(tx.exec(`INSERT INTO import_item (import_id, entity, entity_id) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, importID, entity, id), "import item")
}

// FinishImport marks a draft committed, drops its file and writes the
// import's own audit entry (detail: what it created, by kind).
func (tx *Tx) FinishImport(b *ImportBatch, created int, detail map[string]any) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE import_batch SET status = $1, committed_at = $2, created = $3, sheet = NULL
		WHERE id = $4 AND ctg_id = $5 AND status = $6`, ImportDone, tx.Now, created, b.ID, b.CTGID, ImportDraft)
	if err != nil {
		return apperr.Wrap(err, "finish import")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, msg.ImportNotDraft)
	}
	detail["file"], detail["kind"], detail["lines"] = b.FileName, b.Kind, b.Lines
	return tx.audit(ActImport, "import", b.ID, b.CTGID, detail)
}

// AbandonImport gives up a draft and drops its file.
func (tx *Tx) AbandonImport(b *ImportBatch) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE import_batch SET status = $1, sheet = NULL WHERE id = $2 AND ctg_id = $3
		AND status = $4`, ImportAbandoned, b.ID, b.CTGID, ImportDraft)
	if err != nil {
		return apperr.Wrap(err, "abandon import")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, msg.ImportNotDraft)
	}
	return tx.audit(ActDelete, "import", b.ID, b.CTGID, nil)
}

// LivePartners lists the Caf's partners not merged into another, as the
// transaction sees them (with those it created).
func (tx *Tx) LivePartners(cafID int64) ([]partner.Partner, error) {
	var out []partner.Partner
	err := each(tx.ctx, tx.tx, `SELECT id, caf_id, name, type, siret FROM partner WHERE caf_id = $1 AND merged_into IS NULL
		ORDER BY id`, []any{cafID}, func(s scanner) error {
		var p partner.Partner
		err := s.Scan(&p.ID, &p.CafID, &p.Name, &p.Type, &p.SIRET)
		out = append(out, p)
		return err
	})
	return out, apperr.Wrap(err, "live partners")
}

const importSelect = `SELECT b.id, b.caf_id, b.ctg_id, b.kind, b.file_name, b.sheet, b.mapping, b.status, b.lines, b.created,
	b.created_at, b.created_by, COALESCE(u.name, ''), b.committed_at, b.undone_at
	FROM import_batch b LEFT JOIN app_user u ON u.id = b.created_by`

func scanImport(s scanner) (ImportBatch, error) {
	var b ImportBatch
	var by sql.NullInt64
	var committed, undone sql.NullTime
	err := s.Scan(&b.ID, &b.CafID, &b.CTGID, &b.Kind, &b.FileName, &b.Sheet, &b.Mapping, &b.Status, &b.Lines, &b.Created,
		&b.CreatedAt, &by, &b.AuthorName, &committed, &undone)
	b.CreatedBy = idOf(by)
	if committed.Valid {
		b.CommittedAt = &committed.Time
	}
	if undone.Valid {
		b.UndoneAt = &undone.Time
	}
	return b, err
}

// ImportBatch returns one import of the CTG.
func (db *DB) ImportBatch(ctx context.Context, ctgID, id int64) (*ImportBatch, error) {
	b, err := scanImport(db.read.QueryRowContext(ctx, importSelect+` WHERE b.id = $1 AND b.ctg_id = $2`, id, ctgID))
	if err != nil {
		return nil, notFound(err, msg.ErrNotFound)
	}
	return &b, nil
}

// ImportBatches lists the CTG's imports, newest first, without their files.
func (db *DB) ImportBatches(ctx context.Context, ctgID int64, limit int) ([]ImportBatch, error) {
	var out []ImportBatch
	q := strings.Replace(importSelect, "b.sheet", "NULL", 1) + ` WHERE b.ctg_id = $1 ORDER BY b.id DESC LIMIT $2`
	err := each(ctx, db.read, q, []any{ctgID, limit}, func(s scanner) error {
		b, err := scanImport(s)
		out = append(out, b)
		return err
	})
	return out, apperr.Wrap(err, "imports")
}

// ImportMemory is what the Caf chose before: scope, then source, to target.
func (db *DB) ImportMemory(ctx context.Context, cafID int64) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	err := each(ctx, db.read, `SELECT scope, source, target FROM import_memory WHERE caf_id = $1`, []any{cafID},
		func(s scanner) error {
			var scope, source, target string
			err := s.Scan(&scope, &source, &target)
			if out[scope] == nil {
				out[scope] = map[string]string{}
			}
			out[scope][source] = target
			return err
		})
	return out, apperr.Wrap(err, "import memory")
}

// UndoImport takes back everything an import created, in one
// transaction, if nothing of it was changed since: records and fiches go
// to the bin (as a deletion by hand), partners no one cites are removed.
// Otherwise nothing changes and the error says what stands in the way.
func (tx *Tx) UndoImport(b *ImportBatch) error {
	if b.Status != ImportDone || b.CommittedAt == nil {
		return apperr.New(apperr.Conflict, msg.ImportUndoNotDone)
	}
	if tx.Now.Sub(*b.CommittedAt) >= UndoWindow {
		return apperr.New(apperr.Conflict, msg.ImportUndoLate, b.CommittedAt.In(paris).Format("02/01/2006 à 15:04"))
	}
	items, err := tx.importItems(b.ID)
	if err != nil {
		return err
	}
	blockers, err := tx.undoBlockers(items)
	if err != nil {
		return err
	}
	if len(blockers) > 0 {
		return apperr.New(apperr.Conflict, msg.ImportUndoRefused, strings.Join(blockers, " ; "))
	}
	for _, it := range items {
		switch it.entity {
		case "record":
			err = tx.DeleteRecord(b.CTGID, it.id)
		case "action":
			err = tx.DeleteAction(b.CTGID, it.id)
		case "partner":
			if err = tx.exec(`DELETE FROM partner WHERE id = $1`, it.id); err == nil {
				err = tx.audit(ActDelete, "partner", it.id, 0, map[string]int64{"import": b.ID})
			}
		}
		if err != nil {
			return err
		}
	}
	if err := tx.exec(`UPDATE import_batch SET status = $1, undone_at = $2, undone_by = $3 WHERE id = $4`,
		ImportUndone, tx.Now, nullID(tx.Actor), b.ID); err != nil {
		return apperr.Wrap(err, "undo import")
	}
	return tx.audit(ActUndoImport, "import", b.ID, b.CTGID, map[string]int{"items": len(items)})
}

type importItem struct {
	entity string
	id     int64
}

func (tx *Tx) importItems(importID int64) ([]importItem, error) {
	var out []importItem
	err := each(tx.ctx, tx.tx, `SELECT entity, entity_id FROM import_item WHERE import_id = $1 ORDER BY entity DESC, entity_id`,
		[]any{importID}, func(s scanner) error {
			var it importItem
			err := s.Scan(&it.entity, &it.id)
			out = append(out, it)
			return err
		})
	return out, apperr.Wrap(err, "import items")
}

// undoBlockers names, in French, each created row changed since.
func (tx *Tx) undoBlockers(items []importItem) ([]string, error) {
	var out []string
	for _, it := range items {
		var changed bool
		var name string
		var err error
		switch it.entity {
		case "record":
			err = tx.tx.QueryRowContext(tx.ctx, `SELECT title, deleted_at IS NOT NULL OR updated_at <> created_at
				FROM record WHERE id = $1`, it.id).Scan(&name, &changed)
			if changed {
				out = append(out, msg.Text(msg.ImportUndoRecord, name, it.id))
			}
		case "action":
			err = tx.tx.QueryRowContext(tx.ctx, `SELECT code, deleted_at IS NOT NULL OR updated_at <> created_at
				OR EXISTS (SELECT 1 FROM action_update u WHERE u.action_id = a.id) FROM action a WHERE id = $1`, it.id).
				Scan(&name, &changed)
			if changed {
				out = append(out, msg.Text(msg.ImportUndoAction, name))
			}
		case "partner":
			err = tx.tx.QueryRowContext(tx.ctx, `SELECT name, merged_into IS NOT NULL
				OR EXISTS (SELECT 1 FROM record_partner rp WHERE rp.partner_id = p.id)
				OR EXISTS (SELECT 1 FROM action_partner ap WHERE ap.partner_id = p.id)
				OR EXISTS (SELECT 1 FROM partner m WHERE m.merged_into = p.id)
				OR EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'partner' AND a.entity_id = p.id AND a.action <> 'create')
				FROM partner p WHERE id = $1`, it.id).Scan(&name, &changed)
			if changed {
				out = append(out, msg.Text(msg.ImportUndoPartner, name))
			}
		}
		if err != nil {
			return nil, apperr.Wrap(err, fmt.Sprintf("undo check %s %d", it.entity, it.id))
		}
		if len(out) >= 10 {
			out = append(out, "…")
			break
		}
	}
	return out, nil
}
