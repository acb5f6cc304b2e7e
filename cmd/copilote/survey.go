package main

import (
	"context"
	"fmt"
	"io"
)

// runSurvey runs the survey tasks: `survey purge` blanks the comments each
// Caf keeps no longer (its setting, in months). Every survey write of a Caf
// purges its own already, and the results never show a comment past its
// time; the command is for a Caf whose surveys no longer change, from a
// daily cron job.
func runSurvey(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "purge" {
		fmt.Fprintln(stderr, "Usage : copilote survey purge [--db CHEMIN|URL]")
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("survey purge", "survey purge [--db CHEMIN|URL]", stderr, true)
	cfg.DBFlag(fs)
	if help, err := parse(fs, args[1:]); help || err != nil {
		return err
	}
	db, err := openExisting(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.PurgeSurveyComments(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Commentaires d'enquête effacés : %d.\n", n)
	return nil
}
