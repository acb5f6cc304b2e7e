// Package store holds every SQL statement of Copilote. One schema and one set
// of statements serve SQLite (embedded, the default) and PostgreSQL (national
// deployments with several stateless app instances); where the engines
// differ, the difference is named here rather than hidden.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite", pure Go

	"copilote/internal/apperr"
	"copilote/internal/indicator"
	"copilote/internal/msg"
	"copilote/internal/versioned"
)

// Engine names the database behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB holds two pools: on SQLite every write goes through a single connection
// (SQLite has one writer; queueing in Go beats SQLITE_BUSY), reads go
// through several. On PostgreSQL both are the same pool.
type DB struct {
	Engine Engine
	write  *sql.DB
	read   *sql.DB
	// now is replaced in tests that need a fixed clock.
	now func() time.Time
	// figures keeps indicator results per scope version (version.go).
	figures *versioned.Cache[figureKey, indicator.Result]
	// nationalLag is how long national figures may lag behind the data
	// (SetNationalLag); zero: never.
	nationalLag time.Duration
	national    sync.Map // figureKey → *sync.Mutex held while it is counted
	// streams lets at most half the read pool's connections serve
	// StreamRecords at once, each for a whole export.
	streams chan struct{}
	// sqliteBase is the SQLite file's connection string (backup.go).
	sqliteBase string
	// observe, when set, is told of every write (health.go).
	observe WriteObserver
}

type figureKey struct {
	scope  indicator.Scope
	period indicator.Period
}

// maxCachedResults bounds the figures kept: about 10 KB a result.
const maxCachedResults = 2048

// Open connects to dsn: a postgres:// URL means PostgreSQL, anything else is
// a SQLite file path, created if missing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var db *DB
	var err error
	if IsPostgres(dsn) {
		db, err = openPostgres(dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Engine: Postgres, write: pool, read: pool, now: time.Now, figures: newFigureCache(),
		streams: make(chan struct{}, 10)}, nil
}

func openSQLite(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	// WAL lets readers run beside the writer; FULL sync writes the WAL to
	// disk at every commit, so that a write acknowledged survives even a
	// power loss (NORMAL could lose the last ones); foreign keys are off by
	// default in SQLite and must be asked for on every connection.
	pragmas := []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"}
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	base := "file:" + path + "?" + q.Encode()
	// _txlock=immediate takes the write lock at BEGIN, so a write
	// transaction never fails half-way on a lock upgrade.
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(4)
	return &DB{Engine: SQLite, write: write, read: read, now: time.Now, figures: newFigureCache(),
		streams: make(chan struct{}, 2), sqliteBase: base}, nil
}

// SetNationalLag lets the national figures be served for up to d after
// they were computed, whatever was committed since: nationally officers
// write every few seconds, and a consolidation of every CTG costs about
// half a second at 10 M records. Every other scope's figures stay exact.
// Call it before serving.
func (db *DB) SetNationalLag(d time.Duration) { db.nationalLag = d }

// NationalLag is what SetNationalLag set.
func (db *DB) NationalLag() time.Duration { return db.nationalLag }

func newFigureCache() *versioned.Cache[figureKey, indicator.Result] {
	return versioned.New[figureKey, indicator.Result](maxCachedResults)
}

// Ping checks both pools; /healthz relies on it.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	return db.read.PingContext(ctx)
}

func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// SetClock fixes "now" for tests and for the deterministic demo.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// querier is what both *sql.DB and *sql.Tx offer, so read helpers serve
// requests and transactions alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// notFound turns sql.ErrNoRows into the domain's "not found" with key k.
func notFound(err error, k msg.Key) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf(k)
	}
	return err
}

// isUniqueViolation recognises both engines' unique-constraint errors.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func idOf(n sql.NullInt64) int64 {
	if n.Valid {
		return n.Int64
	}
	return 0
}
