package store

import (
	"context"
	"database/sql"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
)

func (tx *Tx) SavePartner(p *partner.Partner, n *nomenclature.Set) error {
	if err := p.Validate(n); err != nil {
		return err
	}
	if p.ID == 0 {
		id, err := tx.insertID(`INSERT INTO partner (caf_id, name, type, siret, created_at) VALUES ($1, $2, $3, $4, $5)`,
			p.CafID, p.Name, p.Type, p.SIRET, tx.Now)
		if err != nil {
			return apperr.Wrap(err, "create partner")
		}
		p.ID = id
		return tx.audit(ActCreate, "partner", id, 0, p)
	}
	if err := tx.exec(`UPDATE partner SET name = $1, type = $2, siret = $3 WHERE id = $4 AND caf_id = $5`,
		p.Name, p.Type, p.SIRET, p.ID, p.CafID); err != nil {
		return apperr.Wrap(err, "update partner")
	}
	if err := tx.touchPartnerType(p.ID); err != nil {
		return err
	}
	return tx.audit(ActUpdate, "partner", p.ID, 0, p)
}

// MergePartner moves every link of dup onto keep, then marks dup as merged
// so that its old links and audit history still make sense.
func (tx *Tx) MergePartner(keep, dup int64) error {
	if keep == dup {
		return apperr.New(apperr.Invalid, msg.InvalidChoice)
	}
	// the records of both count for keep afterwards (S21a, S32a, E31)
	if err := tx.touchPartner(dup); err != nil {
		return err
	}
	stmts := []string{
		// a record linked to both keeps one link
		`DELETE FROM record_partner WHERE partner_id = $2 AND record_id IN (SELECT record_id FROM record_partner WHERE partner_id = $1)`,
		`UPDATE record_partner SET partner_id = $1 WHERE partner_id = $2`,
		`DELETE FROM action_partner WHERE partner_id = $2 AND action_id IN (SELECT action_id FROM action_partner WHERE partner_id = $1)`,
		`UPDATE action_partner SET partner_id = $1 WHERE partner_id = $2`,
		`UPDATE partner SET merged_into = $1 WHERE id = $2`,
	}
	for _, s := range stmts {
		if err := tx.exec(s, keep, dup); err != nil {
			return apperr.Wrap(err, "merge partner")
		}
	}
	if err := tx.touchPartner(keep); err != nil {
		return err
	}
	if err := tx.closeMergeProposals(keep, dup); err != nil {
		return err
	}
	return tx.audit(ActMerge, "partner", dup, 0, map[string]int64{"merged_into": keep})
}

// PartnerFilter selects partners of one Caf.
type PartnerFilter struct {
	CafID int64
	CTGID int64 // only partners involved in this CTG
	// ForCTG is the CTG whose first involvement each row reports.
	ForCTG int64
	Type   string
	Q      string
	Limit  int
	Offset int
}

// PartnerRow is a partner as the register lists it.
type PartnerRow struct {
	partner.Partner
	Records    int
	FirstInCTG civil.Date // first involvement in the filtered CTG
}

func (db *DB) Partners(ctx context.Context, f PartnerFilter) ([]PartnerRow, int, error) {
	w := &where{}
	w.add("p.caf_id = ?", f.CafID)
	w.add("p.merged_into IS NULL")
	if f.Type != "" {
		w.add("p.type = ?", f.Type)
	}
	if f.Q != "" {
		w.add(`(lower(p.name) LIKE ? ESCAPE '\' OR p.siret = ?)`, like(f.Q), f.Q)
	}
	if f.CTGID != 0 {
		w.add(`EXISTS (SELECT 1 FROM record_partner rp JOIN record r ON r.id = rp.record_id
			WHERE rp.partner_id = p.id AND r.ctg_id = ? AND r.deleted_at IS NULL)`, f.CTGID)
	}
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM partner p WHERE `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, apperr.Wrap(err, "count partners")
	}
	args := append(w.args, f.ForCTG)
	ctgArg := ph(len(args))
	q := `SELECT p.id, p.caf_id, p.name, p.type, p.siret,
		(SELECT COUNT(*) FROM record_partner rp JOIN record r ON r.id = rp.record_id
			WHERE rp.partner_id = p.id AND r.deleted_at IS NULL),
		(SELECT MIN(r.day) FROM record_partner rp JOIN record r ON r.id = rp.record_id
			WHERE rp.partner_id = p.id AND r.ctg_id = ` + ctgArg + ` AND r.deleted_at IS NULL)
		FROM partner p WHERE ` + w.String() + ` ORDER BY lower(p.name), p.id` + limit(f.Limit, f.Offset)
	var out []PartnerRow
	err := each(ctx, db.read, q, args, func(s scanner) error {
		var r PartnerRow
		err := s.Scan(&r.ID, &r.CafID, &r.Name, &r.Type, &r.SIRET, &r.Records, &r.FirstInCTG)
		out = append(out, r)
		return err
	})
	return out, total, apperr.Wrap(err, "partners")
}

// PartnerCTGs lists the CTGs whose records (deleted ones included, which
// may come back) or fiches actions name the partner.
func (db *DB) PartnerCTGs(ctx context.Context, partnerID int64) ([]int64, error) {
	var out []int64
	err := each(ctx, db.read, `SELECT r.ctg_id FROM record_partner rp JOIN record r ON r.id = rp.record_id WHERE rp.partner_id = $1
		UNION SELECT a.ctg_id FROM action_partner ap JOIN action a ON a.id = ap.action_id WHERE ap.partner_id = $1 ORDER BY 1`,
		[]any{partnerID}, func(s scanner) error {
			var id int64
			err := s.Scan(&id)
			out = append(out, id)
			return err
		})
	return out, apperr.Wrap(err, "partner ctgs")
}

// PartnersOfCTG lists the partners CTG ctgID involves: in its live
// records or its fiches actions. Pickers and filters show them first.
func (db *DB) PartnersOfCTG(ctx context.Context, ctgID int64) ([]int64, error) {
	var out []int64
	err := each(ctx, db.read, `SELECT partner_id FROM partner_first WHERE ctg_id = $1
		UNION SELECT ap.partner_id FROM action_partner ap JOIN action a ON a.id = ap.action_id WHERE a.ctg_id = $1`,
		[]any{ctgID}, func(s scanner) error {
			var id int64
			err := s.Scan(&id)
			out = append(out, id)
			return err
		})
	return out, apperr.Wrap(err, "partners of ctg")
}

func (db *DB) Partner(ctx context.Context, id int64) (partner.Partner, error) {
	var p partner.Partner
	var merged sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT id, caf_id, name, type, siret, merged_into FROM partner WHERE id = $1`, id).
		Scan(&p.ID, &p.CafID, &p.Name, &p.Type, &p.SIRET, &merged)
	p.MergedInto = idOf(merged)
	return p, notFound(err, msg.NotFoundPartner)
}

// limit renders LIMIT/OFFSET; 0 means no limit.
func limit(n, offset int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + itoa(n) + " OFFSET " + itoa(offset)
}

// PartnerNames maps the Caf's partners (merged ones included, so old links
// still show a name) to their names.
func (db *DB) PartnerNames(ctx context.Context, cafID int64) (map[int64]partner.Partner, error) {
	out := map[int64]partner.Partner{}
	err := each(ctx, db.read, `SELECT id, caf_id, name, type, siret, merged_into FROM partner WHERE caf_id = $1`,
		[]any{cafID}, func(s scanner) error {
			var p partner.Partner
			var merged sql.NullInt64
			err := s.Scan(&p.ID, &p.CafID, &p.Name, &p.Type, &p.SIRET, &merged)
			p.MergedInto = idOf(merged)
			out[p.ID] = p
			return err
		})
	return out, apperr.Wrap(err, "partner names")
}

// PartnerNamesOf maps the given partner ids to their names.
func (db *DB) PartnerNamesOf(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err := inChunks(ids, func(args []any, marks string) error {
		return each(ctx, db.read, `SELECT id, name FROM partner WHERE id IN (`+marks+`)`, args, func(s scanner) error {
			var id int64
			var name string
			err := s.Scan(&id, &name)
			out[id] = name
			return err
		})
	})
	return out, apperr.Wrap(err, "partner names")
}
