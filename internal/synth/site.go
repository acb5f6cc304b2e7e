package synth

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"copilote/internal/civil"
	"copilote/internal/ctg"
	"copilote/internal/journal"
	"copilote/internal/store"
	"copilote/internal/territory"
)

// generator holds the load's state between CTGs: the next ids and counts.
type generator struct {
	opt          Options
	plan         *plan
	b            *store.Bulk
	stats        Stats
	start        time.Time
	nextProgress int64
	sinceCommit  int64
	ids          struct{ partner, objective, instance, action, record, update, wave, response int64 }
}

// site is one CTG while it is generated; it is dropped once written.
type site struct {
	g     *generator
	r     *rand.Rand
	caf   *cafPlan
	t     *ctgPlan
	pool  []int64 // partner ids, the most involved first
	towns []string
	inst  struct {
		copil, cotech, network, cdsf int64
		groups                       map[string]int64
	}
	actions map[string][]int64    // fiche ids by axis
	copils  []meeting             // Copil meetings so far, in date order
	kinds   []table[journal.Kind] // per post: the kinds it records
}

type meeting struct {
	id  int64
	day civil.Date
}

func (g *generator) site(c *cafPlan, t *ctgPlan, pool []int64) error {
	r := newRand(g.opt.Seed, streamCTG+uint64(t.idx))
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	s := &site{g: g, r: r, caf: c, t: t, pool: pool, towns: towns(t.communes), actions: map[string][]int64{}}
	steps := []func() error{s.writeCTG, s.writeInstances, s.writePosts, s.writeActions, s.writeSurveys, s.writeRecords}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	g.stats.CTGs++
	if g.sinceCommit >= g.opt.CommitEvery {
		g.sinceCommit = 0
		return g.b.Commit()
	}
	return nil
}

// towns are the most populated communes, where most things happen.
func towns(cs []territory.Commune) []string {
	byPop := slices.Clone(cs)
	slices.SortStableFunc(byPop, func(a, b territory.Commune) int { return cmp.Compare(b.Population, a.Population) })
	out := make([]string, 0, 8)
	for _, c := range byPop[:min(8, len(byPop))] {
		out = append(out, c.Name)
	}
	return out
}

func (s *site) add(table string, vals ...any) error { return s.g.b.Add(table, vals...) }

// stamp is an instant on day, in office hours.
func (s *site) stamp(day civil.Date) time.Time {
	return day.Time().Add(8*time.Hour + time.Duration(s.r.IntN(10*3600))*time.Second)
}

func (s *site) writeCTG() error {
	t := s.t
	name := "CTG " + t.epci.Name
	if t.parts > 1 {
		name += " – secteur " + strconv.Itoa(t.part+1)
	}
	pop := 0
	for _, c := range t.communes {
		pop += c.Population
	}
	created := s.stamp(t.start.AddDays(-45))
	err := s.add("ctg", t.id, s.caf.id, name, t.epci.SIREN, pop, t.start, t.end, created, created)
	for _, c := range t.communes {
		err = first(err, s.add("ctg_commune", t.id, c.INSEE, c.Name, c.Population))
	}
	signatories := [][2]string{{"Caf " + s.caf.dept, "Le directeur ou la directrice"}, {t.epci.Name, "Le président ou la présidente"},
		{"Conseil départemental", ""}}
	if chance(s.r, 0.5) {
		signatories = append(signatories, [2]string{"MSA", ""})
	}
	for i, g := range signatories {
		err = first(err, s.add("ctg_signatory", t.id, i, g[0], g[1]))
	}
	for i, a := range t.axes {
		err = first(err, s.add("ctg_axis", t.id, a, i))
	}
	objectives := [][2]string{{"nouveau_service", "Ouvrir un nouveau service aux familles"},
		{"nouveau_partenariat", "Formaliser de nouveaux partenariats"},
		{"nouvelle_competence", "Transférer une compétence à l'intercommunalité"}}
	for _, o := range objectives {
		s.g.ids.objective++
		target := between(s.r, 1, 4)
		err = first(err, s.add("dev_objective", s.g.ids.objective, t.id, o[0], o[1], target, s.r.IntN(target+1)))
	}
	return err
}

func (s *site) instance(kind, name, axis string) (int64, error) {
	s.g.ids.instance++
	return s.g.ids.instance, s.add("instance", s.g.ids.instance, s.t.id, kind, name, axis)
}

func (s *site) writeInstances() error {
	short := s.t.epci.Name
	var err, e error
	s.inst.copil, err = s.instance("copil", "Comité de pilotage – "+short, "")
	s.inst.cotech, e = s.instance("cotech", "Comité technique – "+short, "")
	err = first(err, e)
	s.inst.groups = map[string]int64{}
	for _, a := range s.t.axes {
		s.inst.groups[a], e = s.instance("groupe_travail", "Groupe de travail "+topics[a][0], a)
		err = first(err, e)
	}
	s.inst.network, e = s.instance("reseau_cooperateurs", "Réseau des coopérateurs CTG – "+s.caf.dept, "")
	err = first(err, e)
	s.inst.cdsf, e = s.instance("cdsf", "CDSF – commission territoriale", "")
	return first(err, e)
}

func (s *site) writePosts() error {
	var err error
	for _, p := range s.t.posts {
		person := pick(s.r, firstNames) + " " + pick(s.r, lastNames)
		employer := s.t.epci.Name
		if !p.chef && chance(s.r, 0.4) {
			employer = "Commune de " + pick(s.r, s.towns)
		}
		cost := int64(p.etp) * ctg.CostPerETP / 100
		cofunding := cost * int64(between(s.r, 30, 60)) / 100
		err = first(err, s.add("post", p.id, s.t.id, person, employer, p.etp, p.start, civil.Date{}, p.chef, cost, cofunding))
		for _, f := range p.functions {
			err = first(err, s.add("post_function", p.id, f))
		}
		for _, a := range p.axes {
			err = first(err, s.add("post_axis", p.id, a))
		}
		s.kinds = append(s.kinds, kindTable(p))
		s.g.stats.Posts++
	}
	return err
}

// first keeps the first error of a sequence of writes.
func first(err, next error) error {
	if err != nil {
		return err
	}
	return next
}
