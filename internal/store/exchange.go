package store

// The exchange format's SQL (internal/exchange knows the format, this file
// the tables): Export reads every table into the format's types inside one
// read snapshot; Import writes them back inside one write transaction, ids
// included, so that export → import → export gives the same bytes.
//
// What is not carried, and why (docs/exchange.md): accounts, sessions and
// password hashes (credentials belong to one deployment; posts lose their
// account link, records their created_by/updated_by/deleted_by, evaluations
// their validated_by), and the audit log (the history of another
// deployment; the import writes one audit row of its own).

import (
	"context"
	"database/sql"
	"io"
	"sort"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/exchange"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
)

// ActImport is the audit action of an import: one row for the whole file,
// its detail the count of each section.
const ActImport = "import"

// exportChunk is how many fiches or records are read per query: memory
// stays bounded and no query stays open while their lists are read (pgx
// runs one query at a time on a connection).
const exportChunk = 1000

// Export writes the database, or one CTG when opt.CTGID is set, as an
// exchange document.
func (db *DB) Export(ctx context.Context, w io.Writer, opt exchange.ExportOptions) (exchange.Counts, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every query
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, apperr.Wrap(err, "export begin")
	}
	defer tx.Rollback()
	if opt.CTGID != 0 {
		if _, err := getCTG(ctx, tx, opt.CTGID); err != nil {
			return nil, err
		}
	}
	counts, err := exchange.Export(&exchangeSource{ctx: ctx, q: tx, ctgID: opt.CTGID}, w, opt)
	return counts, apperr.Wrap(err, "export")
}

// Import loads an exchange document into an empty database, in one
// transaction: on any fault nothing is written and the error names the
// line, the object and the field.
func (db *DB) Import(ctx context.Context, r io.Reader, progress io.Writer) (exchange.Counts, error) {
	var counts exchange.Counts
	err := db.Write(ctx, 0, func(tx *Tx) error {
		if err := tx.mustBeEmpty(); err != nil {
			return err
		}
		national, err := tx.nationalValues()
		if err != nil {
			return err
		}
		sink := &exchangeSink{tx: tx, stmts: map[string]*sql.Stmt{}}
		defer sink.close()
		counts, err = exchange.Import(r, sink, exchange.ImportOptions{National: national, Progress: progress})
		if err != nil {
			return err
		}
		if err := tx.resetIdentities(); err != nil {
			return err
		}
		return tx.audit(ActImport, "exchange", 0, 0, counts)
	})
	return counts, err
}

// mustBeEmpty refuses a database holding a Caf: every other table hangs
// from one, so no Caf means no data (accounts aside).
func (tx *Tx) mustBeEmpty() error {
	var n int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM caf`).Scan(&n); err != nil {
		return apperr.Wrap(err, "import: empty")
	}
	if n > 0 {
		return exchange.ErrNotEmpty
	}
	return nil
}

func (tx *Tx) nationalValues() ([]nomenclature.Value, error) {
	var out []nomenclature.Value
	err := each(tx.ctx, tx.tx, `SELECT kind, code, label FROM nomenclature WHERE caf_id IS NULL ORDER BY id`, nil,
		func(s scanner) error {
			var v nomenclature.Value
			var k string
			err := s.Scan(&k, &v.Code, &v.Label)
			v.Kind = nomenclature.Kind(k)
			out = append(out, v)
			return err
		})
	return out, apperr.Wrap(err, "import: national lists")
}

// identityTables are the tables whose ids the import writes as they are.
var identityTables = []string{"caf", "partner", "ctg", "dev_objective", "instance", "post", "action", "record",
	"action_update", "survey_wave", "evaluation"}

// resetIdentities moves PostgreSQL's identity sequences past the imported
// ids, which were written explicitly and so never drew from them. SQLite
// takes the next rowid from the table itself.
func (tx *Tx) resetIdentities() error {
	if tx.db.Engine != Postgres {
		return nil
	}
	for _, t := range identityTables {
		if err := tx.exec(`SELECT setval(pg_get_serial_sequence('` + t + `', 'id'),
			COALESCE((SELECT MAX(id) FROM ` + t + `), 0) + 1, false)`); err != nil {
			return apperr.Wrap(err, "import: sequence "+t)
		}
	}
	return nil
}

// ---- export ----

// exchangeSource reads the tables for exchange.Export.
type exchangeSource struct {
	ctx   context.Context
	q     querier
	ctgID int64
}

// scope restricts column col (a CTG id) to the exported CTG.
func (s *exchangeSource) scope(w *where, col string) {
	if s.ctgID != 0 {
		w.add(col+" = ?", s.ctgID)
	}
}

// cafScope restricts column col (a Caf id) to the exported CTG's Caf.
func (s *exchangeSource) cafScope(w *where, col string) {
	if s.ctgID != 0 {
		w.add(col+" = (SELECT caf_id FROM ctg WHERE id = ?)", s.ctgID)
	}
}

func (s *exchangeSource) each(query string, w *where, fn func(scanner) error) error {
	return each(s.ctx, s.q, strings.Replace(query, "WHERE", "WHERE "+w.String()+" AND", 1), w.args, fn)
}

func (s *exchangeSource) Cafs(emit func(*exchange.Caf) error) error {
	w := &where{}
	if s.ctgID != 0 {
		w.add("id = (SELECT caf_id FROM ctg WHERE id = ?)", s.ctgID)
	}
	return s.each(`SELECT id, code, name, department FROM caf WHERE TRUE ORDER BY id`, w, func(r scanner) error {
		var c exchange.Caf
		if err := r.Scan(&c.ID, &c.Code, &c.Name, &c.Department); err != nil {
			return err
		}
		return emit(&c)
	})
}

// Nomenclatures are ordered by what the import keeps (their ids are not
// carried, the national values holding the low ones in every database).
func (s *exchangeSource) Nomenclatures(emit func(*exchange.Nomenclature) error) error {
	w := &where{}
	s.cafScope(w, "caf_id")
	return s.each(`SELECT caf_id, kind, code, label, position, active FROM nomenclature
		WHERE caf_id IS NOT NULL ORDER BY caf_id, kind, position, code`, w, func(r scanner) error {
		var v exchange.Nomenclature
		if err := r.Scan(&v.CafID, &v.Kind, &v.Code, &v.Label, &v.Position, &v.Active); err != nil {
			return err
		}
		return emit(&v)
	})
}

func (s *exchangeSource) Partners(emit func(*exchange.Partner) error) error {
	w := &where{}
	s.cafScope(w, "caf_id")
	return s.each(`SELECT id, caf_id, name, type, siret, merged_into, created_at FROM partner WHERE TRUE ORDER BY id`, w,
		func(r scanner) error {
			var p exchange.Partner
			var merged sql.NullInt64
			var created time.Time
			if err := r.Scan(&p.ID, &p.CafID, &p.Name, &p.Type, &p.SIRET, &merged, &created); err != nil {
				return err
			}
			p.MergedInto, p.CreatedAt = idOf(merged), exchange.TimeOf(created)
			return emit(&p)
		})
}

func (s *exchangeSource) CTGs(emit func(*exchange.CTG) error) error {
	w := &where{}
	s.scope(w, "id")
	var cs []exchange.CTG
	err := s.each(`SELECT id, caf_id, name, epci_siren, population, start_date, end_date, created_at, updated_at
		FROM ctg WHERE TRUE ORDER BY id`, w, func(r scanner) error {
		var c exchange.CTG
		var created, updated time.Time
		err := r.Scan(&c.ID, &c.CafID, &c.Name, &c.EPCISIREN, &c.Population, (*civil.Date)(&c.Start),
			(*civil.Date)(&c.End), &created, &updated)
		c.CreatedAt, c.UpdatedAt = exchange.TimeOf(created), exchange.TimeOf(updated)
		cs = append(cs, c)
		return err
	})
	if err != nil {
		return err
	}
	for i := range cs {
		if err := s.ctgLists(&cs[i]); err != nil {
			return err
		}
		if err := emit(&cs[i]); err != nil {
			return err
		}
	}
	return nil
}

// ctgLists reads a CTG's children, each list in a stable order.
func (s *exchangeSource) ctgLists(c *exchange.CTG) error {
	args := []any{c.ID}
	err := each(s.ctx, s.q, `SELECT insee, name, population FROM ctg_commune WHERE ctg_id = $1 ORDER BY insee`, args,
		func(r scanner) error {
			var m exchange.Commune
			err := r.Scan(&m.INSEE, &m.Name, &m.Population)
			c.Communes = append(c.Communes, m)
			return err
		})
	err = firstErr(err, each(s.ctx, s.q, `SELECT organisation, represented_by FROM ctg_signatory WHERE ctg_id = $1
		ORDER BY position, id`, args, func(r scanner) error {
		var g exchange.Signatory
		err := r.Scan(&g.Organisation, &g.RepresentedBy)
		c.Signatories = append(c.Signatories, g)
		return err
	}))
	err = firstErr(err, s.strings(`SELECT axis FROM ctg_axis WHERE ctg_id = $1 ORDER BY position, axis`, c.ID, &c.Axes))
	err = firstErr(err, each(s.ctx, s.q, `SELECT id, kind, label, target, achieved FROM dev_objective WHERE ctg_id = $1
		ORDER BY id`, args, func(r scanner) error {
		var o exchange.Objective
		err := r.Scan(&o.ID, &o.Kind, &o.Label, &o.Target, &o.Achieved)
		c.Objectives = append(c.Objectives, o)
		return err
	}))
	err = firstErr(err, each(s.ctx, s.q, `SELECT id, kind, name, axis FROM instance WHERE ctg_id = $1 ORDER BY id`, args,
		func(r scanner) error {
			var in exchange.Instance
			err := r.Scan(&in.ID, &in.Kind, &in.Name, &in.Axis)
			c.Instances = append(c.Instances, in)
			return err
		}))
	if err != nil {
		return err
	}
	return s.posts(c)
}

func (s *exchangeSource) posts(c *exchange.CTG) error {
	err := each(s.ctx, s.q, `SELECT id, person, employer, etp, start_date, end_date, chef_de_projet, annual_cost,
		caf_cofunding FROM post WHERE ctg_id = $1 ORDER BY id`, []any{c.ID}, func(r scanner) error {
		var p exchange.Post
		err := r.Scan(&p.ID, &p.Person, &p.Employer, &p.ETP, (*civil.Date)(&p.Start), (*civil.Date)(&p.End),
			&p.ChefDeProjet, &p.AnnualCost, &p.CafCofunding)
		c.Posts = append(c.Posts, p)
		return err
	})
	for i := range c.Posts {
		p := &c.Posts[i]
		err = firstErr(err, s.strings(`SELECT function FROM post_function WHERE post_id = $1 ORDER BY function`, p.ID, &p.Functions))
		err = firstErr(err, s.strings(`SELECT axis FROM post_axis WHERE post_id = $1 ORDER BY axis`, p.ID, &p.Axes))
	}
	return err
}

// strings reads one text column into out.
func (s *exchangeSource) strings(query string, id int64, out *[]string) error {
	return each(s.ctx, s.q, query, []any{id}, func(r scanner) error {
		var v string
		err := r.Scan(&v)
		*out = append(*out, v)
		return err
	})
}

