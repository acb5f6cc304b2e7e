package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"copilote/internal/config"
	"copilote/internal/demo"
	"copilote/internal/msg"
	"copilote/internal/store"
	"copilote/internal/web"
)

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("serve", "serve [--addr HOST:PORT] [--db CHEMIN|URL] [--demo]", stderr, true)
	cfg.ServeFlags(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetNationalLag(cfg.NationalLag)
	if cfg.Demo {
		if err := loadDemo(ctx, db, stdout); err != nil {
			return err
		}
	}
	srv, err := web.New(db, cfg, log)
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(cfg.MetricsAddr, web.NewMetrics(srv).Handler(), log, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	return listen(ctx, cfg, srv.Handler(), log, stdout)
}

// newLogger writes text for a person at a terminal, JSON for a log
// collector.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == config.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serveMetrics serves /metrics on an address of its own, so that the
// public one never shows them.
func serveMetrics(addr string, h http.Handler, log *slog.Logger, out io.Writer) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("métriques : %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	fmt.Fprintf(out, "Métriques Prometheus sur http://%s/metrics\n", ln.Addr())
	return func() { srv.Close() }, nil
}

// openExisting opens the database of a command that only reads it:
// SQLite creates a missing file, so a typo in --db would answer from a new,
// empty database (and leave it behind) instead of saying so.
func openExisting(ctx context.Context, dsn string) (*store.DB, error) {
	if !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New(msg.Text(msg.DatabaseMissing, dsn))
		}
	}
	return openMigrated(ctx, dsn)
}

// openAsIs opens an existing database without migrating it, for a check
// that must see it as it is; its schema must be this binary's.
func openAsIs(ctx context.Context, dsn string) (*store.DB, error) {
	if !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New(msg.Text(msg.DatabaseMissing, dsn))
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != store.LatestVersion() {
		db.Close()
		return nil, fmt.Errorf("la base est au schéma %d, ce programme attend le %d : lancez d'abord « copilote migrate »", v, store.LatestVersion())
	}
	return db, nil
}

// openMigrated opens the database, creating a missing SQLite file, and
// brings its schema up to date: for the commands that fill a database.
func openMigrated(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migration : %w", err)
	}
	return db, nil
}

// loadDemo fills an empty database; on one that already holds data (a
// second `make run`), it keeps the data and lists its accounts again.
func loadDemo(ctx context.Context, db *store.DB, out io.Writer) error {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return err
	}
	var logins []demo.Login
	if empty {
		fmt.Fprintln(out, "Chargement des données de démonstration…")
		if logins, err = demo.Load(ctx, db); err != nil {
			return fmt.Errorf("démonstration : %w", err)
		}
	} else {
		fmt.Fprintln(out, "La base contient déjà des données : elles sont conservées.")
		users, err := db.Users(ctx, 0)
		if err != nil {
			return err
		}
		for _, u := range users {
			logins = append(logins, demo.Login{Email: u.Email, Name: u.Name, Role: u.Role.Label()})
		}
	}
	fmt.Fprintf(out, "\nComptes de démonstration (mot de passe : %s) :\n", demo.Password)
	for _, l := range logins {
		fmt.Fprintf(out, "  %-40s %-36s %s\n", l.Email, l.Role, l.Note)
	}
	fmt.Fprintln(out)
	return nil
}

// listen serves until ctx ends, then drains requests for up to 10 s.
func listen(ctx context.Context, cfg config.Config, h http.Handler, log *slog.Logger, out io.Writer) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(out, "Copilote écoute sur http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(out, "Copilote arrêté.")
	return nil
}
