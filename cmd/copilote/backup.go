package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"copilote/internal/store"
)

const (
	backupSynopsis  = "backup --db CHEMIN --out FICHIER"
	restoreSynopsis = "restore --in FICHIER --db CHEMIN"
)

// runBackup takes a consistent snapshot of a SQLite database while the
// server runs and users write. PostgreSQL has pg_dump: the command says
// how.
func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("backup", backupSynopsis, stderr, true)
	cfg.DBFlag(fs)
	out := fs.String("out", "", "fichier de la sauvegarde, qui ne doit pas exister")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "copilote backup : --out est obligatoire")
		return errUsage
	}
	if store.IsPostgres(cfg.DB) {
		return errors.New(store.PostgresBackupHelp(cfg.DB))
	}
	// as it is: a backup changes nothing, not even the schema, and must
	// not wait for the write lock the users hold
	db, err := openAsIs(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	info, err := db.Backup(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Sauvegarde écrite : %s (%s, schéma %d, %d enregistrements, %d entrées d'audit, intégrité vérifiée).\n",
		*out, kb(info.Bytes), info.Schema, info.Records, info.Audit)
	return nil
}

// runRestore puts a snapshot back as a new SQLite database and brings its
// schema up to this program's.
func runRestore(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("restore", restoreSynopsis, stderr, true)
	cfg.DBFlag(fs)
	in := fs.String("in", "", "fichier de sauvegarde fait par « copilote backup »")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *in == "" {
		fmt.Fprintln(stderr, "copilote restore : --in est obligatoire")
		return errUsage
	}
	if store.IsPostgres(cfg.DB) {
		return errors.New(store.PostgresBackupHelp(cfg.DB))
	}
	info, err := store.Restore(ctx, *in, cfg.DB)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "Base restaurée : %s (schéma %d, %d enregistrements, %d entrées d'audit).\n", cfg.DB, info.Schema, info.Records, info.Audit)
	if info.Schema < store.LatestVersion() {
		fmt.Fprintf(stdout, "Schéma mis à jour de %d à %d.\n", info.Schema, store.LatestVersion())
	}
	return nil
}

// kb is a size for people.
func kb(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d Ko", (n+1023)/1024)
	}
	return fmt.Sprintf("%.1f Mo", float64(n)/(1<<20))
}
