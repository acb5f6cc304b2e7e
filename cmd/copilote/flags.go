package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"copilote/internal/config"
)

// errUsage reports that the flags were wrong; the flag package already
// said why.
var errUsage = errors.New("usage")

// newFlags builds a flag set whose --help lists the options and the
// environment variables.
func newFlags(name, synopsis string, out io.Writer, env bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage : copilote %s\n\nOptions :\n", synopsis)
		fs.PrintDefaults()
		if env {
			fmt.Fprintln(out, "\nVariables d'environnement (les options les remplacent) :")
			for _, e := range config.Env {
				fmt.Fprintf(out, "  %-24s %s\n", e[0], e[1])
			}
		}
	}
	return fs
}

// parse turns -h into a clean exit and a bad flag into errUsage.
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return false, errUsage
	}
	return false, nil
}

// loadConfig reads defaults and environment before flags override them.
func loadConfig() (config.Config, error) {
	c, err := config.Load()
	if err != nil {
		return c, fmt.Errorf("variables d'environnement : %w", err)
	}
	return c, nil
}
