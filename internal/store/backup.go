package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"copilote/internal/apperr"
)

// Backup and restore of a SQLite database (issue 14, item 4). A backup is
// a consistent snapshot taken while users write: SQLite's VACUUM INTO
// reads one snapshot of the WAL database, on a connection of its own, and
// writes a compact copy; writers are not held up. PostgreSQL is backed up
// with pg_dump and restored with pg_restore (docs/operations.md): both
// take one snapshot and are what a PostgreSQL operator already runs.

// ErrPostgresBackup says that `copilote backup` does not dump PostgreSQL.
var ErrPostgresBackup = errors.New("postgres backup")

// BackupInfo describes a snapshot.
type BackupInfo struct {
	Schema  int   // the schema version of the snapshot
	Records int64 // records it holds, deleted ones included
	Audit   int64 // audit entries
	Bytes   int64 // the file's size
}

// Backup writes a snapshot of the SQLite database to out, which must not
// exist, and checks it.
func (db *DB) Backup(ctx context.Context, out string) (BackupInfo, error) {
	if db.Engine != SQLite {
		return BackupInfo{}, ErrPostgresBackup
	}
	if _, err := os.Stat(out); err == nil {
		return BackupInfo{}, fmt.Errorf("le fichier %s existe déjà : choisissez un autre nom, une sauvegarde n'en écrase pas une autre", out)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return BackupInfo{}, err
	}
	// not the read pool: it is query_only, which refuses VACUUM
	conn, err := sql.Open("sqlite", db.sqliteBase)
	if err != nil {
		return BackupInfo{}, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs)
		return BackupInfo{}, apperr.Wrap(err, "vacuum into")
	}
	info, err := CheckSnapshot(ctx, abs)
	if err != nil {
		os.Remove(abs)
	}
	return info, err
}

// CheckSnapshot opens a snapshot read-only, runs SQLite's integrity check
// and reads what it holds.
func CheckSnapshot(ctx context.Context, path string) (BackupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("sauvegarde illisible : %w", err)
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return BackupInfo{}, err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return BackupInfo{}, fmt.Errorf("%s n'est pas une sauvegarde SQLite de Copilote : %w", path, err)
	}
	if check != "ok" {
		return BackupInfo{}, fmt.Errorf("la sauvegarde %s est endommagée : %s", path, check)
	}
	info := BackupInfo{Bytes: st.Size()}
	err = conn.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(version), 0) FROM schema_migration),
		(SELECT COUNT(*) FROM record), (SELECT COUNT(*) FROM audit)`).Scan(&info.Schema, &info.Records, &info.Audit)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%s n'est pas une sauvegarde de Copilote : %w", path, err)
	}
	if info.Schema > LatestVersion() {
		return BackupInfo{}, fmt.Errorf("la sauvegarde est au schéma %d, plus récent que ce programme (%d) : restaurez-la avec la version qui l'a faite", info.Schema, LatestVersion())
	}
	return info, nil
}

// Restore puts the snapshot in back as the SQLite database target, which
// must not exist yet (or be an empty file): a restore never overwrites a
// database. The caller migrates it afterwards.
func Restore(ctx context.Context, in, target string) (BackupInfo, error) {
	if IsPostgres(target) {
		return BackupInfo{}, ErrPostgresBackup
	}
	if st, err := os.Stat(target); err == nil && st.Size() > 0 {
		return BackupInfo{}, fmt.Errorf("la base %s existe déjà : une restauration se fait dans une base neuve (déplacez l'ancienne d'abord)", target)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return BackupInfo{}, err
	}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(target + side); err == nil {
			return BackupInfo{}, fmt.Errorf("le fichier %s%s existe : une base ouverte est encore là", target, side)
		}
	}
	info, err := CheckSnapshot(ctx, in)
	if err != nil {
		return info, err
	}
	if dir := filepath.Dir(target); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return info, err
		}
	}
	// copied beside the target, synced, then renamed: a restore cut short
	// leaves no half database under the target's name
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return info, err
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(in)
	if err != nil {
		tmp.Close()
		return info, err
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return info, err
	}
	return info, os.Rename(tmp.Name(), target)
}

// PostgresBackupHelp is how to back up and restore PostgreSQL, for the
// command's answer.
func PostgresBackupHelp(dsn string) string {
	u := dsn
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			u = u[:j+3] + "…" + u[i:]
		}
	}
	return "Pour PostgreSQL, la sauvegarde cohérente à chaud est celle de pg_dump :\n" +
		"  pg_dump --format=custom --file=copilote.dump '" + u + "'\n" +
		"et la restauration, dans une base neuve :\n" +
		"  pg_restore --no-owner --dbname='URL-de-la-base-neuve' copilote.dump\n" +
		"(docs/operations.md, « Sauvegardes »)."
}
