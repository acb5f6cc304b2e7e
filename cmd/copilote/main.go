// Command copilote runs the Copilote server and its administration tasks.
// Flag parsing stays apart from running so that tests start the real program.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var commands = []command{
	{"serve", "démarrer le serveur web", runServe},
	{"migrate", "mettre à jour le schéma de la base", runMigrate},
	{"framework", "afficher le référentiel (tableaux 1 et 2)", runFramework},
	{"user", "gérer les comptes (user add, user list)", runUser},
	{"indicators", "calculer les indicateurs d'un périmètre", runIndicators},
	{"export", "exporter la base ou une CTG (format d'échange JSON)", runExport},
	{"import", "importer un fichier d'échange dans une base vide", runImport},
	{"synth", "générer un jeu de données national synthétique", runSynth},
	{"audit", "vérifier l'intégrité du journal d'audit (audit verify)", runAudit},
	{"survey", "enquêtes : effacer les commentaires échus (survey purge)", runSurvey},
	{"version", "afficher la version", runVersion},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run returns the exit code: 0 ok, 1 failure, 2 bad usage.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			if err := c.run(ctx, args[1:], stdin, stdout, stderr); err != nil {
				if err == errUsage {
					return 2
				}
				fmt.Fprintf(stderr, "copilote %s : %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "copilote : commande inconnue %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Copilote : pilotage et évaluation des chargés de coopération des CTG.")
	fmt.Fprintln(w, "\nUsage : copilote <commande> [options]\n\nCommandes :")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n« copilote <commande> --help » détaille les options de chaque commande.")
}

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "copilote", version)
	return nil
}
