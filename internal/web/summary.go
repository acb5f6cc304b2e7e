package web

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"copilote/internal/apperr"
)

// The error summary at the top of a form (issue 11, item 4) names each
// field at fault, in the order of the page, each a link to its field:
// "Statut : ce champ est obligatoire". One partial (error-summary, and
// filter-errors for the filters of a list) serves every form; the labels
// and the order are read from the page itself, so that no form keeps a
// second list of its fields that could drift from what it shows. A page
// with errors is rendered twice: the first pass collects the errors the
// partials were given, readFields reads where each field and its label
// stand in that output, and the second pass writes the summary in order.

// secondPass reads the first rendering of a page for what its second
// shows: the error summary in the page's order, and the typed values of a
// form shown again (keep.go).
func (s *Server) secondPass(p *page, first []byte) {
	pf := readFields(first)
	if len(p.errs) > 0 {
		p.problems = pf.problems(p.errs)
	}
	if p.Kept != nil {
		p.Kept.Typed = pf.typedIn(p.Kept)
	}
}

// problem is one field at fault as the summary shows it.
type problem struct {
	Field  string
	Text   string // "Statut : ce champ est obligatoire"
	Anchor string // "f-status"; empty when the page has no such field
}

// problems is the partials' function: the first pass notes the errors and
// lists them by field name; the second lists those of errs in the page's
// order, labelled.
func problems(p *page, errs apperr.Fields) []problem {
	if len(errs) == 0 {
		return nil
	}
	if p.problems == nil {
		if p.errs == nil {
			p.errs = apperr.Fields{}
		}
		keys := make([]string, 0, len(errs))
		for k, m := range errs {
			p.errs[k] = m
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]problem, len(keys))
		for i, k := range keys {
			out[i] = problem{Field: k, Text: errs[k], Anchor: "f-" + k}
		}
		return out
	}
	var out []problem
	for _, pr := range p.problems {
		if _, ok := errs[pr.Field]; ok {
			out = append(out, pr)
		}
	}
	return out
}

// problems orders and labels errs by what the page shows: the element
// whose id is "f-" + the field's name (or the name itself, as in the rows
// of a fiche action), and its <label for>, its <legend> (a fieldset) or
// its aria-label, without the "(obligatoire)" mark. Fields the page does
// not show come last, by name, without a link.
func (pf pageFields) problems(errs apperr.Fields) []problem {
	ids := map[string]string{}
	for k := range errs {
		if id := pf.idOf(k); id != "" {
			ids[k] = id
		}
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		idi, oki := ids[keys[i]]
		idj, okj := ids[keys[j]]
		if oki != okj {
			return oki
		}
		if oki && pf.pos[idi] != pf.pos[idj] {
			return pf.pos[idi] < pf.pos[idj]
		}
		return keys[i] < keys[j]
	})
	out := make([]problem, len(keys))
	for i, k := range keys {
		out[i] = problem{Field: k, Text: errs[k], Anchor: ids[k]}
		if l := pf.labels[ids[k]]; l != "" {
			out[i].Text = l + " : " + lowerFirst(errs[k])
		}
	}
	return out
}

// pageFields is what a rendered page says of its fields.
type pageFields struct {
	pos    map[string]int    // every id, by its order in the page
	labels map[string]string // id → its <label for>, <legend> or aria-label
	names  map[string]string // a control's name → the id of the first control of that name
	hidden map[string]bool   // names of hidden inputs
}

// idOf is the element of field name: "f-" + name, name itself (the rows
// of a fiche action), or the first control of that name.
func (pf pageFields) idOf(name string) string {
	for _, id := range []string{"f-" + name, name} {
		if _, ok := pf.pos[id]; ok {
			return id
		}
	}
	return pf.names[name]
}

// fieldsOf reads the position of every element with an id, and the label
// of those a <label for>, a <legend> or an aria-label names.
func fieldsOf(page []byte) (pos map[string]int, labels map[string]string) {
	pf := readFields(page)
	return pf.pos, pf.labels
}

func readFields(page []byte) pageFields {
	pf := pageFields{pos: map[string]int{}, labels: map[string]string{}, names: map[string]string{}, hidden: map[string]bool{}}
	z := html.NewTokenizer(bytes.NewReader(page))
	var (
		labelFor, legendFor string // the id whose label is being read
		text                strings.Builder
		skip                int // inside the "(obligatoire)" mark
	)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return pf
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			id, name := attrOf(t, "id"), attrOf(t, "name")
			if t.Data == "input" && attrOf(t, "type") == "hidden" && name != "" {
				pf.hidden[name] = true
			}
			if id != "" {
				if _, seen := pf.pos[id]; !seen {
					pf.pos[id] = len(pf.pos)
				}
				if name != "" && pf.names[name] == "" {
					pf.names[name] = id
				}
				if t.Data == "fieldset" {
					legendFor = id
				}
				if l := attrOf(t, "aria-label"); l != "" && pf.labels[id] == "" {
					pf.labels[id] = l
				}
			}
			switch t.Data {
			case "label":
				if id := attrOf(t, "for"); id != "" {
					labelFor = id
					text.Reset()
				}
			case "legend":
				if legendFor != "" {
					labelFor, legendFor = legendFor, ""
					text.Reset()
				}
			case "span":
				if labelFor != "" && (skip > 0 || strings.Contains(attrOf(t, "class"), "required")) {
					skip++
				}
			}
		case html.EndTagToken:
			t := z.Token()
			switch {
			case t.Data == "span" && skip > 0:
				skip--
			case (t.Data == "label" || t.Data == "legend") && labelFor != "":
				if l := strings.Join(strings.Fields(text.String()), " "); l != "" {
					pf.labels[labelFor] = strings.TrimSuffix(l, " :")
				}
				labelFor = ""
			}
		case html.TextToken:
			if labelFor != "" && skip == 0 {
				text.Write(z.Text())
			}
		}
	}
}

func attrOf(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// lowerFirst makes a message follow its label: "Ce champ…" becomes "ce
// champ…", but "SIRET…" stays.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && !unicode.IsUpper(next) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}
