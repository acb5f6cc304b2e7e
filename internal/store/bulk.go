package store

// Bulk loading for generated data (internal/synth): rows arrive with their
// ids already given, are queued per table and written by multi-row INSERTs
// prepared once per transaction. Nothing is validated here: the caller
// guarantees what the domain's Validate would check, which is what makes a
// load of millions of rows take minutes rather than hours.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"copilote/internal/apperr"
)

// ErrBulkNotEmpty refuses a bulk load into a database holding a Caf.
var ErrBulkNotEmpty = errors.New("la base n'est pas vide : le chargement en masse n'écrit que dans une base vide")

// ActBulk is the audit action of a bulk load: one row for the whole load,
// its detail the count of rows per table.
const ActBulk = "bulk_load"

// bulkTables are the tables a bulk load fills, parents before children (a
// flush writes them in this order, so a row never precedes what it refers
// to), with the columns the caller gives, in that order.
var bulkTables = []struct{ table, cols string }{
	{"caf", "id, code, name, department"},
	{"partner", "id, caf_id, name, type, siret, created_at"},
	{"ctg", "id, caf_id, name, epci_siren, population, start_date, end_date, created_at, updated_at"},
	{"ctg_commune", "ctg_id, insee, name, population"},
	{"ctg_signatory", "ctg_id, position, organisation, represented_by"},
	{"ctg_axis", "ctg_id, axis, position"},
	{"dev_objective", "id, ctg_id, kind, label, target, achieved"},
	{"instance", "id, ctg_id, kind, name, axis"},
	{"post", "id, ctg_id, person, employer, etp, start_date, end_date, chef_de_projet, annual_cost, caf_cofunding"},
	{"post_function", "post_id, function"},
	{"post_axis", "post_id, axis"},
	{"action", `id, ctg_id, code, title, axis, objective, finding, pilot_structure, pilot_person, target_public,
		start_date, end_date, budget_planned, budget_actual, caf_lever, priority, status, progress, created_at, updated_at`},
	{"action_partner", "action_id, partner_id, role"},
	{"action_commune", "action_id, insee"},
	{"record", `id, ctg_id, post_id, kind, day, title, comment, instance_id, action_id, meeting_id, axis, nature,
		audience, instance_kind, facilitated, innovative, network, habitants_conception, habitants_evaluation, status,
		origin, taken_on, taken_how, requests_examined, places_allocated, linked_on, linked_instance_id, created_at,
		updated_at, deleted_at`},
	{"record_partner", "record_id, partner_id"},
	{"meeting_role", "record_id, post_id, role"},
	{"subject_status", "record_id, status, day, how, post_id"},
	{"action_update", "id, action_id, post_id, day, status, percent, difficulties, alert_record_id, created_at"},
	{"survey_wave", "id, ctg_id, audience, kind, day, closes, token"},
	{"survey_response", "id, wave_id, submitted_at, comment"},
	{"survey_answer", "response_id, item, score"},
}

// bulkIdentities are the bulk tables whose ids the caller gives.
var bulkIdentities = []string{"caf", "partner", "ctg", "dev_objective", "instance", "post", "action", "record",
	"action_update", "survey_wave", "survey_response"}

// bulkMaxRows: narrow tables get more rows per statement than wide ones,
// so that they seldom fill before the record table, whose filling is what
// triggers a flush.
const bulkMaxRows = 4096

// Bulk is an open bulk load: Add queues rows, Commit makes what was added
// durable and starts the next transaction.
type Bulk struct {
	db   *DB
	ctx  context.Context
	conn *sql.Conn // the transactions' connection: COPY needs its pgx connection
	// writer writes the rows while the next are generated
	writer *rowWriter
	tx     *sql.Tx
	stmts  *stmtCache
	queues map[string]*rowQueue
	order  []*rowQueue
	// addKeys adds back the foreign keys the load dropped (PostgreSQL)
	addKeys func(querier) error
}

// BulkLoad runs fn on an empty, migrated database (it refuses a database
// holding a Caf), committing whatever fn leaves queued when it returns nil,
// and writes one audit row with the count of rows per table. What fn
// committed itself with Bulk.Commit stays when fn fails later: a failed
// load leaves a partial database, to be dropped.
func (db *DB) BulkLoad(ctx context.Context, fn func(b *Bulk) error) (map[string]int64, error) {
	counts, err := db.bulkLoad(ctx, fn)
	if err != nil {
		return nil, err
	}
	// once the load's connection is back in the pool: SQLite's has one
	return counts, db.recountIfPending(ctx)
}

func (db *DB) bulkLoad(ctx context.Context, fn func(b *Bulk) error) (map[string]int64, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, apperr.Wrap(err, "bulk: empty")
	}
	if !empty {
		return nil, ErrBulkNotEmpty
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, apperr.Wrap(err, "bulk: connection")
	}
	defer conn.Close()
	defer bulkPragmas(ctx, conn, db.Engine)()
	b := &Bulk{db: db, ctx: ctx, conn: conn, queues: map[string]*rowQueue{}}
	if db.Engine == Postgres {
		b.writer = copyWriter(ctx, conn)
	} else {
		// b.stmts is the open transaction's, renewed after each commit,
		// which waits for the writer
		b.writer = newRowWriter(func(q *rowQueue) error { return q.drain(SQLite, b.stmts.run) })
	}
	defer b.writer.close()
	for _, t := range bulkTables {
		q := newRowQueue(t.table, t.cols, bulkMaxRows)
		b.queues[t.table] = q
		b.order = append(b.order, q)
	}
	if err := b.begin(); err != nil {
		return nil, err
	}
	if err := b.suspendForeignKeys(); err != nil {
		b.rollback()
		return nil, err
	}
	// Indexes are kept up to date row by row: dropping them for the load and
	// building them at the end was measured slower (24 s → 38 s for a
	// million records on SQLite).
	err = fn(b)
	counts := b.Counts()
	if err == nil {
		err = b.finish(counts)
	}
	if err != nil {
		b.rollback()
		b.restoreKeys()
		return nil, err
	}
	return counts, nil
}

// countLater counts the tallies of the load in its last transaction on
// SQLite; PostgreSQL counts them beside it once it is committed, on two
// connections (tally_parallel.go), after the statistics of the loaded
// tables (without them its planner reads a fresh table through the wrong
// index).
func (b *Bulk) countLater() error {
	if b.db.Engine != Postgres {
		return tallier{ctx: b.ctx, q: b.tx, engine: b.db.Engine}.rebuild()
	}
	if err := analyzeSchema(b.ctx, b.tx, b.db.Engine); err != nil {
		return err
	}
	return markRecount(b.ctx, b.tx, Postgres)
}

// suspendForeignKeys drops PostgreSQL's foreign keys of the loaded tables
// for the load, as the exchange import does: each key is a trigger run
// for every row (a record has six), and COPY runs them too. finish adds
// them back, which checks every table in one join before the last commit.
// A load that fails adds them back too, as far as its rows allow; its
// partial database is to be dropped anyway.
func (b *Bulk) suspendForeignKeys() error {
	if b.db.Engine != Postgres {
		return nil
	}
	tables := make([]string, len(bulkTables))
	for i, t := range bulkTables {
		tables[i] = t.table
	}
	add, err := dropForeignKeys(b.ctx, b.tx, tables)
	b.addKeys = add
	return apperr.Wrap(err, "bulk: drop foreign keys")
}

// restoreKeys adds back the foreign keys a failed load dropped.
func (b *Bulk) restoreKeys() {
	if b.addKeys == nil {
		return
	}
	ctx := context.WithoutCancel(b.ctx)
	tx, err := b.conn.BeginTx(ctx, nil)
	if err != nil {
		return
	}
	if b.addKeys(tx) != nil {
		tx.Rollback()
		return
	}
	tx.Commit()
}

func (b *Bulk) begin() error {
	tx, err := b.conn.BeginTx(b.ctx, nil)
	if err != nil {
		return apperr.Wrap(err, "bulk: begin")
	}
	b.tx, b.stmts = tx, newStmtCache(b.ctx, tx)
	return nil
}

// copied returns once the rows sent to the writer are written: the
// transaction is then free for a statement or a commit.
func (b *Bulk) copied() error { return b.writer.wait() }

// rollback drops the open transaction and its statements.
func (b *Bulk) rollback() {
	b.copied()
	b.closeStmts()
	if b.tx != nil {
		b.tx.Rollback()
		b.tx = nil
	}
}

func (b *Bulk) closeStmts() {
	if b.stmts != nil {
		b.stmts.close()
	}
}

// finish writes the last rows, moves PostgreSQL's identity sequences past
// the given ids and writes the audit row, then commits.
func (b *Bulk) finish(counts map[string]int64) error {
	if err := b.flush(); err != nil {
		return err
	}
	if err := b.copied(); err != nil {
		return apperr.Wrap(err, "bulk")
	}
	if b.addKeys != nil {
		if err := b.addKeys(b.tx); err != nil {
			return apperr.Wrap(err, "bulk")
		}
		b.addKeys = nil
	}
	if b.db.Engine == Postgres {
		for _, t := range bulkIdentities {
			_, err := b.tx.ExecContext(b.ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
				COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`)
			if err != nil {
				return apperr.Wrap(err, "bulk: sequence "+t)
			}
		}
	}
	if err := b.countLater(); err != nil {
		return err
	}
	detail := make([]string, 0, len(b.order))
	for _, q := range b.order {
		detail = append(detail, fmt.Sprintf("%q:%d", q.table, counts[q.table]))
	}
	var entry int64
	err := b.tx.QueryRowContext(b.ctx, `INSERT INTO audit (at, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		b.db.now().UTC().Truncate(time.Microsecond), ActBulk, "bulk", 0, "{"+strings.Join(detail, ",")+"}").Scan(&entry)
	if err != nil {
		return apperr.Wrap(err, "bulk: audit")
	}
	if err := bumpDataVersion(b.ctx, b.tx); err != nil {
		return err
	}
	if err := chainAudit(b.ctx, b.tx, b.db.Engine, []int64{entry}); err != nil {
		return err
	}
	return b.commit()
}

func (b *Bulk) commit() error {
	if err := b.copied(); err != nil {
		return apperr.Wrap(err, "bulk")
	}
	b.closeStmts()
	err := b.tx.Commit()
	b.tx = nil
	return apperr.Wrap(err, "bulk: commit")
}

// Add queues one row of table, its values in the order of the table's
// columns (see bulkTables). A full queue writes every queue, parents first.
func (b *Bulk) Add(table string, vals ...any) error {
	q, ok := b.queues[table]
	if !ok {
		return fmt.Errorf("bulk: unknown table %q", table)
	}
	if len(vals) != q.width {
		return fmt.Errorf("bulk: %s takes %d values, got %d", table, q.width, len(vals))
	}
	if q.add(vals...) {
		return b.flush()
	}
	return nil
}

// Commit writes every queued row and commits, then opens the next
// transaction: loads commit every few hundred thousand rows so that
// neither SQLite's WAL nor PostgreSQL's transaction grows without end.
func (b *Bulk) Commit() error {
	if err := b.flush(); err != nil {
		return err
	}
	if err := b.commit(); err != nil {
		return err
	}
	return b.begin()
}

// Counts is the number of rows added so far, per table.
func (b *Bulk) Counts() map[string]int64 {
	out := make(map[string]int64, len(b.order))
	for _, q := range b.order {
		out[q.table] = q.total
	}
	return out
}

// flush writes every queue in table order, parents first: with COPY on
// PostgreSQL (a multi-row INSERT binds and parses every value as a
// parameter), with multi-row INSERTs on SQLite.
func (b *Bulk) flush() error {
	for _, q := range b.order {
		if err := b.writer.send(q); err != nil {
			return apperr.Wrap(err, "bulk: "+q.table)
		}
	}
	return nil
}

// TableCounts counts the rows of the named tables (bulk tables only, whose
// names are known), for reports and tests.
func (db *DB) TableCounts(ctx context.Context, tables ...string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, t := range tables {
		known := false
		for _, bt := range bulkTables {
			known = known || bt.table == t
		}
		if !known {
			return nil, fmt.Errorf("table counts: unknown table %q", t)
		}
		var n int64
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, apperr.Wrap(err, "count "+t)
		}
		out[t] = n
	}
	return out, nil
}

// bulkPragmas give SQLite's connection of the load a 1 GB page cache and
// in-memory temporary files, so that dirty pages do not spill to the WAL
// mid-transaction and the indexes of millions of records stay in memory;
// turn foreign-key checks off (six index look-ups per record; the caller
// gives consistent ids); and write without waiting for the disk at each
// commit (synchronous OFF): the database was empty and nobody uses it
// before the load returns, so a crash loses only a load that is redone
// from the start. The undo restores the settings of openSQLite, since the
// same connection serves the application afterwards. (Same cache as the
// exchange import; kept apart so that either can change alone.)
func bulkPragmas(ctx context.Context, conn *sql.Conn, e Engine) (undo func()) {
	if e != SQLite {
		return func() {}
	}
	conn.ExecContext(ctx, `PRAGMA cache_size = -1048576`)
	conn.ExecContext(ctx, `PRAGMA temp_store = MEMORY`)
	conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`)
	conn.ExecContext(ctx, `PRAGMA synchronous = OFF`)
	return func() {
		ctx := context.WithoutCancel(ctx)
		conn.ExecContext(ctx, `PRAGMA cache_size = -2000`)
		conn.ExecContext(ctx, `PRAGMA temp_store = DEFAULT`)
		conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
		conn.ExecContext(ctx, `PRAGMA synchronous = FULL`)
	}
}
