package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"copilote/internal/apperr"
	"copilote/internal/civil"
)

// rowQueue gathers the rows of one table until they are written together:
// one statement for hundreds or thousands of rows instead of one each,
// which is what makes an import or a bulk load fast, on PostgreSQL above
// all, where every statement costs a round trip. Statements hold a power
// of two of rows (a remainder of 300 goes as 256 + 32 + 8 + 4), so that
// each table needs a dozen prepared statements at most, compiled once.
type rowQueue struct {
	table, cols string
	width, max  int
	args        []any
	sql         map[int]string // the INSERT of n rows
	total       int64          // rows queued since the start
}

// maxParams keeps a statement's parameters under SQLite's 32 766 and
// PostgreSQL's 65 535; past a few thousand rows a statement gains nothing.
const maxParams = 16000

// newRowQueue queues rows of cols (comma-separated) in table, at most
// maxRows a statement, fewer for wide tables.
func newRowQueue(table, cols string, maxRows int) *rowQueue {
	cols = strings.Join(strings.Fields(cols), " ")
	w := strings.Count(cols, ",") + 1
	m := maxRows
	for m*w > maxParams {
		m /= 2
	}
	return &rowQueue{table: table, cols: cols, width: w, max: m, sql: map[int]string{}}
}

// add queues one row and reports whether the queue is full.
func (q *rowQueue) add(vals ...any) bool {
	q.args = append(q.args, vals...)
	q.total++
	return q.rows() >= q.max
}

func (q *rowQueue) rows() int { return len(q.args) / q.width }

// drain writes the queued rows with run, then forgets them (written texts
// and files can go).
func (q *rowQueue) drain(e Engine, run func(query string, args ...any) error) error {
	for done := 0; done < q.rows(); {
		n := q.max
		for n > q.rows()-done {
			n /= 2
		}
		if err := run(q.insert(n, e), q.args[done*q.width:(done+n)*q.width]...); err != nil {
			return err
		}
		done += n
	}
	clear(q.args)
	q.args = q.args[:0]
	return nil
}

// insert is the statement for n rows, built once per size.
func (q *rowQueue) insert(n int, e Engine) string {
	if s, ok := q.sql[n]; ok {
		return s
	}
	q.sql[n] = multiInsert(q.table, q.cols, q.width, n, e)
	return q.sql[n]
}

// stmtCache prepares each statement once in a transaction.
type stmtCache struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newStmtCache(ctx context.Context, tx *sql.Tx) *stmtCache {
	return &stmtCache{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
}

func (c *stmtCache) run(query string, args ...any) error {
	st, ok := c.stmts[query]
	if !ok {
		var err error
		if st, err = c.tx.PrepareContext(c.ctx, query); err != nil {
			return err
		}
		c.stmts[query] = st
	}
	_, err := st.ExecContext(c.ctx, args...)
	return err
}

func (c *stmtCache) close() {
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// multiInsert is the INSERT of n rows of width columns. PostgreSQL gets
// ($1, $2), ($3, $4)…; SQLite plain "?" marks, because the modernc driver
// looks every "$n" up by name, one scan of the list each, which makes
// binding a statement of thousands of parameters quadratic.
func multiInsert(table, cols string, width, n int, e Engine) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
	for r := range n {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range width {
			if c > 0 {
				sb.WriteString(", ")
			}
			if e == SQLite {
				sb.WriteByte('?')
			} else {
				sb.WriteString(ph(r*width + c + 1))
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// rowWriter writes the queued rows in a goroutine of its own: the next
// rows are made (generated, read from a file) while the database writes
// the last ones. Done in turn, a load of 10 M records kept each side
// waiting for the other, neither using a whole core. Only the writer
// uses the transaction until wait returns.
type rowWriter struct {
	write   func(q *rowQueue) error
	jobs    chan *rowQueue
	pending sync.WaitGroup
	err     error       // the first write that failed; later ones are skipped
	failed  atomic.Bool // err is set: the sender stops early
}

func newRowWriter(write func(q *rowQueue) error) *rowWriter {
	w := &rowWriter{write: write, jobs: make(chan *rowQueue, 2)}
	go func() {
		for q := range w.jobs {
			if w.err == nil {
				if w.err = w.write(q); w.err != nil {
					w.failed.Store(true)
				}
			}
			w.pending.Done()
		}
	}()
	return w
}

// copyWriter writes by PostgreSQL's COPY through the pgx connection under
// conn, in the transaction open on it.
func copyWriter(ctx context.Context, conn *sql.Conn) *rowWriter {
	return newRowWriter(func(q *rowQueue) error { return q.copy(ctx, conn) })
}

// send hands the queued rows to the writer and empties the queue.
func (w *rowWriter) send(q *rowQueue) error {
	if w.failed.Load() {
		return w.wait()
	}
	if q.rows() == 0 {
		return nil
	}
	// the writer owns these rows now: the queue starts a new array (the
	// statements built, q.sql, are only used by the writer)
	taken := *q
	q.args = make([]any, 0, cap(q.args))
	w.pending.Add(1)
	w.jobs <- &taken
	return nil
}

// wait returns once every row sent is written, with the first error:
// before anything else uses the transaction (a statement, a commit).
func (w *rowWriter) wait() error {
	w.pending.Wait()
	return w.err
}

// close waits for the rows sent and ends the goroutine.
func (w *rowWriter) close() error {
	err := w.wait()
	close(w.jobs)
	return err
}

// copy writes the queued rows with PostgreSQL's COPY through the pgx
// connection under conn, in the transaction open on it. COPY sends values
// in binary: days go as time.Time, which pgx encodes for a DATE column
// (civil.Date's text would need a text COPY).
func (q *rowQueue) copy(ctx context.Context, conn *sql.Conn) error {
	n := q.rows()
	rows := make([][]any, n)
	for i := range rows {
		row := q.args[i*q.width : (i+1)*q.width]
		for j, v := range row {
			if d, ok := v.(civil.Date); ok {
				row[j] = nil
				if !d.IsZero() {
					row[j] = d.Time()
				}
			}
		}
		rows[i] = row
	}
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: not a pgx connection (%T)", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{q.table}, strings.Split(q.cols, ", "), pgx.CopyFromRows(rows))
		return err
	})
	return apperr.Wrap(err, "copy "+q.table)
}
