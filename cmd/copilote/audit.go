package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const auditVerifySynopsis = "audit verify --db CHEMIN|URL [--expect N:EMPREINTE]"

// auditVerifyHelp completes --help: what the check proves, and the anchor
// that makes it prove more.
const auditVerifyHelp = `
Recalcule l'empreinte de chaque entrée du journal d'audit, chaînée à la
précédente : une entrée modifiée, supprimée ou ajoutée hors de Copilote est
signalée par sa place. Affiche à la fin la tête de chaîne (place et
empreinte) : notez-la ailleurs (ticket, courriel, coffre), puis vérifiez plus
tard avec --expect place:empreinte qu'elle figure toujours, identique, dans
la chaîne ; seul cet ancrage détecte une chaîne réécrite entièrement.
Code de sortie : 0 journal intègre, 1 journal altéré ou erreur.
`

func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "Usage : copilote "+auditVerifySynopsis)
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("audit verify", auditVerifySynopsis, stderr, true)
	cfg.DBFlag(fs)
	expect := fs.String("expect", "", "place:empreinte d'une tête de chaîne notée plus tôt, qui doit s'y trouver")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(stderr, auditVerifyHelp) }
	if help, err := parse(fs, args[1:]); help || err != nil {
		return err
	}
	anchor, err := parseAnchor(*expect)
	if err != nil {
		fmt.Fprintf(stderr, "copilote audit verify : %v\n", err)
		return errUsage
	}
	// opened as it is: a migration would chain the history of a database
	// that predates the chain, and must not run under the check
	db, err := openAsIs(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := db.VerifyAudit(ctx)
	if err != nil {
		return userError(err)
	}
	problems := c.Problems
	if anchor.seq > 0 {
		hash, err := db.AuditHash(ctx, anchor.seq)
		if err != nil {
			return userError(err)
		}
		if hash != anchor.hash {
			problems = append(problems, fmt.Sprintf("l'entrée %d n'a plus l'empreinte notée (%s) : la chaîne a été réécrite depuis", anchor.seq, short(anchor.hash)))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "Journal d'audit altéré (%d entrées chaînées lues) :\n", c.Entries)
		for _, p := range problems {
			fmt.Fprintln(stdout, "  - "+p)
		}
		return errors.New("journal d'audit altéré")
	}
	fmt.Fprintf(stdout, "Journal d'audit intègre : %d entrées chaînées.\nTête de chaîne à noter : %d:%s\n", c.Entries, c.HeadSeq, c.HeadHash)
	return nil
}

type anchor struct {
	seq  int64
	hash string
}

func parseAnchor(s string) (anchor, error) {
	if s == "" {
		return anchor{}, nil
	}
	n, h, ok := strings.Cut(s, ":")
	seq, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || seq <= 0 || len(h) != 64 {
		return anchor{}, fmt.Errorf("--expect attend place:empreinte, par exemple 1234:%s", strings.Repeat("0", 64))
	}
	return anchor{seq: seq, hash: h}, nil
}

func short(hash string) string { return hash[:min(12, len(hash))] + "…" }
