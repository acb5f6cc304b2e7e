package framework

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// textWriter keeps the first write error so that WriteText reads as the
// outline it prints instead of a cascade of error checks.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) line(indent int, format string, args ...any) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, "%s"+format+"\n", append([]any{strings.Repeat("  ", indent)}, args...)...)
}

// WriteText prints Tableau 2 as an outline (objectives > functions >
// actions > indicators, with their codes) for `copilote framework --format text`.
func (f *Framework) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	t.line(0, "%s (%s)", f.Table.Title, f.Version)
	t.line(0, "%s. Coût indicatif : %s € par ETP.", f.Job.Title, groupThousands(f.Job.CostPerFTE))
	for _, o := range f.Table.Objectives {
		t.line(0, "")
		t.line(0, "Objectif %d : %s", o.Number, o.Title)
		for _, fn := range f.Table.Functions {
			if fn.Objective == o.Number {
				f.writeFunction(t, fn)
			}
		}
	}
	return t.err
}

func (f *Framework) writeFunction(t *textWriter, fn Function) {
	t.line(1, "Fonction %s : %s", fn.Code, fn.Title)
	for _, a := range fn.Actions {
		t.line(2, "Action %s : %s", a.Code, a.Title)
	}
	for _, in := range f.IndicatorsOf([]string{fn.Code}, true) {
		t.line(2, "%-4s [%s] %s", in.Code, typeLabel(in.Type), in.Label)
	}
}

func typeLabel(typ string) string {
	if typ == TypeEvaluation {
		return "évaluation"
	}
	return typ
}

// groupThousands writes amounts the French way ("48 000").
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}
