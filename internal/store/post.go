package store

import (
	"context"
	"database/sql"
	"maps"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/ctg"
	"copilote/internal/framework"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

func functionCodes() []string {
	var out []string
	for _, f := range framework.Load().Functions() {
		out = append(out, f.Code)
	}
	return out
}

// SavePost creates the post when ID is 0, otherwise replaces it.
func (tx *Tx) SavePost(p *ctg.Post, n *nomenclature.Set) error {
	if p.AnnualCost == 0 {
		p.AnnualCost = p.DefaultCost()
	}
	f := apperr.Fields{}
	if err := p.Validate(n, functionCodes()); err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Invalid {
			return err
		}
		maps.Copy(f, e.Fields)
	}
	if err := tx.checkHolder(p, f); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	action := ActUpdate
	if p.ID == 0 {
		action = ActCreate
		id, err := tx.insertID(`INSERT INTO post (ctg_id, user_id, person, employer, etp, start_date, end_date,
			chef_de_projet, annual_cost, caf_cofunding) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			p.CTGID, nullID(p.UserID), p.Person, p.Employer, int(p.ETP), p.Start, p.End, p.ChefDeProjet, p.AnnualCost, p.CafCofunding)
		if err != nil {
			return apperr.Wrap(err, "create post")
		}
		p.ID = id
	} else {
		res, err := tx.tx.ExecContext(tx.ctx, `UPDATE post SET user_id = $1, person = $2, employer = $3, etp = $4,
			start_date = $5, end_date = $6, chef_de_projet = $7, annual_cost = $8, caf_cofunding = $9
			WHERE id = $10 AND ctg_id = $11`,
			nullID(p.UserID), p.Person, p.Employer, int(p.ETP), p.Start, p.End, p.ChefDeProjet, p.AnnualCost,
			p.CafCofunding, p.ID, p.CTGID)
		if err != nil {
			return apperr.Wrap(err, "update post")
		}
		// a post of another CTG is not this CTG's to rewrite: its
		// functions and axes below would be
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NotFoundf(msg.NotFoundPost)
		}
		if err := tx.exec(`DELETE FROM post_function WHERE post_id = $1`, p.ID); err != nil {
			return apperr.Wrap(err, "clear functions")
		}
		if err := tx.exec(`DELETE FROM post_axis WHERE post_id = $1`, p.ID); err != nil {
			return apperr.Wrap(err, "clear axes")
		}
	}
	for _, f := range p.Functions {
		if err := tx.exec(`INSERT INTO post_function (post_id, function) VALUES ($1, $2)`, p.ID, f); err != nil {
			return apperr.Wrap(err, "post function")
		}
	}
	for _, a := range p.Axes {
		if err := tx.exec(`INSERT INTO post_axis (post_id, axis) VALUES ($1, $2)`, p.ID, a); err != nil {
			return apperr.Wrap(err, "post axis")
		}
	}
	return tx.audit(action, "post", p.ID, p.CTGID, p)
}

// checkHolder refuses a post held by anyone but an active officer of the
// CTG's Caf: holding a post opens its CTG (authz reads the posts as
// grants), so an advisor's form must not hand a CTG to another Caf's
// officer, nor to an account of another role. An unknown id is the same
// field error, never a foreign-key failure.
func (tx *Tx) checkHolder(p *ctg.Post, f apperr.Fields) error {
	if p.UserID == 0 {
		return nil
	}
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM app_user u JOIN ctg c ON c.caf_id = u.caf_id
		WHERE u.id = $1 AND c.id = $2 AND u.role = $3 AND u.active`, p.UserID, p.CTGID, string(account.Officer)).Scan(&n)
	if err != nil {
		return apperr.Wrap(err, "post holder")
	}
	if n == 0 {
		f.Add("user", msg.PostHolder)
	}
	return nil
}

const postColumns = `id, ctg_id, user_id, person, employer, etp, start_date, end_date, chef_de_projet, annual_cost, caf_cofunding`

func scanPost(s scanner) (ctg.Post, error) {
	var p ctg.Post
	var uid sql.NullInt64
	var etp int
	err := s.Scan(&p.ID, &p.CTGID, &uid, &p.Person, &p.Employer, &etp, &p.Start, &p.End, &p.ChefDeProjet,
		&p.AnnualCost, &p.CafCofunding)
	p.UserID, p.ETP = idOf(uid), ctg.ETP(etp)
	return p, err
}

// Posts lists a CTG's posts with their delegation, chef de projet first.
func (db *DB) Posts(ctx context.Context, ctgID int64) ([]ctg.Post, error) {
	return listPosts(ctx, db.read, `ctg_id = $1`, ctgID)
}

func (tx *Tx) Posts(ctgID int64) ([]ctg.Post, error) {
	return listPosts(tx.ctx, tx.tx, `ctg_id = $1`, ctgID)
}

// PostsOfUser lists the posts a user holds (an officer may hold posts in
// several CTGs).
func (db *DB) PostsOfUser(ctx context.Context, userID int64) ([]ctg.Post, error) {
	return listPosts(ctx, db.read, `user_id = $1`, userID)
}

func (db *DB) Post(ctx context.Context, id int64) (ctg.Post, error) {
	ps, err := listPosts(ctx, db.read, `id = $1`, id)
	if err != nil {
		return ctg.Post{}, err
	}
	if len(ps) == 0 {
		return ctg.Post{}, apperr.NotFoundf(msg.NotFoundPost)
	}
	return ps[0], nil
}

func listPosts(ctx context.Context, q querier, cond string, arg any) ([]ctg.Post, error) {
	var out []ctg.Post
	err := each(ctx, q, `SELECT `+postColumns+` FROM post WHERE `+cond+` ORDER BY chef_de_projet DESC, person, id`,
		[]any{arg}, func(s scanner) error {
			p, err := scanPost(s)
			out = append(out, p)
			return err
		})
	if err != nil {
		return nil, apperr.Wrap(err, "posts")
	}
	for i := range out {
		if err := loadDelegation(ctx, q, &out[i]); err != nil {
			return nil, apperr.Wrap(err, "delegation")
		}
	}
	return out, nil
}

func loadDelegation(ctx context.Context, q querier, p *ctg.Post) error {
	p.Functions, p.Axes = []string{}, []string{}
	err := each(ctx, q, `SELECT function FROM post_function WHERE post_id = $1 ORDER BY function`, []any{p.ID},
		func(s scanner) error {
			var f string
			err := s.Scan(&f)
			p.Functions = append(p.Functions, f)
			return err
		})
	if err != nil {
		return err
	}
	return each(ctx, q, `SELECT axis FROM post_axis WHERE post_id = $1 ORDER BY axis`, []any{p.ID},
		func(s scanner) error {
			var a string
			err := s.Scan(&a)
			p.Axes = append(p.Axes, a)
			return err
		})
}

// PostNames maps post ids to the person holding them, for lists that span
// several CTGs.
func (db *DB) PostNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err := inChunks(ids, func(args []any, marks string) error {
		return each(ctx, db.read, `SELECT id, person FROM post WHERE id IN (`+marks+`)`, args, func(s scanner) error {
			var id int64
			var name string
			err := s.Scan(&id, &name)
			out[id] = name
			return err
		})
	})
	return out, apperr.Wrap(err, "post names")
}
