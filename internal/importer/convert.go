package importer

import (
	"math"
	"strconv"
	"strings"

	"copilote/internal/actionplan"
	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/msg"
	"copilote/internal/nomenclature"
	"copilote/internal/partner"
	"copilote/internal/sheet"
)

// Problem is one thing wrong with a line, where the user can find it.
type Problem struct {
	Line    int
	Column  int    // index of the column, -1 when no column holds the field
	Field   string // the field's French label
	Value   string
	Message string
}

// Where names the column the way the spreadsheet does: "C « Date »", or
// the field alone when no column holds it.
func (p Problem) Where(header []string) string {
	if p.Column < 0 || p.Column >= len(header) {
		return "— (" + p.Field + ", aucune colonne)"
	}
	return sheet.ColumnName(p.Column) + " « " + header[p.Column] + " »"
}

// Env is what conversion needs to know of the CTG and the user.
type Env struct {
	Nom     *nomenclature.Set
	CTGID   int64
	CafID   int64
	Posts   []ctg.Post
	OwnPost int64 // the user's post in the CTG, 0 if none
	// MayRecordAs tells whether the user may author a record as the post.
	MayRecordAs func(postID int64) bool
	Partners    []partner.Partner // the Caf's partners, merged ones left out
	Actions     map[string]int64  // the CTG's fiches, by folded code
}

// Item is one line made into a domain value, or the problems found.
type Item struct {
	Line     int
	Record   *journal.Record
	Partner  *partner.Partner
	Action   *actionplan.Action
	Problems []Problem
}

// line reads one row through the mapping, noting problems as it goes.
type line struct {
	k     Kind
	row   sheet.Row
	m     Mapping
	env   Env
	item  *Item
	spec  journal.Spec
	cache map[string]int
}

func (l *line) col(key string) int {
	if i, ok := l.cache[key]; ok {
		return i
	}
	i := l.m.Column(key)
	l.cache[key] = i
	return i
}

func (l *line) text(key string) string { return l.row.Cell(l.col(key)) }

func (l *line) problem(key, value string, k msg.Key, args ...any) {
	f, _ := FieldOf(l.k, key)
	label := f.Label
	if label == "" {
		label = key
	}
	l.item.Problems = append(l.item.Problems, Problem{Line: l.row.Line, Column: l.col(key), Field: label, Value: value,
		Message: msg.Text(k, args...)})
}

func (l *line) date(key string) civil.Date {
	s := l.text(key)
	if s == "" {
		return civil.Date{}
	}
	d, ok := sheet.Date(s)
	if !ok {
		l.problem(key, s, msg.ImportBadDate, s)
	}
	return d
}

func (l *line) bool(key string) bool {
	s := l.text(key)
	b, ok := sheet.Bool(s)
	if !ok {
		l.problem(key, s, msg.ImportBadBool, s)
	}
	return b
}

// money reads euros as the form does: cents dropped.
func (l *line) money(key string) int64 {
	s := l.text(key)
	if s == "" {
		return 0
	}
	v, ok := sheet.Number(s)
	if !ok || math.Abs(v) > 1e12 {
		l.problem(key, s, msg.ImportBadNumber, s)
		return 0
	}
	return int64(v)
}

// value is the code of a list's value, "" (with a problem) when unknown.
func (l *line) value(key string, list nomenclature.Kind, raw string) string {
	if raw == "" || list == "" {
		return ""
	}
	code := l.m.Resolve(list, raw, l.env.Nom)
	if code == "" {
		if list == KindList {
			l.problem(key, raw, msg.ImportUnknownKind, raw)
		} else {
			l.problem(key, raw, msg.ImportUnknownValue, raw, ListLabel(list))
		}
	}
	return code
}

func (l *line) list(key string, list nomenclature.Kind) string {
	return l.value(key, list, l.text(key))
}

// partners resolves a cell of partner names or SIRET numbers.
func (l *line) partners(key string) []int64 {
	var out []int64
	for _, typed := range sheet.List(l.text(key)) {
		siret := strings.ReplaceAll(typed, " ", "")
		id, _ := MatchPartner(l.env.Partners, siret, typed)
		if id == 0 {
			id, _ = MatchPartner(l.env.Partners, "", typed)
		}
		if id == 0 {
			l.problem(key, typed, msg.ImportUnknownPartner, typed)
			continue
		}
		out = append(out, id)
	}
	return out
}

// MatchPartner finds a partner of the list by SIRET, then by folded name
// (case, accents, punctuation and legal forms aside); how says which.
func MatchPartner(list []partner.Partner, siret, name string) (id int64, how string) {
	if siret != "" {
		for _, p := range list {
			if p.MergedInto == 0 && p.SIRET == siret {
				return p.ID, "siret"
			}
		}
	}
	want := partner.NormalizeName(name)
	if want == "" {
		return 0, ""
	}
	for _, p := range list {
		if p.MergedInto == 0 && partner.NormalizeName(p.Name) == want {
			return p.ID, "name"
		}
	}
	return 0, ""
}

// Convert reads every row of the table into an item.
func Convert(k Kind, t *sheet.Table, m Mapping, env Env) []Item {
	items := make([]Item, len(t.Rows))
	for i, r := range t.Rows {
		items[i].Line = r.Line
		l := &line{k: k, row: r, m: m, env: env, item: &items[i], cache: map[string]int{}}
		switch k {
		case Records:
			items[i].Record = l.record()
		case Partners:
			items[i].Partner = l.partner()
		case Actions:
			items[i].Action = l.action()
		}
	}
	return items
}

func (l *line) record() *journal.Record {
	kind := l.m.DefaultKind
	if l.col("kind") >= 0 && l.text("kind") != "" {
		kind = l.list("kind", KindList)
	} else if kind == "" {
		l.problem("kind", "", msg.Required)
	}
	l.spec, _ = journal.SpecOf(journal.Kind(kind))
	r := &journal.Record{Kind: journal.Kind(kind), CTGID: l.env.CTGID, Date: l.date("date"), Title: l.text("title"),
		Comment: l.text("comment"), Axis: l.list("axis", nomenclature.Axis), TakenOn: l.date("taken_on"),
		TakenHow: l.text("taken_how"), Facilitated: l.bool("facilitated"), Innovative: l.bool("innovative"),
		Network: l.bool("network"), HabitantsConception: l.bool("hab_conception"), HabitantsEvaluation: l.bool("hab_evaluation")}
	if l.text("date") == "" {
		l.problem("date", "", msg.Required)
	}
	if l.spec.Kind != "" {
		r.Nature = l.list("nature", l.spec.NatureKind)
		r.Audience = l.list("audience", l.spec.AudienceKind)
		r.Status = l.list("status", l.spec.StatusKind)
		if l.spec.Uses(journal.FOrigin) {
			r.Origin = l.list("origin", nomenclature.SubjectOrigin)
		}
		if l.spec.Uses(journal.FInstanceKind) {
			r.InstanceKind = l.list("instance_kind", nomenclature.InstanceKind)
		}
		if l.spec.Uses(journal.FPartners) {
			r.PartnerIDs = l.partners("partners")
		}
		if l.spec.Uses(journal.FAction) {
			r.ActionID = l.actionRef()
		}
	}
	r.PostID = l.post()
	if l.spec.Uses(journal.FRoles) && r.PostID != 0 {
		for _, raw := range sheet.List(l.text("roles")) {
			if code := l.value("roles", nomenclature.MeetingRole, raw); code != "" {
				r.Roles = append(r.Roles, journal.Role{PostID: r.PostID, Role: code})
			}
		}
	}
	return r
}

// post is the line's author post: the Poste column (a name or a number),
// else the user's own post, else the CTG's only one.
func (l *line) post() int64 {
	s := l.text("post")
	var id int64
	switch {
	case s != "":
		want := sheet.Fold(s)
		for _, p := range l.env.Posts {
			if sheet.Fold(p.Person) == want || strconv.FormatInt(p.ID, 10) == s {
				id = p.ID
				break
			}
		}
		if id == 0 {
			l.problem("post", s, msg.ImportUnknownPost, s)
			return 0
		}
	case l.env.OwnPost != 0:
		id = l.env.OwnPost
	case len(l.env.Posts) == 1:
		id = l.env.Posts[0].ID
	default:
		l.problem("post", "", msg.ImportNoPost)
		return 0
	}
	if l.env.MayRecordAs != nil && !l.env.MayRecordAs(id) {
		l.problem("post", s, msg.ImportNotYourPost, s)
	}
	return id
}

func (l *line) actionRef() int64 {
	s := l.text("action")
	if s == "" {
		return 0
	}
	id, ok := l.env.Actions[sheet.Fold(s)]
	if !ok {
		l.problem("action", s, msg.ImportUnknownAction, s)
	}
	return id
}

func (l *line) partner() *partner.Partner {
	return &partner.Partner{CafID: l.env.CafID, Name: l.text("name"), Type: l.list("type", nomenclature.PartnerType),
		SIRET: strings.ReplaceAll(l.text("siret"), " ", "")}
}

func (l *line) action() *actionplan.Action {
	a := &actionplan.Action{CTGID: l.env.CTGID, Code: l.text("code"), Title: l.text("title"),
		Axis: l.list("axis", nomenclature.Axis), Objective: l.text("objective"), Finding: l.text("finding"),
		PilotStructure: l.text("pilot_structure"), PilotPerson: l.text("pilot_person"),
		TargetPublic: l.text("target_public"), Steps: l.text("steps"), Start: l.date("start"), End: l.date("end"),
		BudgetPlanned: l.money("budget_planned"), BudgetActual: l.money("budget_actual"), CafLever: l.text("caf_lever"),
		Priority: l.bool("priority"), Status: l.list("status", nomenclature.ActionStatus)}
	for _, id := range l.partners("partners") {
		a.Partners = append(a.Partners, actionplan.Partner{PartnerID: id})
	}
	return a
}

// fieldAlias maps the domain's field names to the import's field keys
// where they differ.
var fieldAlias = map[string]string{"linked_on": "date", "admission": "nature"}

// Locate turns the error the store returned for a line into problems on
// its columns: field errors on their fields, a closed year on the date,
// anything else on the line as a whole.
func Locate(k Kind, t *sheet.Table, m Mapping, r sheet.Row, err error) []Problem {
	e := apperr.As(err)
	l := &line{k: k, row: r, m: m, item: &Item{}, cache: map[string]int{}}
	if e.Code == apperr.Invalid && len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for key := range e.Fields {
			keys = append(keys, key)
		}
		sortKeys(k, keys)
		for _, key := range keys {
			field := key
			if a, ok := fieldAlias[key]; ok {
				field = a
			}
			if base, _, ok := strings.Cut(field, "."); ok {
				field = base
			}
			l.item.Problems = append(l.item.Problems, Problem{Line: r.Line, Column: l.col(field), Field: label(k, field),
				Value: l.text(field), Message: e.Fields[key]})
		}
		return l.item.Problems
	}
	field := ""
	if e.Key == msg.YearClosed {
		field = "date"
	}
	if e.Code == apperr.Internal {
		return []Problem{{Line: r.Line, Column: -1, Field: "—", Message: msg.Text(msg.ErrInternal)}}
	}
	return []Problem{{Line: r.Line, Column: l.col(field), Field: label(k, field), Value: l.text(field), Message: e.Message()}}
}

func label(k Kind, key string) string {
	if f, ok := FieldOf(k, key); ok {
		return f.Label
	}
	if key == "" {
		return "ligne entière"
	}
	return key
}

// sortKeys orders field keys as the kind's fields go, unknown ones last.
func sortKeys(k Kind, keys []string) {
	pos := func(key string) int {
		for i, f := range Fields(k) {
			if f.Key == key {
				return i
			}
		}
		return len(Fields(k))
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && (pos(keys[j]) < pos(keys[j-1]) || pos(keys[j]) == pos(keys[j-1]) && keys[j] < keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}
