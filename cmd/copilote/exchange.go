package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"copilote/internal/apperr"
	"copilote/internal/exchange"
)

// The exchange format's commands (docs/exchange.md). Progress and summaries
// go to stderr, so that `export` without --out writes the document alone
// on stdout and pipes into `import … -`.

const exportSynopsis = "export --db CHEMIN|URL [--ctg ID] [--out FICHIER]"

func runExport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("export", exportSynopsis, stderr, true)
	cfg.DBFlag(fs)
	ctgID := fs.Int64("ctg", 0, "n'exporter qu'une CTG (son identifiant), avec sa Caf et les partenaires de celle-ci")
	out := fs.String("out", "", "fichier à écrire (par défaut la sortie standard)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "copilote export : argument inattendu %q\n", fs.Arg(0))
		return errUsage
	}
	db, err := openExisting(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	opt := exchange.ExportOptions{CTGID: *ctgID, Progress: stderr}
	var counts exchange.Counts
	if *out == "" {
		counts, err = db.Export(ctx, stdout, opt)
	} else {
		counts, err = writeAtomically(*out, func(w io.Writer) (exchange.Counts, error) { return db.Export(ctx, w, opt) })
	}
	if err != nil {
		return plain(err)
	}
	fmt.Fprintf(stderr, "Export terminé : %s.\n", counts.Summary())
	return nil
}

// plain keeps the French sentence of an expected error (an unknown CTG)
// without its code; an unexpected one keeps its cause, for the log. An
// import error is shown whole: it wraps the domain's *apperr.Error, whose
// sentence alone ("Le formulaire contient des erreurs…") would lose the
// line, the object and the fields that it names.
func plain(err error) error {
	var xe *exchange.Error
	if errors.As(err, &xe) {
		return xe
	}
	var e *apperr.Error
	if errors.As(err, &e) && e.Code != apperr.Internal {
		return errors.New(e.Message())
	}
	return err
}

// writeAtomically writes into a temporary file beside path and renames it
// only once the export succeeded: a failed export leaves no truncated
// document that could pass for a whole one.
func writeAtomically(path string, write func(io.Writer) (exchange.Counts, error)) (exchange.Counts, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".copilote-export-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	counts, err := write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return counts, os.Rename(f.Name(), path)
}

const importSynopsis = "import --db CHEMIN|URL FICHIER   (« - » lit l'entrée standard)"

const importHelp = `
L'import se fait dans une base vide (une base SQLite absente est créée), en
une seule transaction : au premier défaut, rien n'est écrit et le message
donne la ligne, l'objet (par exemple records[1234]) et le champ en cause.
Importer une seconde fois le même fichier est refusé (la base n'est plus
vide) et ne change rien.
`

func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("import", importSynopsis, stderr, true)
	cfg.DBFlag(fs)
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(stderr, importHelp) }
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "copilote import : indiquez un fichier, et un seul (« - » pour l'entrée standard)")
		return errUsage
	}
	in, closeIn, err := openInput(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.Import(ctx, in, stderr)
	if err != nil {
		return plain(err)
	}
	fmt.Fprintf(stdout, "Import terminé : %s.\n", counts.Summary())
	return nil
}

func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("lecture de %s impossible : %w", name, err)
	}
	return f, func() { f.Close() }, nil
}
