package exchange

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"unicode/utf8"

	"copilote/internal/journal"
)

// partner checks a partner; merged_into is checked once every partner of
// the section is known (a duplicate may be merged into a later one).
func (c *checker) partner(v *Partner) *Error {
	if e := c.ascending(SecPartners, v.ID); e != nil {
		return e
	}
	ci, e := c.cafOf("caf_id", v.CafID)
	if e != nil {
		return e
	}
	p := v.domain()
	if e := fromValidate(p.Validate(ci.nomenclature(c.national)), ""); e != nil {
		return e
	}
	v.absorb(&p)
	if e := stamped("created_at", v.CreatedAt); e != nil {
		return e
	}
	c.partners[v.ID] = partnerRef{caf: v.CafID, merged: v.MergedInto != 0}
	return nil
}

func (c *checker) mergedInto(id, into int64) *Error {
	keep, ok := c.partners[into]
	switch {
	case !ok:
		return fieldErr("merged_into", "partenaire %d inconnu", into)
	case into == id:
		return fieldErr("merged_into", "un partenaire ne peut être fusionné dans lui-même")
	case keep.caf != c.partners[id].caf:
		return fieldErr("merged_into", "le partenaire %d appartient à une autre Caf", into)
	}
	return nil
}

// ctg checks a convention with its territory, posts and instances, then
// keeps what its records will be checked against.
func (c *checker) ctg(v *CTG) *Error {
	if e := c.ascending(SecCTGs, v.ID); e != nil {
		return e
	}
	caf, e := c.cafOf("caf_id", v.CafID)
	if e != nil {
		return e
	}
	n := caf.nomenclature(c.national)
	d := v.domain()
	if e := fromValidate(d.Validate(n), ""); e != nil {
		return e
	}
	v.Name = d.Name
	if e := c.ctgLists(v); e != nil {
		return e
	}
	info := &ctgInfo{id: v.ID, caf: v.CafID, idx: uint32(len(c.ctgByIdx)),
		jc: journal.Context{Nomenclature: n, Start: v.Start.Civil(), End: v.End.Civil(), Posts: map[int64]bool{}}}
	if e := c.instancesOf(v, info); e != nil {
		return e
	}
	if e := c.postsOf(v, info); e != nil {
		return e
	}
	c.ctgs[v.ID] = info
	c.ctgByIdx = append(c.ctgByIdx, info)
	return nil
}

// ctgLists checks what the database keys by value: one row per commune and
// per axis, objectives by their id.
func (c *checker) ctgLists(v *CTG) *Error {
	insee := make([]string, len(v.Communes))
	for i, m := range v.Communes {
		insee[i] = m.INSEE
		if e := required(fmt.Sprintf("communes[%d].insee", i), m.INSEE, fmt.Sprintf("communes[%d].name", i), m.Name); e != nil {
			return e
		}
	}
	for i, s := range v.Signatories {
		if e := required(fmt.Sprintf("signatories[%d].organisation", i), s.Organisation); e != nil {
			return e
		}
	}
	if e := first(unique("communes", insee), unique("axes", v.Axes), stamped("created_at", v.CreatedAt),
		stamped("updated_at", v.UpdatedAt)); e != nil {
		return e
	}
	if e := c.targets(v.Targets); e != nil {
		return e
	}
	if e := openData(v.OpenData); e != nil {
		return e
	}
	for i, o := range v.Objectives {
		if o.ID <= 0 || c.objectives[o.ID] {
			return fieldErr(fmt.Sprintf("objectives[%d].id", i), "identifiant %d absent ou déjà pris", o.ID)
		}
		c.objectives[o.ID] = true
	}
	return nil
}

func (c *checker) instancesOf(v *CTG, info *ctgInfo) *Error {
	for i := range v.Instances {
		in := &v.Instances[i]
		at := fmt.Sprintf("instances[%d].", i)
		if _, taken := c.instances[in.ID]; in.ID <= 0 || taken {
			return fieldErr(at+"id", "identifiant %d absent ou déjà pris", in.ID)
		}
		d := in.domain(v.ID)
		if e := fromValidate(d.Validate(info.jc.Nomenclature), at); e != nil {
			return e
		}
		in.Name = d.Name
		c.instances[in.ID] = v.ID
	}
	return nil
}

func (c *checker) postsOf(v *CTG, info *ctgInfo) *Error {
	for i := range v.Posts {
		p := &v.Posts[i]
		at := fmt.Sprintf("posts[%d].", i)
		if _, taken := c.posts[p.ID]; p.ID <= 0 || taken {
			return fieldErr(at+"id", "identifiant %d absent ou déjà pris", p.ID)
		}
		d := p.domain(v.ID)
		if e := fromValidate(d.Validate(info.jc.Nomenclature, c.functions), at); e != nil {
			return e
		}
		p.absorb(&d)
		if e := first(unique(at+"functions", p.Functions), unique(at+"axes", p.Axes)); e != nil {
			return e
		}
		c.posts[p.ID] = v.ID
		info.jc.Posts[p.ID] = true
	}
	return nil
}

// targets follow the rules of store.SaveTargets: a known indicator, year 0
// (the baseline) or a calendar year, one value per indicator and year.
func (c *checker) targets(ts []Target) *Error {
	type key struct {
		code string
		year int
	}
	seen := map[key]bool{}
	for i, t := range ts {
		at := fmt.Sprintf("targets[%d].", i)
		switch {
		case !slices.Contains(c.indicators, t.Indicator):
			return fieldErr(at+"indicator", "indicateur inconnu du référentiel : %q", t.Indicator)
		case t.Year != 0 && (t.Year < 2000 || t.Year > 2100):
			return fieldErr(at+"year", "0 pour la valeur de référence, sinon une année entre 2000 et 2100")
		case seen[key{t.Indicator, t.Year}]:
			return fieldErr(at+"year", "l'indicateur %s a déjà une valeur pour l'année %d", t.Indicator, t.Year)
		}
		seen[key{t.Indicator, t.Year}] = true
	}
	return nil
}

var openDataCode = map[string]*regexp.Regexp{"epci": regexp.MustCompile(`^\d{9}$`),
	"commune": regexp.MustCompile(`^(\d{5}|2[AB]\d{3})$`)}

// openData follows the rules of store.ImportOpenData: a level and its
// code, a measure, a calendar year, one value per territory, measure and
// year, in the export's order.
func openData(vs []OpenData) *Error {
	type key struct {
		level, code, measure string
		year                 int
	}
	seen := map[key]bool{}
	for i, v := range vs {
		at := fmt.Sprintf("open_data[%d].", i)
		re, ok := openDataCode[v.Level]
		k := key{v.Level, v.Code, v.Measure, v.Year}
		switch {
		case !ok:
			return fieldErr(at+"level", "epci ou commune, pas %q", v.Level)
		case !re.MatchString(v.Code):
			return fieldErr(at+"code", "SIREN d'EPCI ou code INSEE de commune attendu, pas %q", v.Code)
		case v.Measure == "" || utf8.RuneCountInString(v.Measure) > 64:
			return fieldErr(at+"measure", "nom de mesure vide ou de plus de 64 caractères")
		case v.Year < 2000 || v.Year > 2099:
			return fieldErr(at+"year", "une année entre 2000 et 2099")
		case utf8.RuneCountInString(v.Raw) > 64 || utf8.RuneCountInString(v.Source) > 200:
			return fieldErr(at+"raw", "valeur ou nom de fichier trop long")
		case v.Value != nil && (math.IsNaN(*v.Value) || math.IsInf(*v.Value, 0)):
			return fieldErr(at+"value", "un nombre")
		case seen[k]:
			return fieldErr(at+"year", "%s %s a déjà une valeur de %s pour %d", v.Level, v.Code, v.Measure, v.Year)
		}
		if e := stamped(at+"imported_at", v.ImportedAt); e != nil {
			return e
		}
		seen[k] = true
	}
	return nil
}
