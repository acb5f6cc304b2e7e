package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/sync/errgroup"

	"copilote/internal/apperr"
)

// A recount from scratch on PostgreSQL runs on two connections beside the
// transaction that asked for it: each statement of a recount runs on one
// core, and most of its time goes into writing the 22 M rows of the
// tallies at 10 M records (250 s on one connection; the goal of an
// upgrade is under 3 minutes). The tallies are written into new tables of
// a schema of their own, whose names are those of the tables they
// replace: with that schema first in their search path, the two
// connections run the same statements as a recount in place. Once full
// and indexed, the new tables take the place of the old ones in the
// asking transaction, which commits them with everything else it wrote:
// a recount that fails leaves the tallies as they were.
//
// The other connections cannot see what the asking transaction has not
// committed, so a recount beside it is for data already committed (a
// migration, an operator's recount). While it runs, the asking
// transaction holds the counted tables in SHARE mode, so that nobody
// changes what is being counted.

// recountWorkers is the number of connections a recount writes on: one
// per core of the machine this was measured on, where PostgreSQL's
// statements are bound by one core each.
const recountWorkers = 2

// uncountedTables are written by users without changing any count: the
// recount leaves them unlocked, so that people keep signing in.
var uncountedTables = map[string]bool{"schema_migration": true, "user_session": true, "login_attempt": true,
	"survey_throttle": true, "reset_throttle": true, "sso_login": true, "account_token": true, "api_token": true,
	"audit": true, "audit_head": true, "data_version": true, "scope_version": true}

// recountBeside recounts every tally for the PostgreSQL transaction main.
func (db *DB) recountBeside(ctx context.Context, main *sql.Tx, trace func(string, time.Duration)) error {
	start := time.Now()
	defer func() { observeTally("rebuild done", time.Since(start)) }()
	if trace != nil {
		var mu sync.Mutex
		inner := trace
		trace = func(what string, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			inner(what, d)
		}
	}
	t := tallier{ctx: ctx, q: main, engine: Postgres, trace: trace}
	if err := t.largeSorts(); err != nil {
		return err
	}
	// one recount at a time: a second one would drop the first's tables
	if _, err := main.ExecContext(ctx, `SELECT pg_advisory_xact_lock(727112, hashtext(current_schema()))`); err != nil {
		return apperr.Wrap(err, "recount: lock")
	}
	cur, pending, err := recountPending(ctx, main, Postgres)
	if err != nil {
		return err
	}
	if err := lockCounted(ctx, main); err != nil {
		return err
	}
	if err := countWaveScores(ctx, main, 0); err != nil {
		return err
	}
	c := &recountCrew{ctx: ctx, db: db, cur: cur, stage: cur + "_recount", trace: trace}
	if err := c.createStage(); err != nil {
		return err
	}
	// a recount that fails before the swap drops its half-built tables,
	// leaving the schema if it marked a recount owed; once the asking
	// transaction moves them it holds them, and the next recount drops
	// what a failed swap left
	swapping := false
	defer func() {
		if !swapping {
			c.dropStage(pending)
		}
	}()
	tasks := c.countTasks()
	steps := []struct {
		name  string
		tasks []func(tallier) error
	}{
		{"mois", tasks},
		{"années", c.yearTasks()},
		{"statistiques rapides", c.analyzeTasks()},
		// the conventions on one connection; the Caf sums, then the masks
		// that read them, on the other
		{"conventions et Caf", []func(tallier) error{
			func(t tallier) error { return t.conventions() },
			func(t tallier) error {
				if err := t.sumCaf(0, allTime.From, allTime.To); err != nil {
					return err
				}
				return t.masks(0, nil)
			}}},
		// keys last: the sums read whole tables and need none, and a key
		// built once from millions of rows costs less than one kept up
		// to date row by row
		{"index", c.indexTasks(main)},
		{"clés", c.keyTasks(main)},
		{"statistiques", c.analyzeTasks()},
	}
	for _, s := range steps {
		begun := time.Now()
		if err := c.run(s.tasks); err != nil {
			return err
		}
		observeTally("step "+s.name, time.Since(begun))
		if trace != nil {
			trace("step "+s.name, time.Since(begun))
		}
	}
	begun := time.Now()
	swapping = true
	if err := c.swap(main); err != nil {
		return err
	}
	if trace != nil {
		trace("step échange", time.Since(begun))
	}
	return nil
}

// lockCounted holds every table the tallies are counted from until the
// asking transaction ends: writers wait, readers read on.
func lockCounted(ctx context.Context, main *sql.Tx) error {
	var tables []string
	err := each(ctx, main, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`, nil,
		func(s scanner) error {
			var name string
			if err := s.Scan(&name); err != nil {
				return err
			}
			if !uncountedTables[name] && !slices.Contains(rebuiltTables, name) {
				tables = append(tables, name)
			}
			return nil
		})
	if err != nil {
		return apperr.Wrap(err, "recount: tables")
	}
	// A writer may hold one of the tables and wait for another this
	// transaction already holds: instead of a deadlock, waiting a moment
	// gives up the locks taken and tries again once the writer is through.
	lock := []string{`SAVEPOINT recount_lock`, `SET LOCAL lock_timeout = '200ms'`,
		`LOCK TABLE ` + strings.Join(tables, ", ") + ` IN SHARE MODE`, `SET LOCAL lock_timeout = 0`, `RELEASE SAVEPOINT recount_lock`}
	for attempt := 0; ; attempt++ {
		var err error
		for _, s := range lock {
			if _, err = main.ExecContext(ctx, s); err != nil {
				break
			}
		}
		if err == nil {
			return nil
		}
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "55P03" || attempt == 300 {
			return apperr.Wrap(err, "recount: lock")
		}
		if _, err := main.ExecContext(ctx, `ROLLBACK TO SAVEPOINT recount_lock`); err != nil {
			return apperr.Wrap(err, "recount: lock")
		}
		select {
		case <-ctx.Done():
			return apperr.Wrap(ctx.Err(), "recount: lock")
		case <-time.After(time.Duration(10+attempt%10*10) * time.Millisecond):
		}
	}
}

// recountCrew is the recount's connections and the schema they write in.
type recountCrew struct {
	ctx        context.Context
	db         *DB
	cur, stage string
	trace      func(string, time.Duration)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// createStage makes the empty new tables, with the columns, defaults and
// checks of the old ones and none of their keys: a key built once from
// millions of rows costs less than one kept up to date row by row.
func (c *recountCrew) createStage() error {
	conn, err := c.db.write.Conn(c.ctx)
	if err != nil {
		return apperr.Wrap(err, "recount: connection")
	}
	defer conn.Close()
	stmts := []string{`DROP SCHEMA IF EXISTS ` + quoteIdent(c.stage) + ` CASCADE`, `CREATE SCHEMA ` + quoteIdent(c.stage)}
	for _, table := range rebuiltTables {
		stmts = append(stmts, `CREATE TABLE `+quoteIdent(c.stage)+`.`+table+` (LIKE `+quoteIdent(c.cur)+`.`+table+
			` INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`)
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(c.ctx, s); err != nil {
			return apperr.Wrap(err, "recount: new tables")
		}
	}
	return nil
}

func (c *recountCrew) dropStage(keepMark bool) {
	ctx := context.WithoutCancel(c.ctx)
	conn, err := c.db.write.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+quoteIdent(c.stage)+` CASCADE`)
	if keepMark {
		conn.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+quoteIdent(c.stage))
	}
}

// A load of data committed before its tallies are counted (a bulk load
// or a migration adding a count on PostgreSQL, an import on both
// engines) marks the recount owed in the transaction that commits the
// data: on PostgreSQL the recount's schema, on SQLite a table of its own.
// The recount that follows removes the mark with its tallies, and a
// recount cut short by a crash is made at the next start (Migrate).
// SQLite's import commits before counting because a transaction of 10 M
// records reads its own pages through a WAL of millions of frames, whose
// index SQLite searches segment by segment: its recount took 515 s
// there, 320 s once the records were committed.

// recountOwed is SQLite's mark.
const recountOwed = "recount_owed"

// markRecount records in q's transaction that the tallies are owed a
// recount once it commits.
func markRecount(ctx context.Context, q querier, e Engine) error {
	if e == SQLite {
		_, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+recountOwed+` (since TEXT)`)
		return apperr.Wrap(err, "recount: mark")
	}
	var cur string
	if err := q.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&cur); err != nil {
		return apperr.Wrap(err, "recount: schema")
	}
	_, err := q.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+quoteIdent(cur+"_recount"))
	return apperr.Wrap(err, "recount: mark")
}

// recountPending tells the current schema (PostgreSQL) and whether a
// recount is owed.
func recountPending(ctx context.Context, q querier, e Engine) (cur string, pending bool, err error) {
	if e == SQLite {
		err = q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)`,
			recountOwed).Scan(&pending)
		return "", pending, apperr.Wrap(err, "recount: mark")
	}
	err = q.QueryRowContext(ctx, `SELECT current_schema(), EXISTS (SELECT 1 FROM pg_namespace
		WHERE nspname = current_schema() || '_recount')`).Scan(&cur, &pending)
	return cur, pending, apperr.Wrap(err, "recount: schema")
}

// recountIfPending makes the recount owed, if any, in a transaction of
// its own.
func (db *DB) recountIfPending(ctx context.Context) error {
	_, pending, err := recountPending(ctx, db.write, db.Engine)
	if err != nil || !pending {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return apperr.Wrap(err, "recount: begin")
	}
	defer tx.Rollback()
	if err := db.recount(ctx, tx, nil); err != nil {
		return err
	}
	if err := bumpDataVersion(ctx, tx); err != nil {
		return err
	}
	return apperr.Wrap(tx.Commit(), "recount: commit")
}

// run gives the tasks, in order, to the connections as each is free. Each
// connection runs its share in one transaction, committed when every task
// of the step is done.
func (c *recountCrew) run(tasks []func(tallier) error) error {
	queue := make(chan func(tallier) error, len(tasks))
	for _, task := range tasks {
		queue <- task
	}
	close(queue)
	g, ctx := errgroup.WithContext(c.ctx)
	for range min(recountWorkers, len(tasks)) {
		g.Go(func() error {
			tx, err := c.db.write.BeginTx(ctx, nil)
			if err != nil {
				return apperr.Wrap(err, "recount: begin")
			}
			defer tx.Rollback()
			for _, s := range []string{`SET LOCAL search_path TO ` + quoteIdent(c.stage) + `, ` + quoteIdent(c.cur),
				`SET LOCAL work_mem = '1GB'`, `SET LOCAL maintenance_work_mem = '1GB'`} {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return apperr.Wrap(err, "recount: settings")
				}
			}
			t := tallier{ctx: ctx, q: tx, engine: Postgres, trace: c.trace, fresh: true}
			for task := range queue {
				if err := task(t); err != nil {
					return err
				}
			}
			return apperr.Wrap(tx.Commit(), "recount: commit")
		})
	}
	return g.Wait()
}

// countTasks are the month rows of every breakdown of every CTG and post,
// and each partner's first record in each CTG: what a recount in place
// counts first (countCTG, firsts), one statement each. The partner counts,
// the longest, go first, so that the two connections end together.
func (c *recountCrew) countTasks() []func(tallier) error {
	var tasks []func(tallier) error
	for _, code := range presenceCodes {
		sel := selections[code](factScope, allTime)
		for _, scope := range []string{tallyCTG, tallyPost} {
			tasks = append(tasks, func(t tallier) error { return t.countPartners(code, sel, scope, 0, "") })
		}
	}
	tasks = append(tasks, func(t tallier) error { return t.firsts(0, nil) })
	for _, src := range sources(allTime) {
		for _, scope := range []string{tallyCTG, tallyPost} {
			tasks = append(tasks, func(t tallier) error { return t.countSource(src, scope, 0, "") })
		}
	}
	return tasks
}

// yearTasks sum the year rows from the month rows.
func (c *recountCrew) yearTasks() []func(tallier) error {
	var tasks []func(tallier) error
	for _, table := range []string{"tally", "tally_partner"} {
		for _, scope := range []string{tallyCTG, tallyPost} {
			tasks = append(tasks, func(t tallier) error {
				return t.sumYears(table, scope, 0, allTime.From.Year, allTime.To.Year)
			})
		}
	}
	return tasks
}

// indexTasks build on the new tables every index of the old ones, read
// from the catalogue so that a migration adding one needs no change here;
// the definition names the old table with its schema, the new one is
// named by the search path instead. Keys are built as plain unique
// indexes, which two connections can build on one table at once (adding
// a key locks its table whole), and become keys in keyTasks.
func (c *recountCrew) indexTasks(main *sql.Tx) []func(tallier) error {
	in := "'" + strings.Join(rebuiltTables, "', '") + "'"
	return c.catalogueTasks(main, `SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ' || quote_ident(current_schema()) || '.', ' ON ')
		FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
		WHERE tc.relnamespace = current_schema()::regnamespace AND tc.relname IN (`+in+`)
		ORDER BY i.indisprimary DESC, pg_relation_size(i.indexrelid) DESC, ic.relname`)
}

// keyTasks make keys of the unique indexes that back the old tables'
// primary keys and unique constraints, in one task: each locks its table
// until the commit, and two connections doing so in turn could each wait
// for the other. They change the catalogue only.
func (c *recountCrew) keyTasks(main *sql.Tx) []func(tallier) error {
	in := "'" + strings.Join(rebuiltTables, "', '") + "'"
	tasks := c.catalogueTasks(main, `SELECT 'ALTER TABLE ' || tc.relname || ' ADD CONSTRAINT ' || quote_ident(k.conname) ||
			CASE k.contype WHEN 'p' THEN ' PRIMARY KEY' ELSE ' UNIQUE' END || ' USING INDEX ' || quote_ident(ic.relname)
		FROM pg_constraint k JOIN pg_class tc ON tc.oid = k.conrelid JOIN pg_class ic ON ic.oid = k.conindid
		WHERE tc.relnamespace = current_schema()::regnamespace AND tc.relname IN (`+in+`) AND k.contype IN ('p', 'u')
		ORDER BY tc.relname, k.conname`)
	return []func(tallier) error{func(t tallier) error {
		for _, task := range tasks {
			if err := task(t); err != nil {
				return err
			}
		}
		return nil
	}}
}

// catalogueTasks run each statement the query gives.
func (c *recountCrew) catalogueTasks(main *sql.Tx, query string) []func(tallier) error {
	var defs []string
	err := each(c.ctx, main, query, nil, func(s scanner) error {
		var def string
		err := s.Scan(&def)
		defs = append(defs, def)
		return err
	})
	if err != nil {
		return []func(tallier) error{func(tallier) error { return apperr.Wrap(err, "recount: catalogue") }}
	}
	var tasks []func(tallier) error
	for _, def := range defs {
		tasks = append(tasks, func(t tallier) error { return t.exec("index", def) })
	}
	return tasks
}

// analyzeTasks give the planner the statistics of the new tables.
func (c *recountCrew) analyzeTasks() []func(tallier) error {
	var tasks []func(tallier) error
	for _, table := range rebuiltTables {
		tasks = append(tasks, func(t tallier) error { return t.exec("statistics "+table, `ANALYZE `+table) })
	}
	return tasks
}

// swap puts the new tables in place of the old ones in the asking
// transaction; it waits for whoever reads the old ones.
func (c *recountCrew) swap(main *sql.Tx) error {
	var foreign []string
	in := "'" + strings.Join(rebuiltTables, "', '") + "'"
	// foreign keys are added here, where the referenced tables are
	// already locked, and are checked against their whole tables
	err := each(c.ctx, main, `SELECT 'ALTER TABLE ' || tc.relname || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' ||
			pg_get_constraintdef(k.oid)
		FROM pg_constraint k JOIN pg_class tc ON tc.oid = k.conrelid
		WHERE tc.relnamespace = current_schema()::regnamespace AND tc.relname IN (`+in+`) AND k.contype = 'f'
		ORDER BY tc.relname, k.conname`, nil, func(s scanner) error {
		var def string
		err := s.Scan(&def)
		foreign = append(foreign, def)
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "recount: foreign keys")
	}
	stmts := []string{`DROP TABLE ` + strings.Join(rebuiltTables, ", ")}
	for _, table := range rebuiltTables {
		stmts = append(stmts, `ALTER TABLE `+quoteIdent(c.stage)+`.`+table+` SET SCHEMA `+quoteIdent(c.cur))
	}
	stmts = append(stmts, foreign...)
	stmts = append(stmts, `DROP SCHEMA `+quoteIdent(c.stage))
	for _, s := range stmts {
		if _, err := main.ExecContext(c.ctx, s); err != nil {
			return apperr.Wrap(err, "recount: swap")
		}
	}
	return nil
}
