// Package storetest opens real databases for tests: a SQLite file in a
// temporary folder, and a fresh schema in the PostgreSQL server named by
// COPILOTE_TEST_POSTGRES (the test command starts a throwaway one). Every
// store test runs on both through ForEach.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/indicator"
	"copilote/internal/store"
)

// PostgresEnv names the variable holding the admin URL of the test server.
const PostgresEnv = "COPILOTE_TEST_POSTGRES"

// Engines lists the engines tests run on.
var Engines = []store.Engine{store.SQLite, store.Postgres}

// ForEach runs fn once per engine, each on a fresh migrated database.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh, migrated database of engine e, closed at cleanup.
// Without a PostgreSQL server the PostgreSQL run is skipped on a developer's
// machine, and fails when CI=true so that CI never passes on SQLite alone.
func Open(tb testing.TB, e store.Engine) *store.DB {
	tb.Helper()
	dsn := DSN(tb, e)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", e, err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// DSN returns a connection string to an empty database of engine e.
func DSN(tb testing.TB, e store.Engine) string {
	tb.Helper()
	if e == store.SQLite {
		return filepath.Join(tb.TempDir(), "copilote.db")
	}
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: CI must run the store tests on PostgreSQL (run them with make test)", PostgresEnv)
		}
		tb.Skipf("%s is not set: PostgreSQL run skipped (make test starts a server)", PostgresEnv)
	}
	return freshSchema(tb, admin)
}

// freshSchema creates a schema of its own for one test and returns a URL
// whose search_path points at it; the schema is dropped at cleanup.
func freshSchema(tb testing.TB, admin string) string {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.Exec(`CREATE SCHEMA ` + schema); err != nil {
		conn.Close()
		tb.Fatalf("create schema on %s: %v", admin, err)
	}
	tb.Cleanup(func() {
		conn.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		conn.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// NationalFigures is the 20 indicators of the whole base over 2023–2026,
// as one line ("S11a=9 S11b=63 …"): two bases, or one base before and
// after a recount, hold the same tallies when their lines are equal.
func NationalFigures(tb testing.TB, db *store.DB) string {
	tb.Helper()
	res, err := db.Indicators(context.Background(), indicator.Scope{Kind: indicator.ScopeAll},
		indicator.Period{From: civil.MustParse("2023-01-01"), To: civil.MustParse("2026-12-31")})
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, f := range res.Indicators {
		if f.Value != nil {
			fmt.Fprintf(&b, "%s=%v ", f.Code, *f.Value)
		}
	}
	return b.String()
}
