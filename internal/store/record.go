package store

import (
	"context"
	"database/sql"
	"strings"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// journalContext gathers what a record's validation needs about its CTG:
// its convention's dates and its posts' ids, two statements (the whole CTG
// and its posts took nine, in the writer's transaction).
func (tx *Tx) journalContext(ctgID int64, n *nomenclature.Set) (journal.Context, error) {
	jc := journal.Context{Nomenclature: n, Posts: map[int64]bool{}}
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT start_date, end_date FROM ctg WHERE id = $1`, ctgID).Scan(&jc.Start, &jc.End)
	if err != nil {
		return journal.Context{}, apperr.Wrap(notFound(err, msg.NotFoundCTG), "record ctg")
	}
	err = each(tx.ctx, tx.tx, `SELECT id FROM post WHERE ctg_id = $1`, []any{ctgID}, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		jc.Posts[id] = true
		return err
	})
	return jc, apperr.Wrap(err, "record posts")
}

const recordColumns = `kind, day, title, comment, instance_id, action_id, meeting_id, axis, nature, audience,
	instance_kind, facilitated, innovative, network, habitants_conception, habitants_evaluation, status, origin,
	taken_on, taken_how, requests_examined, places_allocated, linked_on, linked_instance_id`

func recordValues(r *journal.Record) []any {
	return []any{string(r.Kind), r.Date, r.Title, r.Comment, nullID(r.InstanceID), nullID(r.ActionID),
		nullID(r.MeetingID), r.Axis, r.Nature, r.Audience, r.InstanceKind, r.Facilitated, r.Innovative, r.Network,
		r.HabitantsConception, r.HabitantsEvaluation, r.Status, r.Origin, r.TakenOn, r.TakenHow,
		r.RequestsExamined, r.PlacesAllocated, r.LinkedOn, nullID(r.LinkedInstanceID)}
}

// SaveRecord validates and stores a record with its partners and roles.
// A subject's status change is appended to its history.
func (tx *Tx) SaveRecord(r *journal.Record, n *nomenclature.Set) error {
	jc, err := tx.journalContext(r.CTGID, n)
	if err != nil {
		return err
	}
	if err := r.Validate(jc); err != nil {
		return err
	}
	if err := tx.checkLinks(r); err != nil {
		return err
	}
	if err := tx.lockCTG(r.CTGID); err != nil {
		return err
	}
	if r.ID != 0 {
		// what the record counted in before the change
		if err := tx.touchRecord(r.ID, -1); err != nil {
			return err
		}
	}
	action, err := tx.writeRecordRow(r)
	if err != nil {
		return err
	}
	if err := tx.writeRecordLinks(r); err != nil {
		return err
	}
	if r.Kind == journal.Sujet {
		if err := tx.appendSubjectStatus(r); err != nil {
			return err
		}
	}
	if err := tx.touchRecord(r.ID, 1); err != nil {
		return err
	}
	return tx.audit(action, "record", r.ID, r.CTGID, r)
}

func (tx *Tx) writeRecordRow(r *journal.Record) (string, error) {
	vals := recordValues(r)
	if r.ID == 0 {
		marks := make([]string, len(vals)+6)
		for i := range marks {
			marks[i] = ph(i + 1)
		}
		args := append([]any{r.CTGID, r.PostID}, vals...)
		args = append(args, tx.Now, nullID(tx.Actor), tx.Now, nullID(tx.Actor))
		id, err := tx.insertID(`INSERT INTO record (ctg_id, post_id, `+recordColumns+`, created_at, created_by,
			updated_at, updated_by) VALUES (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return "", apperr.Wrap(err, "create record")
		}
		r.ID, r.CreatedAt, r.CreatedBy = id, tx.Now, tx.Actor
		return ActCreate, nil
	}
	cols := strings.Split(strings.Join(strings.Fields(recordColumns), ""), ",")
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = " + ph(i+1)
	}
	n := len(vals)
	args := append(vals, r.PostID, tx.Now, nullID(tx.Actor), r.ID, r.CTGID)
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE record SET `+strings.Join(sets, ", ")+`, post_id = `+ph(n+1)+
		`, updated_at = `+ph(n+2)+`, updated_by = `+ph(n+3)+` WHERE id = `+ph(n+4)+` AND ctg_id = `+ph(n+5)+
		` AND deleted_at IS NULL`, args...)
	if err != nil {
		return "", apperr.Wrap(err, "update record")
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return "", apperr.NotFoundf(msg.NotFoundRecord)
	}
	if err := tx.exec(`DELETE FROM record_partner WHERE record_id = $1`, r.ID); err != nil {
		return "", apperr.Wrap(err, "clear partners")
	}
	if err := tx.exec(`DELETE FROM meeting_role WHERE record_id = $1`, r.ID); err != nil {
		return "", apperr.Wrap(err, "clear roles")
	}
	r.UpdatedAt, r.UpdatedBy = tx.Now, tx.Actor
	return ActUpdate, nil
}

func (tx *Tx) writeRecordLinks(r *journal.Record) error {
	seen := map[int64]bool{}
	for _, p := range r.PartnerIDs {
		if seen[p] {
			continue
		}
		seen[p] = true
		if err := tx.exec(`INSERT INTO record_partner (record_id, partner_id) VALUES ($1, $2)`, r.ID, p); err != nil {
			return apperr.Wrap(err, "record partner")
		}
	}
	for _, ro := range r.Roles {
		if err := tx.exec(`INSERT INTO meeting_role (record_id, post_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			r.ID, ro.PostID, ro.Role); err != nil {
			return apperr.Wrap(err, "meeting role")
		}
	}
	return nil
}

// checkLinks refuses references to another CTG's instance, action, meeting
// or to another Caf's partner: the form offers only the right ones, so this
// guards against forged requests.
func (tx *Tx) checkLinks(r *journal.Record) error {
	f := apperr.Fields{}
	one := func(field, query string, id int64) {
		if id == 0 {
			return
		}
		var n int
		if err := tx.tx.QueryRowContext(tx.ctx, query, id, r.CTGID).Scan(&n); err != nil || n == 0 {
			f.Add(field, msg.InvalidChoice)
		}
	}
	one("instance", `SELECT COUNT(*) FROM instance WHERE id = $1 AND ctg_id = $2`, r.InstanceID)
	one("linked_instance", `SELECT COUNT(*) FROM instance WHERE id = $1 AND ctg_id = $2`, r.LinkedInstanceID)
	one("action", `SELECT COUNT(*) FROM action WHERE id = $1 AND ctg_id = $2 AND deleted_at IS NULL`, r.ActionID)
	one("meeting", `SELECT COUNT(*) FROM record WHERE id = $1 AND ctg_id = $2 AND kind = 'reunion' AND deleted_at IS NULL`, r.MeetingID)
	for _, p := range r.PartnerIDs {
		one("partners", `SELECT COUNT(*) FROM partner WHERE id = $1 AND merged_into IS NULL
			AND caf_id = (SELECT caf_id FROM ctg WHERE id = $2)`, p)
	}
	return f.Err()
}

// appendSubjectStatus keeps the history: a row each time the status changes.
func (tx *Tx) appendSubjectStatus(r *journal.Record) error {
	var last sql.NullString
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT status FROM subject_status WHERE record_id = $1 ORDER BY id DESC LIMIT 1`,
		r.ID).Scan(&last)
	if err != nil && err != sql.ErrNoRows {
		return apperr.Wrap(err, "subject status")
	}
	if last.Valid && last.String == r.Status {
		return nil
	}
	day, how := r.Date, ""
	if r.Status == nomenclature.SubjectTaken {
		day, how = r.TakenOn, r.TakenHow
	}
	return apperr.Wrap(tx.exec(`INSERT INTO subject_status (record_id, status, day, how, post_id) VALUES ($1, $2, $3, $4, $5)`,
		r.ID, r.Status, day, how, r.PostID), "subject status")
}

// DeleteRecord hides a record from every list and figure; an administrator
// can restore it.
func (tx *Tx) DeleteRecord(ctgID, id int64) error {
	return tx.setDeleted(ctgID, id, true)
}

func (tx *Tx) RestoreRecord(ctgID, id int64) error {
	return tx.setDeleted(ctgID, id, false)
}

func (tx *Tx) setDeleted(ctgID, id int64, deleted bool) error {
	q, action := `UPDATE record SET deleted_at = $1, deleted_by = $2 WHERE id = $3 AND ctg_id = $4 AND deleted_at IS NULL`, ActDelete
	args := []any{tx.Now, nullID(tx.Actor), id, ctgID}
	if !deleted {
		q, action = `UPDATE record SET deleted_at = NULL, deleted_by = NULL WHERE id = $1 AND ctg_id = $2 AND deleted_at IS NOT NULL`, ActRestore
		args = []any{id, ctgID}
	}
	if err := tx.lockCTG(ctgID); err != nil {
		return err
	}
	var owner int64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT ctg_id FROM record WHERE id = $1`, id).Scan(&owner)
	if err != nil && err != sql.ErrNoRows {
		return apperr.Wrap(err, action+" record")
	}
	if owner != ctgID {
		return apperr.NotFoundf(msg.NotFoundRecord)
	}
	// what the record counted in before
	if err := tx.touchRecord(id, -1); err != nil {
		return err
	}
	res, err := tx.tx.ExecContext(tx.ctx, q, args...)
	if err != nil {
		return apperr.Wrap(err, action+" record")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// nothing changed: what was taken away comes back, for a caller
		// that goes on in the same transaction (delete, else restore)
		if err := tx.touchRecord(id, 1); err != nil {
			return err
		}
		return apperr.NotFoundf(msg.NotFoundRecord)
	}
	if err := tx.touchRecord(id, 1); err != nil {
		return err
	}
	return tx.audit(action, "record", id, ctgID, nil)
}

// Record returns one record with its partners and roles, deleted or not.
func (db *DB) Record(ctx context.Context, ctgID, id int64) (*journal.Record, error) {
	rs, err := db.listRecords(ctx, &where{conds: []string{"r.id = $1", "r.ctg_id = $2"}, args: []any{id, ctgID}}, "", 0, 0)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, apperr.NotFoundf(msg.NotFoundRecord)
	}
	return &rs[0], nil
}

// SubjectHistory lists a subject's statuses, oldest first.
func (db *DB) SubjectHistory(ctx context.Context, recordID int64) ([]journal.SubjectStatus, error) {
	var out []journal.SubjectStatus
	err := each(ctx, db.read, `SELECT id, record_id, status, day, how, post_id FROM subject_status
		WHERE record_id = $1 ORDER BY id`, []any{recordID}, func(s scanner) error {
		var h journal.SubjectStatus
		err := s.Scan(&h.ID, &h.RecordID, &h.Status, &h.Date, &h.How, &h.PostID)
		out = append(out, h)
		return err
	})
	return out, apperr.Wrap(err, "subject history")
}

// RecordFilter is what the journal can be filtered by.
type RecordFilter struct {
	Scope     Scope
	CTGID     int64
	PostID    int64 // records it authored and meetings where it had a role
	Kind      journal.Kind
	Nature    string
	Axis      string
	PartnerID int64
	MeetingID int64
	ActionID  int64 // records linked to this fiche action
	From, To  civil.Date
	Q         string
	Deleted   bool // the bin: deleted records only
	Limit     int
	Offset    int
	// After continues a list in journal order (newest first) after the
	// record of that day and id: the API's cursor, which stays right
	// however many records are written meanwhile.
	After *RecordKey
}

// RecordKey is a record's place in journal order.
type RecordKey struct {
	Day civil.Date
	ID  int64
}

func (f RecordFilter) where() *where {
	w := &where{}
	w.raw(func(a *[]any) string { return f.Scope.where("r.ctg_id", a) })
	if f.Deleted {
		w.add("r.deleted_at IS NOT NULL")
	} else {
		w.add("r.deleted_at IS NULL")
	}
	if f.CTGID != 0 {
		w.add("r.ctg_id = ?", f.CTGID)
	}
	if f.PostID != 0 {
		w.add("(r.post_id = ? OR EXISTS (SELECT 1 FROM meeting_role m WHERE m.record_id = r.id AND m.post_id = ?))", f.PostID, f.PostID)
	}
	if f.Kind != "" {
		w.add("r.kind = ?", string(f.Kind))
	}
	if f.Nature != "" {
		w.add("r.nature = ?", f.Nature)
	}
	if f.Axis != "" {
		w.add("r.axis = ?", f.Axis)
	}
	if f.PartnerID != 0 {
		w.add("EXISTS (SELECT 1 FROM record_partner p WHERE p.record_id = r.id AND p.partner_id = ?)", f.PartnerID)
	}
	if f.MeetingID != 0 {
		w.add("r.meeting_id = ?", f.MeetingID)
	}
	if f.ActionID != 0 {
		w.add("r.action_id = ?", f.ActionID)
	}
	if !f.From.IsZero() {
		w.add("r.day >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("r.day <= ?", f.To)
	}
	if strings.TrimSpace(f.Q) != "" {
		w.add(`(lower(r.title) LIKE ? ESCAPE '\' OR lower(r.comment) LIKE ? ESCAPE '\')`, like(f.Q), like(f.Q))
	}
	if f.After != nil {
		w.add("(r.day < ? OR (r.day = ? AND r.id < ?))", f.After.Day, f.After.Day, f.After.ID)
	}
	return w
}

// RecordsPage lists one page of the journal in journal order, without the
// total that Records counts: the API pages with RecordFilter.After.
func (db *DB) RecordsPage(ctx context.Context, f RecordFilter) ([]journal.Record, error) {
	return db.listRecords(ctx, f.where(), "r.day DESC, r.id DESC", f.Limit, 0)
}

// Records lists the journal, newest first, with the total for paging.
func (db *DB) Records(ctx context.Context, f RecordFilter) ([]journal.Record, int, error) {
	total, err := db.CountRecords(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	rs, err := db.listRecords(ctx, f.where(), "r.day DESC, r.id DESC", f.Limit, f.Offset)
	return rs, total, err
}

// CountRecords counts the records f selects, whatever its limit.
func (db *DB) CountRecords(ctx context.Context, f RecordFilter) (int, error) {
	w := f.where()
	var total int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM record r WHERE `+w.String(), w.args...).Scan(&total)
	return total, apperr.Wrap(err, "count records")
}

func (db *DB) listRecords(ctx context.Context, w *where, order string, n, offset int) ([]journal.Record, error) {
	if order == "" {
		order = "r.id"
	}
	q := recordSelect + ` FROM record r WHERE ` + w.String() + ` ORDER BY ` + order + limit(n, offset)
	var out []journal.Record
	err := each(ctx, db.read, q, w.args, func(s scanner) error {
		r, err := scanRecord(s)
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, apperr.Wrap(err, "records")
	}
	return out, loadRecordLinks(ctx, db.read, out)
}

// recordSelect reads what scanRecord scans, from record r.
var recordSelect = `SELECT r.id, r.ctg_id, r.post_id, ` + prefixed("r.", recordColumns) + `, r.created_at, r.created_by,
	r.updated_at, r.updated_by, r.deleted_at`

func prefixed(p, cols string) string {
	parts := strings.Split(strings.Join(strings.Fields(cols), ""), ",")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

func scanRecord(s scanner) (journal.Record, error) {
	var r journal.Record
	var kind string
	var inst, act, meet, linked, cby, uby sql.NullInt64
	var deleted sql.NullTime
	err := s.Scan(&r.ID, &r.CTGID, &r.PostID, &kind, &r.Date, &r.Title, &r.Comment, &inst, &act, &meet, &r.Axis,
		&r.Nature, &r.Audience, &r.InstanceKind, &r.Facilitated, &r.Innovative, &r.Network, &r.HabitantsConception,
		&r.HabitantsEvaluation, &r.Status, &r.Origin, &r.TakenOn, &r.TakenHow, &r.RequestsExamined,
		&r.PlacesAllocated, &r.LinkedOn, &linked, &r.CreatedAt, &cby, &r.UpdatedAt, &uby, &deleted)
	r.Kind = journal.Kind(kind)
	r.InstanceID, r.ActionID, r.MeetingID, r.LinkedInstanceID = idOf(inst), idOf(act), idOf(meet), idOf(linked)
	r.CreatedBy, r.UpdatedBy = idOf(cby), idOf(uby)
	if deleted.Valid {
		r.DeletedAt = &deleted.Time
	}
	return r, err
}

// loadRecordLinks fills partners and roles of records in two queries per
// thousand records rather than two per record: one statement may carry
// 32 766 variables on SQLite, 65 535 on PostgreSQL.
func loadRecordLinks(ctx context.Context, q querier, rs []journal.Record) error {
	for len(rs) > 0 {
		n := min(len(rs), linkBatch)
		if err := loadLinkBatch(ctx, q, rs[:n]); err != nil {
			return err
		}
		rs = rs[n:]
	}
	return nil
}

// linkBatch is how many records' links one query reads.
const linkBatch = 1000

func loadLinkBatch(ctx context.Context, q querier, rs []journal.Record) error {
	idx := make(map[int64]int, len(rs))
	ids := make([]int64, len(rs))
	for i, r := range rs {
		idx[r.ID] = i
		ids[i] = r.ID
	}
	args, in := inList(ids)
	err := each(ctx, q, `SELECT record_id, partner_id FROM record_partner WHERE record_id IN (`+in+`) ORDER BY partner_id`,
		args, func(s scanner) error {
			var rid, pid int64
			err := s.Scan(&rid, &pid)
			rs[idx[rid]].PartnerIDs = append(rs[idx[rid]].PartnerIDs, pid)
			return err
		})
	if err != nil {
		return apperr.Wrap(err, "record partners")
	}
	return apperr.Wrap(each(ctx, q, `SELECT record_id, post_id, role FROM meeting_role WHERE record_id IN (`+in+`)
		ORDER BY post_id, role`, args, func(s scanner) error {
		var rid int64
		var ro journal.Role
		err := s.Scan(&rid, &ro.PostID, &ro.Role)
		rs[idx[rid]].Roles = append(rs[idx[rid]].Roles, ro)
		return err
	}), "meeting roles")
}

// RecordsByIDs returns the given records (a drill-down page), in the order
// of the journal: newest first.
func (db *DB) RecordsByIDs(ctx context.Context, ids []int64) ([]journal.Record, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args, marks := inList(ids)
	return db.listRecords(ctx, &where{conds: []string{"r.id IN (" + marks + ")"}, args: args}, "r.day DESC, r.id DESC", 0, 0)
}
