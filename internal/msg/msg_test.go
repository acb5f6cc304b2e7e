package msg

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every Key constant declared in the package has its French text, and no
// text is orphaned: the compiler checks that used keys exist, this checks
// the rest.
func TestEveryKeyHasText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var decls []ast.Decl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		decls = append(decls, f.Decls...)
	}
	declared := 0
	for _, d := range decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			lit := v.Values[0].(*ast.BasicLit)
			key := Key(strings.Trim(lit.Value, `"`))
			declared++
			if strings.TrimSpace(fr[key]) == "" {
				t.Errorf("key %s (%s) has no French text", v.Names[0].Name, key)
			}
		}
	}
	if declared != len(fr) {
		t.Errorf("%d keys declared, %d texts: a text has no key", declared, len(fr))
	}
}

func TestTextFormats(t *testing.T) {
	if got := Text(TooLong, 200); got != "Ce texte est trop long (200 caractères au plus)." {
		t.Errorf("Text(TooLong) = %q", got)
	}
	if got := Text("nope"); got != "nope" {
		t.Errorf("unknown key shows %q", got)
	}
}
