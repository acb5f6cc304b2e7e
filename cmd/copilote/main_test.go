package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// An invalid record is named as docs/exchange.md promises: line, object,
// field and the domain's French message, not the web form's summary.
func TestImportNamesTheFaultyRecord(t *testing.T) {
	doc, err := os.ReadFile("testdata/invalid-record.json")
	if err != nil {
		t.Fatal(err)
	}
	unknownKind := strings.Replace(string(doc), `"kind":"projet","date":"2022-05-10"`, `"kind":"goûter","date":"2024-05-10"`, 1)
	cases := []struct {
		name, doc, want string
	}{
		{"date outside the convention", string(doc), "copilote import : ligne 17, records[1] (id 2) : champ « date » : " +
			"La date doit se situer dans la période de la convention (01/01/2023 – 31/12/2026).\n"},
		{"unknown kind", unknownKind, "copilote import : ligne 17, records[1] (id 2) : champ « kind » : Choisissez une valeur de la liste.\n"},
	}
	for _, e := range storetest.Engines {
		for _, c := range cases {
			t.Run(string(e)+"/"+c.name, func(t *testing.T) {
				dsn := storetest.DSN(t, e)
				code, out, stderr := copilote(t, c.doc, "import", "--db", dsn, "-")
				if code != 1 || !strings.HasPrefix(stderr, c.want) || out != "" {
					t.Errorf("exit %d, stderr %q; want 1, %q…", code, stderr, c.want)
				}
				if _, out, _ := copilote(t, "", "export", "--db", dsn); strings.Contains(out, "Jardin partagé") {
					t.Errorf("a failed import left records")
				}
			})
		}
	}
}

// Commands that only read refuse a SQLite file that is not there, rather
// than create an empty database (a typo in --db once answered with empty
// indicators); those that fill a database still create it.
func TestReadOnlyCommandsNeedAnExistingDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "sous-dossier", "typo.db")
	for _, args := range [][]string{
		{"indicators", "--db", missing, "--all"},
		{"export", "--db", missing},
		{"user", "list", "--db", missing},
	} {
		code, out, stderr := copilote(t, "", args...)
		want := fmt.Sprintf("copilote %s : La base %s n'existe pas : vérifiez --db", args[0], missing)
		if code != 1 || !strings.HasPrefix(stderr, want) || out != "" {
			t.Errorf("%s: exit %d, %q; want 1, %q…", strings.Join(args, " "), code, stderr, want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%s created %s", args[0], entries[0].Name())
		}
	}
	doc, err := os.ReadFile("testdata/invalid-record.json")
	if err != nil {
		t.Fatal(err)
	}
	valid := strings.Replace(string(doc), `"2022-05-10"`, `"2024-05-10"`, 1)
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"migrate", "--db"}},
		{"mot de passe solide\n", []string{"user", "add", "--email", "n@caf.fr", "--name", "N", "--role", "national", "--db"}},
		{valid, []string{"import", "-", "--db"}},
	} {
		path := filepath.Join(dir, c.args[0], "neuve.db")
		args := append(c.args, path)
		if c.args[0] == "import" { // flags before the file
			args = []string{"import", "--db", path, "-"}
		}
		if code, out, stderr := copilote(t, c.stdin, args...); code != 0 {
			t.Errorf("%s: exit %d %s%s", c.args[0], code, out, stderr)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s did not create the database: %v", c.args[0], err)
		}
	}
}
