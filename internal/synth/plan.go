package synth

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"copilote/internal/civil"
	"copilote/internal/nomenclature"
	"copilote/internal/territory"
)

// plan is the shape of the whole dataset, decided before any row is
// written: Cafs, CTGs, posts and their ids. It is small (a few thousand
// posts) and lets the record rate be calibrated on the total ETP-years.
type plan struct {
	cafs []*cafPlan
	ctgs int
	rate float64 // records per ETP-year
}

type cafPlan struct {
	idx      int
	id       int64
	dept     string
	epcis    []territory.EPCI
	ctgs     []*ctgPlan
	partners int
}

type ctgPlan struct {
	idx         int
	id          int64
	epci        territory.EPCI
	communes    []territory.Commune
	part, parts int // sector part of parts when a large EPCI holds several CTGs
	start, end  civil.Date
	axes        []string
	posts       []*postPlan
}

type postPlan struct {
	id        int64
	etp       int // hundredths
	chef      bool
	start     civil.Date
	functions []string
	axes      []string
}

// departments are the 101 départements, each with its Caf (Mayotte's CSSM
// stands for a Caf).
func departments() []string {
	var out []string
	for i := 1; i <= 95; i++ {
		switch i {
		case 20:
			out = append(out, "2A", "2B")
		default:
			out = append(out, fmt.Sprintf("%02d", i))
		}
	}
	return append(out, "971", "972", "973", "974", "976")
}

var functions = []string{"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"}

func newPlan(o Options) (*plan, error) {
	r := rand.New(rand.NewPCG(o.Seed, 0))
	nCTG := max(1, int(math.Round(nationalCTGs*math.Sqrt(o.Scale))))
	p := &plan{}
	for i, d := range chooseDepartments(min(maxCafs, nCTG)) {
		epcis := homeEPCIs(d)
		if len(epcis) == 0 {
			return nil, fmt.Errorf("synth: no EPCI in département %s", d)
		}
		p.cafs = append(p.cafs, &cafPlan{idx: i, id: int64(i + 1), dept: d, epcis: epcis})
	}
	share(p.cafs, nCTG)
	ctgIdx, postID := 0, int64(0)
	for _, c := range p.cafs {
		c.partners = max(minPartnersCaf, 3*len(c.ctgs), int(math.Round(nationalPartners*o.Scale*float64(len(c.ctgs))/float64(nCTG))))
		for _, t := range c.ctgs {
			t.idx, t.id = ctgIdx, int64(ctgIdx+1)
			ctgIdx++
			t.period(r)
			t.axes = pickAxes(r)
			postID = t.planPosts(r, postID)
		}
	}
	p.ctgs = ctgIdx
	p.rate = float64(nationalRecords) * o.Scale / max(p.etpYears(o), 1e-9)
	return p, nil
}

// chooseDepartments spreads n Cafs evenly over the list, so that a small
// scale still crosses mainland and overseas.
func chooseDepartments(n int) []string {
	all := departments()
	out := make([]string, n)
	for i := range n {
		out[i] = all[i*len(all)/n]
	}
	return out
}

// homeEPCIs lists the EPCIs whose population lives mostly in d: an EPCI
// spanning two départements belongs to one Caf only. A département with no
// such EPCI (Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne, all in the
// Métropole du Grand Paris) gets the part of its EPCIs within d.
func homeEPCIs(d string) []territory.EPCI {
	var out []territory.EPCI
	in := territory.EPCIsInDepartment(d)
	for _, e := range in {
		if homeDepartment(e) == d {
			out = append(out, e)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, e := range in {
		e.Communes = slices.DeleteFunc(e.Communes, func(c territory.Commune) bool { return c.Department != d })
		e.Population = 0
		for _, c := range e.Communes {
			e.Population += c.Population
		}
		out = append(out, e)
	}
	return out
}

func homeDepartment(e territory.EPCI) string {
	pop := map[string]int{}
	best := ""
	for _, c := range e.Communes {
		pop[c.Department] += c.Population + 1
		if best == "" || pop[c.Department] > pop[best] || (pop[c.Department] == pop[best] && c.Department < best) {
			best = c.Department
		}
	}
	return best
}

// share deals n CTGs to the Cafs in proportion to their EPCIs (largest
// remainders), one at least each, then places them on EPCIs.
func share(cafs []*cafPlan, n int) {
	total := 0
	for _, c := range cafs {
		total += len(c.epcis)
	}
	counts := make([]int, len(cafs))
	rest := n - len(cafs)
	type rem struct {
		i int
		f float64
	}
	var rems []rem
	given := 0
	for i, c := range cafs {
		exact := float64(rest) * float64(len(c.epcis)) / float64(total)
		counts[i] = 1 + int(exact)
		given += int(exact)
		rems = append(rems, rem{i, exact - math.Floor(exact)})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.f, a.f) })
	for k := 0; given < rest; k++ {
		counts[rems[k%len(rems)].i]++
		given++
	}
	for i, c := range cafs {
		c.place(counts[i])
	}
}

// place puts k CTGs on the Caf's EPCIs. With fewer CTGs than EPCIs the most
// populated EPCIs get one (CTGs came first where families are). With more,
// every EPCI gets one and the most populated are split into sectors, each a
// CTG on part of the communes: large agglomerations do sign one CTG per
// sector, and France has about 1 250 EPCIs for 1 500 CTGs.
func (c *cafPlan) place(k int) {
	byPop := slices.Clone(c.epcis)
	slices.SortStableFunc(byPop, func(a, b territory.EPCI) int { return cmp.Compare(b.Population, a.Population) })
	parts := make([]int, len(byPop))
	for i := range min(k, len(byPop)) {
		parts[i] = 1
	}
	for extra, i, skipped := k-len(byPop), 0, 0; extra > 0; i = (i + 1) % len(byPop) {
		// an EPCI is split only while it has communes for each sector;
		// past a whole round without any, sectors share communes
		if len(byPop[i].Communes) > parts[i] || skipped >= len(byPop) {
			parts[i]++
			extra, skipped = extra-1, 0
		} else {
			skipped++
		}
	}
	for i, e := range byPop {
		for part := range parts[i] {
			c.ctgs = append(c.ctgs, &ctgPlan{epci: e, part: part, parts: parts[i], communes: sector(e.Communes, part, parts[i])})
		}
	}
}

// sector is the part-th of parts slices of the communes (by INSEE code,
// hence roughly contiguous); never empty.
func sector(cs []territory.Commune, part, parts int) []territory.Commune {
	if parts <= 1 || len(cs) < parts {
		return cs
	}
	lo, hi := part*len(cs)/parts, (part+1)*len(cs)/parts
	return cs[lo:hi]
}

// period: CTGs of 4 or 5 years ending in 2026, 2027 or 2028, on calendar
// years mostly, some from July to June.
func (t *ctgPlan) period(r *rand.Rand) {
	endYear := 2026 + r.IntN(3)
	years := 4 + r.IntN(2)
	t.start = civil.New(endYear-years+1, time.January, 1)
	t.end = civil.New(endYear, time.December, 31)
	if chance(r, 0.25) {
		t.start, t.end = t.start.AddDate(0, 6, 0), t.end.AddDate(0, 6, 0)
	}
}

// pickAxes: petite enfance and parentalité in every CTG (the Caf's core),
// then one to four others.
func pickAxes(r *rand.Rand) []string {
	var all []string
	for _, v := range nomenclature.National {
		if v.Kind == nomenclature.Axis {
			all = append(all, v.Code)
		}
	}
	out := []string{"petite_enfance", "parentalite"}
	others := slices.DeleteFunc(slices.Clone(all), func(a string) bool { return slices.Contains(out, a) })
	r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	return append(out, others[:1+r.IntN(4)]...)
}

// planPosts: 3 to 6 posts (4 on average), the first one chef de projet,
// with every function; the others hold 3 to 6 functions and part-time ETPs.
func (t *ctgPlan) planPosts(r *rand.Rand, lastID int64) int64 {
	n := weighted(r, []int{3, 4, 5, 6}, []float64{0.35, 0.35, 0.2, 0.1})
	for i := range n {
		lastID++
		p := &postPlan{id: lastID, chef: i == 0, start: t.start}
		if p.chef {
			p.etp, p.functions = 50+10*r.IntN(6), functions
			p.axes = t.axes
		} else {
			p.etp = weighted(r, []int{20, 30, 40, 50, 60, 70, 80, 100}, []float64{0.1, 0.1, 0.12, 0.2, 0.12, 0.1, 0.12, 0.14})
			p.functions = pickSome(r, functions, 3+r.IntN(4))
			p.axes = pickSome(r, t.axes, 1+r.IntN(min(3, len(t.axes))))
			if chance(r, 0.2) {
				p.start = t.start.AddDays(90 + r.IntN(450))
			}
		}
		t.posts = append(t.posts, p)
	}
	return lastID
}

// etpYears is the activity the record rate spreads over.
func (p *plan) etpYears(o Options) float64 {
	from := o.windowStart()
	total := 0.0
	for _, c := range p.cafs {
		for _, t := range c.ctgs {
			for _, post := range t.posts {
				lo, hi := civil.Later(post.start, from), civil.Earlier(t.end, AsOf)
				if hi.Before(lo) {
					continue
				}
				total += float64(post.etp) / 100 * float64(hi.DaysSince(lo)+1) / 365.25
			}
		}
	}
	return total
}
