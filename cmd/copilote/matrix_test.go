package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"copilote/internal/config"
	"copilote/internal/demo"
	"copilote/internal/indicator"
	"copilote/internal/nomenclature"
	"copilote/internal/report"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
	"copilote/internal/web"
)

// The matrice de suivi's workbook says what `copilote indicators` says:
// on the demo, for every CTG and for a post, each year's sheet has one
// row per indicator the command lists for that year, in its order, with
// its value, and in the columns of its breakdown's list the command's
// counts (0 for a nature it lists none of), nothing elsewhere.
func TestMatrixMatchesIndicatorsCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, e)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.Load(ctx, db); err != nil {
				t.Fatal(err)
			}
			c := signedIn(t, db, "julien.marcellin@demo.copilote.fr")
			ctgs, err := db.CTGs(ctx, store.Scope{All: true})
			if err != nil {
				t.Fatal(err)
			}
			for i, cs := range ctgs {
				noms, err := db.Nomenclature(ctx, cs.CafID)
				if err != nil {
					t.Fatal(err)
				}
				scopes := []string{"--ctg", strconv.FormatInt(cs.ID, 10), ""}
				if i == 0 {
					posts, _ := db.Posts(ctx, cs.ID)
					scopes = append(scopes, "--post", strconv.FormatInt(posts[len(posts)-1].ID, 10), "post="+strconv.FormatInt(posts[len(posts)-1].ID, 10))
				}
				for s := 0; s < len(scopes); s += 3 {
					book := workbook(t, c, "/ctg/"+strconv.FormatInt(cs.ID, 10)+"/matrice?"+scopes[s+2]+"&format=xlsx")
					for _, y := range cs.Years() {
						_, out, stderr := copilote(t, "", "indicators", "--db", dsn, scopes[s], scopes[s+1],
							"--from", fmt.Sprintf("%d-01-01", y), "--to", fmt.Sprintf("%d-12-31", y), "--format", "json")
						var res indicator.Result
						if err := json.Unmarshal([]byte(out), &res); err != nil {
							t.Fatalf("indicators %s %s %d: %v %s", scopes[s], scopes[s+1], y, err, stderr)
						}
						compareSheet(t, book, fmt.Sprintf("Matrice de suivi %d", y), res, noms, scopes[s]+" "+scopes[s+1])
					}
				}
			}
		})
	}
}

// compareSheet checks one year's sheet against the command's figures.
func compareSheet(t *testing.T, book *excelize.File, sheet string, res indicator.Result, noms *nomenclature.Set, scope string) {
	t.Helper()
	rows, err := book.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	head := rows[0]
	if len(rows)-1 != len(res.Indicators) {
		t.Fatalf("%s %s: %d rows, the command lists %d indicators", scope, sheet, len(rows)-1, len(res.Indicators))
	}
	checked := 0
	for i, f := range res.Indicators {
		row := append(rows[i+1], make([]string, len(head))...)
		where := fmt.Sprintf("%s %s row %s", scope, sheet, f.Code)
		if row[0] != f.Code {
			t.Errorf("%s: code %q", where, row[0])
			continue
		}
		if !sameNumber(row[2], f.Value) {
			t.Errorf("%s: value %q, the command says %v", where, row[2], show(f.Value))
		}
		ofList := map[string]string{} // header → breakdown key, for the columns of this indicator's list
		if b, ok := indicator.MainBreakdown(f.Code); ok {
			for _, v := range noms.Values(b.Kind) {
				ofList[report.MatrixHeader(b.Kind, v.Label)] = v.Code
			}
			ofList[report.MatrixHeader(b.Kind, "non renseigné")] = indicator.KeyUnset
		}
		seen := 0.0
		for j := 3; j < len(head); j++ {
			key, mine := ofList[head[j]]
			switch {
			case !mine && row[j] != "":
				t.Errorf("%s: %q = %q, a nature of another list", where, head[j], row[j])
			case mine:
				n := f.By[key]
				if !sameNumber(row[j], &n) {
					t.Errorf("%s: %q = %q, the command says %v", where, head[j], row[j], n)
				}
				seen += n
				checked++
			}
		}
		total := 0.0
		for _, n := range f.By {
			total += n
		}
		if seen != total {
			t.Errorf("%s: the natures' columns hold %v of the command's %v", where, seen, total)
		}
	}
	if checked == 0 {
		t.Errorf("%s %s: no nature compared", scope, sheet)
	}
}

func sameNumber(cell string, v *float64) bool {
	if v == nil {
		return cell == "non disponible"
	}
	n, err := strconv.ParseFloat(cell, 64)
	return err == nil && n == *v
}

func show(v *float64) any {
	if v == nil {
		return "null"
	}
	return *v
}

// signedIn serves db in-process and signs in a demo account.
func signedIn(t *testing.T, db *store.DB, email string) *client {
	t.Helper()
	srv, err := web.New(db, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &client{base: ts.URL, Client: &http.Client{Jar: jar}}
	res, err := c.PostForm(ts.URL+"/login", url.Values{"email": {email}, "password": {demo.Password}})
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, res)
	}
	res.Body.Close()
	return c
}

type client struct {
	*http.Client
	base string
}

func workbook(t *testing.T, c *client, path string) *excelize.File {
	t.Helper()
	res, err := c.Get(c.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, res.StatusCode, b)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}
