package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copilote/internal/framework"
	"copilote/internal/store"
	"copilote/internal/store/storetest"
)

// Each indicator's detail page gives its calculation rule in French, never
// the English one the catalogue's data keeps (issue 11, item 4).
func TestDrillShowsTheFrenchRule(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite))
	c := login(t, s)
	for _, in := range framework.Load().Indicators() {
		code, body, _ := get(t, c, s.URL+ctgURL(s.mine.ID)+"/indicators/"+in.Code)
		body = html.UnescapeString(body)
		if code != 200 || !strings.Contains(body, "Règle de calcul : "+in.Regle) {
			t.Errorf("%s: %d, the page lacks its French rule %q", in.Code, code, in.Regle)
		}
		if strings.Contains(body, in.Rule) {
			t.Errorf("%s: the page shows the English rule", in.Code)
		}
	}
}

// englishRule names the indicator whose English rule body shows, if any:
// the crawl checks it on every page it reaches.
func englishRule(body string) string {
	body = html.UnescapeString(body)
	for _, in := range framework.Load().Indicators() {
		if strings.Contains(body, in.Rule) {
			return in.Code
		}
	}
	return ""
}

// Every action the audit records (each store.Act… constant, read from the
// store's sources, so that a new one is caught) reads in French on a
// record's history.
func TestAuditActionsInFrench(t *testing.T) {
	files, _ := filepath.Glob("../store/*.go")
	found := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				for i, name := range v.Names {
					lit, ok := v.Values[i].(*ast.BasicLit)
					if !strings.HasPrefix(name.Name, "Act") || !ok || lit.Kind != token.STRING {
						continue
					}
					found++
					if a, _ := strconv.Unquote(lit.Value); auditAction(a) == a {
						t.Errorf("audit action %s (%q) has no French name in auditActions", name.Name, a)
					}
				}
			}
		}
	}
	if found < 10 {
		t.Errorf("only %d audit actions found in the store's sources", found)
	}
}
