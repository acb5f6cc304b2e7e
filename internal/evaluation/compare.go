package evaluation

import (
	"strconv"

	"copilote/internal/document"
)

// Difference is one figure of a frozen document that today's document
// gives otherwise: where it is, what it is, its frozen value and today's
// ("—" when one document lacks it).
type Difference struct {
	Section string `json:"section"`
	Item    string `json:"item"`
	Frozen  string `json:"frozen"`
	Today   string `json:"today"`
}

// absent stands for a figure one of the two documents does not have.
const absent = "—"

// Compare lists the figures that differ between a frozen document and the
// one built today from the same evaluation: indicator figures (value,
// target, baseline), table cells (a row is known by its first cell, a
// column by its head) and labelled fields. Texts and lists, the document's
// prose, are not figures and are not compared; nor are statuses, which
// move with the day the document is built.
func Compare(frozen, today document.Document) []Difference {
	was, is := figuresOf(frozen), figuresOf(today)
	seen := map[string]bool{}
	var out []Difference
	for _, k := range was.order {
		seen[k] = true
		a := was.values[k]
		b, ok := is.values[k]
		if !ok {
			b.value = absent
		}
		if a.value != b.value {
			out = append(out, Difference{Section: a.section, Item: a.item, Frozen: a.value, Today: b.value})
		}
	}
	for _, k := range is.order {
		if b := is.values[k]; !seen[k] && b.value != absent {
			out = append(out, Difference{Section: b.section, Item: b.item, Frozen: absent, Today: b.value})
		}
	}
	return out
}

type entry struct{ section, item, value string }

type figureSet struct {
	order  []string
	values map[string]entry
}

func (s *figureSet) put(key string, e entry) {
	if _, dup := s.values[key]; dup {
		// a second row of the same key keeps its rank
		for n := 2; ; n++ {
			k := key + "#" + strconv.Itoa(n)
			if _, taken := s.values[k]; !taken {
				key = k
				break
			}
		}
	}
	s.order = append(s.order, key)
	s.values[key] = e
}

func figuresOf(d document.Document) figureSet {
	s := figureSet{values: map[string]entry{}}
	var walk func(parent string, ss []document.Section)
	walk = func(parent string, ss []document.Section) {
		for _, sec := range ss {
			title := sec.Title
			if parent != "" {
				title = parent + " › " + sec.Title
			}
			for i, b := range sec.Blocks {
				s.block(sec.ID+"/"+strconv.Itoa(blockRank(sec.Blocks, i)), title, b)
			}
			walk(title, sec.Sections)
		}
	}
	walk("", d.Sections)
	return s
}

// blockRank numbers a block among the blocks of its kind in its section,
// so that a paragraph added before a table does not change the table's key.
func blockRank(bs []document.Block, i int) int {
	kind := blockKind(bs[i])
	n := 0
	for _, b := range bs[:i] {
		if blockKind(b) == kind {
			n++
		}
	}
	return n
}

func blockKind(b document.Block) string {
	switch {
	case b.Figures != nil:
		return "figures"
	case b.Table != nil:
		return "table"
	case b.Fields != nil:
		return "fields"
	}
	return "prose"
}

func (s *figureSet) block(key, section string, b document.Block) {
	for _, f := range b.Figures {
		name := f.Code + " " + f.Label
		if f.Period != "" {
			name += " (" + f.Period + ")"
		}
		k := key + "/f/" + f.Code + "/" + f.Period
		s.put(k+"/value", entry{section, name, f.Value})
		s.put(k+"/target", entry{section, name + ", cible", orAbsent(f.Target)})
		s.put(k+"/baseline", entry{section, name + ", valeur de référence", orAbsent(f.Baseline)})
	}
	if t := b.Table; t != nil {
		for _, row := range t.Rows {
			if len(row) == 0 {
				continue
			}
			for j := 1; j < len(row); j++ {
				head := ""
				if j < len(t.Head) {
					head = t.Head[j]
				}
				item := t.Caption + " : " + row[0].Text + ", " + head
				s.put(key+"/t/"+row[0].Text+"/"+head, entry{section, item, row[j].Text})
			}
		}
	}
	for _, f := range b.Fields {
		s.put(key+"/l/"+f.Label, entry{section, f.Label, f.Value})
	}
}

func orAbsent(s string) string {
	if s == "" {
		return absent
	}
	return s
}
