package store

import (
	"context"
	"database/sql"
	"strings"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

const actionColumns = `code, title, axis, objective, finding, pilot_structure, pilot_person, target_public, steps,
	start_date, end_date, budget_planned, budget_actual, caf_lever, priority, status, progress`

func actionValues(a *actionplan.Action) []any {
	return []any{a.Code, a.Title, a.Axis, a.Objective, a.Finding, a.PilotStructure, a.PilotPerson, a.TargetPublic,
		a.Steps, a.Start, a.End, a.BudgetPlanned, a.BudgetActual, a.CafLever, a.Priority, a.Status, a.Progress}
}

// SaveAction creates or replaces a fiche action and its lists.
func (tx *Tx) SaveAction(a *actionplan.Action, n *nomenclature.Set) error {
	if err := a.Validate(n); err != nil {
		return err
	}
	vals := actionValues(a)
	action := ActUpdate
	var err error
	if a.ID == 0 {
		action = ActCreate
		marks := make([]string, len(vals)+3)
		for i := range marks {
			marks[i] = ph(i + 1)
		}
		args := append([]any{a.CTGID}, vals...)
		args = append(args, tx.Now, tx.Now)
		a.ID, err = tx.insertID(`INSERT INTO action (ctg_id, `+actionColumns+`, created_at, updated_at) VALUES (`+
			strings.Join(marks, ", ")+`)`, args...)
	} else {
		cols := strings.Split(strings.Join(strings.Fields(actionColumns), ""), ",")
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = c + " = " + ph(i+1)
		}
		k := len(vals)
		err = tx.exec(`UPDATE action SET `+strings.Join(sets, ", ")+`, updated_at = `+ph(k+1)+` WHERE id = `+ph(k+2)+
			` AND ctg_id = `+ph(k+3)+` AND deleted_at IS NULL`, append(vals, tx.Now, a.ID, a.CTGID)...)
		if err == nil {
			err = tx.clearActionLists(a.ID)
		}
	}
	if isUniqueViolation(err) {
		return apperr.Fields{"code": msg.Text(msg.ActionCodeTaken)}.Err()
	}
	if err != nil {
		return apperr.Wrap(err, "save action")
	}
	if err := tx.writeActionLists(a); err != nil {
		return err
	}
	if action == ActUpdate {
		// the axis counts the fiche's updates in S12a
		if err := tx.touchAction(a.ID); err != nil {
			return err
		}
	}
	return tx.audit(action, "action", a.ID, a.CTGID, a)
}

// DeleteAction removes a fiche action from the plan and its progress
// updates from every figure; an administrator can restore it.
func (tx *Tx) DeleteAction(ctgID, id int64) error {
	return tx.setActionDeleted(ctgID, id, true)
}

func (tx *Tx) RestoreAction(ctgID, id int64) error {
	return tx.setActionDeleted(ctgID, id, false)
}

func (tx *Tx) setActionDeleted(ctgID, id int64, deleted bool) error {
	q, action := `UPDATE action SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND ctg_id = $3 AND deleted_at IS NULL`, ActDelete
	if !deleted {
		q, action = `UPDATE action SET deleted_at = NULL, updated_at = $1 WHERE id = $2 AND ctg_id = $3 AND deleted_at IS NOT NULL`, ActRestore
	}
	res, err := tx.tx.ExecContext(tx.ctx, q, tx.Now, id, ctgID)
	if err != nil {
		return apperr.Wrap(err, action+" action")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFoundf(msg.NotFoundAction)
	}
	// its updates leave or come back to S12a of their years
	days, err := tx.updateDays(id)
	if err != nil {
		return err
	}
	if err := tx.mustBeOpen(ctgID, days...); err != nil {
		return err
	}
	if err := tx.touchAction(id); err != nil {
		return err
	}
	return tx.audit(action, "action", id, ctgID, nil)
}

var actionLists = []string{"action_partner", "action_commune", "action_milestone", "action_cofunder", "action_indicator"}

func (tx *Tx) clearActionLists(id int64) error {
	for _, t := range actionLists {
		if err := tx.exec(`DELETE FROM `+t+` WHERE action_id = $1`, id); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) writeActionLists(a *actionplan.Action) error {
	var err error
	for _, p := range a.Partners {
		err = firstErr(err, tx.exec(`INSERT INTO action_partner (action_id, partner_id, role) VALUES ($1, $2, $3)`, a.ID, p.PartnerID, p.Role))
	}
	for _, c := range a.Communes {
		err = firstErr(err, tx.exec(`INSERT INTO action_commune (action_id, insee) VALUES ($1, $2)`, a.ID, c))
	}
	for _, m := range a.Milestones {
		err = firstErr(err, tx.exec(`INSERT INTO action_milestone (action_id, year, label) VALUES ($1, $2, $3)`, a.ID, m.Year, m.Label))
	}
	for _, c := range a.Cofunders {
		err = firstErr(err, tx.exec(`INSERT INTO action_cofunder (action_id, name, amount) VALUES ($1, $2, $3)`, a.ID, c.Name, c.Amount))
	}
	for _, i := range a.Indicators {
		err = firstErr(err, tx.exec(`INSERT INTO action_indicator (action_id, label, baseline, target, achieved)
			VALUES ($1, $2, $3, $4, $5)`, a.ID, i.Label, i.Baseline, i.Target, i.Achieved))
	}
	return apperr.Wrap(err, "action lists")
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// AddUpdate appends a progress update and mirrors its status and percent on
// the fiche, so lists need not look up the history.
func (tx *Tx) AddUpdate(ctgID int64, u *actionplan.Update, n *nomenclature.Set) error {
	c, err := tx.CTG(ctgID)
	if err != nil {
		return err
	}
	if err := u.Validate(n, c.Start, c.End); err != nil {
		return err
	}
	var owner int64
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT ctg_id FROM action WHERE id = $1 AND deleted_at IS NULL`, u.ActionID).
		Scan(&owner); err != nil || owner != ctgID {
		return apperr.NotFoundf(msg.NotFoundAction)
	}
	if err := tx.mustBeOpen(ctgID, u.Date); err != nil {
		return err
	}
	u.ID, err = tx.insertID(`INSERT INTO action_update (action_id, post_id, day, status, percent, difficulties,
		alert_record_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		u.ActionID, u.PostID, u.Date, u.Status, u.Percent, u.Difficulties, nullID(u.AlertRecordID), tx.Now, nullID(tx.Actor))
	if err != nil {
		return apperr.Wrap(err, "add update")
	}
	// the latest update by date decides the fiche's current state
	if err := tx.exec(`UPDATE action SET status = u.status, progress = u.percent, updated_at = $2
		FROM (SELECT status, percent FROM action_update WHERE action_id = $1 ORDER BY day DESC, id DESC LIMIT 1) AS u
		WHERE action.id = $1`, u.ActionID, tx.Now); err != nil {
		return apperr.Wrap(err, "mirror status")
	}
	tx.touch(ctgID, u.Date)
	return tx.audit(ActCreate, "action_update", u.ID, ctgID, u)
}

// LinkUpdateAlert records that an alert was raised from an update.
func (tx *Tx) LinkUpdateAlert(updateID, alertID int64) error {
	return apperr.Wrap(tx.exec(`UPDATE action_update SET alert_record_id = $1 WHERE id = $2`, alertID, updateID), "link alert")
}

// ActionFilter selects fiches actions.
type ActionFilter struct {
	Scope    Scope
	CTGID    int64
	Axis     string
	Status   string
	Priority bool
	Q        string
	Limit    int
	Offset   int
}

func (db *DB) Actions(ctx context.Context, f ActionFilter) ([]actionplan.Action, int, error) {
	w := &where{}
	w.raw(func(a *[]any) string { return f.Scope.where("ctg_id", a) })
	w.add("deleted_at IS NULL")
	if f.CTGID != 0 {
		w.add("ctg_id = ?", f.CTGID)
	}
	if f.Axis != "" {
		w.add("axis = ?", f.Axis)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.Priority {
		w.add("priority")
	}
	if f.Q != "" {
		w.add(`(lower(title) LIKE ? ESCAPE '\' OR lower(code) LIKE ? ESCAPE '\')`, like(f.Q), like(f.Q))
	}
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM action WHERE `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count actions")
	}
	var out []actionplan.Action
	err := each(ctx, db.read, `SELECT id, ctg_id, `+actionColumns+`, updated_at FROM action WHERE `+w.String()+
		` ORDER BY ctg_id, code`+limit(f.Limit, f.Offset), w.args, func(s scanner) error {
		a, err := scanAction(s)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, 0, apperr.Wrap(err, "actions")
	}
	return out, total, apperr.Wrap(db.loadMilestones(ctx, out), "milestones")
}

// loadMilestones fills the timeline's milestones of a list in one query.
func (db *DB) loadMilestones(ctx context.Context, as []actionplan.Action) error {
	if len(as) == 0 {
		return nil
	}
	idx := map[int64]int{}
	args := make([]any, len(as))
	marks := make([]string, len(as))
	for i, a := range as {
		idx[a.ID], args[i], marks[i] = i, a.ID, ph(i+1)
	}
	return each(ctx, db.read, `SELECT action_id, year, label FROM action_milestone WHERE action_id IN (`+
		strings.Join(marks, ", ")+`) ORDER BY year, id`, args, func(s scanner) error {
		var id int64
		var m actionplan.Milestone
		err := s.Scan(&id, &m.Year, &m.Label)
		as[idx[id]].Milestones = append(as[idx[id]].Milestones, m)
		return err
	})
}

func scanAction(s scanner) (actionplan.Action, error) {
	var a actionplan.Action
	err := s.Scan(&a.ID, &a.CTGID, &a.Code, &a.Title, &a.Axis, &a.Objective, &a.Finding, &a.PilotStructure,
		&a.PilotPerson, &a.TargetPublic, &a.Steps, &a.Start, &a.End, &a.BudgetPlanned, &a.BudgetActual, &a.CafLever,
		&a.Priority, &a.Status, &a.Progress, &a.UpdatedAt)
	return a, err
}

// Action returns a fiche with its lists.
func (db *DB) Action(ctx context.Context, ctgID, id int64) (*actionplan.Action, error) {
	a, err := scanAction(db.read.QueryRowContext(ctx, `SELECT id, ctg_id, `+actionColumns+`, updated_at FROM action
		WHERE id = $1 AND ctg_id = $2 AND deleted_at IS NULL`, id, ctgID))
	if err != nil {
		return nil, notFound(err, msg.NotFoundAction)
	}
	return &a, apperr.Wrap(db.loadActionLists(ctx, &a), "action lists")
}

func (db *DB) loadActionLists(ctx context.Context, a *actionplan.Action) error {
	q := db.read
	args := []any{a.ID}
	err := each(ctx, q, `SELECT partner_id, role FROM action_partner WHERE action_id = $1 ORDER BY partner_id`, args,
		func(s scanner) error {
			var p actionplan.Partner
			err := s.Scan(&p.PartnerID, &p.Role)
			a.Partners = append(a.Partners, p)
			return err
		})
	err = firstErr(err, each(ctx, q, `SELECT insee FROM action_commune WHERE action_id = $1 ORDER BY insee`, args,
		func(s scanner) error {
			var c string
			err := s.Scan(&c)
			a.Communes = append(a.Communes, c)
			return err
		}))
	err = firstErr(err, each(ctx, q, `SELECT year, label FROM action_milestone WHERE action_id = $1 ORDER BY year, id`, args,
		func(s scanner) error {
			var m actionplan.Milestone
			err := s.Scan(&m.Year, &m.Label)
			a.Milestones = append(a.Milestones, m)
			return err
		}))
	err = firstErr(err, each(ctx, q, `SELECT name, amount FROM action_cofunder WHERE action_id = $1 ORDER BY id`, args,
		func(s scanner) error {
			var c actionplan.Cofunder
			err := s.Scan(&c.Name, &c.Amount)
			a.Cofunders = append(a.Cofunders, c)
			return err
		}))
	return firstErr(err, each(ctx, q, `SELECT label, baseline, target, achieved FROM action_indicator WHERE action_id = $1 ORDER BY id`,
		args, func(s scanner) error {
			var i actionplan.Indicator
			err := s.Scan(&i.Label, &i.Baseline, &i.Target, &i.Achieved)
			a.Indicators = append(a.Indicators, i)
			return err
		}))
}

// Updates lists a fiche's history, newest first.
func (db *DB) Updates(ctx context.Context, actionID int64) ([]actionplan.Update, error) {
	var out []actionplan.Update
	err := each(ctx, db.read, `SELECT id, action_id, post_id, day, status, percent, difficulties, alert_record_id
		FROM action_update WHERE action_id = $1 ORDER BY day DESC, id DESC`, []any{actionID}, func(s scanner) error {
		var u actionplan.Update
		var alert sql.NullInt64
		err := s.Scan(&u.ID, &u.ActionID, &u.PostID, &u.Date, &u.Status, &u.Percent, &u.Difficulties, &alert)
		u.AlertRecordID = idOf(alert)
		out = append(out, u)
		return err
	})
	return out, apperr.Wrap(err, "updates")
}

// LastUpdate is the date of a CTG's latest progress update (zero if none).
func (db *DB) LastUpdate(ctx context.Context, ctgID int64) (civil.Date, error) {
	var d civil.Date
	err := db.read.QueryRowContext(ctx, `SELECT MAX(u.day) FROM action_update u JOIN action a ON a.id = u.action_id
		WHERE a.ctg_id = $1 AND a.deleted_at IS NULL`, ctgID).Scan(&d)
	return d, apperr.Wrap(err, "last update")
}

// UpdateRow is a progress update with its fiche, for drill-down lists.
type UpdateRow struct {
	actionplan.Update
	CTGID      int64
	ActionCode string
	Title      string
	Axis       string
}

// UpdatesByIDs returns the given progress updates, newest first.
func (db *DB) UpdatesByIDs(ctx context.Context, ids []int64) ([]UpdateRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args, marks := inList(ids)
	var out []UpdateRow
	err := each(ctx, db.read, `SELECT u.id, u.action_id, u.post_id, u.day, u.status, u.percent, a.ctg_id, a.code, a.title, a.axis
		FROM action_update u JOIN action a ON a.id = u.action_id WHERE u.id IN (`+marks+`) ORDER BY u.day DESC, u.id DESC`,
		args, func(s scanner) error {
			var u UpdateRow
			err := s.Scan(&u.ID, &u.ActionID, &u.PostID, &u.Date, &u.Status, &u.Percent, &u.CTGID, &u.ActionCode, &u.Title, &u.Axis)
			out = append(out, u)
			return err
		})
	return out, apperr.Wrap(err, "updates by ids")
}
