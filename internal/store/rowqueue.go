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

// copier writes rows with PostgreSQL's COPY through the pgx connection
// under conn, in the transaction open on it, in a goroutine of its own:
// the next rows are made (generated, read from a file) while the server
// writes the last ones. Done in turn, a load of 10 M records kept each
// side waiting for the other, neither using a whole core.
type copier struct {
	ctx     context.Context
	conn    *sql.Conn
	jobs    chan copyJob
	pending sync.WaitGroup
	err     error       // the first COPY that failed; later ones are skipped
	failed  atomic.Bool // err is set: the sender stops early
}

type copyJob struct {
	table string
	cols  []string
	rows  [][]any
}

func newCopier(ctx context.Context, conn *sql.Conn) *copier {
	c := &copier{ctx: ctx, conn: conn, jobs: make(chan copyJob, 2)}
	go func() {
		for job := range c.jobs {
			if c.err == nil {
				if c.err = c.copy(job); c.err != nil {
					c.failed.Store(true)
				}
			}
			c.pending.Done()
		}
	}()
	return c
}

func (c *copier) copy(job copyJob) error {
	err := c.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: not a pgx connection (%T)", dc)
		}
		_, err := pc.Conn().CopyFrom(c.ctx, pgx.Identifier{job.table}, job.cols, pgx.CopyFromRows(job.rows))
		return err
	})
	return apperr.Wrap(err, "copy "+job.table)
}

// send hands the queued rows to the copier and empties the queue. COPY
// sends values in binary: days go as time.Time, which pgx encodes for a
// DATE column (civil.Date's text would need a text COPY).
func (c *copier) send(q *rowQueue) error {
	if c.failed.Load() {
		return c.wait()
	}
	n := q.rows()
	if n == 0 {
		return nil
	}
	rows := make([][]any, n)
	for i := range rows {
		row := q.args[i*q.width : (i+1)*q.width : (i+1)*q.width]
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
	// the copier owns these rows now: the queue starts a new array
	q.args = make([]any, 0, cap(q.args))
	c.pending.Add(1)
	c.jobs <- copyJob{table: q.table, cols: strings.Split(q.cols, ", "), rows: rows}
	return nil
}

// wait returns once every row sent is written, with the first error:
// before anything else uses the connection (a statement, a commit).
func (c *copier) wait() error {
	c.pending.Wait()
	return c.err
}

// close waits for the rows sent and ends the goroutine.
func (c *copier) close() error {
	err := c.wait()
	close(c.jobs)
	return err
}
