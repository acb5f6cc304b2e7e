package main

import (
	"context"
	"fmt"
	"io"

	"copilote/internal/synth"
)

const synthHelp = `
Écrit directement dans une base vide (créée et migrée si besoin ; une base
contenant déjà une Caf est refusée) un jeu de données synthétique et
déterministe : à l'échelle 1, 101 Caf, environ 1 500 CTG sur des EPCI réels,
6 000 postes, 40 000 partenaires et 10 millions d'enregistrements d'activité.
Les enregistrements et les partenaires suivent l'échelle ; les CTG suivent sa
racine carrée (0,001 donne environ 47 Caf et CTG pour 10 000 enregistrements).
La progression s'affiche sur la sortie d'erreur, le bilan sur la sortie standard.
`

// runSynth is "copilote synth": a national dataset for load tests.
func runSynth(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("synth", "synth --db CHEMIN|URL [--scale 1.0] [--seed N] [--years 5]", stderr, true)
	cfg.DBFlag(fs)
	scale := fs.Float64("scale", 1.0, "échelle : 1 = national (10 millions d'enregistrements)")
	seed := fs.Uint64("seed", 1, "graine : une même graine donne la même base")
	years := fs.Int("years", 5, "années d'activité générées, jusqu'au "+synth.AsOf.French())
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprint(stderr, synthHelp) }
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := synth.Run(ctx, db, synth.Options{Scale: *scale, Seed: *seed, Years: *years, Progress: stderr})
	if err != nil {
		return err
	}
	printSynth(stdout, s)
	return nil
}

func printSynth(w io.Writer, s synth.Stats) {
	n := synth.Thousands
	fmt.Fprintf(w, "Caf : %s\nCTG : %s\npostes : %s\npartenaires : %s\n", n(s.Cafs), n(s.CTGs), n(s.Posts), n(s.Partners))
	fmt.Fprintf(w, "enregistrements : %s (dont %s supprimés)\nfiches actions : %s\nmises à jour : %s\n",
		n(s.Records), n(s.Deleted), n(s.Actions), n(s.Updates))
	fmt.Fprintf(w, "vagues d'enquête : %s\nréponses : %s\nlignes écrites : %s\n", n(s.Waves), n(s.Responses), n(s.Rows))
	fmt.Fprintf(w, "durée : %.1f s, %s enregistrements/s (%.0f par ETP et par an)\n", s.Elapsed.Seconds(),
		n(int64(s.RecordsPerSecond())), s.RatePerETPYear)
}
