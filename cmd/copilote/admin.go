package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"copilote/internal/account"
	"copilote/internal/apperr"
	"copilote/internal/framework"
	"copilote/internal/store"
)

func runMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("migrate", "migrate [--db CHEMIN|URL] [--recount]", stderr, true)
	cfg.DBFlag(fs)
	recount := fs.Bool("recount", false, "recompter ensuite tous les totaux à partir des enregistrements, "+
		"comme le fait une migration qui ajoute un total (après une correction faite à la main en SQL)")
	steps := fs.Bool("steps", false, "avec --recount : afficher chaque étape du recomptage et sa durée")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Schéma à jour : version %d (%s).\n", v, db.Engine)
	if *recount {
		start := time.Now()
		var trace func(string, time.Duration)
		if *steps {
			// the statements of a step add up under its name
			byWhat := map[string]time.Duration{}
			trace = func(what string, d time.Duration) {
				if step, ok := strings.CutPrefix(what, "step "); ok {
					fmt.Fprintf(stdout, "  étape %-20s %8.1f s", step, d.Seconds())
					for w, t := range byWhat {
						if t >= time.Second {
							fmt.Fprintf(stdout, " ; %s %.1f s", w, t.Seconds())
						}
					}
					fmt.Fprintln(stdout)
					clear(byWhat)
					return
				}
				byWhat[what] += d
			}
		}
		if err := db.RecountTalliesTraced(ctx, trace); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Totaux recomptés en %.1f s.\n", time.Since(start).Seconds())
	}
	return nil
}

func runFramework(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("framework", "framework [--format json|text]", stderr, false)
	format := fs.String("format", "text", "format de sortie : json ou text")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	f := framework.Load()
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	case "text":
		return f.WriteText(stdout)
	}
	fmt.Fprintf(stderr, "format inconnu %q : json ou text\n", *format)
	return errUsage
}

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "add" {
		return runUserAdd(ctx, args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "list" {
		return runUserList(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, "Usage : copilote user add|list [options]   (« copilote user add --help »)")
	return errUsage
}

// ctgList is a repeatable --ctg flag.
type ctgList []int64

func (c *ctgList) String() string { return fmt.Sprint(*c) }
func (c *ctgList) Set(v string) error {
	id, err := strconv.ParseInt(v, 10, 64)
	*c = append(*c, id)
	return err
}

func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	roles := make([]string, len(account.Roles))
	for i, r := range account.Roles {
		roles[i] = string(r)
	}
	fs := newFlags("user add", "user add --email E --name N --role R [--caf CODE] [--ctg ID]... < mot-de-passe", stderr, true)
	cfg.DBFlag(fs)
	var u account.User
	var role, caf string
	var ctgs ctgList
	fs.StringVar(&u.Email, "email", "", "adresse électronique (identifiant de connexion)")
	fs.StringVar(&u.Name, "name", "", "nom affiché")
	fs.StringVar(&role, "role", "", "rôle : "+strings.Join(roles, ", "))
	fs.StringVar(&caf, "caf", "", "code de la Caf (sauf rôle national)")
	fs.Var(&ctgs, "ctg", "identifiant d'une CTG accessible (répétable ; conseiller, membre du Copil)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	u.Role = account.Role(role)
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if caf != "" {
		c, err := db.CafByCode(ctx, caf)
		if err != nil {
			return optionErrors(err)
		}
		u.CafID = c.ID
	}
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		if err := tx.CreateUser(&u, strings.TrimRight(password, "\r\n")); err != nil {
			return err
		}
		for _, id := range ctgs {
			if err := tx.GrantCTG(u.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return optionErrors(err)
	}
	fmt.Fprintf(stdout, "Compte créé : %s (%s), identifiant %d.\n", u.Email, u.Role.Label(), u.ID)
	return nil
}

// optionErrors shows a refused account as the options at fault, each
// with its French message ("--ctg : La CTG 9 n'existe pas."), rather than
// the web form's summary; unexpected errors keep their cause for the log.
func optionErrors(err error) error {
	e := apperr.As(err)
	if e.Code == apperr.Internal {
		return err
	}
	if len(e.Fields) == 0 {
		return errors.New(e.Message())
	}
	var parts []string
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		option := "--" + f
		if f == "password" {
			option = "mot de passe (entrée standard)"
		}
		parts = append(parts, option+" : "+e.Fields[f])
	}
	return errors.New(strings.Join(parts, " ; "))
}

func runUserList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	fs := newFlags("user list", "user list [--db CHEMIN|URL]", stderr, true)
	cfg.DBFlag(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	db, err := openExisting(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.Users(ctx, 0)
	if err != nil {
		return err
	}
	for _, u := range users {
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, u.Name)
	}
	return nil
}
