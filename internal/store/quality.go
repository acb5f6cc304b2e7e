package store

import (
	"context"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/quality"
)

// QualityFacts reads, for every CTG in scope, what the data-quality rules
// look at, in four grouped queries whatever the number of CTGs.
func (db *DB) QualityFacts(ctx context.Context, s Scope, today civil.Date) ([]quality.Facts, error) {
	ctgs, err := db.CTGs(ctx, s)
	if err != nil {
		return nil, err
	}
	facts := make([]quality.Facts, len(ctgs))
	idx := map[int64]int{}
	for i, c := range ctgs {
		facts[i] = quality.Facts{CTGID: c.ID, CTGName: c.Name, Start: c.Start, End: c.End}
		idx[c.ID] = i
	}
	// the latest Copil held (not one recorded ahead), read CTG by CTG
	// from the index by CTG, kind and day: grouping every Copil of the
	// scope read all of them (2 s nationally at 10 M records, now 50 ms)
	copilArgs := []any{today}
	err = each(ctx, db.read, `SELECT c.id, (SELECT MAX(r.day) FROM record r WHERE r.ctg_id = c.id AND r.kind = 'reunion'
		AND r.nature = 'copil' AND r.day <= $1 AND r.deleted_at IS NULL) FROM ctg c WHERE `+s.where("c.id", &copilArgs),
		copilArgs, func(sc scanner) error {
			var id int64
			var d civil.Date
			err := sc.Scan(&id, &d)
			if i, ok := idx[id]; ok {
				facts[i].LastCopil = d
			}
			return err
		})
	if err != nil {
		return nil, apperr.Wrap(err, "last copil")
	}
	var args []any
	err = each(ctx, db.read, `SELECT a.ctg_id, MAX(u.day) FROM action a LEFT JOIN action_update u ON u.action_id = a.id
		WHERE a.deleted_at IS NULL AND `+s.where("a.ctg_id", &args)+` GROUP BY a.ctg_id`, args, func(sc scanner) error {
		var id int64
		var d civil.Date
		err := sc.Scan(&id, &d)
		if i, ok := idx[id]; ok {
			facts[i].HasActions, facts[i].LastUpdate = true, d
		}
		return err
	})
	if err != nil {
		return nil, apperr.Wrap(err, "last update")
	}
	args = append(args[:0:0], args...)
	args = append(args, today)
	err = each(ctx, db.read, `SELECT p.id, p.ctg_id, p.person, (SELECT MAX(r.day) FROM record r WHERE r.post_id = p.id
		AND r.deleted_at IS NULL) FROM post p WHERE `+s.where("p.ctg_id", new([]any))+` AND (p.end_date IS NULL OR p.end_date >= `+
		ph(len(args))+`) ORDER BY p.person`, args, func(sc scanner) error {
		var a quality.PostActivity
		var ctgID int64
		err := sc.Scan(&a.PostID, &ctgID, &a.Person, &a.Last)
		if i, ok := idx[ctgID]; ok {
			facts[i].PostsLastAt = append(facts[i].PostsLastAt, a)
		}
		return err
	})
	return facts, apperr.Wrap(err, "last records")
}
