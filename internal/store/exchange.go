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
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/exchange"
	"copilote/internal/nomenclature"
	"copilote/internal/survey"
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
	if db.Engine == Postgres {
		// thousands of small range queries: starting a parallel worker
		// (some 20 ms) costs more than any of them
		if _, err := tx.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
			return nil, apperr.Wrap(err, "export settings")
		}
	}
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
	defer db.bulkSettings(ctx)()
	load := func(tx *Tx) error {
		var err error
		counts, err = tx.importExchange(r, progress)
		return err
	}
	var err error
	if db.Engine == Postgres {
		err = db.writeOnConn(ctx, load)
	} else {
		err = db.Write(ctx, 0, load)
	}
	if err != nil {
		return nil, err
	}
	return counts, db.recountIfPending(ctx)
}

// writeOnConn is Write on a connection of its own, which the import's
// rows reach by COPY: multi-row INSERTs bind every value as a parameter
// (38 000 records a second at 10 M records, against 64 000 with COPY).
func (db *DB) writeOnConn(ctx context.Context, fn func(*Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return apperr.Wrap(err, "import: connection")
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return apperr.Wrap(err, "begin")
	}
	return db.writeIn(ctx, sqlTx, conn, 0, fn)
}

func (tx *Tx) importExchange(r io.Reader, progress io.Writer) (exchange.Counts, error) {
	if err := tx.mustBeEmpty(); err != nil {
		return nil, err
	}
	national, err := tx.nationalValues()
	if err != nil {
		return nil, err
	}
	restore, err := tx.suspendForeignKeys()
	if err != nil {
		return nil, err
	}
	rebuild, err := tx.suspendImportIndexes()
	if err != nil {
		return nil, err
	}
	sink := newExchangeSink(tx)
	defer sink.close()
	counts, err := exchange.Import(r, sink, exchange.ImportOptions{National: national, Progress: progress})
	if err == nil {
		err = sink.flush()
	}
	if err == nil {
		err = sink.written()
	}
	if err == nil {
		err = rebuild()
	}
	if err == nil {
		err = restore()
	}
	if err == nil {
		err = tx.afterBulk()
	}
	if err == nil {
		// counted once committed (Import, tally_parallel.go)
		err = markRecount(tx.ctx, tx.tx, tx.db.Engine)
	}
	if err != nil {
		return nil, err
	}
	return counts, tx.audit(ActImport, "exchange", 0, 0, counts)
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

// bulkSettings give SQLite's write connection room for a transaction of
// millions of rows: with its default 2 MB cache SQLite spills dirty pages
// to the WAL while the transaction runs, and it journals each multi-row
// INSERT in a temporary file; both cost a third of the import's time.
// temp_store cannot change inside a transaction, hence before it, on the
// write pool's only connection; undo puts back what was there, since the
// connection serves the application next.
func (db *DB) bulkSettings(ctx context.Context) (undo func()) {
	if db.Engine != SQLite {
		return func() {}
	}
	var cache, temp int
	db.write.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache)
	db.write.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&temp)
	db.write.ExecContext(ctx, `PRAGMA cache_size = -1048576`) // 1 GB, as a bulk load
	db.write.ExecContext(ctx, `PRAGMA temp_store = MEMORY`)
	return func() {
		ctx := context.WithoutCancel(ctx)
		db.write.ExecContext(ctx, `PRAGMA cache_size = `+itoa(cache))
		db.write.ExecContext(ctx, `PRAGMA temp_store = `+itoa(temp))
	}
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

// suspendForeignKeys drops the foreign keys of the tables the import fills
// (PostgreSQL only) and
// returns what adds them back, as pg_restore does. There every row checks
// each of its references through a trigger (a record has six), which is
// half of the import's time; re-adding a key checks the whole table in one
// join, before the commit, so no broken reference can be committed. The
// reader has checked every reference already. The keys are read from the
// catalogue, so a migration adding one needs no change here. DDL locks the
// tables until the commit: an import runs into an empty database that
// nobody uses yet. SQLite checks a key with a plain index lookup and keeps
// them.
func (tx *Tx) suspendForeignKeys() (restore func() error, err error) {
	if tx.db.Engine != Postgres {
		return func() error { return nil }, nil
	}
	tables := make([]string, len(importTables))
	for i, t := range importTables {
		tables[i] = t.table
	}
	add, err := dropForeignKeys(tx.ctx, tx.tx, tables)
	if err != nil {
		return nil, apperr.Wrap(err, "import: drop foreign keys")
	}
	return func() error { return add(tx.tx) }, nil
}

// suspendImportIndexes drops, on PostgreSQL, the indexes of the imported
// tables that back no key and returns what builds them again: COPY kept
// eight indexes of the records up to date row by row, and a build once
// from the whole table, which PostgreSQL spreads over its parallel
// workers, costs less. SQLite was measured slower that way (bulk.go).
func (tx *Tx) suspendImportIndexes() (rebuild func() error, err error) {
	if tx.db.Engine != Postgres {
		return func() error { return nil }, nil
	}
	tables := make([]string, len(importTables))
	for i, t := range importTables {
		tables[i] = t.table
	}
	var defs []struct{ name, def string }
	err = each(tx.ctx, tx.tx, `SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
		JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
		WHERE tc.relnamespace = current_schema()::regnamespace AND tc.relname = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY ic.relname`,
		[]any{tables}, func(r scanner) error {
			var d struct{ name, def string }
			err := r.Scan(&d.name, &d.def)
			defs = append(defs, d)
			return err
		})
	if err != nil {
		return nil, apperr.Wrap(err, "import: indexes")
	}
	for _, d := range defs {
		if err := tx.exec(`DROP INDEX ` + d.name); err != nil {
			return nil, apperr.Wrap(err, "import: drop index")
		}
	}
	return func() error {
		if err := tx.exec(`SET LOCAL maintenance_work_mem = '1GB'`); err != nil {
			return apperr.Wrap(err, "import: memory")
		}
		for _, d := range defs {
			if err := tx.exec(d.def); err != nil {
				return apperr.Wrap(err, "import: index "+d.name)
			}
		}
		return nil
	}, nil
}

// dropForeignKeys drops the PostgreSQL foreign keys of the given tables,
// read from the catalogue, and returns what adds them back (in the same
// transaction or a later one).
func dropForeignKeys(ctx context.Context, q querier, tables []string) (add func(querier) error, err error) {
	type fk struct{ table, name, def string }
	var fks []fk
	err = each(ctx, q, `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY conrelid::regclass::text, conname`,
		nil, func(r scanner) error {
			var k fk
			err := r.Scan(&k.table, &k.name, &k.def)
			fks = append(fks, k)
			return err
		})
	fks = slices.DeleteFunc(fks, func(k fk) bool { return !slices.Contains(tables, k.table) })
	for _, k := range fks {
		if err == nil {
			_, err = q.ExecContext(ctx, `ALTER TABLE `+k.table+` DROP CONSTRAINT `+k.name)
		}
	}
	if err != nil {
		return nil, err
	}
	return func(q querier) error {
		for _, k := range fks {
			if _, err := q.ExecContext(ctx, `ALTER TABLE `+k.table+` ADD CONSTRAINT `+k.name+` `+k.def); err != nil {
				return apperr.Wrap(err, "foreign key "+k.name)
			}
		}
		return nil
	}, nil
}

// afterBulk readies PostgreSQL for use: identity sequences move past the
// imported ids (written explicitly, they never drew from them), and the
// planner gets statistics of the new rows, without which the first queries
// plan as if the tables were empty. SQLite needs neither: it takes the next
// rowid from the table itself.
func (tx *Tx) afterBulk() error {
	if tx.db.Engine != Postgres {
		return nil
	}
	for _, t := range identityTables {
		if err := tx.exec(`SELECT setval(pg_get_serial_sequence('` + t + `', 'id'),
			COALESCE((SELECT MAX(id) FROM ` + t + `), 0) + 1, false)`); err != nil {
			return apperr.Wrap(err, "import: sequence "+t)
		}
	}
	return analyzeSchema(tx.ctx, tx.tx, tx.db.Engine)
}

// identityTables are the tables whose ids the import writes as they are.
var identityTables = []string{"caf", "partner", "ctg", "dev_objective", "instance", "post", "action", "record",
	"action_update", "survey_wave", "survey_response", "evaluation", "survey_question"}

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
	var cafs []exchange.Caf
	err := s.each(`SELECT id, code, name, department, survey_comment_months FROM caf WHERE TRUE ORDER BY id`, w,
		func(r scanner) error {
			var c exchange.Caf
			err := r.Scan(&c.ID, &c.Code, &c.Name, &c.Department, &c.SurveyCommentMonths)
			cafs = append(cafs, c)
			return err
		})
	for i := 0; err == nil && i < len(cafs); i++ {
		if err = s.surveyQuestions(&cafs[i]); err == nil {
			err = emit(&cafs[i])
		}
	}
	return err
}

// surveyQuestions reads a Caf's own survey questions.
func (s *exchangeSource) surveyQuestions(c *exchange.Caf) error {
	return each(s.ctx, s.q, `SELECT id, audience, text, retired FROM survey_question WHERE caf_id = $1 ORDER BY id`,
		[]any{c.ID}, func(r scanner) error {
			var q exchange.SurveyQuestion
			err := r.Scan(&q.ID, &q.Audience, &q.Text, &q.Retired)
			c.SurveyQuestions = append(c.SurveyQuestions, q)
			return err
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
	err = firstErr(err, each(s.ctx, s.q, `SELECT indicator, year, value FROM indicator_target WHERE ctg_id = $1
		ORDER BY indicator, year`, args, func(r scanner) error {
		var g exchange.Target
		err := r.Scan(&g.Indicator, &g.Year, &g.Value)
		c.Targets = append(c.Targets, g)
		return err
	}))
	err = firstErr(err, each(s.ctx, s.q, `SELECT level, code, measure, year, value, raw, source, imported_at
		FROM open_data_value WHERE ctg_id = $1 ORDER BY level, code, measure, year`, args, func(r scanner) error {
		var v exchange.OpenData
		var n sql.NullFloat64
		var at time.Time
		err := r.Scan(&v.Level, &v.Code, &v.Measure, &v.Year, &n, &v.Raw, &v.Source, &at)
		if n.Valid {
			v.Value = &n.Float64
		}
		v.ImportedAt = exchange.TimeOf(at)
		c.OpenData = append(c.OpenData, v)
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

// chunks reads a large table (aliased x in query) by ascending id,
// exportChunk rows at a time; lists fills the chunk's children before its
// rows are emitted.
func chunks[T any](s *exchangeSource, query, ctgCol string, read func(scanner) (T, error), id func(*T) int64,
	lists func(c *chunk[T]) error, emit func(*T) error) error {
	var last int64
	for {
		w := &where{}
		s.scope(w, ctgCol)
		w.add("x.id > ?", last)
		c := &chunk[T]{index: map[int64]int{}}
		err := each(s.ctx, s.q, query+` WHERE `+w.String()+` ORDER BY x.id LIMIT `+itoa(exportChunk), w.args,
			func(r scanner) error {
				v, err := read(r)
				c.index[id(&v)] = len(c.rows)
				c.rows = append(c.rows, v)
				return err
			})
		if err != nil || len(c.rows) == 0 {
			return err
		}
		c.lo, c.hi = id(&c.rows[0]), id(&c.rows[len(c.rows)-1])
		if err := lists(c); err != nil {
			return err
		}
		for i := range c.rows {
			if err := emit(&c.rows[i]); err != nil {
				return err
			}
		}
		last = c.hi
	}
}

// chunk is a slice of parents read together, with their ids' positions.
type chunk[T any] struct {
	rows   []T
	index  map[int64]int
	lo, hi int64
}

// children runs query (child table l joined to its parent table x,
// parent id selected first) over the chunk's parents: the id range and the
// scope select exactly them. The range is put on l's own column, which its
// primary key or index serves (on the parent's, PostgreSQL scans the whole
// child table for each chunk). fill receives a lookup of the parent row.
func children[T any](s *exchangeSource, c *chunk[T], parentCol, query, ctgCol string,
	fill func(r scanner, parent func(int64) *T) error) error {
	w := &where{}
	w.add(parentCol+" BETWEEN ? AND ?", c.lo, c.hi)
	s.scope(w, ctgCol)
	parent := func(id int64) *T { return &c.rows[c.index[id]] }
	return each(s.ctx, s.q, strings.Replace(query, "WHERE", "WHERE "+w.String()+" AND", 1), w.args,
		func(r scanner) error { return fill(r, parent) })
}

const actionExportColumns = `x.id, x.ctg_id, x.code, x.title, x.axis, x.objective, x.finding, x.pilot_structure,
	x.pilot_person, x.target_public, x.steps, x.start_date, x.end_date, x.budget_planned, x.budget_actual, x.caf_lever,
	x.priority, x.status, x.progress, x.created_at, x.updated_at, x.deleted_at`

func (s *exchangeSource) Actions(emit func(*exchange.Action) error) error {
	return chunks(s, `SELECT `+actionExportColumns+` FROM action x`, "x.ctg_id", scanExchangeAction,
		func(a *exchange.Action) int64 { return a.ID }, s.actionLists, emit)
}

func scanExchangeAction(r scanner) (exchange.Action, error) {
	var a exchange.Action
	var created, updated time.Time
	var deleted sql.NullTime
	err := r.Scan(&a.ID, &a.CTGID, &a.Code, &a.Title, &a.Axis, &a.Objective, &a.Finding, &a.PilotStructure,
		&a.PilotPerson, &a.TargetPublic, &a.Steps, (*civil.Date)(&a.Start), (*civil.Date)(&a.End), &a.BudgetPlanned,
		&a.BudgetActual, &a.CafLever, &a.Priority, &a.Status, &a.Progress, &created, &updated, &deleted)
	a.CreatedAt, a.UpdatedAt, a.DeletedAt = exchange.TimeOf(created), exchange.TimeOf(updated), nullTimeOf(deleted)
	return a, err
}

// actionLists fills the chunk's partners, communes, milestones, co-funders
// and indicators; rows without an id of their own keep their insertion order.
func (s *exchangeSource) actionLists(c *chunk[exchange.Action]) error {
	type fill = func(r scanner, a func(int64) *exchange.Action) error
	var id int64
	lists := []struct {
		query string
		fill  fill
	}{
		{`SELECT l.action_id, l.partner_id, l.role FROM action_partner l JOIN action x ON x.id = l.action_id
			WHERE TRUE ORDER BY l.action_id, l.partner_id`, func(r scanner, a func(int64) *exchange.Action) error {
			var p exchange.ActionPartner
			err := r.Scan(&id, &p.PartnerID, &p.Role)
			a(id).Partners = append(a(id).Partners, p)
			return err
		}},
		{`SELECT l.action_id, l.insee FROM action_commune l JOIN action x ON x.id = l.action_id
			WHERE TRUE ORDER BY l.action_id, l.insee`, func(r scanner, a func(int64) *exchange.Action) error {
			var insee string
			err := r.Scan(&id, &insee)
			a(id).Communes = append(a(id).Communes, insee)
			return err
		}},
		{`SELECT l.action_id, l.year, l.label FROM action_milestone l JOIN action x ON x.id = l.action_id
			WHERE TRUE ORDER BY l.action_id, l.id`, func(r scanner, a func(int64) *exchange.Action) error {
			var m exchange.Milestone
			err := r.Scan(&id, &m.Year, &m.Label)
			a(id).Milestones = append(a(id).Milestones, m)
			return err
		}},
		{`SELECT l.action_id, l.name, l.amount FROM action_cofunder l JOIN action x ON x.id = l.action_id
			WHERE TRUE ORDER BY l.action_id, l.id`, func(r scanner, a func(int64) *exchange.Action) error {
			var f exchange.Cofunder
			err := r.Scan(&id, &f.Name, &f.Amount)
			a(id).Cofunders = append(a(id).Cofunders, f)
			return err
		}},
		{`SELECT l.action_id, l.label, l.baseline, l.target, l.achieved FROM action_indicator l
			JOIN action x ON x.id = l.action_id WHERE TRUE ORDER BY l.action_id, l.id`,
			func(r scanner, a func(int64) *exchange.Action) error {
				var i exchange.ActionIndicator
				err := r.Scan(&id, &i.Label, &i.Baseline, &i.Target, &i.Achieved)
				a(id).Indicators = append(a(id).Indicators, i)
				return err
			}},
	}
	for _, l := range lists {
		if err := children(s, c, "l.action_id", l.query, "x.ctg_id", l.fill); err != nil {
			return err
		}
	}
	return nil
}

const recordExportColumns = `x.id, x.ctg_id, x.post_id, x.kind, x.day, x.title, x.comment, x.instance_id, x.action_id,
	x.meeting_id, x.axis, x.nature, x.audience, x.instance_kind, x.facilitated, x.innovative, x.network,
	x.habitants_conception, x.habitants_evaluation, x.status, x.origin, x.taken_on, x.taken_how, x.requests_examined,
	x.places_allocated, x.linked_on, x.linked_instance_id, x.created_at, x.updated_at, x.deleted_at`

func (s *exchangeSource) Records(emit func(*exchange.Record) error) error {
	return chunks(s, `SELECT `+recordExportColumns+` FROM record x`, "x.ctg_id", scanExchangeRecord,
		func(r *exchange.Record) int64 { return r.ID }, s.recordLists, func(r *exchange.Record) error {
			if err := s.attachmentData(r); err != nil {
				return err
			}
			err := emit(r)
			r.Attachment = nil // the chunk need not keep the file once written
			return err
		})
}

func scanExchangeRecord(s scanner) (exchange.Record, error) {
	var r exchange.Record
	var inst, act, meet, linked sql.NullInt64
	var created, updated time.Time
	var deleted sql.NullTime
	err := s.Scan(&r.ID, &r.CTGID, &r.PostID, &r.Kind, (*civil.Date)(&r.Date), &r.Title, &r.Comment, &inst, &act,
		&meet, &r.Axis, &r.Nature, &r.Audience, &r.InstanceKind, &r.Facilitated, &r.Innovative, &r.Network,
		&r.HabitantsConception, &r.HabitantsEvaluation, &r.Status, &r.Origin, (*civil.Date)(&r.TakenOn), &r.TakenHow,
		&r.RequestsExamined, &r.PlacesAllocated, (*civil.Date)(&r.LinkedOn), &linked, &created, &updated, &deleted)
	r.InstanceID, r.ActionID, r.MeetingID, r.LinkedInstanceID = idOf(inst), idOf(act), idOf(meet), idOf(linked)
	r.CreatedAt, r.UpdatedAt, r.DeletedAt = exchange.TimeOf(created), exchange.TimeOf(updated), nullTimeOf(deleted)
	return r, err
}

// recordLists fills the chunk's partners, roles, subject histories and
// attachments (their names only: the bytes are read one record at a time).
func (s *exchangeSource) recordLists(c *chunk[exchange.Record]) error {
	var id int64
	type rec = func(int64) *exchange.Record
	err := children(s, c, "l.record_id", `SELECT l.record_id, l.partner_id FROM record_partner l JOIN record x ON x.id = l.record_id
		WHERE TRUE ORDER BY l.record_id, l.partner_id`, "x.ctg_id", func(r scanner, rc rec) error {
		var p int64
		err := r.Scan(&id, &p)
		rc(id).PartnerIDs = append(rc(id).PartnerIDs, p)
		return err
	})
	err = firstErr(err, children(s, c, "l.record_id", `SELECT l.record_id, l.post_id, l.role FROM meeting_role l
		JOIN record x ON x.id = l.record_id WHERE TRUE ORDER BY l.record_id, l.post_id, l.role`, "x.ctg_id",
		func(r scanner, rc rec) error {
			var ro exchange.Role
			err := r.Scan(&id, &ro.PostID, &ro.Role)
			rc(id).Roles = append(rc(id).Roles, ro)
			return err
		}))
	err = firstErr(err, children(s, c, "l.record_id", `SELECT l.record_id, l.status, l.day, l.how, l.post_id FROM subject_status l
		JOIN record x ON x.id = l.record_id WHERE TRUE ORDER BY l.record_id, l.id`, "x.ctg_id",
		func(r scanner, rc rec) error {
			var h exchange.SubjectStatus
			err := r.Scan(&id, &h.Status, (*civil.Date)(&h.Date), &h.How, &h.PostID)
			rc(id).SubjectHistory = append(rc(id).SubjectHistory, h)
			return err
		}))
	return firstErr(err, children(s, c, "l.record_id", `SELECT l.record_id, l.name, l.content_type, l.size FROM attachment l
		JOIN record x ON x.id = l.record_id WHERE TRUE ORDER BY l.record_id, l.id`, "x.ctg_id",
		func(r scanner, rc rec) error {
			a := &exchange.Attachment{}
			err := r.Scan(&id, &a.Name, &a.ContentType, &a.Size)
			rc(id).Attachment = a
			return err
		}))
}

// attachmentData reads the bytes of a record's file just before it is
// written, so that a chunk never holds a thousand files.
func (s *exchangeSource) attachmentData(r *exchange.Record) error {
	if r.Attachment == nil {
		return nil
	}
	return s.q.QueryRowContext(s.ctx, `SELECT data FROM attachment WHERE record_id = $1 ORDER BY id DESC LIMIT 1`, r.ID).
		Scan(&r.Attachment.Data)
}

func (s *exchangeSource) ActionUpdates(emit func(*exchange.ActionUpdate) error) error {
	w := &where{}
	if s.ctgID != 0 {
		w.add("action_id IN (SELECT id FROM action WHERE ctg_id = ?)", s.ctgID)
	}
	return s.each(`SELECT id, action_id, post_id, day, status, percent, difficulties, alert_record_id, created_at
		FROM action_update WHERE TRUE ORDER BY id`, w, func(r scanner) error {
		var u exchange.ActionUpdate
		var alert sql.NullInt64
		var created time.Time
		if err := r.Scan(&u.ID, &u.ActionID, &u.PostID, (*civil.Date)(&u.Date), &u.Status, &u.Percent, &u.Difficulties,
			&alert, &created); err != nil {
			return err
		}
		u.AlertRecordID, u.CreatedAt = idOf(alert), exchange.TimeOf(created)
		return emit(&u)
	})
}

func (s *exchangeSource) SurveyWaves(emit func(*exchange.SurveyWave) error) error {
	w := &where{}
	s.scope(w, "ctg_id")
	var ws []exchange.SurveyWave
	err := s.each(`SELECT id, ctg_id, audience, kind, day, closes, token, closed_at FROM survey_wave WHERE TRUE ORDER BY id`, w,
		func(r scanner) error {
			var v exchange.SurveyWave
			var closed sql.NullTime
			err := r.Scan(&v.ID, &v.CTGID, &v.Audience, &v.Kind, (*civil.Date)(&v.Date), (*civil.Date)(&v.Closes), &v.Token, &closed)
			v.ClosedAt = nullTimeOf(closed)
			ws = append(ws, v)
			return err
		})
	for i := 0; err == nil && i < len(ws); i++ {
		if err = s.responses(&ws[i]); err == nil {
			err = emit(&ws[i])
		}
		ws[i].Responses = nil
	}
	return err
}

// responses reads a wave's answers in the order they came.
func (s *exchangeSource) responses(v *exchange.SurveyWave) error {
	pos := map[int64]int{}
	err := each(s.ctx, s.q, `SELECT id, submitted_at, comment, source FROM survey_response WHERE wave_id = $1 ORDER BY id`,
		[]any{v.ID}, func(r scanner) error {
			var id int64
			var at time.Time
			var resp exchange.Response
			err := r.Scan(&id, &at, &resp.Comment, &resp.Source)
			if resp.Source == survey.Online {
				resp.Source = "" // the default, left out
			}
			resp.SubmittedAt, resp.Scores = exchange.TimeOf(at), map[string]int{}
			pos[id] = len(v.Responses)
			v.Responses = append(v.Responses, resp)
			return err
		})
	return firstErr(firstErr(err, each(s.ctx, s.q, `SELECT a.response_id, a.item, a.score FROM survey_answer a
		JOIN survey_response r ON r.id = a.response_id WHERE r.wave_id = $1 ORDER BY a.response_id, a.item`,
		[]any{v.ID}, func(r scanner) error {
			var id int64
			var item string
			var score int
			err := r.Scan(&id, &item, &score)
			v.Responses[pos[id]].Scores[item] = score
			return err
		})), each(s.ctx, s.q, `SELECT e.response_id, e.question_id, e.score FROM survey_extra_answer e
		JOIN survey_response r ON r.id = e.response_id WHERE r.wave_id = $1 ORDER BY e.response_id, e.question_id`,
		[]any{v.ID}, func(r scanner) error {
			var id, question int64
			var score int
			err := r.Scan(&id, &question, &score)
			resp := &v.Responses[pos[id]]
			if resp.Extra == nil {
				resp.Extra = map[string]int{}
			}
			resp.Extra[strconv.FormatInt(question, 10)] = score
			return err
		}))
}

func (s *exchangeSource) Evaluations(emit func(*exchange.Evaluation) error) error {
	w := &where{}
	if s.ctgID != 0 {
		w.add("post_id IN (SELECT id FROM post WHERE ctg_id = ?)", s.ctgID)
	}
	var es []exchange.Evaluation
	err := s.each(`SELECT id, post_id, from_date, to_date, status, snapshot, validated_at, created_at, updated_at,
		strengths, difficulties, recommendations, review, submitted_at, validated_by_name
		FROM evaluation WHERE TRUE ORDER BY id`, w, func(r scanner) error {
		var e exchange.Evaluation
		var validated, submitted sql.NullTime
		var created, updated time.Time
		err := r.Scan(&e.ID, &e.PostID, (*civil.Date)(&e.From), (*civil.Date)(&e.To), &e.Status, &e.Snapshot,
			&validated, &created, &updated, &e.Strengths, &e.Difficulties, &e.Recommendations, &e.Review, &submitted,
			&e.ValidatedByName)
		e.ValidatedAt, e.CreatedAt, e.UpdatedAt = nullTimeOf(validated), exchange.TimeOf(created), exchange.TimeOf(updated)
		e.SubmittedAt = nullTimeOf(submitted)
		es = append(es, e)
		return err
	})
	for i := 0; err == nil && i < len(es); i++ {
		e := &es[i]
		err = each(s.ctx, s.q, `SELECT function, level, comment, review_level, review_comment FROM evaluation_appraisal
			WHERE evaluation_id = $1 ORDER BY function`, []any{e.ID}, func(r scanner) error {
			var a exchange.Appraisal
			err := r.Scan(&a.Function, &a.Level, &a.Comment, &a.ReviewLevel, &a.ReviewComment)
			e.Appraisals = append(e.Appraisals, a)
			return err
		})
		if err == nil {
			err = emit(e)
		}
	}
	return err
}

func nullTimeOf(t sql.NullTime) exchange.Time {
	if !t.Valid {
		return exchange.Time{}
	}
	return exchange.TimeOf(t.Time)
}

// ---- import ----

// importTables are the tables an import fills, in an order where every row
// comes after the rows it refers to, with the columns it writes.
var importTables = []importTable{
	{"caf", "id, code, name, department, survey_comment_months"},
	{"survey_question", "id, caf_id, audience, text, retired"},
	{"nomenclature", "caf_id, kind, code, label, position, active"},
	{"partner", "id, caf_id, name, type, siret, created_at"},
	{"ctg", "id, caf_id, name, epci_siren, population, start_date, end_date, created_at, updated_at"},
	{"indicator_target", "ctg_id, indicator, year, value"},
	{"open_data_value", "ctg_id, level, code, measure, year, value, raw, source, imported_at"},
	{"ctg_commune", "ctg_id, insee, name, population"},
	{"ctg_signatory", "ctg_id, position, organisation, represented_by"},
	{"ctg_axis", "ctg_id, axis, position"},
	{"dev_objective", "id, ctg_id, kind, label, target, achieved"},
	{"instance", "id, ctg_id, kind, name, axis"},
	{"post", "id, ctg_id, person, employer, etp, start_date, end_date, chef_de_projet, annual_cost, caf_cofunding"},
	{"post_function", "post_id, function"},
	{"post_axis", "post_id, axis"},
	{"action", `id, ctg_id, code, title, axis, objective, finding, pilot_structure, pilot_person, target_public, steps,
		start_date, end_date, budget_planned, budget_actual, caf_lever, priority, status, progress, created_at,
		updated_at, deleted_at`},
	{"action_partner", "action_id, partner_id, role"},
	{"action_commune", "action_id, insee"},
	{"action_milestone", "action_id, year, label"},
	{"action_cofunder", "action_id, name, amount"},
	{"action_indicator", "action_id, label, baseline, target, achieved"},
	{"record", `id, ctg_id, post_id, kind, day, title, comment, instance_id, action_id, meeting_id, axis, nature,
		audience, instance_kind, facilitated, innovative, network, habitants_conception, habitants_evaluation, status,
		origin, taken_on, taken_how, requests_examined, places_allocated, linked_on, linked_instance_id, created_at,
		updated_at, deleted_at`},
	{"record_partner", "record_id, partner_id"},
	{"meeting_role", "record_id, post_id, role"},
	{"subject_status", "record_id, status, day, how, post_id"},
	{"action_update", "id, action_id, post_id, day, status, percent, difficulties, alert_record_id, created_at"},
	{"survey_wave", "id, ctg_id, audience, kind, day, closes, token, closed_at"},
	{"survey_response", "id, wave_id, submitted_at, comment, source"},
	{"survey_answer", "response_id, item, score"},
	{"survey_extra_answer", "response_id, question_id, score"},
	{"evaluation", `id, post_id, from_date, to_date, status, snapshot, validated_at, created_at, updated_at,
		strengths, difficulties, recommendations, review, submitted_at, validated_by_name`},
	{"evaluation_appraisal", "evaluation_id, function, level, comment, review_level, review_comment"},
}

type importTable struct{ table, cols string }

// ImportColumns lists, per table, the columns an import writes, which are
// the ones the export reads: a test holds it against the schema, so that a
// migration adding a column cannot leave it out of the format unnoticed.
func ImportColumns() map[string][]string {
	out := map[string][]string{"attachment": {"record_id", "name", "content_type", "size", "data"},
		"partner": {"merged_into"}} // written by UPDATE once the partner merged into is known
	for _, t := range importTables {
		for _, c := range strings.Split(t.cols, ",") {
			out[t.table] = append(out[t.table], strings.TrimSpace(c))
		}
	}
	return out
}

// importMaxRows: rows a statement of the import holds at most (rowQueue).
const importMaxRows = 512

// exchangeSink writes what exchange.Import checked, row by row into
// batches; statements are prepared once for the whole file.
type exchangeSink struct {
	tx        *Tx
	stmts     *stmtCache
	batches   map[string]*rowQueue
	order     []*rowQueue
	responses int64 // last survey response id given
	// writer writes the rows while the next are read
	writer *rowWriter
}

func newExchangeSink(tx *Tx) *exchangeSink {
	s := &exchangeSink{tx: tx, stmts: newStmtCache(tx.ctx, tx.tx), batches: map[string]*rowQueue{}}
	size := importMaxRows
	if tx.conn != nil {
		size = bulkMaxRows // a COPY has no parameters to bound
		s.writer = copyWriter(tx.ctx, tx.conn)
	} else {
		s.writer = newRowWriter(func(q *rowQueue) error { return q.drain(tx.db.Engine, s.stmts.run) })
	}
	for _, t := range importTables {
		b := newRowQueue(t.table, t.cols, size)
		s.batches[t.table] = b
		s.order = append(s.order, b)
	}
	return s
}

// add queues one row of table; a full batch writes every batch, in table
// order, so that a row never reaches the database before what it refers to.
func (s *exchangeSink) add(table string, vals ...any) error {
	if s.batches[table].add(vals...) {
		return s.flush()
	}
	return nil
}

func (s *exchangeSink) flush() error {
	for _, b := range s.order {
		if err := s.writer.send(b); err != nil {
			return err
		}
	}
	return nil
}

// written returns once every row sent to the writer is written: the
// transaction is then free for a statement.
func (s *exchangeSink) written() error { return s.writer.wait() }

// exec runs a statement that is not batched, after every queued row.
func (s *exchangeSink) exec(query string, args ...any) error {
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.written(); err != nil {
		return err
	}
	return s.stmts.run(query, args...)
}

func (s *exchangeSink) close() {
	s.writer.close()
	s.stmts.close()
}

func (s *exchangeSink) Caf(c *exchange.Caf) error {
	err := s.add("caf", c.ID, c.Code, c.Name, c.Department, c.SurveyCommentMonths)
	for _, q := range c.SurveyQuestions {
		err = firstErr(err, s.add("survey_question", q.ID, c.ID, q.Audience, q.Text, q.Retired))
	}
	return err
}

func (s *exchangeSink) Nomenclature(v *exchange.Nomenclature) error {
	return s.add("nomenclature", v.CafID, v.Kind, v.Code, v.Label, v.Position, v.Active)
}

func (s *exchangeSink) Partner(p *exchange.Partner) error {
	return s.add("partner", p.ID, p.CafID, p.Name, p.Type, p.SIRET, p.CreatedAt.Std())
}

func (s *exchangeSink) MergePartner(id, into int64) error {
	return s.exec(`UPDATE partner SET merged_into = $1 WHERE id = $2`, into, id)
}

func (s *exchangeSink) CTG(c *exchange.CTG) error {
	err := s.add("ctg", c.ID, c.CafID, c.Name, c.EPCISIREN, c.Population, c.Start.Civil(), c.End.Civil(),
		c.CreatedAt.Std(), c.UpdatedAt.Std())
	for _, m := range c.Communes {
		err = firstErr(err, s.add("ctg_commune", c.ID, m.INSEE, m.Name, m.Population))
	}
	for i, g := range c.Signatories {
		err = firstErr(err, s.add("ctg_signatory", c.ID, i, g.Organisation, g.RepresentedBy))
	}
	for i, a := range c.Axes {
		err = firstErr(err, s.add("ctg_axis", c.ID, a, i))
	}
	for _, o := range c.Objectives {
		err = firstErr(err, s.add("dev_objective", o.ID, c.ID, o.Kind, o.Label, o.Target, o.Achieved))
	}
	for _, in := range c.Instances {
		err = firstErr(err, s.add("instance", in.ID, c.ID, in.Kind, in.Name, in.Axis))
	}
	for i := range c.Posts {
		err = firstErr(err, s.post(c.ID, &c.Posts[i]))
	}
	for _, g := range c.Targets {
		err = firstErr(err, s.add("indicator_target", c.ID, g.Indicator, g.Year, g.Value))
	}
	for _, v := range c.OpenData {
		err = firstErr(err, s.add("open_data_value", c.ID, v.Level, v.Code, v.Measure, v.Year, v.Value, v.Raw, v.Source,
			v.ImportedAt.Std()))
	}
	return err
}

// post is written without its account (accounts are not carried).
func (s *exchangeSink) post(ctgID int64, p *exchange.Post) error {
	err := s.add("post", p.ID, ctgID, p.Person, p.Employer, p.ETP, p.Start.Civil(), p.End.Civil(), p.ChefDeProjet,
		p.AnnualCost, p.CafCofunding)
	for _, f := range p.Functions {
		err = firstErr(err, s.add("post_function", p.ID, f))
	}
	for _, a := range p.Axes {
		err = firstErr(err, s.add("post_axis", p.ID, a))
	}
	return err
}

func (s *exchangeSink) Action(a *exchange.Action) error {
	err := s.add("action", a.ID, a.CTGID, a.Code, a.Title, a.Axis, a.Objective, a.Finding, a.PilotStructure,
		a.PilotPerson, a.TargetPublic, a.Steps, a.Start.Civil(), a.End.Civil(), a.BudgetPlanned, a.BudgetActual,
		a.CafLever, a.Priority, a.Status, a.Progress, a.CreatedAt.Std(), a.UpdatedAt.Std(), nullTime(a.DeletedAt))
	for _, p := range a.Partners {
		err = firstErr(err, s.add("action_partner", a.ID, p.PartnerID, p.Role))
	}
	for _, c := range a.Communes {
		err = firstErr(err, s.add("action_commune", a.ID, c))
	}
	for _, m := range a.Milestones {
		err = firstErr(err, s.add("action_milestone", a.ID, m.Year, m.Label))
	}
	for _, c := range a.Cofunders {
		err = firstErr(err, s.add("action_cofunder", a.ID, c.Name, c.Amount))
	}
	for _, i := range a.Indicators {
		err = firstErr(err, s.add("action_indicator", a.ID, i.Label, i.Baseline, i.Target, i.Achieved))
	}
	return err
}

func (s *exchangeSink) Record(r *exchange.Record) error {
	err := s.add("record", r.ID, r.CTGID, r.PostID, r.Kind, r.Date.Civil(), r.Title, r.Comment, nullID(r.InstanceID),
		nullID(r.ActionID), nullID(r.MeetingID), r.Axis, r.Nature, r.Audience, r.InstanceKind, r.Facilitated,
		r.Innovative, r.Network, r.HabitantsConception, r.HabitantsEvaluation, r.Status, r.Origin, r.TakenOn.Civil(),
		r.TakenHow, r.RequestsExamined, r.PlacesAllocated, r.LinkedOn.Civil(), nullID(r.LinkedInstanceID),
		r.CreatedAt.Std(), r.UpdatedAt.Std(), nullTime(r.DeletedAt))
	for _, p := range r.PartnerIDs {
		err = firstErr(err, s.add("record_partner", r.ID, p))
	}
	for _, ro := range r.Roles {
		err = firstErr(err, s.add("meeting_role", r.ID, ro.PostID, ro.Role))
	}
	for _, h := range r.SubjectHistory {
		err = firstErr(err, s.add("subject_status", r.ID, h.Status, h.Date.Civil(), h.How, h.PostID))
	}
	if a := r.Attachment; a != nil && err == nil {
		// files are not batched: a few hundred of them could fill the memory
		err = s.exec(`INSERT INTO attachment (record_id, name, content_type, size, data) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, a.Name, a.ContentType, a.Size, a.Data)
	}
	return err
}

func (s *exchangeSink) LinkMeeting(id, meetingID int64) error {
	return s.exec(`UPDATE record SET meeting_id = $1 WHERE id = $2`, meetingID, id)
}

func (s *exchangeSink) ActionUpdate(u *exchange.ActionUpdate) error {
	return s.add("action_update", u.ID, u.ActionID, u.PostID, u.Date.Civil(), u.Status, u.Percent, u.Difficulties,
		nullID(u.AlertRecordID), u.CreatedAt.Std())
}

func (s *exchangeSink) SurveyWave(w *exchange.SurveyWave) error {
	err := s.add("survey_wave", w.ID, w.CTGID, w.Audience, w.Kind, w.Date.Civil(), w.Closes.Civil(), w.Token, nullTime(w.ClosedAt))
	for i := 0; err == nil && i < len(w.Responses); i++ {
		err = s.response(w.ID, &w.Responses[i])
	}
	return err
}

// response ids are not carried (nothing outside its wave refers to one):
// they are numbered here, the table being empty, so that responses batch
// like the rest.
func (s *exchangeSink) response(waveID int64, r *exchange.Response) error {
	s.responses++
	source := r.Source
	if source == "" {
		source = survey.Online
	}
	err := s.add("survey_response", s.responses, waveID, r.SubmittedAt.Std(), r.Comment, source)
	for _, item := range sortedItems(r.Scores) {
		err = firstErr(err, s.add("survey_answer", s.responses, item, r.Scores[item]))
	}
	for _, q := range sortedItems(r.Extra) {
		id, _ := strconv.ParseInt(q, 10, 64) // checked by the reader
		err = firstErr(err, s.add("survey_extra_answer", s.responses, id, r.Extra[q]))
	}
	return err
}

func (s *exchangeSink) Evaluation(e *exchange.Evaluation) error {
	err := s.add("evaluation", e.ID, e.PostID, e.From.Civil(), e.To.Civil(), e.Status, e.Snapshot,
		nullTime(e.ValidatedAt), e.CreatedAt.Std(), e.UpdatedAt.Std(), e.Strengths, e.Difficulties, e.Recommendations,
		e.Review, nullTime(e.SubmittedAt), e.ValidatedByName)
	for _, a := range e.Appraisals {
		err = firstErr(err, s.add("evaluation_appraisal", e.ID, a.Function, a.Level, a.Comment, a.ReviewLevel, a.ReviewComment))
	}
	return err
}

// nullTime stores a missing instant as NULL.
func nullTime(t exchange.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Std()
}

// sortedItems lists a response's items in order, so that its answers are
// written the same way every time.
func sortedItems(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
