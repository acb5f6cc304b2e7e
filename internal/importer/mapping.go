package importer

import (
	"sort"
	"strings"

	"copilote/internal/journal"
	"copilote/internal/nomenclature"
	"copilote/internal/sheet"
)

// Mapping is what the user chose: the field of each column, and the code
// each value of the file stands for, list by list.
type Mapping struct {
	// Columns holds a field key per column of the file, "" to ignore it.
	Columns []string `json:"columns"`
	// Values maps a list, then a folded value of the file, to a code.
	Values map[string]map[string]string `json:"values,omitempty"`
	// DefaultKind is the kind of every record when no column says it.
	DefaultKind string `json:"default_kind,omitempty"`
}

// Memory is what a Caf chose before, by scope then folded source: the
// scope "col:records" maps headers to fields, "val:axis" values to codes.
type Memory map[string]map[string]string

// ColumnScope and ValueScope name the scopes of Memory.
func ColumnScope(k Kind) string             { return "col:" + string(k) }
func ValueScope(l nomenclature.Kind) string { return "val:" + string(l) }

// Guess maps each header to a field: what the Caf chose for it before,
// else the field whose label or synonym it is; each field once.
func Guess(k Kind, header []string, mem Memory) Mapping {
	m := Mapping{Columns: make([]string, len(header)), Values: map[string]map[string]string{}}
	taken := map[string]bool{}
	remembered := mem[ColumnScope(k)]
	for i, h := range header {
		f := sheet.Fold(h)
		if key, ok := remembered[f]; ok {
			if _, known := FieldOf(k, key); (known || key == "") && !taken[key] {
				m.Columns[i] = key
				taken[key] = key != ""
			}
		}
	}
	for i, h := range header {
		if m.Columns[i] != "" {
			continue
		}
		if _, ok := remembered[sheet.Fold(h)]; ok {
			continue // the Caf chose to ignore it
		}
		f := sheet.Fold(h)
		for _, fl := range Fields(k) {
			if !taken[fl.Key] && (f == sheet.Fold(fl.Label) || f == fl.Key || contains(fl.Synonyms, f)) {
				m.Columns[i], taken[fl.Key] = fl.Key, true
				break
			}
		}
	}
	for scope, vals := range mem {
		if list, ok := strings.CutPrefix(scope, "val:"); ok {
			m.Values[list] = map[string]string{}
			for from, to := range vals {
				m.Values[list][from] = to
			}
		}
	}
	return m
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Column is the index of the column mapped to key, -1 if none.
func (m Mapping) Column(key string) int {
	for i, c := range m.Columns {
		if c == key {
			return i
		}
	}
	return -1
}

// Twice lists the fields mapped to more than one column.
func (m Mapping) Twice() []string {
	seen, out := map[string]int{}, []string{}
	for _, c := range m.Columns {
		if c != "" {
			seen[c]++
			if seen[c] == 2 {
				out = append(out, c)
			}
		}
	}
	return out
}

// Option is one value a list offers.
type Option struct{ Code, Label string }

// Options lists the values of a list: a nomenclature of the Caf, or the
// kinds of records.
func Options(list nomenclature.Kind, n *nomenclature.Set) []Option {
	var out []Option
	if list == KindList {
		for _, s := range journal.Specs {
			out = append(out, Option{string(s.Kind), s.Label})
		}
		return out
	}
	for _, v := range n.Values(list) {
		out = append(out, Option{v.Code, v.Label})
	}
	return out
}

// ListLabel names a list in French.
func ListLabel(list nomenclature.Kind) string {
	if list == KindList {
		return "Types d'enregistrement"
	}
	if l, ok := nomenclature.KindLabels[list]; ok {
		return l
	}
	return string(list)
}

// Resolve is the code a value of the file stands for in list: the one
// the user chose, else the value whose code or label it is (case and
// accents aside); "" when neither.
func (m Mapping) Resolve(list nomenclature.Kind, raw string, n *nomenclature.Set) string {
	f := sheet.Fold(raw)
	if code, ok := m.Values[string(list)][f]; ok && code != "" {
		for _, o := range Options(list, n) {
			if o.Code == code {
				return code
			}
		}
	}
	for _, o := range Options(list, n) {
		if f == sheet.Fold(o.Code) || f == sheet.Fold(o.Label) {
			return o.Code
		}
	}
	if list == KindList {
		for _, s := range journal.Specs {
			if f == sheet.Fold(s.Plural) {
				return string(s.Kind)
			}
		}
	}
	return ""
}

// Suggest is the value of list most like raw, "" when none is close.
func Suggest(list nomenclature.Kind, raw string, n *nomenclature.Set) string {
	f := sheet.Fold(raw)
	best, score := "", 0.0
	for _, o := range Options(list, n) {
		if s := likeness(f, sheet.Fold(o.Label)); s > score {
			best, score = o.Code, s
		}
		if s := likeness(f, sheet.Fold(o.Code)); s > score {
			best, score = o.Code, s
		}
	}
	if score < 0.34 {
		return ""
	}
	return best
}

// likeness scores two folded texts from 0 to 1: containment first, then
// the share of words that begin alike.
func likeness(a, b string) float64 {
	if a == "" || b == "" {
		return 0
	}
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return 0.9
	}
	wa, wb := strings.Fields(a), strings.Fields(b)
	common := 0
	for _, x := range wa {
		for _, y := range wb {
			if len(x) >= 3 && len(y) >= 3 && (strings.HasPrefix(x, y) || strings.HasPrefix(y, x) || prefix(x, y) >= 4) {
				common++
				break
			}
		}
	}
	return float64(common) / float64(max(len(wa), len(wb)))
}

func prefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// ValueNeed is one distinct value of the file in a list, with what it
// stands for now and what Copilote suggests.
type ValueNeed struct {
	List       nomenclature.Kind
	Raw        string // as first seen in the file
	Folded     string
	Code       string // resolved now, "" if not
	Suggestion string
	Lines      int // how many lines carry it
}

// Needs lists the distinct values of the mapped list columns, list by
// list, for the page where the user maps them.
func Needs(k Kind, t *sheet.Table, m Mapping, n *nomenclature.Set) []ValueNeed {
	idx := map[string]int{}
	var out []ValueNeed
	add := func(list nomenclature.Kind, raw string) {
		if list == "" || strings.TrimSpace(raw) == "" {
			return
		}
		key := string(list) + "\x00" + sheet.Fold(raw)
		if i, ok := idx[key]; ok {
			out[i].Lines++
			return
		}
		idx[key] = len(out)
		v := ValueNeed{List: list, Raw: raw, Folded: sheet.Fold(raw), Lines: 1, Code: m.Resolve(list, raw, n)}
		if v.Code == "" {
			v.Suggestion = Suggest(list, raw, n)
		}
		out = append(out, v)
	}
	for _, r := range t.Rows {
		var spec journal.Spec
		if k == Records {
			spec, _ = journal.SpecOf(journal.Kind(rowKind(r, m, n)))
		}
		for i, key := range m.Columns {
			f, ok := FieldOf(k, key)
			if !ok || (f.List == "" && !f.ByKind) {
				continue
			}
			list := f.List
			if f.ByKind {
				list = byKind(spec, key)
			}
			cells := []string{r.Cell(i)}
			if f.Multi {
				cells = sheet.List(r.Cell(i))
			}
			for _, c := range cells {
				add(list, c)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].List < out[j].List })
	return out
}

// byKind is the list of a record's nature, audience or status.
func byKind(s journal.Spec, key string) nomenclature.Kind {
	switch key {
	case "nature":
		return s.NatureKind
	case "audience":
		return s.AudienceKind
	case "status":
		return s.StatusKind
	}
	return ""
}

// rowKind is the kind of a record's row: its Type column, else the
// mapping's default.
func rowKind(r sheet.Row, m Mapping, n *nomenclature.Set) string {
	if i := m.Column("kind"); i >= 0 && r.Cell(i) != "" {
		return m.Resolve(KindList, r.Cell(i), n)
	}
	return m.DefaultKind
}
