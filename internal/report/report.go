// Package report builds Copilote's reports as document values, from the
// store's data and the framework: the evaluation of a post and of a CTG,
// the annual activity report, the Copil pack, the job description. It
// knows the domain, not HTML nor PDF: package web shows a document as a
// page, package pdf prints it.
package report

import (
	"sort"
	"strconv"
	"strings"

	"copilote/internal/chart"
	"copilote/internal/civil"
	"copilote/internal/document"
	"copilote/internal/framework"
	"copilote/internal/indicator"
)

// Figure is one indicator of a result as reports show it, read against the
// CTG's targets over the period (targets may be nil: no target); label
// names a breakdown key in French; link, when not nil, opens its records.
func Figure(ind framework.Indicator, fig indicator.Figure, targets indicator.Targets, p indicator.Period,
	today civil.Date, label func(code, key string) string, link func(code string) string) document.Figure {
	f := document.Figure{Code: ind.Code, Label: ind.ShortLabel, Value: "non disponible"}
	if fig.Value != nil {
		f.Value = chart.Num(*fig.Value)
	}
	target, has := targets.For(ind.Code, p, ind.Unit == "score")
	if has {
		f.Target = chart.Num(target)
	}
	if b, ok := targets.Baseline(ind.Code); ok {
		f.Baseline = chart.Num(b)
	}
	f.Status = indicator.Status(fig.Value, target, has, p, today)
	f.Detail = Breakdown(fig, func(key string) string { return label(ind.Code, key) })
	if link != nil {
		f.Link = link(ind.Code)
	}
	return f
}

// Breakdown writes a figure's main breakdown in words, largest first:
// "juridique 3, financière 4".
func Breakdown(fig indicator.Figure, label func(key string) string) string {
	keys := make([]string, 0, len(fig.By))
	for k, n := range fig.By {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return fig.By[keys[i]] > fig.By[keys[j]] || (fig.By[keys[i]] == fig.By[keys[j]] && keys[i] < keys[j])
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = label(k) + " " + chart.Num(fig.By[k])
	}
	return strings.Join(parts, ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// euros writes an amount the French way: "48 000 €".
func euros(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' {
			b.WriteString("\u00a0") // cp1252 has no narrow one: the PDF prints this one
		}
		b.WriteRune(c)
	}
	return b.String() + " €"
}

// joinFrench lists words as French does: "a, b et c".
func joinFrench(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " et " + words[len(words)-1]
}
