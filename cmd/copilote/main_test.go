package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// copilote runs the program in-process as the shell would, stdin given.
func copilote(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errs)
	return code, out.String(), errs.String()
}

// twoCafs fills the database at dsn with two Cafs of one CTG each and
// returns their CTGs.
func twoCafs(t *testing.T, dsn string) (mine, foreign ctg.CTG) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, 0, func(tx *store.Tx) error {
		for i, c := range []*ctg.CTG{&mine, &foreign} {
			caf := ctg.Caf{Code: fmt.Sprintf("%03d", 26+i), Name: fmt.Sprintf("Caf %d", i+1)}
			if err := tx.CreateCaf(&caf); err != nil {
				return err
			}
			*c = ctg.CTG{CafID: caf.ID, Name: fmt.Sprintf("CTG %d", i+1), Start: civil.MustParse("2023-01-01"), End: civil.MustParse("2026-12-31")}
			if err := tx.CreateCTG(c, nomenclature.Default); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mine, foreign
}

// `user add --ctg` grants a CTG of the account's own Caf only: the demo's
// attack gave a Copil member of one Caf a CTG of another.
func TestUserAddGrantsOwnCafOnly(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			mine, foreign := twoCafs(t, dsn)
			for _, c := range []struct {
				ctgID int64
				want  string
			}{
				{foreign.ID, fmt.Sprintf("copilote user : --ctg : La CTG %d relève d'une autre Caf que celle de ce compte.\n", foreign.ID)},
				{9999, "copilote user : --ctg : La CTG 9999 n'existe pas.\n"},
			} {
				code, _, stderr := copilote(t, "mot de passe solide\n", "user", "add", "--db", dsn, "--email", "copil@caf.fr",
					"--name", "Côme Copil", "--role", "copil", "--caf", "026", "--ctg", fmt.Sprint(c.ctgID))
				if code != 1 || stderr != c.want {
					t.Errorf("grant of CTG %d: exit %d, %q; want 1, %q", c.ctgID, code, stderr, c.want)
				}
			}
			if _, out, _ := copilote(t, "", "user", "list", "--db", dsn); strings.Contains(out, "copil@caf.fr") {
				t.Errorf("a refused account was created: %s", out)
			}
			code, out, stderr := copilote(t, "mot de passe solide\n", "user", "add", "--db", dsn, "--email", "copil@caf.fr",
				"--name", "Côme Copil", "--role", "copil", "--caf", "026", "--ctg", fmt.Sprint(mine.ID))
			if code != 0 || !strings.HasPrefix(out, "Compte créé : copil@caf.fr") {
				t.Errorf("grant of the account's own CTG: exit %d, %s%s", code, out, stderr)
			}
		})
	}
}
