package store

import (
	"context"

	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// CreateCTG stores a convention and its children.
func (tx *Tx) CreateCTG(c *ctg.CTG, n *nomenclature.Set) error {
	if err := c.Validate(n); err != nil {
		return err
	}
	id, err := tx.insertID(`INSERT INTO ctg (caf_id, name, epci_siren, population, start_date, end_date, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, c.CafID, c.Name, c.EPCISIREN, c.Population, c.Start, c.End, tx.Now)
	if err != nil {
		return apperr.Wrap(err, "create ctg")
	}
	c.ID = id
	if err := tx.writeCTGChildren(c); err != nil {
		return err
	}
	return tx.audit(ActCreate, "ctg", id, id, c)
}

// UpdateCTG replaces the convention's fields and children.
func (tx *Tx) UpdateCTG(c *ctg.CTG, n *nomenclature.Set) error {
	if err := c.Validate(n); err != nil {
		return err
	}
	if err := tx.exec(`UPDATE ctg SET name = $1, epci_siren = $2, population = $3, start_date = $4, end_date = $5,
		updated_at = $6 WHERE id = $7`, c.Name, c.EPCISIREN, c.Population, c.Start, c.End, tx.Now, c.ID); err != nil {
		return apperr.Wrap(err, "update ctg")
	}
	for _, t := range []string{"ctg_commune", "ctg_signatory", "ctg_axis", "dev_objective"} {
		if err := tx.exec(`DELETE FROM `+t+` WHERE ctg_id = $1`, c.ID); err != nil {
			return apperr.Wrap(err, "clear "+t)
		}
	}
	if err := tx.writeCTGChildren(c); err != nil {
		return err
	}
	tx.touchConvention(c.ID) // its convention bucket follows the dates
	return tx.audit(ActUpdate, "ctg", c.ID, c.ID, c)
}

func (tx *Tx) writeCTGChildren(c *ctg.CTG) error {
	for _, m := range c.Communes {
		if err := tx.exec(`INSERT INTO ctg_commune (ctg_id, insee, name, population) VALUES ($1, $2, $3, $4)`,
			c.ID, m.INSEE, m.Name, m.Population); err != nil {
			return apperr.Wrap(err, "ctg commune")
		}
	}
	for i, s := range c.Signatories {
		if err := tx.exec(`INSERT INTO ctg_signatory (ctg_id, position, organisation, represented_by) VALUES ($1, $2, $3, $4)`,
			c.ID, i, s.Organisation, s.RepresentedBy); err != nil {
			return apperr.Wrap(err, "ctg signatory")
		}
	}
	for i, a := range c.Axes {
		if err := tx.exec(`INSERT INTO ctg_axis (ctg_id, axis, position) VALUES ($1, $2, $3)`, c.ID, a, i); err != nil {
			return apperr.Wrap(err, "ctg axis")
		}
	}
	for i := range c.Objectives {
		o := &c.Objectives[i]
		id, err := tx.insertID(`INSERT INTO dev_objective (ctg_id, kind, label, target, achieved) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, o.Kind, o.Label, o.Target, o.Achieved)
		if err != nil {
			return apperr.Wrap(err, "dev objective")
		}
		o.ID = id
	}
	return nil
}

// Scope limits what a query may return to what a user may see; authz builds
// it, and every list query of the store takes one.
type Scope struct {
	All    bool    // national read
	CafID  int64   // every CTG of a Caf
	CTGIDs []int64 // explicit grants
}

// where returns the clause restricting CTG ids in column col.
func (s Scope) where(col string, args *[]any) string {
	switch {
	case s.All:
		return "TRUE"
	case s.CafID != 0:
		*args = append(*args, s.CafID)
		return col + " IN (SELECT id FROM ctg WHERE caf_id = " + ph(len(*args)) + ")"
	case len(s.CTGIDs) == 0:
		return "FALSE"
	}
	return col + " IN (" + placeholders(args, s.CTGIDs) + ")"
}

// CTGSummary is a CTG as lists show it.
type CTGSummary struct {
	ctg.CTG
	CafName string
	Posts   int
	ETP     ctg.ETP
}

// CTGs lists the conventions within scope, by Caf then name.
func (db *DB) CTGs(ctx context.Context, s Scope) ([]CTGSummary, error) {
	var args []any
	q := `SELECT c.id, c.caf_id, c.name, c.epci_siren, c.population, c.start_date, c.end_date, f.name,
		(SELECT COUNT(*) FROM post p WHERE p.ctg_id = c.id),
		(SELECT COALESCE(SUM(p.etp), 0) FROM post p WHERE p.ctg_id = c.id)
		FROM ctg c JOIN caf f ON f.id = c.caf_id WHERE ` + s.where("c.id", &args) + ` ORDER BY f.code, c.name`
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "ctgs")
	}
	defer rows.Close()
	var out []CTGSummary
	for rows.Next() {
		var c CTGSummary
		if err := rows.Scan(&c.ID, &c.CafID, &c.Name, &c.EPCISIREN, &c.Population, &c.Start, &c.End,
			&c.CafName, &c.Posts, &c.ETP); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CTG returns one convention with its children.
func (db *DB) CTG(ctx context.Context, id int64) (*ctg.CTG, error) {
	return getCTG(ctx, db.read, id)
}

func (tx *Tx) CTG(id int64) (*ctg.CTG, error) { return getCTG(tx.ctx, tx.tx, id) }

func getCTG(ctx context.Context, q querier, id int64) (*ctg.CTG, error) {
	c := &ctg.CTG{}
	err := q.QueryRowContext(ctx, `SELECT id, caf_id, name, epci_siren, population, start_date, end_date, created_at, updated_at
		FROM ctg WHERE id = $1`, id).Scan(&c.ID, &c.CafID, &c.Name, &c.EPCISIREN, &c.Population, &c.Start, &c.End,
		&c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return nil, notFound(err, msg.NotFoundCTG)
	}
	if err := loadCTGChildren(ctx, q, c); err != nil {
		return nil, apperr.Wrap(err, "ctg children")
	}
	return c, nil
}

func loadCTGChildren(ctx context.Context, q querier, c *ctg.CTG) error {
	c.Communes, c.Signatories, c.Axes, c.Objectives = []ctg.Commune{}, []ctg.Signatory{}, []string{}, []ctg.DevObjective{}
	err := each(ctx, q, `SELECT insee, name, population FROM ctg_commune WHERE ctg_id = $1 ORDER BY name`, []any{c.ID},
		func(s scanner) error {
			var m ctg.Commune
			err := s.Scan(&m.INSEE, &m.Name, &m.Population)
			c.Communes = append(c.Communes, m)
			return err
		})
	if err != nil {
		return err
	}
	err = each(ctx, q, `SELECT organisation, represented_by FROM ctg_signatory WHERE ctg_id = $1 ORDER BY position`, []any{c.ID},
		func(s scanner) error {
			var g ctg.Signatory
			err := s.Scan(&g.Organisation, &g.RepresentedBy)
			c.Signatories = append(c.Signatories, g)
			return err
		})
	if err != nil {
		return err
	}
	err = each(ctx, q, `SELECT axis FROM ctg_axis WHERE ctg_id = $1 ORDER BY position`, []any{c.ID},
		func(s scanner) error {
			var a string
			err := s.Scan(&a)
			c.Axes = append(c.Axes, a)
			return err
		})
	if err != nil {
		return err
	}
	return each(ctx, q, `SELECT id, kind, label, target, achieved FROM dev_objective WHERE ctg_id = $1 ORDER BY id`, []any{c.ID},
		func(s scanner) error {
			var o ctg.DevObjective
			err := s.Scan(&o.ID, &o.Kind, &o.Label, &o.Target, &o.Achieved)
			c.Objectives = append(c.Objectives, o)
			return err
		})
}
