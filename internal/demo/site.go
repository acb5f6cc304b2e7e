package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"copilote/internal/apperr"
	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/nomenclature"
	"copilote/internal/store"
	"copilote/internal/territory"
)

// site is one demo CTG while it is being generated.
type site struct {
	idx      int
	prof     profile
	ctg      ctg.CTG
	n        *nomenclature.Set
	rng      *rand.Rand
	pool     *pool
	officers []*officer // the chef de projet first
	copil    ctg.Instance
	cotech   ctg.Instance
	network  ctg.Instance
	cdsf     ctg.Instance
	groups   []ctg.Instance
	towns    []ctg.Commune // the most populated communes, where most things happen
	fiches   []*fiche
	seq      int // orders items written on the same day
	copils   int // Copil meetings held so far, for their number
	// subjects recorded so far, to rotate their origins
	followUps, watches int
}

type officer struct {
	post ctg.Post
}

func (o *officer) delegates(fn string) bool { return o.post.Delegates(fn) }

func (l *loader) newSite(tx *store.Tx, i int) (*site, error) {
	p := profiles[i]
	e, ok := territory.EPCIBySIREN(p.siren)
	if !ok {
		return nil, apperr.Wrap(fmt.Errorf("EPCI %s missing from the territory reference", p.siren), "demo")
	}
	c := ctg.CTG{CafID: l.caf.ID, Name: p.name, EPCISIREN: p.siren, Population: e.Population,
		Start: civil.New(2023, time.January, 1), End: civil.New(2026, time.December, 31),
		Communes: communes(e), Signatories: p.signatures, Axes: p.axes,
		Objectives: slices.Clone(p.objectives)}
	if err := tx.CreateCTG(&c, l.n); err != nil {
		return nil, err
	}
	s := &site{idx: i, prof: p, ctg: c, n: l.n, rng: l.rng(10 + uint64(i)), pool: &pool{}, towns: towns(c.Communes)}
	return s, s.saveInstances(tx)
}

func communes(e territory.EPCI) []ctg.Commune {
	out := make([]ctg.Commune, len(e.Communes))
	for i, m := range e.Communes {
		out[i] = ctg.Commune{INSEE: m.INSEE, Name: m.Name, Population: m.Population}
	}
	return out
}

func towns(cs []ctg.Commune) []ctg.Commune {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b ctg.Commune) int { return cmp.Compare(b.Population, a.Population) })
	return out[:min(8, len(out))]
}

func (s *site) saveInstances(tx *store.Tx) error {
	short := s.prof.key
	s.copil = ctg.Instance{Kind: "copil", Name: "Comité de pilotage de la CTG – " + short}
	s.cotech = ctg.Instance{Kind: "cotech", Name: "Comité technique de la CTG – " + short}
	s.network = ctg.Instance{Kind: "reseau_cooperateurs", Name: "Réseau drômois des coopérateurs CTG"}
	s.cdsf = ctg.Instance{Kind: "cdsf", Name: "CDSF de la Drôme – commission territoriale " + short}
	for _, g := range s.prof.groups {
		s.groups = append(s.groups, ctg.Instance{Kind: "groupe_travail", Name: g.name, Axis: g.axis})
	}
	all := []*ctg.Instance{&s.copil, &s.cotech}
	for i := range s.groups {
		all = append(all, &s.groups[i])
	}
	all = append(all, &s.network, &s.cdsf)
	for _, in := range all {
		in.CTGID = s.ctg.ID
		if err := tx.SaveInstance(in, s.n); err != nil {
			return err
		}
	}
	return nil
}

// chef is the post of the chef de projet.
func (s *site) chef() *officer { return s.officers[0] }

// other is a post of the CTG other than o.
func (s *site) other(o *officer) *officer {
	for _, x := range s.officers {
		if x != o {
			return x
		}
	}
	return nil
}

// axis is the axis of a record: mostly one of the post's own.
func (s *site) axis(o *officer) string {
	if chance(s.rng, 0.8) {
		return pick(s.rng, o.post.Axes)
	}
	return pick(s.rng, s.ctg.Axes)
}

func (s *site) town() string {
	if chance(s.rng, 0.75) {
		return pick(s.rng, s.towns).Name
	}
	return pick(s.rng, s.ctg.Communes).Name
}

func (s *site) topic(axis string) string { return pick(s.rng, topics[axis]) }

// group is a working group on axis, or any of them.
func (s *site) group(axis string) ctg.Instance {
	for _, g := range s.groups {
		if g.Axis == axis {
			return g
		}
	}
	return pick(s.rng, s.groups)
}

// fiche is a fiche action of axis, nil when the plan has none.
func (s *site) fiche(axis string) *fiche {
	var out []*fiche
	for _, f := range s.fiches {
		if f.a.Axis == axis {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return pick(s.rng, out)
}

func (s *site) ficheID(axis string, p float64) int64 {
	if f := s.fiche(axis); f != nil && chance(s.rng, p) {
		return f.a.ID
	}
	return 0
}
