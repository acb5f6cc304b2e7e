package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// What an operator and the web layer need to know of the database's
// health (issue 14, item 5).

// Unavailable tells whether err comes from a database that cannot serve
// now (server down or restarting, connection cut, SQLite busy beyond its
// timeout) rather than from a bug: the user is told to retry, and the
// pool reconnects on its own when the server is back.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		// the server closed a connection in the middle of an answer
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // extended codes keep the primary in the low byte
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// class 08: connection exception; 57P01–57P03: shutdown, crash,
		// cannot connect now (starting up)
		return len(pe.Code) == 5 && (pe.Code[:2] == "08" || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03")
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return pgconn.SafeToRetry(err)
}

// Ready tells whether the database answers and its schema is this
// program's: an instance started before its migration ran is alive but
// not ready.
func (db *DB) Ready(ctx context.Context) (int, error) {
	if err := db.Ping(ctx); err != nil {
		return 0, err
	}
	return db.SchemaVersion(ctx)
}

// Pools are the connection pools, for their statistics.
func (db *DB) Pools() map[string]*sql.DB {
	if db.write == db.read {
		return map[string]*sql.DB{"pool": db.write}
	}
	return map[string]*sql.DB{"write": db.write, "read": db.read}
}

// WriteObserver is told of each write transaction: how long it took,
// recount of the tallies included, and whether it committed.
type WriteObserver func(d time.Duration, committed bool)

// ObserveWrites sets the observer; call it before serving.
func (db *DB) ObserveWrites(o WriteObserver) { db.observe = o }
