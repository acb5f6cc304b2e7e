package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/indicator"
)

// A recount from scratch (after a bulk load, an import, a migration that
// adds a count, or for an operator) works on every CTG at once: each
// statement reads one breakdown's records over the whole table, or sums
// tally rows over every CTG, so that the recount costs a few dozen passes
// over the data whatever the number of CTGs.

// rebuiltTables are the tables a recount empties and fills again.
var rebuiltTables = []string{"tally", "tally_partner", "partner_first", "partner_mask"}

// rebuild recounts every count kept beside the data.
func (t tallier) rebuild() error {
	start := time.Now()
	defer func() { observeTally("rebuild done", time.Since(start)) }()
	defer t.largeCache()()
	if err := t.largeSorts(); err != nil {
		return err
	}
	if err := countWaveScores(t.ctx, t.q, 0); err != nil {
		return err
	}
	// statistics first: without them both planners read a freshly loaded
	// table through the wrong index (the recount of a bulk load of 100 000
	// records took three times longer on SQLite)
	if err := t.quickAnalyze(); err != nil {
		return err
	}
	restore, err := t.suspendIndexes()
	if err != nil {
		return err
	}
	// PostgreSQL empties a table with TRUNCATE in a new file instead of
	// marking each row dead (18 s at 10 M records, then minutes of
	// autovacuum behind the readers); the dropped indexes already hold
	// the tables until the commit. SQLite's DELETE without WHERE does the
	// same.
	clear := `DELETE FROM `
	if t.engine == Postgres {
		clear = `TRUNCATE `
	}
	for _, table := range rebuiltTables {
		if err := t.exec("clear", clear+table); err != nil {
			return err
		}
	}
	steps := []struct {
		name string
		run  func() error
	}{
		// one statement per breakdown and scope, each reading the records
		// of its kind through the (kind, day) index; CTG by CTG (80
		// statements each) was six times slower
		{"mois et années", func() error { return t.countCTG(0, allTime.From, allTime.To) }},
		// firsts before the conventions and the masks, which count E31 from them
		{"premiers liens", func() error { return t.firsts(0, nil) }},
		// rough statistics of the rows just counted, for the sums that
		// read them next
		{"statistiques rapides", t.quickAnalyze},
		{"conventions", t.conventions},
		{"sommes des Caf", func() error { return t.sumCaf(0, allTime.From, allTime.To) }},
		{"masques de partenaires", func() error { return t.masks(0, nil) }},
		{"index", restore},
		// the planner's statistics of the rows just written (see analyze)
		{"statistiques", t.analyze},
	}
	for _, s := range steps {
		begun := time.Now()
		if err := s.run(); err != nil {
			return err
		}
		observeTally("step "+s.name, time.Since(begun))
		if t.trace != nil {
			t.trace("step "+s.name, time.Since(begun))
		}
	}
	return nil
}

// largeCache gives SQLite a 1 GB page cache for the recount, which reads
// the records a breakdown at a time: with the default 2 MB, the recount of
// a migration read the same pages from the file again and again (a third
// of its time in system calls). The undo puts back the connection's size.
func (t tallier) largeCache() (undo func()) {
	if t.engine != SQLite {
		return func() {}
	}
	var size int
	if err := t.q.QueryRowContext(t.ctx, `PRAGMA cache_size`).Scan(&size); err != nil || size <= -1048576 {
		return func() {}
	}
	t.exec("cache", `PRAGMA cache_size = -1048576`)
	return func() { t.exec("cache", `PRAGMA cache_size = `+itoa(size)) }
}

// largeSorts gives PostgreSQL's recount memory for its sums, until the
// commit: with the default 4 MB of work_mem every GROUP BY over millions
// of rows sorted on disk, and with 64 MB of maintenance_work_mem so did
// the building of each index.
func (t tallier) largeSorts() error {
	if t.engine != Postgres {
		return nil
	}
	if err := t.exec("memory", `SET LOCAL work_mem = '256MB'`); err != nil {
		return err
	}
	return t.exec("memory", `SET LOCAL maintenance_work_mem = '512MB'`)
}

// suspendIndexes drops the secondary indexes of the rebuilt tables and
// returns what creates them again: building an index once from millions
// of rows costs less than keeping it up to date row by row. The indexes
// are read from the catalogue, so that a migration adding one needs no
// change here; primary keys stay (the recount's own sums read them). DDL
// holds the tables until the commit, which a recount does anyway (it
// rewrites them whole).
func (t tallier) suspendIndexes() (restore func() error, err error) {
	in := "'" + strings.Join(rebuiltTables, "', '") + "'"
	query := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (` + in + `)
		ORDER BY name`
	if t.engine == Postgres {
		query = `SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
			WHERE tc.relnamespace = current_schema()::regnamespace AND tc.relname IN (` + in + `)
			AND NOT i.indisprimary AND NOT i.indisunique ORDER BY ic.relname`
	}
	type index struct{ name, def string }
	var indexes []index
	err = each(t.ctx, t.q, query, nil, func(s scanner) error {
		var ix index
		err := s.Scan(&ix.name, &ix.def)
		indexes = append(indexes, ix)
		return err
	})
	if err != nil {
		return nil, apperr.Wrap(err, "tally: indexes")
	}
	for _, ix := range indexes {
		if err := t.exec("drop index", `DROP INDEX `+ix.name); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, ix := range indexes {
			if err := t.exec("create index", ix.def); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// conventions fills the convention bucket of every CTG and post: the
// buckets splitPeriod gives each CTG's convention go in a temporary
// table, and one statement per table and scope sums every CTG's rows in
// them (summing CTG by CTG took twelve statements a CTG). Only a CTG
// whose convention has dated edge days counts them apart, as a write does.
func (t tallier) conventions() error {
	if err := t.exec("convention buckets", `CREATE TEMPORARY TABLE convention_bucket (
		ctg_id BIGINT NOT NULL, bucket INTEGER NOT NULL, PRIMARY KEY (ctg_id, bucket))`); err != nil {
		return err
	}
	if err := t.conventionBuckets(); err != nil {
		return err
	}
	for _, table := range []string{"tally", "tally_partner"} {
		cols := prefixed("t.", tallyColumns[table])
		for _, scope := range []string{tallyCTG, tallyPost} {
			var w where
			w.add("t.scope = ?", scope)
			join := `JOIN convention_bucket cb ON cb.ctg_id = t.scope_id AND cb.bucket = t.bucket`
			if scope == tallyPost {
				join = `JOIN post p ON p.id = t.scope_id JOIN convention_bucket cb ON cb.ctg_id = p.ctg_id AND cb.bucket = t.bucket`
			}
			err := t.exec("convention", `INSERT INTO `+table+` (scope, scope_id, bucket, `+tallyColumns[table]+`, n)
				SELECT t.scope, t.scope_id, CAST(`+w.param(conventionBucket)+` AS INTEGER), `+cols+`, SUM(t.n)
				FROM `+table+` t `+join+` WHERE `+w.String()+` GROUP BY t.scope, t.scope_id, `+cols, w.args...)
			if err != nil {
				return err
			}
		}
		if err := t.exec("clear edges", `DELETE FROM `+table+` WHERE bucket = $1`, edgeBucket); err != nil {
			return err
		}
	}
	if err := t.exec("convention buckets", `DROP TABLE convention_bucket`); err != nil {
		return err
	}
	// the partner rows of the convention buckets were just written: the
	// statistics taken before them say there are none, and PostgreSQL then
	// joined every partner to a walk of the whole primary key of
	// tally_partner (513 s of a 10 M recount, a few seconds otherwise)
	if err := t.analyzeTable("tally_partner"); err != nil {
		return err
	}
	return t.allConventionPartners()
}

// conventionBuckets lists each CTG's convention buckets, counting the
// dated edge days of those that have some into the edge bucket.
func (t tallier) conventionBuckets() error {
	type ctgConvention struct {
		id   int64
		conv indicator.Period
	}
	var ctgs []ctgConvention
	err := each(t.ctx, t.q, `SELECT id, start_date, end_date FROM ctg ORDER BY id`, nil, func(s scanner) error {
		var c ctgConvention
		err := s.Scan(&c.id, &c.conv.From, &c.conv.To)
		ctgs = append(ctgs, c)
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "tally: conventions")
	}
	rows := newRowQueue("convention_bucket", "ctg_id, bucket", bulkMaxRows)
	for _, c := range ctgs {
		buckets, err := t.conventionOf(c.id, c.conv)
		if err != nil {
			return err
		}
		for _, b := range buckets {
			rows.add(c.id, b)
		}
	}
	return rows.drain(t.engine, func(query string, args ...any) error {
		return t.exec("convention buckets", query, args...)
	})
}

// conventionOf is the buckets of one CTG's convention, the edge bucket
// among them when its edge days hold anything, then counted there.
func (t tallier) conventionOf(ctgID int64, conv indicator.Period) ([]int, error) {
	buckets, mid, whole := splitPeriod(conv)
	s := indicatorScope{Scope: indicator.Scope{Kind: indicator.ScopeCTG, CTGID: ctgID}, ctgID: ctgID}
	counted := false
	for _, e := range periodEdges(conv, mid, whole) {
		dated, err := datedIn(t.ctx, t.q, s, e)
		if err != nil {
			return nil, err
		}
		if dated {
			if err := t.countDays(ctgID, e, itoa(edgeBucket)); err != nil {
				return nil, err
			}
			counted = true
		}
	}
	if counted {
		buckets = append(buckets, edgeBucket)
	}
	return buckets, nil
}

// allConventionPartners writes the partner figures of every convention
// bucket by partner type, as conventionPartners does for one CTG.
func (t tallier) allConventionPartners() error {
	for _, scope := range []string{tallyCTG, tallyPost} {
		var w where
		w.add("tp.scope = ?", scope)
		w.add("tp.bucket = ?", conventionBucket)
		by := w.param(dimBy)
		err := t.exec("convention partners", `INSERT INTO tally (scope, scope_id, bucket, code, dim, key, n)
			SELECT tp.scope, tp.scope_id, tp.bucket, tp.code, CAST(`+by+` AS TEXT), pt.type, COUNT(*)
			FROM tally_partner tp JOIN partner pt ON pt.id = tp.partner_id WHERE `+w.String()+`
			GROUP BY tp.scope, tp.scope_id, tp.bucket, tp.code, pt.type`, w.args...)
		if err != nil {
			return err
		}
		var f where
		sc, b, code, dim := f.param(scope), f.param(conventionBucket), f.param(indicator.E31), f.param(dimBy)
		// the first records that fall in their CTG's convention
		firsts := func(holder, join string) string {
			return `SELECT f.partner_id, ` + holder + ` AS holder FROM partner_first f JOIN ctg c ON c.id = f.ctg_id ` + join +
				` WHERE f.day BETWEEN c.start_date AND c.end_date`
		}
		// a post holds the partners of the first records it wrote and of
		// the first meetings it had a role in (rule 2), each once
		src := firsts("f.ctg_id", "")
		if scope == tallyPost {
			src = firsts("f.post_id", "") + ` UNION ` + firsts("m.post_id", "JOIN meeting_role m ON m.record_id = f.record_id")
		}
		err = t.exec("convention new partners", `INSERT INTO tally (scope, scope_id, bucket, code, dim, key, n)
			SELECT CAST(`+sc+` AS TEXT), pf.holder, CAST(`+b+` AS INTEGER), CAST(`+code+` AS TEXT), CAST(`+dim+` AS TEXT),
			pt.type, COUNT(*) FROM (`+src+`) pf JOIN partner pt ON pt.id = pf.partner_id
			GROUP BY pf.holder, pt.type`, f.args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// analyze gives the planner the statistics of rows just loaded. Without
// them PostgreSQL plans the recount as if the tables were empty, and
// SQLite reads the national tallies through their primary keys instead of
// the (scope, code, bucket) indexes (1.4 s instead of 90 ms at 10 M
// records).
func (t tallier) analyze() error {
	return analyzeSchema(t.ctx, t.q, t.engine)
}

// quickAnalyze gives the planner rough statistics mid-recount: SQLite
// samples a thousand rows per index (a full ANALYZE at 10 M records takes
// minutes), PostgreSQL samples anyway.
func (t tallier) quickAnalyze() error {
	if t.engine == SQLite {
		if err := t.exec("analysis limit", `PRAGMA analysis_limit = 1000`); err != nil {
			return err
		}
		defer t.exec("analysis limit", `PRAGMA analysis_limit = 0`)
	}
	return t.analyze()
}

// analyzeTable gives the planner rough statistics of one table.
func (t tallier) analyzeTable(table string) error {
	if t.engine == SQLite {
		if err := t.exec("analysis limit", `PRAGMA analysis_limit = 1000`); err != nil {
			return err
		}
		defer t.exec("analysis limit", `PRAGMA analysis_limit = 0`)
	}
	return t.exec("statistics "+table, `ANALYZE `+table)
}

// analyzeSchema analyzes the tables of the current schema only: a bare
// ANALYZE on PostgreSQL takes every schema's tables, and deadlocks with
// whoever writes in another schema of the same database (tests do).
func analyzeSchema(ctx context.Context, q querier, e Engine) error {
	if e != Postgres {
		_, err := q.ExecContext(ctx, `ANALYZE`)
		return apperr.Wrap(err, "analyze")
	}
	var tables []string
	err := each(ctx, q, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`, nil,
		func(s scanner) error {
			var name string
			err := s.Scan(&name)
			tables = append(tables, name)
			return err
		})
	if err == nil && len(tables) > 0 {
		_, err = q.ExecContext(ctx, `ANALYZE `+strings.Join(tables, ", "))
	}
	return apperr.Wrap(err, "analyze")
}

// recount recounts every tally for tx, whose data is committed: beside
// it on PostgreSQL (tally_parallel.go), in it on SQLite, whose one writer
// could not write beside it.
func (db *DB) recount(ctx context.Context, tx *sql.Tx, trace func(string, time.Duration)) error {
	if db.Engine == Postgres {
		return db.recountBeside(ctx, tx, trace)
	}
	if err := (tallier{ctx: ctx, q: tx, engine: db.Engine, trace: trace}).rebuild(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+recountOwed)
	return apperr.Wrap(err, "recount: mark")
}

// RecountTallies recounts every tally from the records, for an operator
// who changed records by hand in SQL; the application never needs it.
func (db *DB) RecountTallies(ctx context.Context) error { return db.RecountTalliesTraced(ctx, nil) }

// RecountTalliesTraced is RecountTallies telling trace of each statement
// and step and how long it took, for an operator timing a recount.
func (db *DB) RecountTalliesTraced(ctx context.Context, trace func(what string, d time.Duration)) error {
	return db.Write(ctx, 0, func(tx *Tx) error {
		if err := db.recount(tx.ctx, tx.tx, trace); err != nil {
			return err
		}
		return tx.audit(ActRecount, "tally", 0, 0, nil)
	})
}
