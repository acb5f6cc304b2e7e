package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"copilote/internal/civil"
	"copilote/internal/partner"
)

// pool is the partners a CTG works with, each with the day it first gets
// involved. E31 counts partners by their first record in the CTG, so these
// days are spread over the four years.
type pool struct {
	members []*member
}

type member struct {
	p     partner.Partner
	spec  partnerSpec
	intro civil.Date
	used  bool
}

// want says how many partners a record takes and of which types.
type want struct {
	min, max int
	types    []string
	// welcome: a partner whose first involvement is due may join here; a
	// Copil or a decision is no place for a first contact.
	welcome bool
}

// Partner type groups.
var (
	institutions = []string{"commune", "epci", "departement_pmi", "caf_msa", "etat", "education_nationale"}
	fieldActors  = []string{"association", "gestionnaire", "operateur_prive", "collectif_habitants"}
	residents    = []string{"collectif_habitants", "association"}
	childcare    = []string{"gestionnaire", "operateur_prive", "departement_pmi"}

	partnersAtLarge = slices.Concat(fieldActors, institutions)

	// axisTypes are the partners an axis mostly works with.
	axisTypes = map[string][]string{
		"petite_enfance":      {"gestionnaire", "operateur_prive", "departement_pmi", "commune"},
		"enfance_jeunesse":    {"gestionnaire", "association", "education_nationale", "commune", "etat"},
		"parentalite":         {"association", "departement_pmi", "education_nationale", "collectif_habitants"},
		"avs":                 {"association", "collectif_habitants", "commune"},
		"logement":            {"autre", "etat", "commune", "association", "operateur_prive"},
		"acces_droits":        {"etat", "autre", "caf_msa", "association"},
		"inclusion_numerique": {"association", "etat", "commune"},
		"handicap":            {"association", "gestionnaire", "departement_pmi", "education_nationale"},
	}
	residentsAndCommunes = []string{"collectif_habitants", "association", "commune"}
)

func (p *pool) add(pt partner.Partner, sp partnerSpec) {
	p.members = append(p.members, &member{p: pt, spec: sp})
}

// schedule sets first involvements: signatories from the start, about half
// of the others during the diagnostic year, the rest year after year.
func (p *pool) schedule(r *rand.Rand, start civil.Date) {
	var rest []*member
	for _, m := range p.members {
		switch {
		case m.spec.core:
			m.intro = start
		case m.spec.late:
			m.intro = randomDay(r, civil.New(2025, time.March, 1), civil.New(2026, time.June, 30))
		default:
			rest = append(rest, m)
		}
	}
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	for i, m := range rest {
		m.intro = introDay(r, float64(i)/float64(len(rest)))
	}
}

func introDay(r *rand.Rand, rank float64) civil.Date {
	switch {
	case rank < 0.45:
		return randomDay(r, civil.New(2023, time.January, 9), civil.New(2023, time.June, 30))
	case rank < 0.65:
		return randomDay(r, civil.New(2024, time.January, 8), civil.New(2024, time.November, 30))
	case rank < 0.85:
		return randomDay(r, civil.New(2025, time.January, 6), civil.New(2025, time.November, 30))
	}
	return randomDay(r, civil.New(2026, time.January, 5), civil.New(2026, time.September, 30))
}

// pick chooses the partners of a record dated day: first any whose first
// involvement is due, then partners of the wanted types.
func (p *pool) pick(r *rand.Rand, day civil.Date, w want) []int64 {
	if w.max == 0 {
		return nil
	}
	k := w.min + r.IntN(w.max-w.min+1)
	var out []*member
	if w.welcome {
		out = p.due(day, 2)
		k = max(k, len(out))
	}
	for len(out) < k {
		m := p.choose(r, day, w.types, out)
		if m == nil {
			break
		}
		out = append(out, m)
	}
	ids := make([]int64, len(out))
	for i, m := range out {
		m.used = true
		ids[i] = m.p.ID
	}
	return ids
}

// due lists at most n partners introduced by day but not yet involved.
func (p *pool) due(day civil.Date, n int) []*member {
	var out []*member
	for _, m := range p.members {
		if len(out) < n && !m.used && !m.intro.After(day) {
			out = append(out, m)
		}
	}
	return out
}

// choose draws one partner already involved (or a signatory), preferring
// the wanted types; a partner not yet involved comes in only through due.
func (p *pool) choose(r *rand.Rand, day civil.Date, types []string, taken []*member) *member {
	var all, preferred []*member
	for _, m := range p.members {
		if m.intro.After(day) || slices.Contains(taken, m) || (!m.used && !m.spec.core) {
			continue
		}
		all = append(all, m)
		if slices.Contains(types, m.spec.typ) {
			preferred = append(preferred, m)
		}
	}
	if len(preferred) > 0 && r.Float64() < 0.75 {
		return preferred[r.IntN(len(preferred))]
	}
	if len(all) == 0 {
		return nil
	}
	return all[r.IntN(len(all))]
}

// memberOf is a partner of one of types, to pilot or join a fiche action;
// the late near-duplicates never do.
func (p *pool) memberOf(r *rand.Rand, types []string) *member {
	var out []*member
	for _, m := range p.members {
		if !m.spec.late && slices.Contains(types, m.spec.typ) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out[r.IntN(len(out))]
}

// anyMember is any partner but the late near-duplicates, which no fiche
// was written with.
func (p *pool) anyMember(r *rand.Rand) *member {
	for {
		if m := p.members[r.IntN(len(p.members))]; !m.spec.late {
			return m
		}
	}
}
