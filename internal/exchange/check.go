package exchange

import (
	"slices"
	"strings"

	"copilote/internal/framework"
	"copilote/internal/journal"
	"copilote/internal/nomenclature"
)

// checker keeps what the reader has seen, so that every reference is
// checked in memory: the import asks the database nothing per object.
// Small sets (Cafs, CTGs, posts, partners, fiches) are maps; records, the
// bulk of a national file, are a sorted slice of ids (12 bytes each).
type checker struct {
	national   []nomenclature.Value
	functions  []string
	indicators []string
	last       map[string]int64 // last id of each section, which must rise

	cafs       map[int64]*cafInfo
	cafCodes   map[string]bool
	partners   map[int64]partnerRef
	ctgs       map[int64]*ctgInfo
	ctgByIdx   []*ctgInfo
	posts      map[int64]int64 // post → CTG
	instances  map[int64]int64 // instance → CTG
	objectives map[int64]bool
	actions    map[int64]int64 // fiche → CTG
	liveCodes  map[ctgCode]bool
	records    recordIndex
	tokens     map[string]bool
	periods    map[evalKey]bool
	questions  map[int64]surveyQuestionRef
	waveCaf    int64 // the Caf of the wave being checked
}

// surveyQuestionRef is whose a survey question is, and whom it asks.
type surveyQuestionRef struct {
	caf      int64
	audience string
}

type cafInfo struct {
	own  []nomenclature.Value
	keys map[kindCode]bool
	set  *nomenclature.Set // national and own values, built when first needed
}

type kindCode struct{ kind, code string }

type partnerRef struct {
	caf    int64
	merged bool
}

type ctgInfo struct {
	id, caf int64
	idx     uint32
	jc      journal.Context // dates, posts and lists a record is checked against
}

type ctgCode struct {
	ctg  int64
	code string
}

type evalKey struct {
	post     int64
	from, to Date
}

func newChecker(national []nomenclature.Value) *checker {
	c := &checker{national: national, last: map[string]int64{},
		cafs: map[int64]*cafInfo{}, cafCodes: map[string]bool{}, partners: map[int64]partnerRef{},
		ctgs: map[int64]*ctgInfo{}, posts: map[int64]int64{}, instances: map[int64]int64{},
		objectives: map[int64]bool{}, actions: map[int64]int64{}, liveCodes: map[ctgCode]bool{},
		tokens: map[string]bool{}, periods: map[evalKey]bool{}, questions: map[int64]surveyQuestionRef{}}
	for _, f := range framework.Load().Functions() {
		c.functions = append(c.functions, f.Code)
	}
	for _, i := range framework.Load().Indicators() {
		c.indicators = append(c.indicators, i.Code)
	}
	return c
}

// ascending enforces the rule that makes duplicates impossible without a
// set of every id: within a section, ids rise.
func (c *checker) ascending(section string, id int64) *Error {
	if id <= 0 {
		return fieldErr("id", "l'identifiant doit être un entier positif")
	}
	if last := c.last[section]; id <= last {
		return fieldErr("id", "les identifiants de la section %s vont croissant : %d vient après %d (doublon ?)", section, id, last)
	}
	c.last[section] = id
	return nil
}

// set is the nomenclature a Caf's objects are checked against: the target's
// national lists and the Caf's own values, inactive ones included (old
// records keep the values they were saved with).
func (ci *cafInfo) nomenclature(national []nomenclature.Value) *nomenclature.Set {
	if ci.set == nil {
		ci.set = nomenclature.NewSet(append(slices.Clip(national), ci.own...))
	}
	return ci.set
}

func (c *checker) caf(v *Caf) *Error {
	if e := c.ascending(SecCafs, v.ID); e != nil {
		return e
	}
	v.Code, v.Name = strings.TrimSpace(v.Code), strings.TrimSpace(v.Name)
	if e := required("code", v.Code, "name", v.Name); e != nil {
		return e
	}
	if c.cafCodes[v.Code] {
		return fieldErr("code", "une autre Caf porte déjà le code %q", v.Code)
	}
	c.cafCodes[v.Code] = true
	c.cafs[v.ID] = &cafInfo{keys: map[kindCode]bool{}}
	return c.surveySettings(v)
}

func (c *checker) nomenclatureValue(v *Nomenclature) *Error {
	ci, e := c.cafOf("caf_id", v.CafID)
	if e != nil {
		return e
	}
	if _, ok := nomenclature.KindLabels[nomenclature.Kind(v.Kind)]; !ok {
		return fieldErr("kind", "liste inconnue %q", v.Kind)
	}
	v.Label = strings.TrimSpace(v.Label)
	if e := required("code", v.Code, "label", v.Label); e != nil {
		return e
	}
	k := kindCode{v.Kind, v.Code}
	if ci.keys[k] {
		return fieldErr("code", "la Caf %d a déjà la valeur %q dans la liste %s", v.CafID, v.Code, v.Kind)
	}
	ci.keys[k] = true
	ci.own = append(ci.own, nomenclature.Value{Kind: nomenclature.Kind(v.Kind), Code: v.Code, Label: v.Label})
	return nil
}

func (c *checker) cafOf(field string, id int64) (*cafInfo, *Error) {
	ci, ok := c.cafs[id]
	if !ok {
		return nil, fieldErr(field, "Caf %d inconnue : elle doit figurer dans la section cafs", id)
	}
	return ci, nil
}

func (c *checker) ctgOf(field string, id int64) (*ctgInfo, *Error) {
	ci, ok := c.ctgs[id]
	if !ok {
		return nil, fieldErr(field, "CTG %d inconnue : elle doit figurer dans la section ctgs", id)
	}
	return ci, nil
}

func (c *checker) postExists(field string, id int64) *Error {
	if _, ok := c.posts[id]; !ok {
		return fieldErr(field, "poste %d inconnu : il doit figurer dans les postes d'une CTG", id)
	}
	return nil
}

// required reports the first blank field of name, value pairs.
func required(pairs ...string) *Error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			return fieldErr(pairs[i], "ce champ est obligatoire")
		}
	}
	return nil
}

// stamped checks an instant a row cannot lack.
func stamped(name string, t Time) *Error {
	if t.IsZero() {
		return fieldErr(name, "ce champ est obligatoire (horodatage RFC 3339)")
	}
	return nil
}

// first returns the first fault of a series of checks.
func first(es ...*Error) *Error {
	for _, e := range es {
		if e != nil {
			return e
		}
	}
	return nil
}

// unique reports the first value met twice in a list.
func unique[T comparable](field string, vs []T) *Error {
	seen := make(map[T]bool, len(vs))
	for _, v := range vs {
		if seen[v] {
			return fieldErr(field, "la valeur %v figure deux fois", v)
		}
		seen[v] = true
	}
	return nil
}
