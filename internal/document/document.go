// Package document is the shape of every report Copilote produces (the
// evaluation of a post or of a CTG, the annual activity report, the Copil
// pack, the job description): a plain value of sections, texts, tables,
// figures and charts as data. It is built once by the code that knows the
// domain and rendered apart, as a web page, a PDF or a workbook, so that a
// figure cannot differ between the page and the PDF, and so that a
// validated evaluation can keep its document as it was (it marshals to
// JSON and back unchanged).
//
// The package knows neither HTML nor PDF nor the database.
package document

// Document is one report.
type Document struct {
	// Kind names what the document is ("evaluation_poste", "fiche_poste",
	// "bilan_annuel", "pack_copil", …), for file names and tests.
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	Subtitle string    `json:"subtitle,omitempty"`
	Meta     []Field   `json:"meta,omitempty"`    // what the document is about: CTG, post, period…
	Notices  []string  `json:"notices,omitempty"` // shown first: "figée le … par …", differences…
	Sections []Section `json:"sections"`
}

// Section is a titled part; a document's sections make its table of
// contents. Sections nest one level.
type Section struct {
	ID       string    `json:"id"` // stable anchor, e.g. "fonction-1.1"
	Title    string    `json:"title"`
	Blocks   []Block   `json:"blocks,omitempty"`
	Sections []Section `json:"sections,omitempty"`
}

// Block is one piece of a section; exactly one of its fields is set.
type Block struct {
	Text    string   `json:"text,omitempty"` // a paragraph
	List    []string `json:"list,omitempty"` // a bulleted list
	Fields  []Field  `json:"fields,omitempty"`
	Table   *Table   `json:"table,omitempty"`
	Chart   *Chart   `json:"chart,omitempty"`
	Figures []Figure `json:"figures,omitempty"` // indicator figures, shown as a table
}

// Field is a label and its value ("Période", "du 01/01/2023 au 31/12/2026").
// Personal marks what is known of a named person that not every reader
// needs (the cost of a named post): Redact leaves it out.
type Field struct {
	Label    string `json:"label"`
	Value    string `json:"value"`
	Personal bool   `json:"personal,omitempty"`
}

// Table is rows of cells under a head; Numeric marks the columns aligned
// right (figures).
type Table struct {
	Caption string   `json:"caption"`
	Head    []string `json:"head"`
	Numeric []bool   `json:"numeric,omitempty"`
	// Personal marks the columns that, beside a person's name, tell what
	// not every reader needs (Field.Personal).
	Personal []bool   `json:"personal,omitempty"`
	Rows     [][]Cell `json:"rows"`
}

// Cell is a table cell; Link, when set, is a path of the site that opens
// what the cell counts (a renderer without links ignores it).
type Cell struct {
	Text string `json:"text"`
	Link string `json:"link,omitempty"`
}

// Figure is one indicator as a report shows it: its value, the target and
// baseline it is read against, and its status, already formatted in
// French; Link opens its records.
type Figure struct {
	Code     string `json:"code"` // stable catalogue code, e.g. "S11b"
	Label    string `json:"label"`
	Period   string `json:"period,omitempty"` // "2024", "toute la période"
	Value    string `json:"value"`
	Target   string `json:"target,omitempty"`
	Baseline string `json:"baseline,omitempty"`
	Status   string `json:"status,omitempty"` // indicator.Status code: atteint, en_cours, en_retard, non_disponible, ""
	Detail   string `json:"detail,omitempty"` // the main breakdown in words: "juridique 3, financière 4"
	Link     string `json:"link,omitempty"`
}

// Chart is a chart as data: one value per label and series. Kind is
// "bars" (horizontal, one series) or "columns" (grouped by label).
type Chart struct {
	Kind   string   `json:"kind"`
	Title  string   `json:"title"`
	Unit   string   `json:"unit,omitempty"`
	Labels []string `json:"labels"`
	Series []Series `json:"series"`
}

// Series is one named row of values of a chart, aligned with its labels.
type Series struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Outline lists the document's sections in reading order, nested ones
// after their parent, with their depth (0 or 1): a table of contents.
func (d Document) Outline() []Entry {
	var out []Entry
	for _, s := range d.Sections {
		out = append(out, Entry{ID: s.ID, Title: s.Title})
		for _, sub := range s.Sections {
			out = append(out, Entry{ID: sub.ID, Title: sub.Title, Depth: 1})
		}
	}
	return out
}

// Entry is one line of a table of contents.
type Entry struct {
	ID, Title string
	Depth     int
}

// AllFigures lists every figure of the document in reading order, so that
// a test compares the same figures across renderings.
func (d Document) AllFigures() []Figure {
	var out []Figure
	var walk func([]Section)
	walk = func(ss []Section) {
		for _, s := range ss {
			for _, b := range s.Blocks {
				out = append(out, b.Figures...)
			}
			walk(s.Sections)
		}
	}
	walk(d.Sections)
	return out
}

// Redact returns the document without what its Personal marks, for a
// reader whose role does not need it (the national reader sees no cost of
// a named post). The document itself is not changed.
func (d Document) Redact() Document {
	out := d
	out.Meta = publicFields(d.Meta)
	out.Sections = redactSections(d.Sections)
	return out
}

func redactSections(ss []Section) []Section {
	out := make([]Section, 0, len(ss))
	for _, s := range ss {
		r := s
		r.Blocks = nil
		for _, b := range s.Blocks {
			b.Fields = publicFields(b.Fields)
			if b.Table != nil {
				b.Table = publicColumns(b.Table)
			}
			if b.Fields == nil && b.Table == nil && b.Text == "" && b.List == nil && b.Chart == nil && b.Figures == nil {
				continue // a block of personal fields only
			}
			r.Blocks = append(r.Blocks, b)
		}
		r.Sections = redactSections(s.Sections)
		out = append(out, r)
	}
	return out
}

func publicFields(fs []Field) []Field {
	var out []Field
	for _, f := range fs {
		if !f.Personal {
			out = append(out, f)
		}
	}
	return out
}

func publicColumns(t *Table) *Table {
	keep := func(i int) bool { return i >= len(t.Personal) || !t.Personal[i] }
	out := &Table{Caption: t.Caption}
	for i, h := range t.Head {
		if keep(i) {
			out.Head = append(out.Head, h)
			out.Numeric = append(out.Numeric, i < len(t.Numeric) && t.Numeric[i])
		}
	}
	for _, row := range t.Rows {
		var r []Cell
		for i, c := range row {
			if keep(i) {
				r = append(r, c)
			}
		}
		out.Rows = append(out.Rows, r)
	}
	return out
}
